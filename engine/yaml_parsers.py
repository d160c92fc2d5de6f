"""Which YAML parser reads a definition file, and the bounds that keep either from running away.

libyaml's C parser builds the same node tree as PyYAML's pure-Python one, marks included,
several times faster. But its composer recurses once per nesting level with no limit and
crashes the process (a segfault, not an exception) somewhere past 20,000 levels, which
`- - - - …` reaches in 40 KB. Below the bound `nesting_bound` computes from the text, libyaml
is safe; above it the pure-Python parser runs, whose recursion ends in a RecursionError the
loader reports. Both stop composing past MAX_VALUES values.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import Node

from engine.span import LINE_BREAK

# Values (scalars, lists and mappings) one file may hold: 200 times the example
# organisation's largest file, and far fewer than the million that 2 MiB of `- 1` lines
# hold, which took seconds and hundreds of megabytes to build before the schema said no.
MAX_VALUES = 100_000

C_LOADER_MAX_NESTING = 5_000


class TooManyValues(Exception):
    """Composition stopped at the value past MAX_VALUES."""


class _Counting:
    """A loader mix-in that stops composing past MAX_VALUES values. Both parsers ask the
    resolver for the tag of every value written without one, before building its node."""

    _values = 0

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        self._values += 1
        if self._values > MAX_VALUES:
            raise TooManyValues
        return super().resolve(kind, value, implicit)  # type: ignore[misc, no-any-return]


class _SafeLoader(_Counting, yaml.SafeLoader):
    pass


_C_SAFE_LOADER = getattr(yaml, "CSafeLoader", None)
C_LOADER = None if _C_SAFE_LOADER is None else type("_CSafeLoader", (_Counting, _C_SAFE_LOADER), {})


def loader_for(text: str) -> Any:
    """libyaml's loader when the text cannot nest deep enough to crash it, else PyYAML's."""
    if C_LOADER is not None and nesting_bound(text) <= C_LOADER_MAX_NESTING:
        return C_LOADER
    return _SafeLoader


# A line's indentation and the block indicators (`- `, `? `, `: `), anchors and tags that
# open it.
_BLOCK_OPENING = re.compile(r"^[ ]*(?:[-?:](?:[ ]+|$)|[&!][^ \n]*(?:[ ]+|$))*", re.MULTILINE)


def nesting_bound(text: str) -> int:
    """An upper bound on how deep the document's values can nest: the cheaper of two, or
    the closer one when the cheap one is too high for libyaml."""
    crude = indicator_bound(text)
    return crude if crude <= C_LOADER_MAX_NESTING else indentation_bound(text)


def indicator_bound(text: str) -> int:
    """Every nested level is opened by a bracket or by a block indicator (`-`, `?`, `:`)."""
    return sum(text.count(c) for c in "[{-?:") + 1


def indentation_bound(text: str) -> int:
    """Flow collections nest by brackets, at most one level per `[` or `{`. Block
    collections nest by indentation: a nested one starts further right, by indentation or
    after an indicator on its parent's line (`- - x`), except a list under a key, which may
    start level with it; so every two levels take at least one more column at the start of
    a line. (Counting indicators alone sent flat files of a million `- 1` lines to the slow
    pure-Python parser.)"""
    brackets = text.count("[") + text.count("{")
    lines = LINE_BREAK.sub("\n", text)  # `^` knows only LF; YAML breaks lines at CR too
    opening = max(len(m.group()) for m in _BLOCK_OPENING.finditer(lines))
    return brackets + 2 * opening + 2
