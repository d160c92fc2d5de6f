"""The YAML loader on hostile bytes and text: a document or located diagnostics, never a raise."""

from __future__ import annotations

import yaml
from fuzz_inputs import ODD_BYTES, ODD_CHARS, assert_located, yaml_documents
from fuzz_profiles import scaled
from hypothesis import assume, given
from hypothesis import strategies as st

from engine.loader import load_document
from engine.yaml_parsers import indentation_bound, indicator_bound

PATH = "rules/fuzz.yaml"


def check(raw: bytes) -> None:
    document, problems = load_document(PATH, raw)
    assert document is not None or problems, "an unreadable file must say why"
    assert_located(problems, {PATH: raw})
    if document is not None:
        assert document.path == PATH


@scaled(150)
@given(st.binary(max_size=400))
def test_any_bytes(raw: bytes) -> None:
    check(raw)


@scaled(150)
@given(st.text(max_size=200))
def test_any_text(text: str) -> None:
    check(text.encode("utf-8", "surrogatepass"))


@scaled(150)
@given(yaml_documents())
def test_yaml_from_the_grammar(text: str) -> None:
    check(text.encode("utf-8", "surrogatepass"))


@scaled(100)
@given(yaml_documents(), st.sampled_from([*ODD_CHARS]), st.sampled_from(ODD_BYTES), st.data())
def test_grammar_yaml_with_odd_characters(
    text: str, char: str, byte: bytes, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(text)))
    raw = (text[:at] + char + text[at:]).encode("utf-8", "surrogatepass")
    cut = data.draw(st.integers(0, len(raw)))
    check(raw[:cut] + byte + raw[cut:] if data.draw(st.booleans()) else raw)


# --- the nesting bound that keeps libyaml from overflowing the C stack ------------------

SCALAR = st.sampled_from([" x", " 1", ' "q"', " ~"])
DECORATED = st.sampled_from(["", "", " &a", " !!seq", " !!map", " &b !!seq"])
BREAK = st.sampled_from(["\n", "\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"])


@st.composite
def _after_key(draw: st.DrawFn, indent: int, levels: int) -> str:
    """A block value as it follows `key:`, nesting up to `levels` more collections."""
    if levels == 0:
        return draw(SCALAR)
    step = draw(st.sampled_from([1, 2, 4]))
    shape = draw(st.sampled_from(["map", "seq", "indentless", "flow"]))
    if shape == "flow":
        return " " + draw(_flow(levels))
    mark = "" if shape == "indentless" else draw(DECORATED)
    if shape == "map":
        pad = " " * (indent + step)
        return f"{mark}\n{pad}k:" + draw(_after_key(indent + step, levels - 1))
    at = indent if shape == "indentless" else indent + step
    return f"{mark}\n{' ' * at}-" + draw(_after_dash(at, levels - 1))


@st.composite
def _after_dash(draw: st.DrawFn, indent: int, levels: int) -> str:
    """A block value as it follows `-`."""
    if levels == 0:
        return draw(SCALAR)
    shape = draw(st.sampled_from(["compact seq", "compact map", "next line", "flow"]))
    if shape == "compact seq":
        return " -" + draw(_after_dash(indent + 2, levels - 1))
    if shape == "compact map":
        return " k:" + draw(_after_key(indent + 2, levels - 1))
    if shape == "next line":
        step = draw(st.sampled_from([1, 2]))
        return f"\n{' ' * (indent + step)}-" + draw(_after_dash(indent + step, levels - 1))
    return " " + draw(_flow(levels))


@st.composite
def _flow(draw: st.DrawFn, levels: int) -> str:
    if levels == 0:
        return "x"
    inner = draw(_flow(levels - 1))
    return draw(st.sampled_from([f"[{inner}]", f"{{k: {inner}}}", f"[a, {inner}, b]"]))


def _collection_depth(text: str) -> int | None:
    """How deep collections nest, as PyYAML's pure-Python parser reads the text, or None."""
    depth = deepest = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return deepest


@scaled(300)
@given(st.integers(1, 40).flatmap(lambda levels: _after_key(0, levels)), BREAK)
def test_the_nesting_bounds_are_never_below_the_real_depth(value: str, line_break: str) -> None:
    # Below the bound the loader hands the text to libyaml, whose composer recurses once per
    # level and crashes the process past about 20,000: a bound below the real depth could
    # let a crafted file through. Both bounds must hold for any text, whatever its size.
    text = ("top:" + value + "\n").replace("\n", line_break)
    depth = _collection_depth(text)
    assume(depth is not None)
    assert depth is not None
    assert depth <= indicator_bound(text)
    assert depth <= indentation_bound(text)
