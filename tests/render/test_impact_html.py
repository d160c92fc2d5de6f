"""The impact report as one self-contained HTML page with inline SVG charts."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

from impact_fixture import bare, hostile, impact

from engine.render.impact_html import render_html

SVG = "{http://www.w3.org/2000/svg}"
VOID = frozenset(("meta", "link", "br", "hr", "img", "input"))


class Checker(HTMLParser):
    """Records every tag and attribute, and checks that elements nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs

    def handle_endtag(self, tag: str) -> None:
        assert self.open[-1:] == [tag], (self.open[-3:], tag)
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check(page: str) -> Checker:
    checker = Checker()
    checker.feed(page)
    checker.close()
    assert checker.open == []
    return checker


def svgs(page: str) -> list[ET.Element]:
    return [ET.fromstring(s) for s in re.findall(r"<svg.*?</svg>", page, flags=re.DOTALL)]


def test_page_is_well_nested_and_loads_nothing_from_elsewhere() -> None:
    page = render_html(impact())
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">\n')
    assert page.endswith("</html>\n")
    checker = check(page)
    assert "script" not in checker.tags
    assert "<script" not in page.lower()
    assert not {"link", "img", "iframe", "object", "embed"} & set(checker.tags)
    for name, value in checker.attributes:
        assert name != "src"
        assert not name.startswith("on")
        if name == "href":
            assert value is not None
            assert value.startswith("#")
    assert "url(" not in page
    assert "@import" not in page


def test_summary_and_tables() -> None:
    page = render_html(impact())
    assert "<title>Impact of main (0123456789ab) → working tree</title>" in page
    assert "<p>3 values in the leads file could not be read and count as missing</p>" in page
    assert "<tr><td>Qualified (sql or later)</td><td>1,200 → 1,350 (+150, +12.5%)</td></tr>" in page
    assert (
        '<tr><td>Precision</td><td class="num">20.0% (240 of 1,200)</td>'
        '<td class="num">22.0% (297 of 1,350)</td><td class="num">+2.0 pp</td></tr>'
    ) in page
    assert '<p class="note">37 more values are folded into (other)</p>' in page
    sections = re.findall(r'<section id="(\w+)">\n<h2>([^<]*)</h2>', page)
    assert sections == [
        ("summary", "Summary"),
        ("stages", "Stages"),
        ("breakdowns", "Breakdowns"),
        ("score", "Score shift"),
        ("outcomes", "Outcomes"),
        ("flips", "Why leads flipped"),
        ("routing", "Routing"),
        ("definitions", "Definitions changed"),
        ("fields", "Lead model fields"),
    ]


def test_charts_are_inline_svg_with_a_bar_per_value() -> None:
    charts = svgs(render_html(impact()))
    titles = [svg.findtext(f"{SVG}title") for svg in charts]
    assert titles == [
        "Leads per stage, before and after",
        "Score histogram, before and after",
        "Leads per week and team: mean and peak, before and after",
    ]
    stages, histogram, load = charts
    # Two legend swatches, then a bar per stage and side.
    assert len(stages.findall(f"{SVG}rect")) == 2 + 5 * 2
    labels = [t.text for t in histogram.findall(f"{SVG}text")]
    assert labels[-5:] == ["0–20", "20–40", "40–60", "60–80", "80–100"]
    assert labels[:3] == ["0", "2,500", "5,000"]
    tips = [r.findtext(f"{SVG}title") for r in histogram.findall(f"{SVG}rect")]
    assert "80–100, after: 650" in tips
    # A dashed capacity line for the team that has one, none for the team without.
    capacity = [line.findtext(f"{SVG}title") for line in load.findall(f"{SVG}line")]
    assert [c for c in capacity if c] == ["team:emea, capacity: 250"]


def test_sections_and_charts_without_inputs_are_left_out() -> None:
    page = render_html(bare())
    check(page)
    assert re.findall(r'<section id="(\w+)">', page) == ["summary", "stages", "score"]
    assert len(svgs(page)) == 2


def test_hostile_values_are_escaped_in_tables_and_charts() -> None:
    page = render_html(hostile())
    checker = check(page)
    assert "img" not in checker.tags
    assert "<img" not in page
    assert "<td>&lt;img src=x onerror=alert(1)&gt;</td>" in page
    assert "<h1>Impact of main (0123456789ab) → &lt;img src=x onerror=alert(1)&gt;</h1>" in page
    # The escaped text reads back as the original value.
    assert "[click](javascript:alert(1))" in checker.text
    stages = svgs(page)[0]
    labels = [t.text for t in stages.findall(f"{SVG}text")]
    assert "<img src=x oner…" in labels
    assert 'say "hi"; %%{in…' in labels


def test_values_are_shown_on_one_line_in_the_order_written() -> None:
    report = impact()
    row = dataclasses.replace(report.breakdowns[0].rows[0], value="Acme\u202e\nLtd")
    breakdown = dataclasses.replace(report.breakdowns[0], rows=(row,))
    page = render_html(dataclasses.replace(report, breakdowns=(breakdown,)))
    assert "<tr><td>Acme  Ltd</td>" in page
    assert "\u202e" not in page


def test_deterministic() -> None:
    assert render_html(impact()) == render_html(impact())
