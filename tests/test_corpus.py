"""The broken-project corpus: each case breaks the valid `_base` project once, by hand.

A case directory under tests/corpus/ holds only the files it changes (full copies, with
the break in them), an optional `removed.txt` naming base files to delete, and
`expected.txt`: one `CODE path:line:col` line per diagnostic, in the engine's order
(file, line, column, code). The expectations were counted by hand from the case files and
are never regenerated from the engine's output; a mismatch is either a regression or an
expectation to re-count, never something to paste over.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.project import compile_project, read_files

CORPUS = Path(__file__).parent / "corpus"
BASE = CORPUS / "_base"
CASE_FILES = ("expected.txt", "removed.txt")
MIN_CASES = 45


def case_names() -> list[str]:
    """Every case directory; names starting with `_` (the base) are not cases."""
    return sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))


def expected_lines(case: Path) -> list[str]:
    """The expected diagnostics of a case: expected.txt without comments and blank lines."""
    lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def build_project(case: Path | None, root: Path) -> Path:
    """A copy of the base at `root`, with the case's removals and files applied."""
    shutil.copytree(BASE, root)
    if case is None:
        return root
    removed = case / "removed.txt"
    if removed.exists():
        for line in removed.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                (root / line.strip()).unlink()
    for source in sorted(case.rglob("*")):
        relative = source.relative_to(case)
        if source.is_dir() or relative.as_posix() in CASE_FILES:
            continue
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        # Bytes, not text: one case is a file that is deliberately not UTF-8.
        target.write_bytes(source.read_bytes())
    return root


def diagnostics_of(root: Path) -> list[str]:
    compiled = compile_project(read_files(root))
    return [f"{d.code} {d.span.file}:{d.span.line}:{d.span.column}" for d in compiled.diagnostics]


def test_base_project_is_clean(tmp_path: Path) -> None:
    assert diagnostics_of(build_project(None, tmp_path / "project")) == []


def test_corpus_has_enough_cases() -> None:
    assert len(case_names()) >= MIN_CASES


def test_every_expected_file_explains_its_case() -> None:
    """Each expected.txt opens with a `# ` line saying what breaks, and expects something."""
    unexplained = [
        name
        for name in case_names()
        if not (CORPUS / name / "expected.txt").read_text(encoding="utf-8").startswith("# ")
    ]
    silent = [name for name in case_names() if not expected_lines(CORPUS / name)]
    assert unexplained == [], "expected.txt must start with a `# ` comment"
    assert silent == [], "every case must expect at least one diagnostic"


@pytest.mark.parametrize("name", case_names())
def test_case_reports_exactly_the_expected_diagnostics(name: str, tmp_path: Path) -> None:
    case = CORPUS / name
    root = build_project(case, tmp_path / "project")
    assert diagnostics_of(root) == expected_lines(case)
