"""A git repository of the example organisation with a pull request's two commits in it."""

from __future__ import annotations

from pathlib import Path

from git_repo import git
from test_cli import example

# The MQL threshold, in a definition marketing and sales own together.
MQL_THRESHOLD = {"rules/qualification.yaml": ("when: score >= 50 and", "when: score >= 45 and")}


def pull_request_repo(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> tuple[Path, str, str]:
    """The example organisation committed (the base), then `edits` (path → old, new text)
    committed on top (the head): the root and both commits' shas."""
    root = example(tmp_path)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD")
    for path, (old, new) in edits.items():
        text = (root / path).read_text(encoding="utf-8")
        assert text.count(old) == 1, (path, old)
        (root / path).write_text(text.replace(old, new), encoding="utf-8")
    git(root, "commit", "-q", "-am", "change")
    head = git(root, "rev-parse", "HEAD")
    return root, base, head
