"""What the fuzz tests feed Accord, and what every answer must satisfy.

Strategies: YAML-ish text from a small grammar (mappings, lists, flow style, anchors,
aliases, tags, odd scalars), and mutations of the example organisation's files (lines
deleted, duplicated, swapped or re-indented, scalars replaced, bytes inserted, files cut
short, dropped or copied, subtrees of the parsed YAML replaced). The invariant: every
diagnostic has a catalogued code and points inside one of the files it was given.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from engine.codes import CODES
from engine.diagnostics import Diagnostic
from engine.project import read_files
from engine.span import Span, source_lines

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE: dict[str, bytes] = read_files(ROOT)

ODD_SCALARS = [
    "~",
    "null",
    "''",
    '""',
    "[]",
    "{}",
    "yes",
    "no",
    "on",
    "off",
    "Y",
    "NO",
    ".nan",
    "-.inf",
    ".inf",
    "1e999",
    "-0",
    "0x1F",
    "0o17",
    "017",
    "1_000",
    "9" * 40,
    "2026-13-45",
    "2026-02-30T25:61:00Z",
    "12:30:00",
    "&a x",
    "*a",
    "*nope",
    "!!python/object/apply:os.system ['true']",
    "!custom x",
    "!!binary aGk=",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "<<: *a",
    "? x",
    "|",
    ">-",
    "'",
    '"',
    '"\\x00\\uD800"',
    "'{{ 7*7 }}'",
    "'@everyone'",
    "'=HYPERLINK(\"http://x\")'",
    '"\'; DROP TABLE leads; --"',
    "<script>alert(1)</script>",
    "a" * 3000,
    "ß\u0301\u202e\u200b",
    "\t",
    "- - -",
    "[[[[[[[[[[",
    "{a: {b: {c: [1, *a]}}}",
    "%YAML 1.1",
    "---",
    "...",
    "#",
]
ODD_CHARS = [
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\t",
    "\r",
    "\x85",
    "\u2028",
    "\u2029",
    "\u200b",
    "\u202e",
    "\ufeff",
    "\ufffe",
    "😀",
    "e\u0301",
    "İ",
]
ODD_BYTES = [b"\xff", b"\xc3", b"\xe2\x80", b"\xf0\x9f\x98", b"\xed\xa0\x80", b"\xfe\xff", b"\x00"]

# --- YAML-ish text from a grammar -----------------------------------------------------------

KEYS = st.sampled_from(
    ["kind", "id", "when", "fields", "terms", "means", "a", "b", "<<", "? q", "'x y'", "1", "~"]
)
PLAIN = st.one_of(
    st.sampled_from(ODD_SCALARS),
    st.text(alphabet="abc01 -_.:#'\"&*!|>%@`", max_size=8),
    st.sampled_from(ODD_CHARS),
)
DECORATION = st.sampled_from(["", "", "", "&a ", "&b ", "!!str ", "!!map ", "!x ", "!!int "])


@st.composite
def yaml_node(draw: st.DrawFn, indent: int = 0, depth: int = 0) -> str:
    """One YAML value as it would follow `key:` (block values start on a new line)."""
    choice = draw(st.integers(0, 6 if depth < 4 else 1))
    pad = " " * indent
    if choice == 0:
        return " " + draw(DECORATION) + draw(PLAIN)
    if choice == 1:
        return " " + draw(st.sampled_from(["*a", "*b", "*a ", "[*a, *b]", "{x: *a}"]))
    if choice in (2, 3):
        keys = draw(st.lists(KEYS, min_size=1, max_size=4))
        body = "".join(f"\n{pad}  {key}:{draw(yaml_node(indent + 2, depth + 1))}" for key in keys)
        return " " + draw(DECORATION).rstrip() + body
    if choice == 4:
        items = draw(st.lists(yaml_node(indent + 2, depth + 1), min_size=1, max_size=3))
        return " " + draw(DECORATION).rstrip() + "".join(f"\n{pad}  -{item}" for item in items)
    if choice == 5:
        items = draw(st.lists(PLAIN, max_size=4))
        return " [" + ", ".join(items) + draw(st.sampled_from(["]", "", "]]"]))
    keys = draw(st.lists(KEYS, max_size=3))
    return " {" + ", ".join(f"{k}: {draw(PLAIN)}" for k in keys) + draw(st.sampled_from(["}", ""]))


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    """A file of one or more YAML documents built from the grammar, maybe with a `kind:`."""
    head = draw(st.sampled_from(["", "%YAML 1.2\n---\n", "---\n", "--- !x\n", "\ufeff"]))
    kind = draw(
        st.sampled_from(
            ["", "kind: LeadModel\n", "kind: Glossary\n", "kind: Project\n", "kind: Nope\n"]
        )
    )
    keys = draw(st.lists(KEYS, min_size=1, max_size=5))
    body = "".join(f"{key}:{draw(yaml_node())}\n" for key in keys)
    tail = draw(st.sampled_from(["", "...\n", "---\nkind: Project\n", "---\n"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return (head + kind + body + tail).replace("\n", newline)


# --- mutations of the example organisation ------------------------------------------------

Mutation = Callable[[st.DrawFn, bytes], bytes]


def _line_index(draw: st.DrawFn, lines: list[bytes]) -> int:
    return draw(st.integers(0, max(len(lines) - 1, 0)))


def _delete_line(draw: st.DrawFn, raw: bytes) -> bytes:
    lines = raw.split(b"\n")
    del lines[_line_index(draw, lines)]
    return b"\n".join(lines)


def _duplicate_line(draw: st.DrawFn, raw: bytes) -> bytes:
    lines = raw.split(b"\n")
    i = _line_index(draw, lines)
    lines.insert(i, lines[i])
    return b"\n".join(lines)


def _swap_lines(draw: st.DrawFn, raw: bytes) -> bytes:
    lines = raw.split(b"\n")
    i, j = _line_index(draw, lines), _line_index(draw, lines)
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def _replace_scalar(draw: st.DrawFn, raw: bytes) -> bytes:
    lines = raw.split(b"\n")
    candidates = [i for i, line in enumerate(lines) if b": " in line or line.lstrip()[:2] == b"- "]
    if not candidates:
        return raw
    i = draw(st.sampled_from(candidates))
    line = lines[i]
    cut = line.index(b": ") + 2 if b": " in line else line.index(b"- ") + 2
    value = draw(st.one_of(st.sampled_from(ODD_SCALARS), st.text(max_size=10)))
    lines[i] = line[:cut] + value.encode("utf-8", "surrogatepass")
    return b"\n".join(lines)


def _insert_text(draw: st.DrawFn, raw: bytes) -> bytes:
    text = raw.decode("utf-8", "surrogateescape")  # an earlier mutation may have broken it
    at = draw(st.integers(0, len(text)))
    char = draw(st.one_of(st.sampled_from(ODD_CHARS), st.characters(exclude_categories=["Cs"])))
    return (text[:at] + char + text[at:]).encode("utf-8", "surrogateescape")


def _insert_bytes(draw: st.DrawFn, raw: bytes) -> bytes:
    at = draw(st.integers(0, len(raw)))
    return raw[:at] + draw(st.sampled_from(ODD_BYTES)) + raw[at:]


def _truncate(draw: st.DrawFn, raw: bytes) -> bytes:
    return raw[: draw(st.integers(0, len(raw)))]


def _reindent(draw: st.DrawFn, raw: bytes) -> bytes:
    lines = raw.split(b"\n")
    i = _line_index(draw, lines)
    how = draw(st.sampled_from([b"  ", b" ", b"\t", b"", b"    "]))
    if draw(st.booleans()):
        lines[i] = how + lines[i]
    else:
        lines[i] = how + lines[i].lstrip(b" ")
    return b"\n".join(lines)


TEXT_MUTATIONS: list[Mutation] = [
    _delete_line,
    _duplicate_line,
    _swap_lines,
    _replace_scalar,
    _insert_text,
    _insert_bytes,
    _truncate,
    _reindent,
]

JSONISH: st.SearchStrategy[Any] = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(),
        st.text(max_size=12),
        st.sampled_from(["", "employees > 10", "mql", "and", "A", "rule:x", "lead_id", "P1D"]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterable[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _paths(child, (*prefix, i))


def _replace_subtree(draw: st.DrawFn, raw: bytes) -> bytes:
    """Parse the file, replace or delete one value deep inside it, and write it back: gets
    past the YAML and often the schema layer, into the build and the checks."""
    data = yaml.safe_load(raw)
    paths = [p for p in _paths(data) if p]
    if not paths:
        return raw
    path = draw(st.sampled_from(paths))
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    if draw(st.booleans()) and not (isinstance(parent, dict) and path[-1] == "kind"):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(JSONISH)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8")


class Files(dict[str, bytes]):
    """A project's files, shown as their difference from the example (a failing example's
    repr is the minimal input Hypothesis prints)."""

    def __repr__(self) -> str:
        changes = []
        for name in sorted(set(self) | set(EXAMPLE)):
            if self.get(name) == EXAMPLE.get(name):
                continue
            before = EXAMPLE.get(name, b"").decode("utf-8", "replace").split("\n")
            after = self.get(name, b"").decode("utf-8", "replace").split("\n")
            diff = difflib.unified_diff(before, after, name, name, n=0, lineterm="")
            changes.append("\n".join(diff) if name in self else f"- {name} (dropped)")
        raw = {n: self[n] for n in sorted(self) if self[n] != EXAMPLE.get(n)}
        return "example with:\n" + "\n".join(changes) + f"\nchanged files: {raw!r}"[:2000]


@st.composite
def mutated_projects(draw: st.DrawFn) -> Files:
    """The example organisation with one to four mutations."""
    files = Files(EXAMPLE)
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(["text", "text", "text", "tree", "tree", "file"]))
        path = draw(st.sampled_from(sorted(files))) if files else None
        if path is None:
            break
        if operation == "text":
            files[path] = draw(st.sampled_from(TEXT_MUTATIONS))(draw, files[path])
        elif operation == "tree":
            try:
                files[path] = _replace_subtree(draw, files[path])
            # Already broken past parsing; ValueError: PyYAML's own constructors fail on
            # values such as a 13th month, which Accord's loader reports instead.
            except (
                yaml.YAMLError,
                UnicodeDecodeError,
                ValueError,
                TypeError,
                KeyError,
                IndexError,
            ):
                files[path] = _delete_line(draw, files[path])
        else:
            what = draw(st.sampled_from(["drop", "copy", "rename"]))
            content = files.pop(path) if what != "copy" else files[path]
            if what != "drop":
                name = draw(
                    st.sampled_from(
                        ["rules/copy.yaml", "glossary/x.tests.yaml", "slas/a.yml", "accord.yaml"]
                    )
                )
                files[name] = content
    return files


@st.composite
def generated_projects(draw: st.DrawFn) -> dict[str, bytes]:
    """Small projects written from the YAML grammar, some files kept from the example."""
    names = ["accord.yaml", "rules/lead.yaml", "rules/scoring.yaml", "glossary/g.yaml"]
    files: dict[str, bytes] = {}
    for name in draw(st.lists(st.sampled_from(names), unique=True, max_size=4)):
        if name in EXAMPLE and draw(st.booleans()):
            files[name] = EXAMPLE[name]
        else:
            files[name] = draw(yaml_documents()).encode("utf-8", "surrogatepass")
    return files


# --- the invariant --------------------------------------------------------------------------


def _inside(span: Span, lines: list[str]) -> bool:
    return 1 <= span.line <= len(lines) and 1 <= span.column <= len(lines[span.line - 1]) + 1


def assert_located(
    diagnostics: Iterable[Diagnostic], files: Mapping[str, bytes], yaml_lines: bool = True
) -> None:
    """Every diagnostic has a known code and a span inside one of the given files (a missing
    accord.yaml is reported at its would-be first line). YAML's marks count every YAML line
    break, other positions "\\n" alone; expressions, like Python's tokenizer, "\\n" alone
    (`yaml_lines=False`)."""
    for found in diagnostics:
        assert found.code in CODES, found
        spans = [found.span, *(note.span for note in found.notes)]
        for span in spans:
            if span.file not in files:
                assert span.file == "accord.yaml", found
                assert (span.line, span.column) == (1, 1), found
                continue
            text = files[span.file].decode("utf-8", "replace").removeprefix("\ufeff")
            views = [text.split("\n")] + ([source_lines(text)] if yaml_lines else [])
            assert any(_inside(span, lines) for lines in views), (found, views[0][:3])
            assert (span.end_line, span.end_column) >= (span.line, span.column), found
