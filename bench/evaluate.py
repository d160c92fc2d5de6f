"""Benchmark: bulk scoring in DuckDB at 100k / 1M / 10M leads, and explaining one lead warm.

    python bench/evaluate.py [--sizes 100000 1000000 10000000] [--cache DIR] [--explain-runs N]

For each size it generates synthetic leads for the example organisation once
(bench/generate_leads.py, cached as Parquet in --cache), then runs one fresh process per
size that reads them into DuckDB, runs the scoring query into a table, and writes the
scores as Parquet, timing each step and reporting the process's peak resident memory.
"Leads per second" is for the scoring query once the data is loaded (DESIGN's target);
the whole-run time includes reading and writing. Record results in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from engine.ir import LeadModel, Project

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.datetime(2026, 12, 1)


def _project() -> Project:
    from engine.project import compile_project, read_files

    compiled = compile_project(read_files(ROOT))
    assert compiled.ok
    assert compiled.project is not None
    return compiled.project


def _model(project: Project) -> LeadModel:
    assert project.lead_model is not None
    return project.lead_model


def _leads(size: int, cache: Path) -> Path:
    path = cache / f"leads-{size}.parquet"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "generate_leads.py"),
                "--leads",
                str(size),
                "--seed",
                "7",
                "--out",
                str(path),
            ],
            check=True,
        )
    return path


def run_one(leads: Path, threads: int | None) -> dict[str, float]:
    """In this process: load, score into a table, write; timings and peak memory."""
    import duckdb

    from engine.bulk import MEMORY_LIMIT
    from engine.leads import load_leads
    from engine.sql import literals
    from engine.sql.query import compile_scoring_query

    project = _project()
    connection = duckdb.connect()
    # As `accord score` runs it: at most 1 GB of data in memory, the rest spilled.
    connection.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    connection.execute(f"SET temp_directory = '{tempfile.gettempdir()}/accord-bench-spill'")
    if threads:
        connection.execute(f"SET threads = {int(threads)}")
    started = time.perf_counter()
    report = load_leads(connection, leads, _model(project))
    loaded = time.perf_counter()
    query = compile_scoring_query(project, AS_OF)
    connection.execute(f"CREATE TABLE scores AS {query.sql}")
    scored = time.perf_counter()
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / "scores.parquet"
        connection.execute(
            f"COPY scores TO {literals.string(str(target))} (FORMAT PARQUET, COMPRESSION ZSTD)"
        )
    written = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "rows": report.rows,
        "load_s": loaded - started,
        "score_s": scored - loaded,
        "write_s": written - scored,
        "total_s": written - started,
        "leads_per_s": report.rows / (scored - loaded),
        "peak_mib": peak_kib / 1024,
    }


def explain_latency(runs: int) -> dict[str, float]:
    """Median and p90 of evaluating one lead with its full explanation, warm."""
    import duckdb

    from engine.interpreter.evaluate import Interpreter
    from engine.leads import load_leads

    project = _project()
    interpreter = Interpreter(project)
    connection = duckdb.connect()
    load_leads(connection, ROOT / "history" / "sample-leads.parquet", _model(project))
    names = [f.id for f in _model(project).fields]
    sample = [
        dict(zip(names, row, strict=False))
        for row in connection.execute(
            f"SELECT {', '.join(chr(34) + n + chr(34) for n in names)} FROM leads USING SAMPLE 500 ROWS (reservoir, 7)"
        ).fetchall()
    ]
    for lead in sample:  # warm up: compile caches, holiday tables
        interpreter.evaluate(lead, AS_OF)
    times = []
    for index in range(runs):
        lead = sample[index % len(sample)]
        started = time.perf_counter_ns()
        interpreter.evaluate(lead, AS_OF)
        times.append((time.perf_counter_ns() - started) / 1000)
    times.sort()
    return {
        "median_us": statistics.median(times),
        "p90_us": times[int(len(times) * 0.9)],
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "accord-bench")
    parser.add_argument("--explain-runs", type=int, default=20_000)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.threads)))
        return
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}"
    )
    for size in args.sizes:
        leads = _leads(size, args.cache)
        command = [sys.executable, __file__, "--child", str(leads)]
        if args.threads:
            command += ["--threads", str(args.threads)]
        result = json.loads(
            subprocess.run(command, check=True, capture_output=True, text=True).stdout
        )
        print(
            f"{size:>11,} leads: load {result['load_s']:.2f} s, score {result['score_s']:.2f} s"
            f" ({result['leads_per_s']:,.0f} leads/s), write {result['write_s']:.2f} s,"
            f" whole run {result['total_s']:.2f} s, peak memory {result['peak_mib']:,.0f} MiB"
        )
    latency = explain_latency(args.explain_runs)
    print(
        f"explain one lead, warm: median {latency['median_us']:.1f} µs, p90 {latency['p90_us']:.1f} µs"
        f" over {latency['runs']:,} runs on 500 sample leads"
    )


if __name__ == "__main__":
    main()
