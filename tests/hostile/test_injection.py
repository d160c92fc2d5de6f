"""Injection: text from definitions (anyone who can open a pull request writes them) and from
lead data (third parties write it) reaches SQL, exports, the docs site, the PR comment and
spreadsheets as data. Nothing in it is executed or interpreted: each output escapes it for
its target, and it reads back exactly as written.

One hostile project serves every section: the example organisation with markup, Jinja,
mentions, a formula and SQL in a rule's `why` and a glossary definition, a rule condition
whose string literal closes a quote and comments out the rest, and a lead field read from a
column whose name does the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import html.parser
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import jinja2
import jinja2.nodes
import pytest
import sqlglot
import yaml
from git_repo import git
from loaded_texts import texts
from sqlglot import expressions as exp
from test_cli import ROOT, example, run, write_files

from engine.export import ExportOptions
from engine.export.targets import SQL_DIALECTS, TARGETS, run_export
from engine.interpreter.evaluate import Interpreter
from engine.ir import Project
from engine.project import compile_project, read_files
from engine.render.markdown_escape import escape_markdown
from engine.sql.literals import inert_line
from engine.sql.run import create_lead_table, score_table

HOSTILE = (
    "</value><script>alert(1)</script><img src=x onerror=alert(2)> ]]> & \"q\" 'a' "
    "@everyone {{ 7*7 }} {% raw %} [win](https://evil.example) | =cmd --; DROP TABLE leads"
)
# A string literal in a condition, and the name of a lead file's column.
SQL_VALUE = "x'); DROP TABLE leads; --{{ 7*7 }}"
SQL_COLUMN = 'Company"; DROP TABLE leads; --'
AS_OF = dt.datetime(2026, 4, 1)

WHY = "The people who will run the pipelines; they champion the evaluation."
RULE = ("        when: 50 <= employees < 200\n        points: 3\n", "small_business_size")
DEFINITION = (
    "      A lead both teams agree is worth a sales conversation now: a good enough fit and\n"
)
ALIASES = "marketing: [hot lead, marketing qualified]"
COMPANY = "  company:\n    type: string\n"


def hostile_files() -> dict[str, bytes]:
    """The example organisation's files with the hostile text and SQL written in."""
    files = read_files(ROOT)

    def edit(path: str, old: str, new: str) -> None:
        text = files[path].decode()
        assert text.count(old) == 1, (path, old)
        files[path] = text.replace(old, new).encode()

    edit("rules/scoring.yaml", WHY, json.dumps(HOSTILE))
    condition = f'company == "{SQL_VALUE}"'
    edit(
        "rules/scoring.yaml", RULE[0], f"        when: {json.dumps(condition)}\n        points: 3\n"
    )
    edit("glossary/lifecycle.yaml", DEFINITION, f"      {HOSTILE}\n")
    edit("glossary/lifecycle.yaml", ALIASES, f"{ALIASES[:-1]}, {json.dumps(HOSTILE)}]")
    column = f"    column: {json.dumps(SQL_COLUMN)}\n    description: {json.dumps(HOSTILE)}\n"
    edit("rules/lead.yaml", COMPANY, f"{COMPANY}{column}")
    return files


@pytest.fixture(scope="module")
def hostile() -> Project:
    compiled = compile_project(hostile_files())
    assert compiled.ok, compiled.diagnostics
    assert compiled.project is not None
    return compiled.project


# --- SQL --------------------------------------------------------------------------------


@pytest.mark.parametrize("dialect", SQL_DIALECTS)
def test_a_quote_comment_and_semicolon_in_a_definition_stay_inside_one_literal(
    hostile: Project, dialect: str
) -> None:
    made = run_export(hostile, "sql", ExportOptions(dialect=dialect))
    (sql,) = (text for path, text in made.files.items() if path.endswith(".sql"))
    statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    assert len(statements) == 1  # no second statement, no DROP anywhere
    assert not any(isinstance(node, exp.Drop) for node in statements[0].walk())
    literals = [node.this for node in statements[0].find_all(exp.Literal) if node.is_string]
    # Jinja openers are split across two literals (engine.sql.literals), so look for halves.
    assert "x'); DROP TABLE leads; --{" in literals
    assert "{ 7*7 }}" in literals


def test_sql_in_definitions_and_lead_values_is_compared_as_text_by_both_evaluators(
    hostile: Project,
) -> None:
    assert hostile.lead_model is not None
    leads = [
        {"lead_id": "L1'; DROP TABLE leads; --", "company": SQL_VALUE, "employees": 5000},
        {"lead_id": 'L2"; DELETE FROM leads', "company": "x", "employees": 5000},
        {"lead_id": "L3", "company": SQL_VALUE.upper(), "employees": 5000},
    ]
    connection = duckdb.connect()
    create_lead_table(connection, hostile.lead_model, leads)  # type: ignore[arg-type]
    rows = score_table(connection, hostile, AS_OF, rules_fired=True)
    interpreter = Interpreter(hostile)
    fired = [interpreter.evaluate(lead, AS_OF).rules_fired for lead in leads]  # type: ignore[arg-type]
    in_sql = [list(row.rules_fired or ()) for row in rows]
    assert [[r.id for r in f] for f in fired] == in_sql
    assert [RULE[1] in r for r in in_sql] == [True, False, False]
    assert connection.execute("SELECT count(*) FROM leads").fetchone() == (3,)


