"""The YAML loader on hostile bytes and text: a document or located diagnostics, never a raise."""

from __future__ import annotations

from fuzz_inputs import ODD_BYTES, ODD_CHARS, assert_located, yaml_documents
from fuzz_profiles import scaled
from hypothesis import given
from hypothesis import strategies as st

from engine.loader import load_document

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
