"""Build the Glossary (glossary/*.yaml): terms, their aliases, and what each term means."""

from __future__ import annotations

import re

from engine.build.context import BuildContext
from engine.document import Path
from engine.expressions.scope import Context
from engine.ir import Alias, Binding, Condition, Term

# `rules/qualification.yaml#mql`: a file of the project and the id of a definition in it.
BINDING = re.compile(
    r"(?P<path>[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*\.ya?ml)#(?P<target>[A-Za-z0-9_+-]+)"
)


def build_terms(ctx: BuildContext) -> tuple[Term, ...]:
    terms = []
    for index, spec in enumerate(ctx.value(("terms",))):
        at: Path = ("terms", index)
        means = _means(ctx, (*at, "means"), spec.get("means"))
        aliases = tuple(
            Alias(party, text, ctx.span((*at, "aliases", party, position)))
            for party, texts in spec.get("aliases", {}).items()
            for position, text in enumerate(texts)
        )
        terms.append(
            Term(
                id=spec["id"],
                name=spec["name"],
                definition=spec["definition"],
                means=means,
                aliases=aliases,
                owners=ctx.id_refs((*at, "owners")),
                see_also=ctx.id_refs((*at, "see_also")),
                span=ctx.span(at),
            )
        )
    return tuple(terms)


def _means(ctx: BuildContext, at: Path, raw: object) -> Condition | Binding | None:
    if raw is None:
        return None
    if isinstance(raw, str) and (found := BINDING.fullmatch(raw.strip())):
        return Binding(found["path"], found["target"], ctx.span(at))
    return ctx.condition(at, Context.TERM)
