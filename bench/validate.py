"""Benchmark: how long `accord validate` takes on a project (default: the example organisation).

    python bench/validate.py [PROJECT] [--runs N]

Reports the in-process time of the validation pipeline (first run, with schemas and
imports warm but caches cold, then the median of N warm runs) and the wall time of the
whole `accord validate` command, median of N runs. Record results in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from engine.project import compile_project, read_files

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path, default=ROOT)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    files = read_files(args.project)
    size = sum(len(v) for v in files.values())

    started = time.perf_counter()
    compiled = compile_project(files)
    first = time.perf_counter() - started
    warm = []
    for _ in range(args.runs):
        started = time.perf_counter()
        compile_project(files)
        warm.append(time.perf_counter() - started)

    command = [sys.executable, str(ROOT / "cli.py"), "validate", str(args.project)]
    wall = []
    for _ in range(max(3, args.runs // 4)):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        wall.append(time.perf_counter() - started)

    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}"
    )
    print(f"project: {len(files)} files, {size:,} bytes, {len(compiled.diagnostics)} diagnostics")
    print("| measure | time |")
    print("| --- | --- |")
    print(f"| pipeline, first run | {first * 1000:.0f} ms |")
    print(f"| pipeline, warm (median of {len(warm)}) | {statistics.median(warm) * 1000:.0f} ms |")
    print(
        f"| `accord validate` wall time (median of {len(wall)}) | {statistics.median(wall) * 1000:.0f} ms |"
    )


if __name__ == "__main__":
    main()
