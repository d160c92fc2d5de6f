"""Shared by the docs site tests: a project full of hostile text, an HTML reader that
collects what the link and escaping checks need, and readers of one article or table."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from engine.ir import Project
from engine.project import compile_project, read_files

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "tests" / "corpus" / "_base"

# Each edit puts markup, a template expression or a script-ending string where a team
# writes free text; the site must show every one of them as text.
HOSTILE_EDITS = (
    ("accord.yaml", "name: Corpus Co", 'name: "Corpus <i>Co</i>"'),
    (
        "glossary/terms.yaml",
        "definition: The slice of the market a sales team covers.",
        'definition: "<script>alert(1)</script> {{ 7*7 }} & friends"\n'
        "    aliases:\n"
        '      marketing: ["</script><script>alert(2)</script>"]',
    ),
    (
        "rules/scoring.yaml",
        "        points: 20\n",
        '        points: 20\n        why: "<img src=x onerror=alert(3)>"\n',
    ),
    (
        "rules/routing.yaml",
        "when: not is_null(account_owner)",
        'when: account_owner != "</text><svg onload=alert(4)>"',
    ),
    (
        "slas/service.yaml",
        "    applies_to: mql\n",
        '    description: "<iframe src=https://example.com></iframe>"\n    applies_to: mql\n',
    ),
)
HOSTILE_TEXTS = (
    "<script>alert(1)</script> {{ 7*7 }} & friends",
    "<img src=x onerror=alert(3)>",
    "<iframe src=https://example.com></iframe>",
    "Corpus <i>Co</i>",
)


def hostile_project(tmp_path: Path) -> Path:
    """A copy of tests/corpus/_base with hostile text in every kind of free text."""
    project = tmp_path / "hostile"
    shutil.copytree(BASE, project)
    for relative, old, new in HOSTILE_EDITS:
        path = project / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (relative, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    return project


def compiled(root: Path) -> Project:
    result = compile_project(read_files(root))
    assert result.ok, result.diagnostics
    assert result.project is not None
    return result.project


@dataclass
class Parsed:
    ids: set[str] = field(default_factory=set)
    hrefs: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # every src= attribute
    tags: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parsed = Parsed()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parsed.tags.append(tag)
        for name, value in attrs:
            if name == "id" and value is not None:
                self.parsed.ids.add(value)
            elif name == "href" and value is not None:
                self.parsed.hrefs.append(value)
            elif name == "src":
                self.parsed.sources.append(value or "")

    def handle_data(self, data: str) -> None:
        self.parsed.text.append(data)


def parse(html: str) -> Parsed:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.parsed


def article(html: str, anchor: str) -> str:
    """The HTML of the <article> (or table row) with this id."""
    match = re.search(rf'<(article|tr)[^>]* id="{re.escape(anchor)}".*?</\1>', html, re.DOTALL)
    assert match, anchor
    return match.group(0)


def table_rows(html: str, table: str) -> list[list[str]]:
    """The text of each body cell of the table with this id, row by row."""
    match = re.search(
        rf'<table[^>]* id="{re.escape(table)}".*?<tbody>(.*?)</tbody>', html, re.DOTALL
    )
    assert match, table
    return [
        [unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", match.group(1), re.DOTALL)
    ]
