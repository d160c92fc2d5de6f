"""The docs site as data: a Project (and, optionally, its scored history) in, pages out.

`site_pages` lists the pages as typed values (path, title, template, view); `build_site`
renders them to `{relative path: html}`. Both are pure: the CLI writes the files
(engine.docs_site.write). The pages load nothing from anywhere: the stylesheet and the
glossary's script are inline, pinned by a Content-Security-Policy that allows exactly
them (by hash) and nothing else, so the site works from file:// and cannot be made to
fetch or run anything a definition's text smuggles in.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from markupsafe import Markup

from engine.docs_site import links
from engine.docs_site.compliance import compliance
from engine.docs_site.diagram import routing_diagram
from engine.docs_site.facts import Link, owners_of
from engine.docs_site.history import History, history_charts
from engine.docs_site.links import Locator
from engine.docs_site.rules import qualification, routing, score_groups
from engine.docs_site.service_levels import calendars, commitments, slas
from engine.docs_site.terms import search_index, terms
from engine.ir import Project
from engine.render.html_templates import html_environment
from engine.render.impact_format import count


def _static(name: str) -> str:
    return (resources.files("engine.docs_site") / "static" / name).read_text(encoding="utf-8")


_ENVIRONMENT = html_environment("engine.docs_site")
CSS = _static("site.css")
SCRIPT = _static("search.js")


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(script: bool) -> str:
    """Nothing may load; only this site's own inline stylesheet (and script) may apply."""
    scripts = _hash(SCRIPT) if script else "'none'"
    return f"default-src 'none'; style-src {_hash(CSS)}; script-src {scripts}; base-uri 'none'"


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    template: str
    view: Mapping[str, object]
    script: bool = False  # whether the page runs the glossary search


@dataclass(frozen=True)
class Contents:
    link: Link
    about: str


@dataclass(frozen=True)
class SourceView:
    path: str
    kind: str
    owners: str


def site_pages(project: Project, history: History | None = None) -> tuple[Page, ...]:
    """Every page of the site, in navigation order."""
    locator = Locator(project)
    term_views = terms(project, locator)
    found = [
        Page(
            links.GLOSSARY,
            "Glossary",
            "glossary.html.j2",
            {"terms": term_views, "index": search_index(term_views), "script": Markup(SCRIPT)},
            script=True,
        )
    ]
    for group in score_groups(project):
        found.append(
            Page(group.page, f"Score: {group.id}", "score_group.html.j2", {"group": group})
        )
    q = qualification(project)
    if q is not None:
        found.append(Page(links.QUALIFICATION, "Qualification", "qualification.html.j2", {"q": q}))
    r = routing(project, locator)
    if r is not None:
        view = {"routing": r, "diagram": routing_diagram(r.routes)}
        found.append(Page(links.ROUTING, "Routing", "routing.html.j2", view))
    measured = frozenset(s.sla for s in history.slas) if history is not None else frozenset()
    found.append(
        Page(
            links.SERVICE_LEVELS,
            "Service levels",
            "slas.html.j2",
            {
                "slas": slas(project, locator, measured=measured),
                "calendars": calendars(project, locator),
                "commitments": commitments(project),
            },
        )
    )
    if history is not None:
        grades = tuple(
            (Link(grade, locator.href("grade", grade)), count(n)) for grade, n in history.grades
        )
        view = {
            "source": history.source,
            "leads": count(history.leads),
            "as_of": history.as_of.isoformat() + "Z",
            "charts": history_charts(history),
            "grades": grades,
            "compliance": compliance(locator, history.slas),
        }
        found.append(Page(links.HISTORY, "History", "history.html.j2", view))
    contents = tuple(Contents(Link(page.title, page.path), _about(page)) for page in found)
    sources = tuple(
        SourceView(s.path, s.kind, owners_of(project, s.path))
        for s in sorted(project.sources, key=lambda s: s.path)
    )
    index = Page(
        links.INDEX, "Overview", "index.html.j2", {"contents": contents, "sources": sources}
    )
    return (index, *found)


def _about(page: Page) -> str:
    if page.path == links.GLOSSARY:
        return "the shared words, each team's aliases, live definitions and where each is used"
    if page.path == links.QUALIFICATION:
        return "stages, disqualifiers and grades"
    if page.path == links.ROUTING:
        return "the routing order as a diagram, every route, teams and queues"
    if page.path == links.SERVICE_LEVELS:
        return "SLAs, the business calendars they run on, and volume commitments"
    if page.path == links.HISTORY:
        return (
            "score, grade and stage distributions of past leads under the current rules,"
            " and each SLA's compliance over them"
        )
    return "every rule of the group, its points, owners, source and rule tests"


def render_page(project: Project, page: Page, pages: tuple[Page, ...]) -> str:
    nav = [Link(p.title, p.path) for p in pages]
    text = _ENVIRONMENT.get_template(page.template).render(
        project=project.name,
        title=page.title,
        current=page.path,
        nav=nav,
        css=Markup(CSS),
        csp=content_security_policy(page.script),
        **page.view,
    )
    return text if text.endswith("\n") else text + "\n"


def build_site(project: Project, history: History | None = None) -> dict[str, str]:
    """`{relative path: html}` for every page, sorted by path."""
    pages = site_pages(project, history)
    return {
        page.path: render_page(project, page, pages) for page in sorted(pages, key=lambda p: p.path)
    }
