"""Hostile sizes and shapes: each is refused (or read) quickly, with bounded memory and a
diagnostic that names file:line:col, through `accord validate` as a pull request would run it.

Definitions are written by anyone who can open a pull request (SECURITY.md); lead files come
from CRM exports. In-process runs measure peak Python allocations with `tracemalloc`; runs
that would be slowed too much by tracing go through a subprocess under an address-space
limit, so a blow-up fails the test instead of swapping.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from test_cli import ROOT, TYPO, example, run, typo_line

from engine.interpreter.functions import regex_search
from engine.ir import FieldRole, FieldType, IdRef, LeadField, LeadModel
from engine.leads import LeadDataError, load_leads
from engine.span import Span

MB = 1024 * 1024
SECONDS = 5.0  # generous: each case takes well under a second or two on a laptop
SUBPROCESS_SECONDS = 15.0  # includes starting Python and importing DuckDB
ADDRESS_SPACE = 768 * MB  # `accord validate` of the example needs about 110 MB resident

# The only rule whose condition and `why` these tests replace, in rules/scoring.yaml.
SMALL_WHEN = "when: 50 <= employees < 200"
SMALL_WHY = "why: Small teams buy"


def edited(tmp_path: Path, old: str, new: str, path: str = "rules/scoring.yaml") -> Path:
    return example(tmp_path, (path, old, new))


def line_of(project: Path, path: str, needle: str) -> int:
    lines = (project / path).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def measured(
    action: Callable[[], tuple[int, str, str]],
) -> tuple[tuple[int, str, str], float, int]:
    """What `action` returned, the seconds it took and its peak traced allocation in bytes."""
    tracemalloc.start()
    try:
        started = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, seconds, peak


def validate(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[tuple[int, str, str], float, int]:
    return measured(lambda: run(["validate", str(project)], capsys))


def validate_in_subprocess(project: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """`accord validate` in a child process that cannot map more than ADDRESS_SPACE."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "cli.py", "validate", str(project)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=limit,
        timeout=120,
        check=False,
    )
    return done, time.perf_counter() - started


# --- YAML -------------------------------------------------------------------------------


