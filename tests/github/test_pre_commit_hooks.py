"""The pre-commit hooks: well formed, matching the definitions, and passing on the example."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ACCORD = Path(sys.executable).parent / "accord"


def _hooks() -> dict[str, dict[str, Any]]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    return {hook["id"]: hook for hook in hooks}


def test_the_hooks_are_declared_as_pre_commit_expects() -> None:
    hooks = _hooks()
    assert sorted(hooks) == ["accord-test", "accord-validate"]
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
        assert hook["name"]
        assert hook["entry"].startswith("accord ")


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("accord.yaml", True),
        ("rules/scoring.yaml", True),
        ("rules/scoring.tests.yaml", True),
        ("glossary/lifecycle.yml", True),
        ("slas/handoff.yaml", True),
        ("engine/ir.py", False),
        ("docs/gitops.md", False),
        ("rules/README.md", False),
        ("schemas/common.schema.json", False),
    ],
)
def test_the_hooks_run_when_a_definition_changes(path: str, matches: bool) -> None:
    for hook in _hooks().values():
        assert bool(re.search(hook["files"], path)) is matches


@pytest.mark.parametrize("hook_id", ["accord-validate", "accord-test"])
def test_each_entry_passes_on_the_example(hook_id: str) -> None:
    if not ACCORD.exists():
        pytest.skip(f"{ACCORD} is not installed (run python3 tasks.py test)")
    command, *args = shlex.split(_hooks()[hook_id]["entry"])
    assert command == "accord"
    done = subprocess.run(
        [str(ACCORD), *args], cwd=ROOT, capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
