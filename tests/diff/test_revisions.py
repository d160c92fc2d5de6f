"""Reading a project's definitions from git objects, never from the working tree."""

from __future__ import annotations

from pathlib import Path

import pytest
from git_repo import git

from engine.project import read_files
from engine.revisions import RevisionError, read_revision, read_working_tree


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose project sits in `org/`, with two commits."""
    root = tmp_path / "repo"
    project = root / "org"
    (project / "rules" / ".hidden").mkdir(parents=True)
    (project / "glossary").mkdir()
    (project / "accord.yaml").write_text("kind: Project\n")
    (project / "rules" / "scoring.yaml").write_text("points: 1\n")
    (project / "rules" / "notes.txt").write_text("not a definition\n")
    (project / "rules" / ".hidden" / "x.yaml").write_text("hidden: true\n")
    (project / "glossary" / "terms.yml").write_text("terms: []\n")
    (root / "README.md").write_text("outside the project\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    (project / "rules" / "scoring.yaml").write_text("points: 2\n")
    git(root, "commit", "-qam", "second")
    return project


def test_a_revision_has_the_files_the_working_tree_would_have(repo: Path) -> None:
    first = read_revision(repo, "HEAD~1")
    assert first.files == {
        "accord.yaml": b"kind: Project\n",
        "glossary/terms.yml": b"terms: []\n",
        "rules/scoring.yaml": b"points: 1\n",
    }
    assert first.label == "HEAD~1"
    assert first.commit == git(repo, "rev-parse", "HEAD~1")
    assert read_revision(repo, "HEAD").files == read_files(repo)


def test_reading_a_revision_leaves_the_working_tree_alone(repo: Path) -> None:
    (repo / "rules" / "scoring.yaml").write_text("points: 3\n")  # an uncommitted edit
    assert read_revision(repo, "HEAD").files["rules/scoring.yaml"] == b"points: 2\n"
    assert read_working_tree(repo).files["rules/scoring.yaml"] == b"points: 3\n"
    assert read_working_tree(repo).commit is None
    assert git(repo, "status", "--porcelain") == "M org/rules/scoring.yaml"


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("nope", "`nope` is not a commit in this repository; check the name with `git log nope`"),
        ("--output=/tmp/x", "`--output=/tmp/x` is not a revision; name a branch, tag or commit"),
        ("", "`` is not a revision; name a branch, tag or commit"),
    ],
)
def test_a_bad_ref_is_a_clear_error(repo: Path, ref: str, message: str) -> None:
    with pytest.raises(RevisionError) as raised:
        read_revision(repo, ref)
    assert str(raised.value) == message


def test_a_revision_before_the_project_existed(repo: Path) -> None:
    root = repo.parent
    git(root, "checkout", "-q", "--orphan", "empty")
    git(root, "rm", "-rqf", ".")
    (root / "other.txt").write_text("x\n")
    git(root, "add", "other.txt")
    git(root, "commit", "-qm", "unrelated")
    (repo / "accord.yaml").parent.mkdir(parents=True, exist_ok=True)
    with pytest.raises(RevisionError, match=r"has no accord.yaml in org; was the project added"):
        read_revision(repo, "empty")


def test_outside_a_repository(tmp_path: Path) -> None:
    with pytest.raises(RevisionError, match="is not in a git repository; --base needs one"):
        read_revision(tmp_path, "HEAD")
