"""Where each definition lives in the docs site: its page and anchor, so pages can link to it.

The site is flat (every page beside index.html), so a link is `page.html#anchor` from any
page. Ids are validated to lowercase letters, digits, `_` and `-` before a Project exists;
`slug` still replaces anything else (grade ids such as `A` keep their case), so no id can reach a path or an attribute unsafe.
"""

from __future__ import annotations

import re

from engine.ir import Project

INDEX = "index.html"
GLOSSARY = "glossary.html"
QUALIFICATION = "qualification.html"
ROUTING = "routing.html"
SERVICE_LEVELS = "slas.html"
HISTORY = "history.html"

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def slug(text: str) -> str:
    return _UNSAFE.sub("-", text) or "-"


def group_page(group_id: str) -> str:
    return f"score-{slug(group_id)}.html"


def anchor(kind: str, id_: str) -> str:
    """The element id of a definition on its page: `rule-senior_buyer`, `term-mql`."""
    return f"{kind}-{slug(id_)}"


class Locator:
    """The href of every definition of one project, by kind and id."""

    def __init__(self, project: Project) -> None:
        pages: dict[str, str] = {}
        if project.score_model:
            for group in project.score_model.groups:
                pages[f"group:{group.id}"] = group_page(group.id)
                for rule in group.rules:
                    pages[f"rule:{rule.id}"] = group_page(group.id)
        q = project.qualification
        if q:
            for kind, items in (
                ("grade", q.grades),
                ("disqualifier", q.disqualifiers),
                ("stage", q.stages),
            ):
                for item in items:
                    pages[f"{kind}:{item.id}"] = QUALIFICATION
        if project.routing:
            for route in project.routing.routes:
                pages[f"route:{route.id}"] = ROUTING
            for team in project.routing.teams:
                pages[f"team:{team.id}"] = ROUTING
            for queue in project.routing.queues:
                pages[f"queue:{queue.id}"] = ROUTING
        for sla in project.slas:
            pages[f"sla:{sla.id}"] = SERVICE_LEVELS
        for commitment in project.commitments:
            pages[f"commitment:{commitment.id}"] = SERVICE_LEVELS
        for calendar in project.calendars:
            pages[f"calendar:{calendar.id}"] = SERVICE_LEVELS
        for term in project.terms:
            pages[f"term:{term.id}"] = GLOSSARY
        self._pages = pages

    def href(self, kind: str, id_: str) -> str | None:
        """`score-fit.html#rule-senior_buyer`; None for what the site has no place for."""
        page = self._pages.get(f"{kind}:{id_}")
        if page is None:
            return None
        if kind == "group":
            return page
        return f"{page}#{anchor(kind, id_)}"
