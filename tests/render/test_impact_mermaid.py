"""Mermaid charts of the PR comment: labels that cannot break out, and diagrams that
Mermaid itself parses (with the pinned npm package in tests/render/mermaid)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from impact_fixture import bare, hostile, impact

from engine.render.impact_markdown import render_markdown
from engine.render.impact_mermaid import label, quoted

CHECKER = Path(__file__).parent / "mermaid"


def test_quoted_spells_special_characters_as_entity_codes() -> None:
    assert quoted('say "hi"; 50% <b>&`x`# \n') == (
        '"say #quot;hi#quot;#59; 50#37; #lt;b#gt;#amp;#96;x#96;#35;  "'
    )


def test_label_is_cut_to_twenty_characters() -> None:
    assert label("opportunity") == '"opportunity"'
    assert label("a" * 25) == '"' + "a" * 19 + '…"'
    # Cut first, then spelled: a code is never cut in half.
    assert label("a" * 18 + '""') == '"' + "a" * 18 + '#quot;#quot;"'


def _blocks(text: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", text, flags=re.DOTALL)


def _parse(diagrams: list[str]) -> list[dict[str, str]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the Mermaid blocks are not parsed")
    if not (CHECKER / "node_modules" / "mermaid").is_dir():
        pytest.skip("Mermaid is not installed: run `npm ci --prefix tests/render/mermaid`")
    done = subprocess.run(
        [node, "validate.mjs"],
        cwd=CHECKER,
        input=json.dumps(diagrams),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    results: list[dict[str, str]] = json.loads(done.stdout)
    return results


def test_checker_reports_a_broken_diagram() -> None:
    [result] = _parse(["xychart-beta\n    x-axis [a, b\n    bar [1, 2]\n"])
    assert result["error"].startswith("Parse error on line 2:")
    assert "Expecting 'SQUARE_BRACES_END', 'COMMA', got 'NEWLINE'" in result["error"]


def test_mermaid_parses_every_chart() -> None:
    diagrams = [
        *_blocks(render_markdown(impact())),
        *_blocks(render_markdown(bare())),
        *_blocks(render_markdown(hostile())),
    ]
    assert len(diagrams) == 6
    assert _parse(diagrams) == [{"type": "xychart"}] * 6