def test_a_hostile_column_name_and_hostile_values_are_read_and_written_as_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = write_files(tmp_path / "project", hostile_files())
    leads = tmp_path / "leads.csv"
    with leads.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["lead_id", SQL_COLUMN, "employees"])
        writer.writerow(["L1'; DROP TABLE leads; --", SQL_VALUE, "5000"])
        writer.writerow(["L2", "x", "5000"])
    scores = tmp_path / "scores.csv"
    code, _, err = run(
        [
            "score",
            str(project),
            "--leads",
            str(leads),
            "--as-of",
            "2026-04-01",
            "--out",
            str(scores),
        ],
        capsys,
    )
    assert code == 0, err
    assert "company" not in err  # the column was found: the field is not missing
    with scores.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["lead_id"] for row in rows] == ["L1'; DROP TABLE leads; --", "L2"]
    assert float(rows[0]["fit"]) - float(rows[1]["fit"]) == 3.0  # the hostile rule fired


# --- XML, JSON, YAML and HTML -----------------------------------------------------------


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_export_file_still_parses_as_its_format(hostile: Project, target: str) -> None:
    files = run_export(hostile, target, ExportOptions()).files
    for path, text in files.items():
        if path.endswith(".xml"):
            ET.fromstring(text.encode())
        elif path.endswith(".json"):
            json.loads(text)
        elif path.endswith((".yml", ".yaml")):
            yaml.safe_load(text)
        elif path.endswith(".md"):
            assert "<script>" not in text, path
            assert "@everyone" not in text, path


def test_the_why_is_one_xml_value_read_back_exactly(hostile: Project) -> None:
    files = run_export(hostile, "salesforce", ExportOptions()).files
    path = "force-app/main/default/customMetadata/Accord_Scoring_Rule.Data_Practitioner_Title.md-meta.xml"
    root = ET.fromstring(files[path].encode())
    ns = {"m": "http://soap.sforce.com/2006/04/metadata"}
    values = {
        v.findtext("m:field", namespaces=ns): v.findtext("m:value", namespaces=ns)
        for v in root.findall("m:values", ns)
    }
    assert values["Why__c"] == HOSTILE
    assert root.find(".//script") is None


def test_dbt_descriptions_are_one_yaml_string_with_no_jinja_left_in_them(hostile: Project) -> None:
    files = run_export(hostile, "dbt", ExportOptions()).files
    described = [
        value
        for path, text in files.items()
        if path.endswith(".yml")
        for value in texts(yaml.safe_load(text))
        if "alert(1)" in value
    ]
    assert len(described) == 2  # the field, in schema.yml and in sources.yml
    assert all(value.endswith(inert_line(HOSTILE)) for value in described)


# --- Jinja ------------------------------------------------------------------------------


def test_jinja_in_definitions_is_never_a_template_expression_in_dbt(hostile: Project) -> None:
    # dbt renders every model, and every string of its YAML files, with Jinja: parse each
    # as dbt would and look for the definitions' `{{ 7*7 }}` among the template's own nodes.
    environment = jinja2.Environment()
    templates = 0
    for path, text in run_export(hostile, "dbt", ExportOptions()).files.items():
        sources = texts(yaml.safe_load(text)) if path.endswith(".yml") else [text]
        for source in sources:
            tree = environment.parse(source)
            assert not list(tree.find_all(jinja2.nodes.Mul)), path
            templates += 1
    assert templates > 20


