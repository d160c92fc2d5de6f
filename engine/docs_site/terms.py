"""The glossary page's view: every term with its aliases, live meaning and usages, and the
search index the page's script filters by.

The meaning is `engine.glossary.entry`'s: for a term bound to a stage or disqualifier, that
definition's condition as it runs now, so the page cannot drift from the rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from markupsafe import Markup

from engine.docs_site.facts import Link, one_line, where
from engine.docs_site.links import Locator, anchor
from engine.glossary import entry
from engine.ir import Project


@dataclass(frozen=True)
class AliasView:
    party: str
    texts: tuple[str, ...]


@dataclass(frozen=True)
class UsageView:
    kind: str
    definition: Link
    where: str
    condition: str


@dataclass(frozen=True)
class TermView:
    id: str
    anchor: str
    name: str
    definition: str
    means: str | None  # the deciding condition, as written
    means_where: str | None
    bound_to: Link | None  # the stage or disqualifier a bound term is
    aliases: tuple[AliasView, ...]
    owners: str
    see_also: tuple[Link, ...]
    where: str
    used_by: tuple[UsageView, ...]


def terms(project: Project, locator: Locator) -> tuple[TermView, ...]:
    """The terms, sorted by name (then id): a glossary is read alphabetically."""
    names = {party.id: party.name for party in project.parties}
    views = []
    for term in sorted(project.terms, key=lambda t: (t.name.casefold(), t.id)):
        found = entry(project, term)
        meaning = found.meaning
        bound_to = None
        if meaning.bound_to is not None:
            kind, _, id_ = meaning.bound_to.partition(" ")
            bound_to = Link(meaning.bound_to, locator.href(kind, id_))
        elif meaning.binding is not None:
            bound_to = Link(meaning.binding, None)
        parties: dict[str, list[str]] = {}
        for alias in term.aliases:
            parties.setdefault(alias.party, []).append(alias.text)
        views.append(
            TermView(
                term.id,
                anchor("term", term.id),
                term.name,
                one_line(term.definition) or "",
                meaning.text,
                where(meaning.span) if meaning.span else None,
                bound_to,
                tuple(
                    AliasView(names.get(party, party), tuple(texts))
                    for party, texts in sorted(parties.items())
                ),
                ", ".join(names.get(owner.id, owner.id) for owner in term.owners),
                tuple(Link(ref.id, locator.href("term", ref.id)) for ref in term.see_also),
                where(term.span),
                tuple(
                    UsageView(
                        usage.kind,
                        Link(usage.id, locator.href(usage.kind, usage.id)),
                        where(usage.span),
                        usage.condition,
                    )
                    for usage in found.used_by
                ),
            )
        )
    return tuple(views)


def search_index(views: tuple[TermView, ...]) -> Markup:
    """The terms as JSON for a `<script type="application/json">` block.

    `<`, `>` and `&` are written as JSON escapes, so no text (a `</script>` in an alias,
    a `<!--`) can end the block or change how the HTML around it is parsed; JSON.parse
    reads them back as the characters they were.
    """
    data = [
        {
            "id": view.id,
            "name": view.name,
            "anchor": view.anchor,
            "aliases": [
                {"party": alias.party, "text": text}
                for alias in view.aliases
                for text in alias.texts
            ],
        }
        for view in views
    ]
    text = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)
