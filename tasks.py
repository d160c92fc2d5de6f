"""Set up the virtual environment and run the quick-start jobs, with nothing but Python.

    python3 tasks.py demo   # set up, then run the main job on the example organisation
    python3 tasks.py test   # set up, then lint, type-check and run the whole test suite

The environment lives in .venv and is reinstalled only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
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
    print("tasks: installing accord, its dev tools and PySpark into .venv", flush=True)
    run([venv_bin("python"), "-m", "pip", "install", "--quiet", "-e", ".[dev,spark]"])
    STAMP.write_text(wanted + "\n", encoding="utf-8")


DBT_VENV = ROOT / ".venv-dbt"


def ensure_dbt() -> Path:
    """dbt-core with dbt-duckdb (the `dbt` extra) in .venv-dbt, for the dbt export's test:
    its pins clash with the dev tools', so it gets an environment of its own."""
    scripts = DBT_VENV / ("Scripts" if os.name == "nt" else "bin")
    stamp = DBT_VENV / ".accord-installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not (stamp.exists() and stamp.read_text(encoding="utf-8").strip() == wanted):
        if not DBT_VENV.exists():
            print("tasks: creating .venv-dbt", flush=True)
            venv.EnvBuilder(with_pip=True).create(DBT_VENV)
        print("tasks: installing dbt-core and dbt-duckdb into .venv-dbt", flush=True)
        # The extra's requirements only: the test runs dbt, never Accord, from this venv.
        pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        wanted_packages = pyproject["project"]["optional-dependencies"]["dbt"]
        run([str(scripts / "python"), "-m", "pip", "install", "--quiet", *wanted_packages])
        stamp.write_text(wanted + "\n", encoding="utf-8")
    return scripts / "dbt"


def run(command: list[str]) -> None:
    print("+ " + " ".join(command), flush=True)
    completed = subprocess.run(command, cwd=ROOT, check=False)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


SAMPLE = "history/sample-leads.parquet"
# The sample history ends in November 2026; scoring it as of a fixed time keeps the demo's
# output the same from one day to the next.
SAMPLE_AS_OF = "2026-12-01T00:00:00Z"


EXPORT_TARGETS = ("salesforce", "hubspot", "marketo", "dbt")


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
    # The promises on the same history, and the site both teams read.
    history = ["--leads", SAMPLE, "--as-of", SAMPLE_AS_OF]
    run([accord, "sla", "report", ".", *history, "--format", "markdown", "--out", "build/sla.md"])
    run([accord, "docs", ".", "--out", "build/site", *history])
    # What ops deploy: the manifest, and the rules in each platform's own files.
    run([accord, "compile", ".", "--out", "build"])
    for target in EXPORT_TARGETS:
        run([accord, "export", ".", "--target", target, "--out", f"build/exports/{target}"])
    # The point of it all: what a proposed change would have done to the sample history.
    change = demo_change_commit()
    diff = [accord, "diff", ".", "--base", "HEAD", "--head", change, "--leads", SAMPLE]
    diff += ["--as-of", SAMPLE_AS_OF]
    run([*diff, "--format", "markdown", "--out", "build/impact.md"])
    run([*diff, "--format", "html", "--out", "build/impact.html"])
    run(diff)


DEMO_CHANGE = "history/demo-change.patch"


def demo_change_commit() -> str:
    """HEAD with DEMO_CHANGE applied, as a commit on no branch.

    Built in a temporary index with git plumbing, so the working tree, the real index and
    every branch stay exactly as they are.
    """
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "GIT_INDEX_FILE": str(Path(scratch) / "index"),
            "GIT_AUTHOR_NAME": "Accord demo",
            "GIT_AUTHOR_EMAIL": "demo@accord.invalid",
            "GIT_COMMITTER_NAME": "Accord demo",
            "GIT_COMMITTER_EMAIL": "demo@accord.invalid",
        }

        def git(*args: str) -> str:
            done = subprocess.run(
                ["git", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
            )
            if done.returncode != 0:
                print(f"tasks: git {args[0]} failed: {done.stderr.strip()}", file=sys.stderr)
                sys.exit(1)
            return done.stdout.strip()

        git("read-tree", "HEAD")
        git("apply", "--cached", DEMO_CHANGE)
        tree = git("write-tree")
        message = "Demo: webinars worth 12 points, MQL at score 45 with fit 30, regulated from 250"
        return git("commit-tree", tree, "-p", "HEAD", "-m", message)


MERMAID = ROOT / "tests" / "render" / "mermaid"


def ensure_mermaid_checker() -> None:
    """Mermaid itself (from npm) parses the PR comment's charts in tests/render; without
    npm that one test is skipped, with the reason, and everything else runs."""
    if shutil.which("npm") is None:
        print("tasks: npm not found; the Mermaid chart check will be skipped", flush=True)
        return
    lock = MERMAID / "package-lock.json"
    stamp = MERMAID / "node_modules" / ".accord-installed"
    wanted = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text(encoding="utf-8").strip() == wanted:
        return
    print("tasks: installing Mermaid for the chart check (npm ci)", flush=True)
    run(["npm", "ci", "--prefix", str(MERMAID), "--no-audit", "--no-fund", "--silent"])
    stamp.write_text(wanted + "\n", encoding="utf-8")


def test() -> None:
    ensure_mermaid_checker()
    os.environ["ACCORD_DBT"] = str(ensure_dbt())
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
