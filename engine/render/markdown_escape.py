"""Text shown as itself in GitHub Markdown: the PR comment, the SLA report, export reports."""

from __future__ import annotations

from engine.render.impact_format import printable

_ZWSP = "\u200b"
_PUNCTUATION = frozenset("\\`*_[]()#~|!")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape_markdown(text: str) -> str:
    """Text shown as itself in a GitHub Markdown table cell: no markup, link, HTML or mention.

    Line breaks, control characters and bidirectional overrides become spaces (a cell is
    one line, shown in the order written: `printable`); `&<>` become
    entities (no HTML); Markdown punctuation is backslash-escaped (no emphasis, code, links,
    images, strikethrough, or a `|` ending the cell). A zero-width space after `@` keeps
    GitHub from notifying `@everyone` or a team (an entity would not: mentions are found in
    the rendered text); `#` before a digit gets one too, so no issue is cross-referenced.
    The colon of `://` and the dot of `www.` are entities, so no URL is autolinked.
    """
    text = printable(text)
    out = []
    for i, char in enumerate(text):
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char == ":" and text.startswith("//", i + 1):
            out.append("&#58;")
        elif char == "." and text[max(0, i - 3) : i].lower() == "www":
            out.append("&#46;")
        elif char in _PUNCTUATION:
            out.append("\\" + char)
            if char == "#" and text[i + 1 : i + 2].isdigit():
                out.append(_ZWSP)
        elif char == "@":
            out.append("@" + _ZWSP)
        else:
            out.append(char)
    return "".join(out)
