"""What the target generators share: regex arguments, case mapping, unsupported notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlglot import exp
from sqlglot.generator import Generator

from engine.sql.dialects.regex import RegexUnsupported, anchored_at_start

T = TypeVar("T")


def translated(gen: Generator, node: exp.Expr, translate: Callable[[str], T], fallback: T) -> T:
    """The regex literal `node` translated for the target, or `fallback` with an
    unsupported message (regexes are literals by validation: a computed one is refused)."""
    if not (isinstance(node, exp.Literal) and node.is_string):
        gen.unsupported(
            f"a regex that is not a literal has no {gen.dialect.__class__.__name__} form"
        )
        return fallback
    try:
        return translate(node.name)
    except RegexUnsupported as reason:
        gen.unsupported(f"the regex {node.name!r} uses {reason}, which {_name(gen)} cannot express")
        return fallback


def _name(gen: Generator) -> str:
    return gen.dialect.__class__.__name__


def string(gen: Generator, text: str) -> str:
    """A string literal in the target's syntax (its own backslash escaping)."""
    return gen.sql(exp.Literal.string(text))


def replacement(gen: Generator, node: exp.RegexpReplace, *, replaces_all: bool) -> str:
    """The replacement argument, checked: only literal text (no group references, whose
    syntax differs), and for engines that replace every match, a pattern anchored at the
    start, which can match only once."""
    value = node.args.get("replacement")
    if node.args.get("modifiers") is not None:
        gen.unsupported("regexp_replace with modifiers")
    if not (isinstance(value, exp.Literal) and value.is_string) or any(
        c in value.name for c in "\\$&"
    ):
        gen.unsupported(f"a regex replacement other than plain text has no {_name(gen)} form")
    pattern = node.expression
    if replaces_all and not (isinstance(pattern, exp.Literal) and _anchored(pattern.name)):
        gen.unsupported(
            f"{_name(gen)} replaces every match where DuckDB replaces the first;"
            " only a pattern anchored at the start means the same"
        )
    return gen.sql(value) if value is not None else "''"


def _anchored(pattern: str) -> bool:
    try:
        return anchored_at_start(pattern)
    except RegexUnsupported:
        return False


def lower(gen: Generator, node: exp.Lower) -> str:
    """lower() by the Unicode simple case mapping, as DuckDB and the interpreter do.

    Engines that apply the full mapping (Java, ICU) differ from it in lower case only for
    U+0130 (İ becomes i + a combining dot) and final sigma (Σ at a word's end becomes ς):
    mapping those two first gives DuckDB's result everywhere.
    """
    dotted_i, sigma, small_sigma = (
        string(gen, "\u0130"),
        string(gen, "\u03a3"),
        string(gen, "\u03c3"),
    )
    inner = f"REPLACE(REPLACE({gen.sql(node, 'this')}, {dotted_i}, 'i'), {sigma}, {small_sigma})"
    return f"LOWER({inner})"


def upper(gen: Generator, node: exp.Upper) -> str:
    gen.unsupported(
        f"upper() on {_name(gen)} applies the full Unicode case mapping (ß becomes SS,"
        " ligatures two letters) where DuckDB maps each character to one; results differ"
        " for such characters"
    )
    return f"UPPER({gen.sql(node, 'this')})"
