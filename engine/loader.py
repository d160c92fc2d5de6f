"""Read one YAML definition file into a Document, keeping every position, refusing YAML's traps.

PyYAML's composer gives a node tree with marks; we build plain values from it ourselves so
that nothing user-written is ever constructed as a Python object, duplicate keys are errors,
aliases cannot expand without bound, and YAML 1.1 surprises (`NO` read as false, `17:30`
read as 1050) are caught where they happen instead of surfacing as odd behaviour later.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.diagnostics import Diagnostic, Note, diagnostic
from engine.document import Document, Path, ScalarSource
from engine.span import Span, offset_position, source_lines
from engine.yaml_parsers import C_LOADER, MAX_VALUES, TooManyValues, loader_for

MAX_FILE_BYTES = 2 * 1024 * 1024
# Nodes an alias may add beyond the ones written out: generous for anchors reused by hand,
# far below what a "billion laughs" document needs.
MAX_ALIAS_NODES = 10_000
MAX_DEPTH = 64

_TAG = "tag:yaml.org,2002:"
# What the safe resolver assigns to untagged values, plus the same tags written out (`!!str`).
# Anything else (`!!python/object`, `!!binary`, `!custom`) is refused.
_ALLOWED_TAGS = {
    _TAG + t
    for t in (
        "str",
        "int",
        "float",
        "bool",
        "null",
        "timestamp",
        "merge",
        "value",
        "yaml",
        "seq",
        "map",
    )
}
# The words PyYAML's resolver reads as booleans besides true and false (YAML 1.2 does not).
_YAML11_BOOLEANS = {"yes", "no", "on", "off"}
_OCTAL = re.compile(r"[-+]?0[0-7_]+$")
_SCALARS = yaml.constructor.SafeConstructor()  # only its int and float parsers are used
_SYNTAX_HINTS = (
    (
        "mapping values are not allowed",
        "a value contains `: `; quote the value, or fix this line's indentation",
    ),
    ("could not find expected ':'", "a key is missing its `:`, or this line is indented wrongly"),
    (
        "cannot start any token",
        "YAML does not allow tabs or this character here; indent with spaces",
    ),
    ("expected <block end>", "this line's indentation does not match the lines around it"),
    ("did not find expected key", "this line's indentation does not match the lines around it"),
    (
        "did not find expected '-' indicator",
        "this list item is indented differently from the others",
    ),
    ("found undefined alias", "an alias `*name` needs an anchor `&name` before it"),
    ("unexpected end of stream", "a quote or bracket is not closed"),
    (
        "found unknown escape character",
        "in double quotes a backslash starts an escape; use single quotes",
    ),
)


class _AliasOverflow(Exception):
    """Aliases expanded past the bound while building the `entry`-th alias in the document."""

    def __init__(self, entry: int, span: Span) -> None:
        super().__init__(entry)
        self.entry = entry
        self.span = span


class _Unreadable(Exception):
    """A document too deep or too alias-heavy to build; building stops at the first one."""

    def __init__(self, problem: Diagnostic) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _mark_span(path: str, start: Any, end: Any) -> Span:
    if (
        end is None
        or end.line < start.line
        or (end.line == start.line and end.column <= start.column)
    ):
        return Span.point(path, start.line + 1, start.column + 1)
    return Span(path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _within_text(found: Diagnostic, text: str) -> Diagnostic:
    """The diagnostic, moved back onto the text's last line when libyaml places an error at
    the end of the stream one line past it (the implied final line break)."""
    lines = source_lines(text)
    if found.span.line <= len(lines):
        return found
    return replace(found, span=Span.point(found.span.file, len(lines), len(lines[-1]) + 1))


def _offset_span(path: str, text: str, offset: int) -> Span:
    return Span.point(path, *offset_position(text, offset))


def decode(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text (a leading byte-order mark dropped), or a diagnostic naming the bad byte."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            diagnostic(
                "Y110",
                f"file is {len(raw):,} bytes; definition files may be at most {MAX_FILE_BYTES:,}",
                Span.whole_file(path),
                help="split the definitions over several files",
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        prefix = raw[: error.start].decode("utf-8", errors="replace")
        return None, [
            diagnostic(
                "Y107",
                f"byte 0x{raw[error.start]:02x} is not valid UTF-8",
                _offset_span(path, prefix, len(prefix)),
                help="save the file as UTF-8",
            )
        ]
    return text.removeprefix("\ufeff"), []


def load_document(path: str, raw: bytes) -> tuple[Document | None, list[Diagnostic]]:
    """Decode and parse one file: the document (None when it cannot be read), its problems."""
    text, problems = decode(path, raw)
    if text is None:
        return None, problems
    return parse_document(path, text)


def parse_document(path: str, text: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one file's text into a Document (None when it cannot be read) and its problems."""
    loader_class = loader_for(text)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        return None, [_within_text(_syntax_diagnostic(path, error), text)]
    except yaml.YAMLError as error:  # ReaderError: a control character in the text
        position = getattr(error, "position", 0)
        if loader_class is C_LOADER:  # libyaml counts the offset in UTF-8 bytes
            encoded = text.encode("utf-8", "surrogatepass")[:position]
            position = len(encoded.decode("utf-8", "ignore"))
        return None, [
            diagnostic(
                "Y101",
                f"YAML syntax: {error}".splitlines()[0],
                _offset_span(path, text, position),
                help="remove the control character",
            )
        ]
    except TooManyValues:
        return None, [_too_many_values(_value_span(path, text, MAX_VALUES + 1))]
    except RecursionError:
        return None, [
            diagnostic(
                "Y101",
                "YAML nesting is too deep to read",
                Span.whole_file(path),
                help=f"definitions nest at most {MAX_DEPTH} levels",
            )
        ]
    finally:
        loader.dispose()
    if node is None:
        return None, [
            diagnostic(
                "Y108",
                "file is empty",
                Span.whole_file(path),
                help="start the file with `apiVersion: accord/v1` and a `kind:`",
            )
        ]
    builder = _Builder(path)
    try:
        data = builder.build(node, (), 0)
    except _Unreadable as unreadable:
        return None, [*builder.problems, unreadable.problem]
    except _AliasOverflow as overflow:
        return None, [
            *builder.problems,
            diagnostic(
                "Y104",
                f"aliases expand to more than {MAX_ALIAS_NODES:,} extra values",
                _alias_span(path, text, overflow.entry) or overflow.span,
                help="write the values out instead of aliasing them",
            ),
        ]
    problems = builder.problems
    document = Document(
        path,
        text,
        data,
        builder.value_spans,
        builder.key_spans,
        builder.scalars,
        frozenset(builder.coerced),
    )
    return document, problems


