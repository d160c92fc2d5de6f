"""Output formats for diagnostics: one module per format, listed in `RENDERERS` by name."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from engine.diagnostics import Diagnostic
from engine.render.github import render_github
from engine.render.json import render_json
from engine.render.sarif import render_sarif
from engine.render.text import render_text

Renderer = Callable[[Sequence[Diagnostic], Mapping[str, str], str], str]

# Every renderer takes the diagnostics (in the order to show them), the text of the files
# they point into (by project-relative path, possibly incomplete) and the one-line summary.
RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "github": render_github,
    "json": render_json,
    "sarif": render_sarif,
}

__all__ = ["RENDERERS", "Renderer", "render_github", "render_json", "render_sarif", "render_text"]
