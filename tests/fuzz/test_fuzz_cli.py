"""`accord validate` on mutated projects: exit 0 or 1 (never 3, a bug), and no traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from fuzz_inputs import mutated_projects
from fuzz_profiles import scaled
from hypothesis import given
from test_cli import run, write_files


@scaled(15)
@given(mutated_projects())
def test_validate_a_mutated_project(
    capsys: pytest.CaptureFixture[str], files: dict[str, bytes]
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        write_files(root, files)
        (root / "accord.yaml").touch()  # a project root, even when the mutation dropped it
        code, out, err = run(["validate", str(root)], capsys)
    assert code in (0, 1), err
    assert "Traceback" not in out + err
    assert "internal error" not in err
    # Exit 1 exactly when the summary counts errors; warnings alone still pass.
    summary = out.splitlines()[-1]
    assert summary.startswith("accord: checked "), out
    assert (" error" in summary) == (code == 1), summary
