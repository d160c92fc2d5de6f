"""The docs site's pages, read as HTML: content, links, escaping and determinism."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docs_site_fixture import (
    HOSTILE_TEXTS,
    ROOT,
    article,
    compiled,
    hostile_project,
    parse,
    table_rows,
)
from markupsafe import escape

from engine.docs_site import build_site
from engine.docs_site.history import History, ScoreBin
from engine.docs_site.pages import content_security_policy
from engine.glossary import entry
from engine.ir import Project
from engine.sla.report import Compliance, SlaSummary


@pytest.fixture(scope="module")
def site(northwind: Project) -> dict[str, str]:
    return build_site(northwind)


def test_the_pages_of_the_example_organisation(site: dict[str, str]) -> None:
    assert list(site) == [
        "glossary.html",
        "index.html",
        "qualification.html",
        "routing.html",
        "score-engagement.html",
        "score-fit.html",
        "slas.html",
    ]


def test_glossary_lists_every_term_with_aliases_and_live_definition(
    northwind: Project, site: dict[str, str]
) -> None:
    glossary = site["glossary.html"]
    for term in northwind.terms:
        shown = article(glossary, f"term-{term.id}")
        assert f"<code>{term.id}</code>" in shown
        for alias in term.aliases:
            assert alias.text in shown
        meaning = entry(northwind, term).meaning
        if meaning.text is not None:
            # The condition that decides it now, as written, escaped.
            assert str(escape(meaning.text)) in shown
    mql = article(glossary, "term-mql")
    assert "<dt>Marketing calls it</dt>\n<dd>hot lead, marketing qualified</dd>" in mql
    assert '<a href="qualification.html#stage-mql">stage mql</a>' in mql
    assert "rules/qualification.yaml:" in mql
    # Where it is used, linked to the definition.
    assert '<a href="slas.html#sla-mql_first_touch">mql_first_touch</a>' in mql


def test_search_index_has_every_alias_and_cannot_end_its_script_block(
    northwind: Project, site: dict[str, str]
) -> None:
    glossary = site["glossary.html"]
    block = re.search(
        r'<script type="application/json" id="term-index">(.*?)</script>', glossary, re.DOTALL
    )
    assert block
    index = json.loads(block.group(1))
    assert [t["id"] for t in index] == sorted(
        (t.id for t in northwind.terms),
        key=lambda i: next(t.name.casefold() for t in northwind.terms if t.id == i),
    )
    mql = next(t for t in index if t["id"] == "mql")
    assert {"party": "Marketing", "text": "hot lead"} in mql["aliases"]
    assert mql["anchor"] == "term-mql"


def test_a_rule_shows_its_condition_points_source_owner_and_tests(site: dict[str, str]) -> None:
    fit = site["score-fit.html"]
    rule = article(fit, "rule-enterprise_size")
    assert "<code>enterprise_size</code> +15 points" in rule
    assert '<span class="cond">enterprise</span>' in rule
    assert re.search(r'<dd class="where">rules/scoring\.yaml:\d+</dd>', rule)
    assert "<dt>owners</dt><dd>Marketing, Sales</dd>" in rule
    # The scoring tests that expect it to fire are listed, with their file and line.
    assert "<code>enterprise_bank_caps_fit_at_60</code>" in rule
    assert re.search(r"rules/scoring\.tests\.yaml:\d+</span> — expects it to fire", rule)


def test_a_rule_no_test_names_says_so(site: dict[str, str]) -> None:
    rule = article(site["score-fit.html"], "rule-tiny_company")
    assert "no rule test names it" in rule


def test_qualification_page_has_stages_grades_disqualifiers_with_tests(
    site: dict[str, str],
) -> None:
    page = site["qualification.html"]
    stage = article(page, "stage-sal")
    assert "<code>accepted_mql_is_sal</code>" in stage
    assert "expects stage sal" in stage
    assert article(page, "grade-A")
    assert "expects it disqualified by competitor" in article(page, "disqualifier-competitor")


def test_routing_page_shows_the_order_as_a_diagram_and_every_route(
    northwind: Project, site: dict[str, str]
) -> None:
    page = site["routing.html"]
    assert northwind.routing is not None
    routes = northwind.routing.routes
    svg = page[page.index("<svg") : page.index("</svg>")]
    # The boxes are in evaluation order, numbered, each linked to its route's section.
    positions = [svg.index(f'<a href="#route-{r.id}">') for r in routes]
    assert positions == sorted(positions)
    for number, route in enumerate(routes, 1):
        assert f">{number}. {route.id}</text>" in svg
    # Every route but the catch-all passes the lead on when it does not hold.
    assert svg.count(">no</text>") == len(routes) - 1
    assert svg.count(">yes</text>") == len(routes)
    assert '<a href="routing.html#team-amer-enterprise"><text' in svg
    heading_order = [page.index(f'id="route-{r.id}"') for r in routes]
    assert heading_order == sorted(heading_order)
    named = article(page, "route-named_accounts")
    assert "<code>named_accounts</code> → the owner in field account_owner" in named
    assert "expects route named_accounts" in named


def test_slas_show_their_calendars(site: dict[str, str]) -> None:
    page = site["slas.html"]
    sla = article(page, "sla-mql_first_touch")
    assert "within 4 business hours" in sla
    assert "the calendar of the team or queue the lead is routed to; otherwise" in sla
    assert '<a href="slas.html#calendar-amer">amer</a>' in sla
    calendar = article(page, "calendar-amer")
    assert "America/New_York" in calendar
    assert "Mon–Fri 09:00–17:30" in calendar
    assert '<a href="slas.html#sla-mql_first_touch">SLA mql_first_touch</a>' in calendar


def _history() -> History:
    # One SLA measured, by hand; a month with only an open clock has no rate, and a
    # person's name from lead data is hostile text.
    first_touch = SlaSummary(
        sla="mql_first_touch",
        owner="sales",
        within="4 business hours",
        calendar="routed",
        applies=20,
        not_started=2,
        no_calendar=1,
        overall=Compliance("all", 12, 3, 1, 1),
        median_hours=1.5,
        p90_hours=1234.5,
        by_team=(
            Compliance("queue:partner-leads", 2, 1, 0, 0),
            Compliance("team:apac", 10, 2, 1, 0),
            Compliance("user:<b>wei</b>", 0, 0, 0, 1),
        ),
        by_member=(),
        by_month=(
            Compliance("2026-01", 3, 1, 0, 0),
            Compliance("2026-02", 0, 0, 0, 1),
            Compliance("2026-03", 9, 2, 1, 0),
        ),
        breaches=(),
        overdue=(),
        recycle=(),
    )
    return History(
        source="leads.csv",
        as_of=__import__("datetime").datetime(2026, 3, 2, 10),
        leads=1234,
        score_bins=(ScoreBin(0, 10, 1000), ScoreBin(10, 20, 234)),
        grades=(("A", 34), ("B", 200), ("C", 0), ("D", 1000)),
        stages=(("lead", 1200), ("mql", 34), ("disqualified", 0)),
        slas=(first_touch,),
    )


def test_history_page_charts_distributions_and_sla_compliance(
    northwind: Project, site: dict[str, str]
) -> None:
    built = build_site(northwind, _history())
    page = built["history.html"]
    assert "1,234 past leads from <code>leads.csv</code>, scored as of 2026-03-02T10:00:00Z" in page
    assert page.count("<svg") == 4
    assert "<title>Leads per score band</title>" in page
    assert '<a href="qualification.html#grade-A">A</a></td><td class="num">34</td>' in page
    assert "Not charted" not in page
    assert '<a href="history.html">History</a>' in built["index.html"]

    sla = article(page, "compliance-mql_first_touch")
    assert '<h3><a href="slas.html#sla-mql_first_touch">mql_first_touch</a> within' in sla
    assert "Compliance <strong>75.0%</strong>: 12 met, 3 breached, 1 overdue; 1 open in time" in sla
    assert "2 never started, 1 without a calendar, of 20 leads it applies to" in sla
    assert "median 1.5 h, p90 1,234.5 h" in sla
    # The chart: a bar per month that has a rate, none for the month with only an open clock.
    assert "<title>Compliance per month: mql_first_touch</title>" in sla
    assert "<title>2026-01, compliance %: 75</title>" in sla
    assert "<title>2026-03, compliance %: 75</title>" in sla
    assert "2026-02, compliance" not in sla
    # Beside it, the counts behind every month, the rateless one too.
    months = table_rows(sla, "compliance-mql_first_touch-months")
    assert months == [
        ["2026-01", "3", "1", "0", "0", "75.0%"],
        ["2026-02", "0", "0", "0", "1", "\u2013"],
        ["2026-03", "9", "2", "1", "0", "75.0%"],
    ]
    teams = table_rows(sla, "compliance-mql_first_touch-teams")
    assert [row[0] for row in teams] == ["queue:partner-leads", "team:apac", "user:<b>wei</b>"]
    assert teams[1] == ["team:apac", "10", "2", "1", "0", "76.9%"]
    assert '<a href="routing.html#team-apac">team:apac</a>' in sla
    assert '<a href="routing.html#queue-partner-leads">queue:partner-leads</a>' in sla
    assert "<td>user:&lt;b&gt;wei&lt;/b&gt;</td>" in sla
    # The SLA page links the measured SLA to its compliance, and only that one.
    slas_page = built["slas.html"]
    assert 'href="history.html#compliance-mql_first_touch"' in slas_page
    assert "history.html#compliance-mql_first_touch_standard" not in slas_page
    assert "#compliance-" not in site["slas.html"]


@pytest.mark.parametrize("with_history", [False, True])
def test_every_link_resolves_to_a_page_and_anchor(northwind: Project, with_history: bool) -> None:
    site = build_site(northwind, _history() if with_history else None)
    parsed = {path: parse(html) for path, html in site.items()}
    checked = 0
    for path, page in parsed.items():
        assert page.sources == [], f"{path} loads something"
        for href in page.hrefs:
            assert "://" not in href, href
            assert not href.startswith(("/", "javascript:")), href
            target, _, anchor = href.partition("#")
            target = target or path
            assert target in parsed, f"{path}: {href} is no page"
            if anchor:
                assert anchor in parsed[target].ids, f"{path}: {href} has no such anchor"
            checked += 1
    assert checked > 200


def test_pages_allow_only_their_own_inline_style_and_script(site: dict[str, str]) -> None:
    for path, html in site.items():
        policy = content_security_policy(path == "glossary.html")
        assert f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">' in html
        assert html.count("<script>") == (1 if path == "glossary.html" else 0)
    assert "script-src 'none'" in content_security_policy(False)


def test_hostile_text_is_shown_as_text(tmp_path: Path) -> None:
    site = build_site(compiled(hostile_project(tmp_path)))
    for path, html in site.items():
        parsed = parse(html)
        assert "img" not in parsed.tags, path
        assert "iframe" not in parsed.tags, path
        assert "i" not in parsed.tags, path  # the project name's <i> is text too
        assert parsed.sources == [], path
        # The one script is the site's own search; no definition's text added another.
        assert parsed.tags.count("script") == (2 if path == "glossary.html" else 0), path
    text = "".join(t for html in site.values() for t in parse(html).text)
    for hostile in HOSTILE_TEXTS:
        assert hostile in text
    # In the search index, `<` is a JSON escape: the alias cannot close the script block.
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(2)" in site["glossary.html"]
    assert "</script><script>alert(2)" not in site["glossary.html"]
    # In the routing diagram, the condition is an escaped SVG text node.
    assert "&lt;/text&gt;&lt;svg onload=alert(4)&gt;" in site["routing.html"]


def test_the_same_project_builds_the_same_bytes(tmp_path: Path) -> None:
    first = build_site(compiled(ROOT))
    second = build_site(compiled(ROOT))
    assert first == second
    for html in first.values():
        assert html.endswith("</html>\n")
        assert "\r" not in html
        assert str(ROOT) not in html