class _Page(html.parser.HTMLParser):
    """The elements and text of one HTML page, as a browser's parser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def _pages(site: Path) -> dict[str, _Page]:
    pages = {}
    for path in sorted(site.rglob("*.html")):
        page = _Page()
        page.feed(path.read_text(encoding="utf-8"))
        pages[path.relative_to(site).as_posix()] = page
    return pages


def test_the_docs_site_shows_hostile_text_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = write_files(tmp_path / "project", hostile_files())
    for name, source in (("hostile", project), ("example", ROOT)):
        code, _, err = run(["docs", str(source), "--out", str(tmp_path / name)], capsys)
        assert code == 0, err
    hostile, example = _pages(tmp_path / "hostile"), _pages(tmp_path / "example")
    assert hostile.keys() == example.keys()
    shown = 0
    for name, page in hostile.items():
        # The same elements as the example's page: the text made none of its own.
        assert [t for t, _ in page.tags if t in ("script", "img", "a", "iframe")] == [
            t for t, _ in example[name].tags if t in ("script", "img", "a", "iframe")
        ], name
        for tag, attrs in page.tags:
            assert not any(attribute.startswith("on") for attribute in attrs), (name, tag)
        shown += " ".join(" ".join(page.text).split()).count(HOSTILE)  # {{ 7*7 }} as written
    assert shown >= 2  # the rule's why and the term's definition, as written
    index = json.loads(hostile["glossary.html"].scripts[0])  # the search index: a JSON block
    assert HOSTILE in texts(index)  # an alias, read back exactly


# --- the PR comment ---------------------------------------------------------------------

SOURCE = "@everyone <img src=x onerror=alert(3)> [win](https://evil.example) | `x` **b** #12"
MQL_BAR = "when: score >= 50 and fit >= 25"


def test_hostile_definitions_and_lead_values_are_inert_in_the_pr_comment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = write_files(tmp_path / "repo", read_files(ROOT))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    files = hostile_files()  # the pull request: hostile text, and a lower MQL bar
    qualification = files["rules/qualification.yaml"].decode()
    assert qualification.count(MQL_BAR) == 1
    files["rules/qualification.yaml"] = qualification.replace(
        MQL_BAR, "when: score >= 40 and fit >= 25"
    ).encode()
    write_files(repo, files)
    leads = tmp_path / "leads.parquet"
    duckdb.connect().execute(
        "COPY (SELECT * REPLACE (CASE WHEN lead_source = 'Webinar' THEN ? ELSE lead_source END"
        f" AS lead_source) FROM '{ROOT / 'history/sample-leads.parquet'}' ORDER BY lead_id"
        f" LIMIT 8000) TO '{leads}' (FORMAT parquet)",
        [SOURCE],
    )
    comment = tmp_path / "comment.md"
    code, _, err = run(
        [
            *("diff", str(repo), "--base", "main", "--leads", str(leads)),
            *("--as-of", "2026-11-20", "--format", "markdown", "--out", str(comment)),
        ],
        capsys,
    )
    assert code == 0, err
    text = comment.read_text(encoding="utf-8")
    assert escape_markdown(SOURCE) in text  # the lead source is there, as text
    for raw in ("@everyone", "<img", "<script", "](https", "`x`", "**b**", "#12", "{{ 7*7"):
        assert raw not in text, raw
    # Every table keeps its columns: an escaped `\|` is no cell boundary.
    for table in re.findall(r"(?:^\|.*\n)+", text, flags=re.MULTILINE):
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in table.splitlines()}
        assert len(widths) == 1, table


# --- spreadsheets -----------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("https://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def test_formulas_in_lead_values_come_out_of_the_score_csv_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leads = tmp_path / "leads.csv"
    with leads.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["lead_id", "account_owner", "employees"])
        for formula in FORMULAS:
            writer.writerow([formula, formula, "12"])  # an account owner routes to itself
        writer.writerow(["L7", "", "-5"])
    outputs = {}
    for suffix in ("csv", "parquet"):
        out = tmp_path / f"scores.{suffix}"
        code, _, err = run(
            ["score", str(ROOT), "--leads", str(leads), "--as-of", "2026-04-01", "--out", str(out)],
            capsys,
        )
        assert code == 0, err
        outputs[suffix] = out
    with outputs["csv"].open(encoding="utf-8", newline="") as file:
        spreadsheet = list(csv.DictReader(file))
    exact = duckdb.connect().execute(f"SELECT * FROM '{outputs['parquet']}'").fetchall()
    assert [r["lead_id"] for r in spreadsheet] == [f"'{f}" for f in FORMULAS] + ["L7"]
    assert [r[0] for r in exact] == [*FORMULAS, "L7"]  # Parquet is for tools: no apostrophe
    assert [r["owner"] for r in spreadsheet] == [f"'{f}" for f in FORMULAS] + [""]
    for row in spreadsheet:
        for column, value in row.items():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), (column, value)
            if value.startswith("-"):  # only numbers: scores below zero
                float(value)


# --- the CI log -------------------------------------------------------------------------


def test_a_definition_cannot_write_a_workflow_command_into_the_ci_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GitHub reads `::command::` at the start of any log line; `%0A` in an annotation is a
    # line break. The literal carries both, and the diagnostic quotes it.
    literal = r"Tech%0A::error file=x,line=1::pwned\n::warning::two"
    when = json.dumps(f'industry == "{literal}"')
    rule = f"        when: {when}\n        points: 3\n"
    project = example(tmp_path, ("rules/scoring.yaml", RULE[0], rule))
    code, out, _ = run(["validate", str(project), "--format", "github"], capsys)
    assert code == 1
    annotation, summary = out.splitlines()  # the value made no second command
    assert summary.startswith("accord: checked 12 files")
    assert annotation.startswith("::error file=rules/scoring.yaml,line=37,col=15,")
    assert '::"Tech%250A::error file=x,line=1::pwned%0A::warning::two" is not a value' in annotation
