"""Character sets, escaped literals and word boundaries shared by the regex renderings."""

from __future__ import annotations

# RE2's Perl classes and POSIX classes are ASCII-only; as sets of characters:
DIGIT = "0-9"
WORD = "0-9A-Za-z_"
SPACE = "\t\n\f\r "
POSIX = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\x00-\x7f",
    "blank": "\t ",
    "cntrl": "\x00-\x1f\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@[-`{-~",
    "space": "\t\n\x0b\f\r ",
    "upper": "A-Z",
    "word": "0-9A-Za-z_",
    "xdigit": "0-9A-Fa-f",
}
PERL = {"d": DIGIT, "w": WORD, "s": SPACE}
# An ASCII word boundary with look-around, for engines whose \b counts non-ASCII letters.
_W = "[0-9A-Za-z_]"
BOUNDARY = f"(?:(?<={_W})(?!{_W})|(?<!{_W})(?={_W}))"
NOT_BOUNDARY = f"(?:(?<={_W})(?={_W})|(?<!{_W})(?!{_W}))"


def literal(code: int, *, pg: bool = False) -> str:
    char = chr(code)
    if char.isascii() and char.isalnum():
        return char
    if code == 0x20:
        return char
    if 0x20 < code < 0x7F:
        return "\\" + char
    if code < 0x80 or code in (0x85, 0x2028, 0x2029) or not char.isprintable():
        return f"\\u{code:04x}" if pg and code <= 0xFFFF else f"\\x{{{code:x}}}"
    return char


def ranges(chars: str, literal: object) -> str:
    """A set written as `a-z0-9…` with each endpoint escaped by `literal`."""
    assert callable(literal)
    out = []
    i = 0
    while i < len(chars):
        if i + 2 < len(chars) and chars[i + 1] == "-":
            out.append(f"{literal(ord(chars[i]))}-{literal(ord(chars[i + 2]))}")
            i += 3
        else:
            out.append(literal(ord(chars[i])))
            i += 1
    return "".join(out)
