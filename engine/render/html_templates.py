"""The one way Accord renders HTML from Jinja2 templates: escaped, strict, one line per text.

Autoescape is on and StrictUndefined turns a misspelt name into an error, not an empty
cell. Every text a template prints goes out on one line, without characters that act on a
terminal or reorder text (`printable`); Markup (charts, styles and scripts built and
escaped in Python) goes out as it is.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from engine.render.impact_format import printable


def _one_line(value: object) -> object:
    if isinstance(value, str) and not isinstance(value, Markup):
        return printable(value)
    return value


def html_environment(package: str) -> Environment:
    """The environment for the templates in `package`'s templates/ folder."""
    return Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_one_line,
    )
