"""Benchmark: `accord diff` of two revisions over 1M and 10M leads.

    python bench/diff.py [--sizes 1000000 10000000] [--cache DIR]

The base is the example organisation as committed (HEAD); the head is it with
history/demo-change.patch applied, the main job's demonstration change. Leads come from
bench/generate_leads.py, cached like bench/evaluate.py's. Each size runs in a fresh
process, as the command does: the time of each step (reading the leads, scoring each
revision, comparing), the whole run, and the process's peak resident memory. Record
results in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evaluate import _leads

from engine.ir import Project

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.datetime(2026, 12, 1)


def _projects() -> tuple[Project, Project]:
    """The committed example organisation, and it with the demo change (as tasks.py demo)."""
    sys.path.insert(0, str(ROOT))
    import tasks
    from engine.project import compile_project
    from engine.revisions import read_revision

    base = compile_project(read_revision(ROOT, "HEAD").files).project
    head = compile_project(read_revision(ROOT, tasks.demo_change_commit()).files).project
    assert base is not None
    assert head is not None
    return base, head


def run_one(leads: Path) -> dict[str, float]:
    from engine.diff.report import Revision
    from engine.diff.run import run_diff

    base, head = _projects()
    marks: list[tuple[str, float]] = []
    started = time.perf_counter()
    impact = run_diff(
        (Revision("base", None), base),
        (Revision("head", None), head),
        leads,
        AS_OF,
        progress=lambda step: marks.append((step, time.perf_counter())),
    )
    finished = time.perf_counter()
    marks.append(("end", finished))
    steps = {name: marks[k + 1][1] - at for k, (name, at) in enumerate(marks[:-1])}
    return {
        "rows": impact.headline.leads,
        **{f"{name}_s": seconds for name, seconds in steps.items()},
        "total_s": finished - started,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "accord-bench")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child)))
        return
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores,"
        f" {platform.python_implementation()} {platform.python_version()}"
    )
    for size in args.sizes:
        leads = _leads(size, args.cache)
        command = [sys.executable, __file__, "--child", str(leads)]
        result = json.loads(
            subprocess.run(command, check=True, capture_output=True, text=True).stdout
        )
        steps = ", ".join(
            f"{key[:-2]} {value:.2f} s"
            for key, value in result.items()
            if key.endswith("_s") and key != "total_s"
        )
        print(
            f"{size:>11,} leads: {steps}; whole diff {result['total_s']:.2f} s,"
            f" peak memory {result['peak_mib']:,.0f} MiB"
        )


if __name__ == "__main__":
    main()
