"""Writes are atomic: every file Accord writes (exports, reports, plans, journals, checkpoints,
scores, the docs site) reaches its name whole or not at all, so an interrupted run never
leaves a half-written artifact that the next step would trust.

A static check keeps it so (only engine/atomic_file.py and engine/output_directory.py write
files in place), and interrupted writes show the previous file or directory survives.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from test_cli import ROOT, run

from engine.atomic_file import replacing, write_text

# The modules that may open files for writing, and why.
WRITERS = {
    "engine/atomic_file.py": "the atomic file writer itself",
    "engine/output_directory.py": "the atomic directory writer itself",
    "engine/leads/encoding.py": "the UTF-8 copy of a lead file, in a temporary directory",
    "engine/sync/history.py": "pulled records staged in a temporary directory",
}
WRITING_METHODS = {"write_text", "write_bytes", "rename", "replace", "symlink_to", "touch"}
WRITING_FUNCTIONS = {"copy", "copy2", "copyfile", "copytree", "move", "rename", "replace"}


def _sources() -> list[Path]:
    return [ROOT / "cli.py", *sorted((ROOT / "engine").rglob("*.py"))]


def _mode(call: ast.Call, position: int) -> str:
    """The literal mode an `open` call passes, "" for reading or an unknown mode."""
    mode: ast.expr | None = call.args[position] if len(call.args) > position else None
    for keyword in call.keywords:
        if keyword.arg == "mode":
            mode = keyword.value
    return mode.value if isinstance(mode, ast.Constant) and isinstance(mode.value, str) else ""


def _writes(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, what) for every call in the tree that writes, renames or copies a file."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if isinstance(func, ast.Attribute) and name in WRITING_METHODS:
            # str.replace takes two arguments and dataclasses.replace keywords; Path.replace
            # takes one argument.
            if name != "replace" or (len(node.args) == 1 and not node.keywords):
                found.append((node.lineno, name))
        elif name in WRITING_FUNCTIONS and isinstance(func, ast.Attribute):
            if getattr(func.value, "id", "") in ("shutil", "os"):
                found.append((node.lineno, name))
        elif name in ("open", "fdopen"):
            position = 0 if isinstance(func, ast.Attribute) and name == "open" else 1
            if any(flag in _mode(node, position) for flag in "wax+"):
                found.append((node.lineno, name))
    return found


def _copies(tree: ast.AST) -> list[tuple[int, bool]]:
    """(line, writes to `temporary`) for every SQL `COPY … TO` f-string in the tree."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
            if "COPY (" in text and " TO " in text:
                names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                found.append((node.lineno, "temporary" in names))
    return found


def test_only_the_atomic_writers_write_files_in_place() -> None:
    found = {}
    for path in _sources():
        relative = path.relative_to(ROOT).as_posix()
        writes = _writes(ast.parse(path.read_text(encoding="utf-8")))
        if writes and relative not in WRITERS:
            found[relative] = writes
    assert found == {}, "write through engine.atomic_file or engine.output_directory"
    checked = {p.relative_to(ROOT).as_posix() for p in _sources()}
    assert set(WRITERS) <= checked  # no stale entry


def test_the_static_check_sees_each_kind_of_write() -> None:
    code = (
        "p.write_text('x')\nopen(name, 'w')\np.open(mode='ab')\nshutil.copy(a, b)\n"
        "os.fdopen(h, 'w')\nq.replace(r)\n'a'.replace('b', 'c')\nopen(name)\np.open('rb')\n"
    )
    assert _writes(ast.parse(code)) == [
        (1, "write_text"),
        (2, "open"),
        (3, "open"),
        (4, "copy"),
        (5, "fdopen"),
        (6, "replace"),
    ]


def test_every_sql_copy_writes_to_a_temporary_file_renamed_into_place() -> None:
    copies = {
        path.relative_to(ROOT).as_posix(): _copies(ast.parse(path.read_text(encoding="utf-8")))
        for path in _sources()
    }
    found = {path: lines for path, lines in copies.items() if lines}
    assert set(found) == {"engine/bulk.py", "engine/sync/history.py"}
    assert all(to_temporary for lines in found.values() for _, to_temporary in lines)


def _siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_an_interrupted_file_write_leaves_the_previous_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "report.md"
    write_text(report, "old\n")

    def interrupted(descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)  # after the text, before the rename
    with pytest.raises(KeyboardInterrupt):
        write_text(report, "new\n" * 100_000)
    monkeypatch.undo()
    assert report.read_text(encoding="utf-8") == "old\n"
    assert _siblings(report) == ["report.md"]


def test_a_copy_that_fails_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    scores = tmp_path / "scores.csv"
    scores.write_text("old\n", encoding="utf-8")

    def copy_failing_half_way() -> None:
        with replacing(scores) as temporary:
            temporary.write_text("half of the new", encoding="utf-8")
            raise RuntimeError("the COPY failed")

    with pytest.raises(RuntimeError):
        copy_failing_half_way()
    assert scores.read_text(encoding="utf-8") == "old\n"
    assert _siblings(scores) == ["scores.csv"]


def test_accord_score_failing_mid_file_keeps_the_previous_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "lead_id,employees\n"
        + "".join(f"L{i},{i}\n" for i in range(50_000))
        + f"L,{'9' * 3_000_000}\n",  # a row over DuckDB's 2 MB limit, at the end
        encoding="utf-8",
    )
    scores = tmp_path / "out" / "scores.csv"
    scores.parent.mkdir()
    scores.write_text("lead_id,score\nold,1\n", encoding="utf-8")
    code, _, err = run(
        ["score", str(ROOT), "--leads", str(leads), "--as-of", "2026-04-01", "--out", str(scores)],
        capsys,
    )
    assert code == 1, err
    assert err.startswith(f"Error: {leads}: cannot read it as csv: ")
    assert scores.read_text(encoding="utf-8") == "lead_id,score\nold,1\n"
    assert _siblings(scores) == ["scores.csv"]


def test_an_interrupted_export_leaves_the_previous_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "exports"
    code, _, err = run(["export", str(ROOT), "--target", "dbt", "--out", str(out)], capsys)
    assert code == 0, err
    before = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    real_rename = Path.rename

    def rename(self: Path, target: Path) -> Path:
        if self.name.endswith(".tmp"):  # the new directory, about to take the name
            raise KeyboardInterrupt
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    code, _, err = run(["export", str(ROOT), "--target", "sql", "--out", str(out)], capsys)
    monkeypatch.undo()
    assert code == 1, err  # click reports the interrupt as "Aborted!"
    after = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports"]
