"""RE2 patterns rendered for java.util.regex (Spark) with RE2's meaning."""

from __future__ import annotations

from engine.sql.dialects.regex.charsets import (
    BOUNDARY,
    NOT_BOUNDARY,
    POSIX,
    SPACE,
    literal,
    ranges,
)
from engine.sql.dialects.regex.parse import FlagState, parse
from engine.sql.dialects.regex.tokens import (
    Alternation,
    Assertion,
    Char,
    CharClass,
    CharRange,
    Close,
    Dot,
    Flags,
    Open,
    Perl,
    Posix,
    RegexUnsupported,
    Repeat,
    Token,
    Unicode,
)


def to_java(pattern: str) -> str:
    """The pattern for java.util.regex with RE2's meaning.

    `(?d)` (UNIX_LINES) makes `\\n` the only line break, as in RE2; `$` outside multi-line
    mode becomes `\\z` (Java's `$` also matches before a final line break); `(?i)` becomes
    `(?iu)` (RE2 folds case beyond ASCII); `\\b` and `\\s` are spelt out in ASCII, since
    Java's `\\b` counts non-ASCII letters and its `\\s` includes the vertical tab.
    """
    out = ["(?d)"]
    state = FlagState()
    for token in parse(pattern):
        out.append(_java_token(token, state))
    return "".join(out)


def _java_token(token: Token, state: FlagState) -> str:
    match token:
        case Char(code):
            return literal(code)
        case Perl("s", negated):
            return ("[^" if negated else "[") + _java_set(SPACE) + "]"
        case Perl(name, negated):
            return "\\" + (name.upper() if negated else name)
        case Unicode(name, negated):
            return _java_unicode(name, negated)
        case CharClass(negated, items):
            body = "".join(_java_class_item(item) for item in items)
            return f"[{'^' if negated else ''}{body}]"
        case Assertion("$"):
            return "$" if "m" in state.flags else "\\z"
        case Assertion("\\b"):
            return BOUNDARY
        case Assertion("\\B"):
            return NOT_BOUNDARY
        case Assertion(kind):
            return kind
        case Dot():
            return "."
        case Flags(on, off, group):
            if "U" in on + off:
                raise RegexUnsupported("the flag U (ungreedy)")
            state.apply(token)
            java_on = on.replace("i", "iu")
            java_off = off.replace("i", "iu")
            return f"(?{java_on}{'-' + java_off if java_off else ''}{':' if group else ')'}"
        case Open():
            state.open()
            return "(?:"
        case Close():
            state.close()
            return ")"
        case Alternation():
            return "|"
        case Repeat(text, lazy):
            return text + ("?" if lazy else "")
    raise RegexUnsupported(f"{token}")


def _java_set(chars: str) -> str:
    return "".join(literal(ord(c)) if c != "-" else "-" for c in chars)


def _java_unicode(name: str, negated: bool) -> str:
    letter = "P" if negated else "p"
    if name == "Any":
        return "[^\\x{0}-\\x{10ffff}]" if negated else "[\\x{0}-\\x{10ffff}]"
    if len(name) <= 2:  # a general category: L, Lu, N, …
        return f"\\{letter}{{{name}}}"
    return f"\\{letter}{{Is{name}}}"  # a script: Greek, Latin, …


def _java_class_item(item: Char | CharRange | Perl | Unicode | Posix) -> str:
    match item:
        case Char(code):
            return literal(code)
        case CharRange(low, high):
            return f"{literal(low)}-{literal(high)}"
        case Perl("s", negated):
            return f"[^{_java_set(SPACE)}]" if negated else _java_set(SPACE)
        case Perl(name, negated):
            return "\\" + (name.upper() if negated else name)
        case Unicode(name, negated):
            return _java_unicode(name, negated)
        case Posix(name, negated):
            if name not in POSIX:
                raise RegexUnsupported(f"the class [:{name}:]")
            body = ranges(POSIX[name], literal)
            return f"[^{body}]" if negated else body
    raise RegexUnsupported(f"{item}")
