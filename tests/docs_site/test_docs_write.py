"""`accord docs` and the site writer: exit codes, atomic replacement, no half sites."""

from __future__ import annotations

from pathlib import Path

import pytest
from docs_site_fixture import ROOT
from test_cli import example, run

from engine.docs_site import SiteError, write_site
from engine.docs_site.write import MARKER

AS_OF = "2026-03-02T10:00:00Z"


def _files(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_docs_writes_the_site_and_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    code, stdout, stderr = run(["docs", str(ROOT), "--out", str(out)], capsys)
    assert code == 0
    assert stdout == ""
    assert stderr == f"accord: wrote 7 pages to {out} (open {out / 'index.html'})\n"
    assert sorted(_files(out)) == [
        MARKER,
        "glossary.html",
        "index.html",
        "qualification.html",
        "routing.html",
        "score-engagement.html",
        "score-fit.html",
        "slas.html",
    ]
    # Nothing is left beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_docs_with_leads_adds_the_history_page_deterministically(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leads = ROOT / "history" / "sample-leads.parquet"
    args = ["docs", str(ROOT), "--leads", str(leads), "--as-of", AS_OF]
    assert run([*args, "--out", str(tmp_path / "a")], capsys)[0] == 0
    assert run([*args, "--out", str(tmp_path / "b")], capsys)[0] == 0
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first == second
    history = first["history.html"].decode()
    assert (
        "past leads from <code>sample-leads.parquet</code>, scored as of 2026-03-02T10:00:00Z"
        in history
    )
    assert str(ROOT) not in history
    # Three distributions, and a monthly compliance chart for each of the example's five SLAs.
    assert history.count("<svg") == 8
    assert history.count('<article class="definition" id="compliance-') == 5


def test_docs_replaces_a_previous_site_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    leads = ROOT / "history" / "sample-leads.parquet"
    args = ["docs", str(ROOT), "--out", str(out)]
    assert run([*args, "--leads", str(leads), "--as-of", AS_OF], capsys)[0] == 0
    assert (out / "history.html").is_file()
    assert run(args, capsys)[0] == 0
    # The page of the earlier build is gone with it: the site is exactly the new build.
    assert not (out / "history.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_docs_refuses_a_directory_it_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    code, _, stderr = run(["docs", str(ROOT), "--out", str(out)], capsys)
    assert code == 1
    assert "exists and is not a site written by `accord docs`" in stderr
    assert _files(out) == {"notes.txt": b"keep me"}


def test_docs_on_a_broken_project_reports_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = example(
        tmp_path, ("rules/scoring.yaml", "when: employees < 50", "when: employes < 50")
    )
    out = tmp_path / "site"
    code, _, stderr = run(["docs", str(project), "--out", str(out)], capsys)
    assert code == 1
    assert "rules/scoring.yaml:" in stderr
    assert not out.exists()


def test_docs_needs_out(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run(["docs", str(ROOT)], capsys)
    assert code == 2
    assert "--out" in stderr


def test_an_interrupted_write_leaves_the_old_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    write_site({"index.html": "old\n"}, out)

    def fail(self: Path, target: Path) -> None:
        raise KeyboardInterrupt

    # Interrupted just as the new site is about to be renamed into place.
    real_rename = Path.rename
    monkeypatch.setattr(
        Path,
        "rename",
        lambda self, target: (
            fail(self, target) if self.name.endswith(".tmp") else real_rename(self, target)
        ),
    )
    with pytest.raises(KeyboardInterrupt):
        write_site({"index.html": "new\n", "glossary.html": "new\n"}, out)
    monkeypatch.undo()
    assert _files(out) == {MARKER: _files(out)[MARKER], "index.html": b"old\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_page_path_cannot_leave_the_site(tmp_path: Path) -> None:
    with pytest.raises(SiteError, match="outside the site"):
        write_site({"../escaped.html": "x\n"}, tmp_path / "site")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