def test_a_billion_laughs_alias_bomb_is_refused_at_the_alias_that_crosses_the_bound(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Nine levels of nine-fold aliases: 9**9 (387 million) values if expanded.
    bomb = "apiVersion: accord/v1\nkind: Glossary\nowners: [marketing]\n"
    bomb += 'lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    bomb += "".join(f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))
    project = example(tmp_path)
    (project / "glossary" / "bomb.yaml").write_text(bomb, encoding="utf-8")

    (code, out, _), seconds, peak = validate(project, capsys)

    assert code == 1
    assert out.splitlines()[:5] == [
        "glossary/bomb.yaml:8:12: error[Y104] aliases expand to more than 10,000 extra values",
        "  |",
        "8 | lol4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]",
        "  |            ^^^",
        "  = help: write the values out instead of aliasing them",
    ]
    assert out.endswith(": 1 error\n")
    assert seconds < SECONDS
    assert peak < 64 * MB


def test_a_10_mb_string_value_is_refused_by_size_before_it_is_parsed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = edited(tmp_path, SMALL_WHY, f"why: {'x' * 10_000_000} Small teams buy")
    size = (project / "rules/scoring.yaml").stat().st_size

    (code, out, _), seconds, peak = validate(project, capsys)

    assert code == 1
    assert out.splitlines()[:2] == [
        f"rules/scoring.yaml:1:1: error[Y110] file is {size:,} bytes;"
        " definition files may be at most 2,097,152",
        "  = help: split the definitions over several files",
    ]
    assert out.endswith(": 1 error\n")
    assert seconds < SECONDS
    assert peak < 4 * size  # the file's bytes, read once; never a parse of them


def test_a_string_just_under_the_file_limit_is_refused_by_the_field_length_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = edited(tmp_path, SMALL_WHY, f"why: {'x' * 1_900_000} Small teams buy")
    line = line_of(project, "rules/scoring.yaml", "why: xxx")

    (code, out, _), seconds, peak = validate(project, capsys)

    assert code == 1
    assert out.splitlines()[0] == (
        f"rules/scoring.yaml:{line}:14: error[S106] `why` is longer than 10000 characters"
        " in `groups.fit.rules[small_business_size]`"
    )
    assert out.endswith(": 1 error\n")
    # The source line is shown cut short, not 1.9 million characters wide.
    assert max(len(shown) for shown in out.splitlines()) < 1000
    assert seconds < SECONDS
    assert peak < 64 * MB


def test_a_million_line_definition_file_is_read_and_its_error_located_exactly(
    tmp_path: Path,
) -> None:
    # A million comment lines fit under the 2 MiB limit; the typo after them must still be
    # reported on its own line, and reading must stay fast and small.
    project = example(tmp_path, TYPO)
    scoring = project / "rules/scoring.yaml"
    scoring.write_text("#\n" * 1_000_000 + scoring.read_text(encoding="utf-8"), encoding="utf-8")
    line = typo_line(project)
    assert line > 1_000_000

    done, seconds = validate_in_subprocess(project)

    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[:3] == [
        f"rules/scoring.yaml:{line}:15: error[E103] unknown name `employes`",
        "        |",
        f"{line} |         when: employes < 50",
    ]
    assert "Traceback" not in done.stdout + done.stderr
    assert seconds < SUBPROCESS_SECONDS


FLAT = "apiVersion: accord/v1\nkind: Glossary\nowners: [marketing]\nterms:"


@pytest.mark.parametrize(
    ("values", "where"),
    [
        # The composer counts keys and values (10 before the list), the builder values only
        # (6 before it), so the 100,001st is the list's 99,991st or 99,995th item.
        (" [" + "1," * 1_000_000 + "1]\n", "4:199989"),  # one line, a million values
        ("\n" + "- 1\n" * 520_000, "99995:3"),  # half a million lines
        ("\n" + "- !!str x\n" * 200_000, "99999:3"),  # tagged: only the builder counts
    ],
    ids=["flow", "block", "tagged"],
)
def test_a_flat_file_of_a_million_values_is_refused_quickly(
    tmp_path: Path, values: str, where: str
) -> None:
    # Each fits under the 2 MiB limit; building every value took 12 to 18 s and 600 to
    # 800 MB before the file was refused at the value past the bound.
    project = example(tmp_path)
    (project / "glossary" / "flat.yaml").write_text(FLAT + values, encoding="utf-8")
    assert (project / "glossary" / "flat.yaml").stat().st_size < 2 * MB

    done, seconds = validate_in_subprocess(project)

    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[0] == (
        f"glossary/flat.yaml:{where}: error[Y111] file holds more than 100,000 values"
    )
    assert "Traceback" not in done.stdout + done.stderr
    assert seconds < SUBPROCESS_SECONDS


def test_deep_yaml_nesting_is_refused_without_crashing_the_parser(tmp_path: Path) -> None:
    # `- - - …` nests a level per two bytes; libyaml's composer would overflow the C stack
    # (a segfault) so the loader must route this through the pure-Python parser.
    project = example(tmp_path)
    (project / "glossary" / "deep.yaml").write_text(
        "apiVersion: accord/v1\nkind: Glossary\nowners: [marketing]\nterms:\n"
        + "- " * 100_000
        + "x\n",
        encoding="utf-8",
    )

    done, seconds = validate_in_subprocess(project)

    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[0] == (
        "glossary/deep.yaml:1:1: error[Y101] YAML nesting is too deep to read"
    )
    assert "Traceback" not in done.stdout + done.stderr
    assert seconds < SUBPROCESS_SECONDS


# --- expressions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "code_and_message", "column"),
    [
        pytest.param(
            "(" * 10_000 + "employees > 1" + ")" * 10_000,
            "error[S106] `when` is longer than 2000 characters"
            " in `groups.fit.rules[small_business_size]`",
            15,
            id="10000-parentheses",
        ),
        pytest.param(
            "(" * 900 + "employees > 1" + ")" * 900,
            "error[E101] expression syntax: too many nested parentheses",
            15 + 199,  # Python's parser stops at the 200th parenthesis
            id="900-parentheses",
        ),
        pytest.param(
            "not " * 400 + "employees > 1",
            "error[E112] expression nests more than 32 levels deep",
            15 + 4 * 33,  # the first `not` below the 32nd level
            id="400-nots",
        ),
        pytest.param(
            "employees" + " + 1" * 450 + " > 1",
            "error[E112] expression nests more than 32 levels deep",
            15,
            id="450-additions",
        ),
        pytest.param(
            "-" * 1900 + "employees > 1",
            "error[E112] expression nests more than 32 levels deep",
            15 + 32,
            id="1900-negations",
        ),
    ],
)
def test_deeply_nested_expressions_are_refused_with_a_located_error(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    condition: str,
    code_and_message: str,
    column: int,
) -> None:
    project = edited(tmp_path, SMALL_WHEN, f"when: {condition}")
    line = line_of(project, "rules/scoring.yaml", "when: " + condition[:20])

    (code, out, _), seconds, peak = validate(project, capsys)

    assert code == 1
    assert out.splitlines()[0] == f"rules/scoring.yaml:{line}:{column}: {code_and_message}"
    assert out.endswith(": 1 error\n")
    assert "Traceback" not in out
    assert seconds < SECONDS
    assert peak < 64 * MB


# --- regexes ----------------------------------------------------------------------------


