"""Golden files: an export's files compared with the reviewed copies under goldens/<name>/.

`pytest --update-goldens` rewrites a golden directory whole (files no longer exported are
removed), so that `git diff` shows exactly what a change to an exporter changes.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

GOLDENS = Path(__file__).resolve().parent / "goldens"


def _read(directory: Path) -> dict[str, str]:
    return {
        path.relative_to(directory).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def check_goldens(name: str, files: Mapping[str, str], update: bool) -> None:
    """Assert `files` equal goldens/<name>/ file for file (or rewrite them when `update`)."""
    directory = GOLDENS / name
    if update:
        shutil.rmtree(directory, ignore_errors=True)
        for relative, text in files.items():
            path = directory / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        return
    golden = _read(directory)
    assert golden, f"no golden files in {directory}: run pytest --update-goldens and review them"
    assert sorted(files) == sorted(golden), "the exported files differ from the goldens' list"
    for relative, text in files.items():
        assert text == golden[relative], f"{name}/{relative} differs from its golden file"
