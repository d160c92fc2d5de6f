"""The impact report as a PR comment: summary first, details collapsed, escaped, and short
enough for GitHub."""

from __future__ import annotations

import re

import pytest
from impact_fixture import HOSTILE, bare, hostile, huge, impact

from engine.render.impact_markdown import LIMIT, MIN_ROWS, render_markdown
from engine.render.markdown_escape import escape_markdown

ZWSP = "\u200b"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("@everyone", f"@{ZWSP}everyone"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert\\(1\\)&gt;"),
        ("[click](javascript:alert(1))", "\\[click\\]\\(javascript:alert\\(1\\)\\)"),
        ("| a | b |", "\\| a \\| b \\|"),
        ("`code`", "\\`code\\`"),
        ("**bold**", "\\*\\*bold\\*\\*"),
        ("https://evil.example", "https&#58;//evil.example"),
        ("WWW.evil.example", "WWW&#46;evil.example"),
        ("ann@example.com", f"ann@{ZWSP}example.com"),
        ("fixes #12", f"fixes \\#{ZWSP}12"),
        ("# not a heading", "\\# not a heading"),
        ("~~gone~~ _it_ ![x](y)", "\\~\\~gone\\~\\~ \\_it\\_ \\!\\[x\\]\\(y\\)"),
        ("a\\b", "a\\\\b"),
        ("&lt; & &#64;", f"&amp;lt; &amp; &amp;\\#{ZWSP}64;"),
        ("one\ntwo\r\nthree\u2028four\x00", "one two  three four "),
        ("evil\u202egnp.exe", "evil gnp.exe"),  # no right-to-left override
        ("Müller 販売 → 12.5%", "Müller 販売 → 12.5%"),
    ],
)
def test_escape_markdown(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


def test_summary_comes_first_and_is_exact() -> None:
    text = render_markdown(impact())
    assert text.startswith(
        "### Impact of main \\(0123456789ab\\) → working tree\n"
        "\n"
        "12,000 leads from history/leads.csv, as of 2024-07-01T09:30:00Z\n"
        "\n"
        "3 values in the leads file could not be read and count as missing\n"
        "\n"
        "| Measure | Value |\n"
        "| --- | --- |\n"
        "| Leads evaluated | 12,000 |\n"
        "| Qualified \\(sql or later\\) | 1,200 → 1,350 \\(+150, +12.5%\\) |\n"
        "| Entered | 200 |\n"
        "| Left | 50 |\n"
        "| Score changed | 3,400 |\n"
        "| Precision \\(converted\\) | 20.0% → 22.0% \\(+2.0 pp\\) |\n"
        "| Precision \\(won\\) | – → 10.0% \\(–\\) |\n"
        "\n"
        "<details><summary>Stages</summary>\n"
        "\n"
    )
    assert text.endswith("\n\n</details>\n")
    assert "not shown" not in text


def test_every_detail_section_is_collapsed_with_blank_lines_around_its_markdown() -> None:
    text = render_markdown(impact())
    summaries = re.findall(r"<details><summary>(.*)</summary>\n\n", text)
    assert summaries == [
        "Stages",
        "Breakdowns",
        "Score shift",
        "Outcomes",
        "Why leads flipped",
        "Routing",
        "Definitions changed",
        "Lead model fields",
    ]
    assert text.count("\n\n</details>") == len(summaries)


def test_empty_sections_are_left_out() -> None:
    summaries = re.findall(r"<summary>(.*)</summary>", render_markdown(bare()))
    assert summaries == ["Stages", "Score shift"]
    assert "Precision" not in render_markdown(bare())


def test_tables_align_numbers_right() -> None:
    text = render_markdown(impact())
    assert (
        "| Stage | Before | After | Change |\n"
        "| --- | ---: | ---: | ---: |\n"
        "| new | 7,800 | 7,700 | -100 \\(-1.3%\\) |\n"
    ) in text
    assert "| Precision | 20.0% \\(240 of 1,200\\) | 22.0% \\(297 of 1,350\\) | +2.0 pp |\n" in text
    assert "| rule | vp\\_title | modified | points 10 → 15 | rules/scoring.yaml:12 |" in text


def test_histogram_and_stages_as_mermaid_bar_charts() -> None:
    text = render_markdown(impact())
    assert (
        "```mermaid\n"
        "xychart-beta\n"
        '    title "Score histogram (bars: after, line: before)"\n'
        '    x-axis "Score" ["0–20", "20–40", "40–60", "60–80", "80–100"]\n'
        '    y-axis "Leads"\n'
        "    bar [3800, 3400, 2550, 1600, 650]\n"
        "    line [4000, 3500, 2500, 1500, 500]\n"
        "```\n"
    ) in text
    assert (
        '    x-axis "Stage" ["new", "mql", "sql", "opportunity", "disqualified"]\n'
        '    y-axis "Leads"\n'
        "    bar [7700, 2300, 1020, 330, 650]\n"
        "    line [7800, 2400, 900, 300, 600]\n"
    ) in text


def _outside_code_blocks(text: str) -> str:
    return re.sub(r"```mermaid\n.*?```", "", text, flags=re.DOTALL)


def test_hostile_values_come_out_inert() -> None:
    text = _outside_code_blocks(render_markdown(hostile()))
    for raw in ("@everyone", "<img", "](javascript", "`code`", "**bold**", "https://", "@acme"):
        assert raw not in text
    # Each row of the hostile breakdown keeps its seven cells: no `|` from a value splits one.
    rows = [line for line in text.splitlines() if "| 10 | 1 | 2 |" in line]
    assert len(rows) == len(HOSTILE)
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 8 for row in rows)
    assert "| \\| a \\| b \\| | 10 | 1 | 2 | +1 \\(+100.0%\\) | 1 | 0 |" in rows


