"""RE2 patterns rendered as Snowflake's POSIX ERE, flags passed as the functions' parameters."""

from __future__ import annotations

from dataclasses import dataclass

from engine.sql.dialects.regex.charsets import PERL, POSIX
from engine.sql.dialects.regex.parse import leading_flags, parse
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
    Unicode,
)


@dataclass(frozen=True)
class EreTranslation:
    pattern: str
    parameters: str  # the regex functions' parameters: c/i, m, s


def to_snowflake(pattern: str, *, whole_match: bool) -> EreTranslation:
    """The pattern as Snowflake's POSIX ERE, with flags as the functions' parameters.

    Only flags at the start can be parameters. Lazy repeats have no ERE form; a pattern
    only tested for a match (`whole_match` False) means the same with greedy ones.
    """
    flags, tokens = leading_flags(parse(pattern))
    if "U" in flags:
        raise RegexUnsupported("the flag U (ungreedy)")
    out = []
    for token in tokens:
        match token:
            case Char(code):
                out.append(_ere_literal(code))
            case Perl(name, negated):
                out.append(f"[{'^' if negated else ''}{PERL[name]}]")
            case Unicode():
                raise RegexUnsupported("Unicode classes (\\p{…})")
            case CharClass(negated, items):
                out.append(_ere_class(negated, items))
            case Assertion("\\A"):
                if "m" in flags:
                    raise RegexUnsupported("\\A in multi-line mode")
                out.append("^")
            case Assertion("\\z"):
                if "m" in flags:
                    raise RegexUnsupported("\\z in multi-line mode")
                out.append("$")
            case Assertion(kind):
                out.append(kind)
            case Dot():
                out.append(".")
            case Flags():
                raise RegexUnsupported("flags after the start")
            case Open():
                out.append("(")
            case Close():
                out.append(")")
            case Alternation():
                out.append("|")
            case Repeat(text, lazy):
                if lazy and whole_match:
                    raise RegexUnsupported("lazy repeats (*?, +?, ??)")
                out.append(text)
    parameters = "".join(f for f in "ims" if f in flags) or "c"
    return EreTranslation("".join(out), parameters)


def _ere_literal(code: int) -> str:
    char = chr(code)
    if char in ".[]()*+?{}|^$\\":
        return "\\" + char
    if code < 0x20 or code == 0x7F:
        raise RegexUnsupported("a control character")
    return char


def _ere_class(negated: bool, items: tuple[Char | CharRange | Perl | Unicode | Posix, ...]) -> str:
    """A bracket expression: no escapes inside, so `]` goes first and `-` last."""
    chars: list[str] = []
    for item in items:
        match item:
            case Char(code):
                chars.append(chr(code))
            case CharRange(low, high):
                if chr(low) in "]-^" or chr(high) in "]-^":
                    raise RegexUnsupported("a range starting or ending at ], - or ^")
                chars.append(f"{chr(low)}-{chr(high)}")
            case Perl(name, False):
                chars.append(PERL[name])
            case Posix(name, False) if name in POSIX and name != "ascii":
                chars.append(f"[:{name}:]")
            case _:
                raise RegexUnsupported("a negated or Unicode class inside brackets")
    if any(c in "\\" or (len(c) == 1 and (ord(c) < 0x20 or ord(c) == 0x7F)) for c in chars):
        raise RegexUnsupported("a backslash or control character inside brackets")
    body = "".join(c for c in chars if c not in ("]", "-", "^"))
    head = "]" if "]" in chars else ""
    tail = ("^" if "^" in chars else "") + ("-" if "-" in chars else "")
    if not head and not body and tail == "^":
        body, tail = "^", ""
    return f"[{'^' if negated else ''}{head}{body}{tail}]"
