"""Set up the virtual environment and run the quick-start jobs, with nothing but Python.

    python3 tasks.py demo   # set up, then run the main job on the example organisation
    python3 tasks.py test   # set up, then lint, type-check and run the whole test suite

The environment lives in .venv and is reinstalled only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".accord-installed"


def venv_bin(name: str) -> str:
    scripts = VENV / ("Scripts" if os.name == "nt" else "bin")
    return str(scripts / name)


def ensure_environment() -> None:
    """Create .venv and install the project with its dev extra, once per pyproject.toml."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text(encoding="utf-8").strip() == wanted:
        return
    if not VENV.exists():
        print("tasks: creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("tasks: installing accord and its dev tools into .venv", flush=True)
    run([venv_bin("python"), "-m", "pip", "install", "--quiet", "-e", ".[dev]"])
    STAMP.write_text(wanted + "\n", encoding="utf-8")


def run(command: list[str]) -> None:
    print("+ " + " ".join(command), flush=True)
    completed = subprocess.run(command, cwd=ROOT, check=False)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


SAMPLE = "history/sample-leads.parquet"
# The sample history ends in November 2026; scoring it as of a fixed time keeps the demo's
# output the same from one day to the next.
SAMPLE_AS_OF = "2026-12-01T00:00:00Z"


def demo() -> None:
    accord = venv_bin("accord")
    run([accord, "validate", "."])
    run([accord, "test", ".", "--junit", "build/rule-tests.xml"])
    run(
        [
            accord,
            "score",
            ".",
            "--leads",
            SAMPLE,
            "--out",
            "build/scores.parquet",
            "--as-of",
            SAMPLE_AS_OF,
        ]
    )


def test() -> None:
    run([venv_bin("ruff"), "check", "."])
    run([venv_bin("ruff"), "format", "--check", "."])
    run([venv_bin("mypy")])
    run([venv_bin("pytest")])


JOBS = {"demo": demo, "test": test}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in JOBS:
        print(f"usage: python3 tasks.py {{{'|'.join(JOBS)}}}", file=sys.stderr)
        return 2
    ensure_environment()
    JOBS[argv[0]]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