def _alias_span(path: str, text: str, entry: int) -> Span | None:
    """The span of the entry-th alias (`*name`) in the text, counting from 1."""
    tokens = yaml.scan(text, Loader=loader_for(text))
    return _nth_span(path, (t for t in tokens if isinstance(t, yaml.AliasToken)), entry)


def _too_many_values(span: Span) -> Diagnostic:
    return diagnostic(
        "Y111",
        f"file holds more than {MAX_VALUES:,} values",
        span,
        help="split the definitions over several files",
    )


def _value_span(path: str, text: str, entry: int) -> Span:
    """The span of the entry-th value in the text, counting from 1."""
    events = yaml.parse(text, Loader=loader_for(text))
    kinds = (yaml.ScalarEvent, yaml.CollectionStartEvent)
    found = _nth_span(path, (e for e in events if isinstance(e, kinds)), entry)
    return found or Span.whole_file(path)


def _nth_span(path: str, marked: Iterable[Any], entry: int) -> Span | None:
    """The span of the entry-th of the tokens or events, counting from 1, if there is one."""
    found = next(itertools.islice(marked, entry - 1, None), None)
    return None if found is None else _mark_span(path, found.start_mark, found.end_mark)


def _syntax_diagnostic(path: str, error: yaml.MarkedYAMLError) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    span = Span.point(path, mark.line + 1, mark.column + 1) if mark else Span.whole_file(path)
    problem = error.problem or "invalid YAML"
    if (
        "expected a single document" in (error.context or "")
        or "expected a single document" in problem
    ):
        return diagnostic(
            "Y108",
            "file holds more than one YAML document",
            span,
            help="keep one document per file: remove this `---` or move what follows into its own file",
        )
    hint = next(
        (h for text, h in _SYNTAX_HINTS if text in problem), "fix the YAML syntax at this position"
    )
    context = f" ({error.context})" if error.context else ""
    return diagnostic("Y101", f"YAML syntax: {problem}{context}", span, help=hint)


