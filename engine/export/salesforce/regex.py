"""An Accord (RE2, search anywhere) regex as a Salesforce REGEX pattern (Java, whole text).

Salesforce's REGEX matches the entire text, not a part of it, in Java's dialect
(https://help.salesforce.com/s/articleView?id=platform.customize_functions_regex.htm).
So the pattern is wrapped in `[\\s\\S]*(?:…)[\\s\\S]*`, and the few constructs whose meaning
differs between RE2 and Java are rewritten to their RE2 meaning (`.`, `$`, `\\b`, `\\s`,
`(?i)`) or refused: the export never guesses what a pattern means.
"""

from __future__ import annotations

from engine.export.salesforce.references import Untranslatable

_ASCII_WORD = "[A-Za-z0-9_]"
# RE2's \b is an ASCII word boundary; Java's may count other letters as word characters.
_WORD_BOUNDARY = f"(?:(?<={_ASCII_WORD})(?!{_ASCII_WORD})|(?<!{_ASCII_WORD})(?={_ASCII_WORD}))"
_RE2_SPACE = "\\t\\n\\f\\r "  # RE2's \s; Java's also has the vertical tab


def _refuse(pattern: str, what: str) -> Untranslatable:
    return Untranslatable(
        "X101",
        f"the regex {pattern!r} uses {what}, which Salesforce's Java regexes read differently",
        "rewrite the pattern without it, or build this condition in Salesforce by hand",
    )


def java_pattern(pattern: str) -> str:
    """The Java pattern that matches a whole text exactly when `pattern` matches in it."""
    body, flags = pattern, ""
    if body.startswith("(?i)"):
        # Unicode case folding, as RE2's (?i) does; Java's (?i) alone folds ASCII only.
        body, flags = body[4:], "(?iu)"
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            escaped = body[i + 1 : i + 2]
            if escaped in ("Q", "C", "B", "S" if in_class else "") or (
                escaped in ("p", "P") and body[i + 2 : i + 3] != "{"
            ):
                raise _refuse(pattern, f"`\\{escaped}`")
            if escaped == "b" and not in_class:
                out.append(_WORD_BOUNDARY)
            elif escaped == "s":
                out.append(_RE2_SPACE if in_class else f"[{_RE2_SPACE}]")
            elif escaped == "S":
                out.append(f"[^{_RE2_SPACE}]")
            else:
                out.append(body[i : i + 2])
            i += 2
            continue
        if in_class:
            if c == "[" or body.startswith("&&", i):
                raise _refuse(pattern, f"`{body[i : i + 2]}` inside a character class")
            in_class = c != "]"
            out.append(c)
        elif c == "[":
            start = i + 2 if body.startswith("[^", i) else i + 1
            if body[start : start + 1] == "]":
                raise _refuse(pattern, "`]` first in a character class")
            out.append(body[i:start])
            in_class = True
            i = start
            continue
        elif body.startswith("(?", i) and not body.startswith("(?:", i):
            raise _refuse(pattern, "a flag or named group other than a leading `(?i)`")
        elif c == "$":
            out.append("\\z")  # Java's $ also matches before a final line break
        elif c == ".":
            out.append("[^\\n]")  # Java's . also skips \r, \u0085, \u2028, \u2029
        else:
            out.append(c)
        i += 1
    return "[\\s\\S]*(?:" + flags + "".join(out) + ")[\\s\\S]*"
