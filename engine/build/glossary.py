"""Build the Glossary (glossary/*.yaml): terms, their aliases, what each term means, and the
example leads it must hold (or not hold) for."""

from __future__ import annotations

import re
from typing import Any

from engine.build.context import BuildContext
from engine.build.lead_values import datetime_at, lead_value
from engine.document import Path
from engine.expressions.scope import Context
from engine.ir import Alias, Binding, Condition, Expected, LeadModel, Term, TermExample

# `rules/qualification.yaml#mql`: a file of the project and the id of a definition in it.
BINDING = re.compile(
    r"(?P<path>[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*\.ya?ml)#(?P<target>[A-Za-z0-9_+-]+)"
)


def build_terms(ctx: BuildContext, lead_model: LeadModel | None) -> tuple[Term, ...]:
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
                examples=_examples(ctx, at, spec, lead_model),
            )
        )
    return tuple(terms)


def _means(ctx: BuildContext, at: Path, raw: object) -> Condition | Binding | None:
    if raw is None:
        return None
    if isinstance(raw, str) and (found := BINDING.fullmatch(raw.strip())):
        return Binding(found["path"], found["target"], ctx.span(at))
    return ctx.condition(at, Context.TERM)


def _examples(
    ctx: BuildContext, at: Path, spec: dict[str, Any], lead_model: LeadModel | None
) -> tuple[TermExample, ...]:
    """The term's examples, each lead checked against the lead model like a rule test's
    `given`, each with a clock: its own `as_of` or the file's, as rule tests have."""
    if "examples" not in spec:
        return ()
    if spec.get("means") is None:
        # Bindings to definitions that do not decide (a rule, a team) are only known once
        # they resolve; the dependency checks report examples on those.
        ctx.report(
            "E113",
            f"the glossary term `{spec['id']}` has examples but no `means`, so nothing decides"
            " whether it holds for a lead",
            ctx.key_span((*at, "examples")),
            help="give the term a `means:` (a condition or a binding), or remove its examples",
        )
        return ()
    file_as_of = ctx.value(("as_of",))
    examples = []
    for index, example in enumerate(spec["examples"]):
        here: Path = (*at, "examples", index)
        lead = tuple(
            lead_value(ctx, (*here, "lead", name), name, value, lead_model)
            for name, value in example["lead"].items()
        )
        if "as_of" in example:
            as_of = datetime_at(ctx, (*here, "as_of"))
        elif file_as_of is not None:
            as_of = datetime_at(ctx, ("as_of",))
        else:
            ctx.report(
                "S102",
                f"example {index + 1} of the term `{spec['id']}` has no `as_of` clock",
                ctx.span(here),
                help="add `as_of:` to the example, or once at the top of the file for all"
                " its examples",
            )
            continue
        if as_of is None:
            continue
        examples.append(
            TermExample(
                lead=lead,
                is_=Expected(example["is"], ctx.span((*here, "is"))),
                as_of=as_of,
                description=example.get("description"),
                span=ctx.span(here),
            )
        )
    return tuple(examples)