@dataclass
class _Builder:
    """Turns a node tree into plain values, recording positions and problems as it goes."""

    path: str
    problems: list[Diagnostic] = field(default_factory=list)
    value_spans: dict[Path, Span] = field(default_factory=dict)
    key_spans: dict[Path, Span] = field(default_factory=dict)
    scalars: dict[Path, ScalarSource] = field(default_factory=dict)
    coerced: set[Path] = field(default_factory=set)
    _seen: set[int] = field(default_factory=set)
    _open: set[int] = field(default_factory=set)
    _values: int = 0  # nodes built once (the composer counts only untagged ones)
    _alias_nodes: int = 0  # nodes built again through aliases
    _alias_entries: int = 0  # aliases met outside other aliases' expansions, so far
    _expanding: int = 0  # how many alias expansions the builder is inside

    def span(self, node: Node) -> Span:
        return _mark_span(self.path, node.start_mark, node.end_mark)

    def build(self, node: Node, at: Path, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _Unreadable(
                diagnostic(
                    "Y101",
                    f"values nest more than {MAX_DEPTH} levels deep",
                    self.span(node),
                    help="flatten the structure; no definition needs this depth",
                )
            )
        key = id(node)
        if key in self._open:
            raise _Unreadable(
                self._alias_problem(node, "an alias refers to a value that contains it")
            )
        revisit = key in self._seen  # reached again through an alias
        if revisit:
            if self._expanding == 0:
                self._alias_entries += 1  # aliases outside expansions come in document order
            self._alias_nodes += 1
            if self._alias_nodes > MAX_ALIAS_NODES:
                raise _AliasOverflow(self._alias_entries, self.span(node))
        if key not in self._seen:
            self._values += 1
            if self._values > MAX_VALUES:
                raise _Unreadable(_too_many_values(self.span(node)))
            if node.tag not in _ALLOWED_TAGS:
                self._refuse_tag(node)
        self._seen.add(key)
        self.value_spans.setdefault(at, self.span(node))
        if isinstance(node, ScalarNode):
            return self.scalar(node, at)
        self._open.add(key)
        self._expanding += revisit
        try:
            if isinstance(node, SequenceNode):
                return [self.build(item, (*at, i), depth + 1) for i, item in enumerate(node.value)]
            assert isinstance(node, MappingNode)
            return self.mapping(node, at, depth)
        finally:
            self._open.discard(key)
            self._expanding -= revisit

    def _refuse_tag(self, node: Node) -> None:
        tag = node.tag
        shown = "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag
        self.problems.append(
            diagnostic(
                "Y103",
                f"YAML tag `{shown}` is not allowed in definitions",
                self.span(node),
                help="remove the tag; definitions hold plain values, and nothing in them is constructed as an object",
            )
        )
        node.tag = _TAG + (
            "str"
            if isinstance(node, ScalarNode)
            else "seq"
            if isinstance(node, SequenceNode)
            else "map"
        )

    def _alias_problem(self, node: Node, message: str) -> Diagnostic:
        return diagnostic(
            "Y104", message, self.span(node), help="write the values out instead of aliasing them"
        )

    def mapping(self, node: MappingNode, at: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Span] = {}
        merged: list[MappingNode] = []
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                merged.extend(self._merge_sources(value_node))
                continue
            key = self.key(key_node)
            if key is None:
                continue
            key_span = self.span(key_node)
            if key in first_seen:
                self.problems.append(
                    diagnostic(
                        "Y102",
                        f"duplicate key `{key}`",
                        key_span,
                        help="remove one of them; YAML would silently keep only the last",
                        notes=[Note(f"`{key}` first defined here", first_seen[key])],
                    )
                )
                continue
            first_seen[key] = key_span
            self.key_spans.setdefault((*at, key), key_span)
            result[key] = self.build(value_node, (*at, key), depth + 1)
        # Merged mappings (`<<: *defaults`) fill in keys the mapping did not write itself;
        # positions already recorded for written keys are kept (setdefault).
        for source in merged:
            for key, value in self.build(source, at, depth + 1).items():
                result.setdefault(key, value)
        return result

    def _merge_sources(self, value: Node) -> list[MappingNode]:
        nodes = value.value if isinstance(value, SequenceNode) else [value]
        sources = [n for n in nodes if isinstance(n, MappingNode)]
        if len(sources) != len(nodes):
            self.problems.append(
                diagnostic(
                    "Y101",
                    "a merge key `<<` takes a mapping or a list of mappings",
                    self.span(value),
                    help="write `<<: *anchor` where `&anchor` marks a mapping",
                )
            )
        return sources

    def key(self, node: Node) -> str | None:
        span = self.span(node)
        if not isinstance(node, ScalarNode):
            self.problems.append(
                diagnostic(
                    "Y109",
                    "a mapping key must be text, not a list or mapping",
                    span,
                    help="use a plain name as the key",
                )
            )
            return None
        value = self.scalar(node, None)
        if isinstance(value, str):
            return value
        if isinstance(value, bool) and node.value.lower() in _YAML11_BOOLEANS:
            return None  # already reported as Y105
        self.problems.append(
            diagnostic(
                "Y109",
                f"key `{node.value}` is read as {_describe(value)}, not text",
                span,
                help=f'quote it: "{node.value}"',
            )
        )
        return None

    def number(self, node: ScalarNode, construct: Any) -> Any:
        """The number an `int` or `float` scalar holds; None, and a diagnostic, when an
        explicit tag (`!!int ~`, `!!float x`) names a type its text is not."""
        try:
            return construct(node)
        except (ValueError, IndexError):  # IndexError: PyYAML reads `!!int ""`'s first digit
            self.problems.append(
                diagnostic(
                    "Y103",
                    f"`{node.value}` is tagged `!!{node.tag.removeprefix(_TAG)}` but is not one",
                    self.span(node),
                    help="remove the tag; write the number itself, or quote the text",
                )
            )
            return None

    def scalar(self, node: ScalarNode, at: Path | None) -> Any:
        text: str = node.value
        tag: str = node.tag
        plain = not node.style  # None from the Python parser, "" from libyaml
        span = self.span(node)
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            value = text.lower() in ("true", "yes", "on")
            if plain and text.lower() in _YAML11_BOOLEANS:
                if at is not None:
                    self.coerced.add(at)
                self.problems.append(
                    diagnostic(
                        "Y105",
                        f"`{text}` is read as the boolean {str(value).lower()}",
                        span,
                        help=f'quote it if you mean the text ("{text}"); write true or false for a boolean',
                    )
                )
            return value
        if tag == _TAG + "int":
            if plain and (":" in text or _OCTAL.match(text)):
                number = self.number(node, _SCALARS.construct_yaml_int)
                if number is None:
                    return text
                kind = "a base-60 number" if ":" in text else "an octal number"
                self.problems.append(
                    diagnostic(
                        "Y106",
                        f"`{text}` is read as {kind} ({number})",
                        span,
                        help=f'quote it if you mean the text ("{text}"); write {number} if you mean that number',
                    )
                )
                return text
            return self.number(node, _SCALARS.construct_yaml_int)
        if tag == _TAG + "float":
            if plain and ":" in text:
                self.problems.append(
                    diagnostic(
                        "Y106",
                        f"`{text}` is read as a base-60 number",
                        span,
                        help=f'quote it: "{text}"',
                    )
                )
                return text
            return self.number(node, _SCALARS.construct_yaml_float)
        # Strings, and timestamps, which stay the text that was written: the schema and the
        # definitions decide what a date means, not YAML 1.1's resolver.
        if at is not None:
            self.scalars[at] = ScalarSource(node.style or None, span)
        return text


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if value is None:
        return "null"
    return "text"