def test_hostile_values_cannot_leave_the_mermaid_block() -> None:
    text = render_markdown(hostile())
    blocks = re.findall(r"```mermaid\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) == 2
    stages = blocks[0].splitlines()
    assert len(stages) == 6  # the fence in a stage id ended neither a line nor the block
    assert stages[2] == (
        '    x-axis "Stage" ["@everyone", "#lt;img src=x onerror=…", "[click](javascript:…",'
        ' "| a | b |", "#96;code#96;", "**bold**", "https://evil.example",'
        ' "say #quot;hi#quot;#59; #37;#37;{init: …"]'
    )


def test_too_long_a_comment_loses_detail_rows_never_the_summary() -> None:
    full = render_markdown(impact())
    summary = full[: full.index("<details>")]
    text = render_markdown(huge())
    assert len(text) < LIMIT
    assert text.startswith(summary)
    notes = re.findall(
        r"_… ([\d,]+) more rows not shown; run `accord diff --format html` for all_", text
    )
    assert len(notes) == 3  # the company breakdown, the moves and the definitions
    # The longest tables were cut to about the same length; the short ones kept every row.
    assert "| team:na | team:emea |" not in text
    assert "| intent\\_score | added |" in text
    assert "| C | 0 | 250 | 9,750 |" in text
    # Rows go from the end of a table: its first rows stay.
    assert "| Company 00000 |" in text
    assert "| Company 04999 |" not in text


def test_when_rows_are_not_enough_whole_sections_go_from_the_last() -> None:
    text = render_markdown(huge(), limit=8_000)
    assert len(text) < 8_000
    assert text.endswith(
        "_Not shown, to fit in one comment: Lead model fields;"
        " run `accord diff --format html` for all_\n"
    )
    # Every cut table still shows its first MIN_ROWS rows.
    assert "| rule | rule\\_00009 |" in text
    assert "| rule | rule\\_00010 |" not in text
    assert MIN_ROWS == 10


def test_a_limit_below_the_summary_leaves_the_summary_alone() -> None:
    full = render_markdown(impact())
    text = render_markdown(impact(), limit=100)
    assert text.startswith(full[: full.index("<details>")])
    assert "<details>" not in text
    assert text.endswith(
        "_Not shown, to fit in one comment: Stages, Breakdowns, Score shift,"
        " Outcomes, Why leads flipped, Routing, Definitions changed,"
        " Lead model fields; run `accord diff --format html` for all_\n"
    )


def test_limit_counts_utf16_code_units() -> None:
    # An emoji is one character to Python and two to the browser that counts the limit.
    text = render_markdown(huge())
    assert len(text.encode("utf-16-le")) // 2 < LIMIT


def test_deterministic() -> None:
    assert render_markdown(huge()) == render_markdown(huge())