def test_a_catastrophic_backtracking_regex_is_accepted_because_re2_runs_it_in_linear_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `(a+)+$` is the textbook exponential case for backtracking engines (Python's `re`,
    # java.util.regex). RE2 has no backtracking, so Accord accepts it (docs/evaluation.md).
    project = edited(tmp_path, SMALL_WHEN, 'when: matches(email, "(a+)+$")')
    (code, out, _), seconds, _ = validate(project, capsys)
    assert code == 0
    assert out.endswith(": no problems\n")
    assert seconds < SECONDS

    adversarial = "a" * 1_000_000 + "!"
    search = regex_search("(a+)+$")
    started = time.perf_counter()
    assert search(adversarial) is False
    assert search("a" * 1_000_000) is True
    assert time.perf_counter() - started < 1.0

    # DuckDB, which scores historical leads, runs the same RE2 pattern.
    connection = duckdb.connect()
    started = time.perf_counter()
    found = connection.execute("SELECT regexp_matches(?, '(a+)+$')", [adversarial]).fetchone()
    assert found == (False,)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        pytest.param("((a{100}){100}){100}", "invalid repetition size: {100}", id="repetition"),
        pytest.param("(?<=@)student", "invalid perl operator: (?<=", id="look-behind"),
        pytest.param(r"(a)\1", r"invalid escape sequence: \1", id="back-reference"),
    ],
)
def test_regexes_re2_refuses_are_located_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pattern: str, reason: str
) -> None:
    literal = pattern.replace("\\", "\\\\")  # the expression's string literal escapes `\`
    project = edited(tmp_path, SMALL_WHEN, f'when: matches(email, "{literal}")')
    line = line_of(project, "rules/scoring.yaml", "when: matches(email")

    (code, out, _), seconds, _ = validate(project, capsys)

    assert code == 1
    assert out.splitlines()[0] == (
        f"rules/scoring.yaml:{line}:30: error[E108] invalid regex: {reason}"
    )
    assert seconds < SECONDS


# --- lead files -------------------------------------------------------------------------

SPAN = Span.whole_file("rules/lead.yaml")


def lead_field(id: str, type: FieldType) -> LeadField:
    return LeadField(id, type, FieldRole.ATTRIBUTE, None, None, None, None, SPAN)


MODEL = LeadModel(
    IdRef("lead_id", SPAN),
    (
        lead_field("lead_id", FieldType.STRING),
        lead_field("employees", FieldType.INTEGER),
        lead_field("email", FieldType.STRING),
    ),
    SPAN,
)


def test_a_lead_file_with_a_10_mb_cell_is_an_error_that_does_not_quote_the_cell(
    tmp_path: Path,
) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(
        f"lead_id,employees,email\nL1,10,a@b.example\nL2,5,{'x' * 10_000_000}\nL3,7,c@d.example\n",
        encoding="utf-8",
    )
    started = time.perf_counter()
    with pytest.raises(LeadDataError) as raised:
        load_leads(duckdb.connect(), path, MODEL)
    seconds = time.perf_counter() - started

    message = raised.value.message
    assert message.startswith(f"{path}: cannot read it as csv: ")
    assert "Maximum line size of 2000000 bytes exceeded." in message
    assert message.endswith("save it as a UTF-8 CSV file whose first row names the columns")
    # DuckDB quotes up to 10,000 characters of the row; the message keeps 200 of them.
    assert "more characters)" in message
    assert len(message) < 1000
    assert seconds < SECONDS


def test_a_lead_file_with_a_10_mb_cell_fails_accord_score_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text(f"lead_id,email\nL1,{'x' * 10_000_000}\n", encoding="utf-8")
    code, out, err = run(
        ["score", str(ROOT), "--leads", str(leads), "--out", str(tmp_path / "scores.csv")],
        capsys,
    )
    assert code == 1
    assert "cannot read it as csv" in err
    assert len(err) < 1000
    assert "Traceback" not in out + err
    assert not (tmp_path / "scores.csv").exists()


def test_a_million_ragged_rows_are_all_kept_and_the_unreadable_ones_counted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "leads.csv"
    with path.open("w", encoding="utf-8") as file:
        file.write("lead_id,employees,email\n")
        for i in range(1_000_000):
            if i % 3 == 0:
                file.write(f"L{i},{i % 500}\n")  # short: email padded as missing
            elif i % 3 == 1:
                file.write(f"L{i},{i % 500},e{i}@x.example,extra,cells\n")  # long
            else:
                file.write(f"L{i},many,e{i}@x.example\n")  # employees unreadable
    connection = duckdb.connect()

    started = time.perf_counter()
    report = load_leads(connection, path, MODEL)
    seconds = time.perf_counter() - started

    assert report.rows == 1_000_000
    assert connection.execute("SELECT count(*) FROM leads").fetchone() == (1_000_000,)
    (unreadable,) = report.unreadable
    assert (unreadable.field, unreadable.count) == ("employees", 333_333)
    assert unreadable.examples == ((3, "many"), (6, "many"), (9, "many"))
    assert report.duplicate_ids == 0
    assert seconds < SECONDS
