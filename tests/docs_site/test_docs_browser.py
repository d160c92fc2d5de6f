"""The docs site in a real headless browser: Debian's chromium, driven by its command line.

Each check runs one `chromium --headless` process on a page under file:// (no server, no
network): `--dump-dom` gives the DOM after the page's script ran (`--virtual-time-budget`
lets it finish), `--screenshot` a PNG, and `--enable-logging=stderr` every console message,
uncaught exception and Content-Security-Policy violation as a `CONSOLE` line on stderr.
The tests skip, saying why, only where no chromium is installed.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from docs_site_fixture import ROOT, compiled, hostile_project, parse

from engine.docs_site import build_site, write_site
from engine.docs_site.history import read_history

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no `chromium` on PATH: the docs site's browser tests need a real headless browser"
    " (Debian/Ubuntu: apt-get install -y chromium)",
)
# chromium logs a page's console as `...:INFO:CONSOLE:12] "message", source: file:///...`
# (older releases: `INFO:CONSOLE(12)]`).
_CONSOLE = re.compile(r":CONSOLE[:(]\d*\)?\]\s*(.*)")
AS_OF = dt.datetime(2026, 12, 1)


@dataclass(frozen=True)
class Visit:
    dom: str
    console: list[str]


def visit(url: str, profile: Path, *flags: str) -> Visit:
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",  # root in CI containers; the pages are our own files
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-extensions",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=2000",
            *flags,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [m.group(1) for line in done.stderr.splitlines() if (m := _CONSOLE.search(line))]
    return Visit(done.stdout, console)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's site with its history page: the sample leads, SLA compliance and all."""
    out = tmp_path_factory.mktemp("docs") / "site"
    project = compiled(ROOT)
    history = read_history(project, ROOT / "history" / "sample-leads.parquet", AS_OF)
    write_site(build_site(project, history), out)
    return out


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    return tmp_path / "profile"


def _visible_terms(dom: str) -> list[str]:
    """The ids of the glossary's terms the search left shown (the rest carry `hidden`)."""
    found = re.findall(r'<article class="term" id="term-([^"]+)"([^>]*)>', dom)
    assert found, "no terms in the page"
    return [term for term, attributes in found if "hidden" not in attributes]


def test_the_console_check_sees_errors(tmp_path: Path, profile: Path) -> None:
    """The check the other tests rely on: a page with a script error fails it."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body>"
        "<script>console.error('loud'); undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    console = visit(page.as_uri(), profile, "--dump-dom").console
    assert any("loud" in line for line in console)
    assert any("Uncaught ReferenceError" in line for line in console)
    # What the site's policy refuses (a script or image its text smuggled in) is logged too.
    page.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy"'
        " content=\"default-src 'none'; script-src 'none'\"><title>x</title></head>"
        '<body><img src="x.png"><script>alert(1)</script></body></html>',
        encoding="utf-8",
    )
    refused = visit(page.as_uri(), profile, "--dump-dom").console
    assert len(refused) == 2
    assert all("Content Security Policy" in line for line in refused)


def test_every_page_loads_without_console_errors(site: Path, profile: Path) -> None:
    pages = sorted(site.glob("*.html"))
    assert len(pages) == 8
    assert site / "history.html" in pages
    for page in pages:
        shown = visit(page.as_uri(), profile, "--dump-dom")
        assert shown.console == [], f"{page.name}: {shown.console}"
        assert "<main>" in shown.dom, page.name
        assert "</html>" in shown.dom, page.name


def test_every_link_leads_to_a_page_the_browser_loads(site: Path, profile: Path) -> None:
    """Each page linked from the overview opens, and each anchor it links to exists there."""
    index = visit((site / "index.html").as_uri(), profile, "--dump-dom")
    targets = sorted({href.partition("#")[0] for href in parse(index.dom).hrefs})
    assert "glossary.html" in targets
    assert "routing.html" in targets
    assert "history.html" in targets
    for target in targets:
        shown = visit((site / target).as_uri(), profile, "--dump-dom")
        assert shown.console == []
        ids = parse(shown.dom).ids
        for href in parse(shown.dom).hrefs:
            page, _, anchor = href.partition("#")
            assert (site / (page or target)).is_file(), href
            if anchor and not page:
                assert anchor in ids, f"{target}: {href}"


def test_the_history_page_draws_each_slas_compliance(site: Path, profile: Path) -> None:
    """The SLA page's link to an SLA's compliance lands on its charted section."""
    slas = visit((site / "slas.html").as_uri(), profile, "--dump-dom")
    linked = [h for h in parse(slas.dom).hrefs if h.startswith("history.html#compliance-")]
    assert len(linked) == 5
    shown = visit((site / "history.html").as_uri(), profile, "--dump-dom")
    assert shown.console == []
    ids = parse(shown.dom).ids
    assert all(href.partition("#")[2] in ids for href in linked)
    # The three distributions and one monthly chart per SLA, parsed as SVG by the browser.
    assert shown.dom.count("<svg") == 8
    assert shown.dom.count("<title>Compliance per month: ") == 5


def test_glossary_search_finds_a_term_by_alias(site: Path, profile: Path) -> None:
    glossary = site / "glossary.html"
    everything = visit(glossary.as_uri(), profile, "--dump-dom")
    assert everything.console == []
    assert len(_visible_terms(everything.dom)) == 28
    assert 'id="search-status" class="muted" role="status">28 terms<' in everything.dom

    # "hot lead" is what marketing calls an MQL: only the MQL is left, and it says why.
    found = visit(f"{glossary.as_uri()}#q=hot%20lead", profile, "--dump-dom")
    assert found.console == []
    assert _visible_terms(found.dom) == ["mql"]
    assert "1 of 28 terms match “hot lead”" in found.dom
    assert "“hot lead” is what Marketing calls it." in found.dom

    # The search box on every page submits ?q=; sales' word finds the same term.
    asked = visit(f"{glossary.as_uri()}?q=inbound+lead", profile, "--dump-dom")
    assert _visible_terms(asked.dom) == ["mql"]
    assert "“inbound lead” is what Sales calls it." in asked.dom


def test_screenshot_of_the_glossary(site: Path, tmp_path: Path, profile: Path) -> None:
    png = tmp_path / "glossary.png"
    shown = visit(
        (site / "glossary.html").as_uri(),
        profile,
        f"--screenshot={png}",
        "--window-size=1280,900",
        "--hide-scrollbars",
    )
    assert shown.console == []
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 900)
    # A blank page compresses to a few kilobytes; a page of text and boxes does not.
    assert len(data) > 30_000


def test_hostile_text_runs_nothing_in_the_browser(tmp_path: Path, profile: Path) -> None:
    out = tmp_path / "site"
    write_site(build_site(compiled(hostile_project(tmp_path))), out)
    for name in ("glossary.html", "routing.html", "score-fit.html", "slas.html"):
        shown = visit((out / name).as_uri(), profile, "--dump-dom")
        # An injected script, handler, image or frame would be refused by the page's
        # policy, which logs a console line; and none is in the DOM.
        assert shown.console == [], f"{name}: {shown.console}"
        assert "<title>" in shown.dom
        parsed = parse(shown.dom)
        assert "img" not in parsed.tags
        assert "iframe" not in parsed.tags
    glossary = visit(f"{(out / 'glossary.html').as_uri()}#q=alert(2)", profile, "--dump-dom")
    assert _visible_terms(glossary.dom) == ["territory"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &amp; friends" in glossary.dom
