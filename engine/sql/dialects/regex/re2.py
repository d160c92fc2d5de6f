"""RE2 patterns rendered back as RE2 (BigQuery), every group made non-capturing."""

from __future__ import annotations

from engine.sql.dialects.regex.charsets import literal
from engine.sql.dialects.regex.parse import parse
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


def to_re2(pattern: str) -> str:
    """The same RE2 pattern, every group made non-capturing (BigQuery's REGEXP_EXTRACT
    returns the group of a pattern that has one)."""
    out = []
    for token in parse(pattern):
        match token:
            case Open():
                out.append("(?:")
            case Char(code):
                out.append(literal(code))
            case Perl(name, negated):
                out.append("\\" + (name.upper() if negated else name))
            case Unicode(name, negated):
                out.append(f"\\{'P' if negated else 'p'}{{{name}}}")
            case CharClass(negated, items):
                out.append(f"[{'^' if negated else ''}{''.join(map(_re2_item, items))}]")
            case Assertion(kind):
                out.append(kind)
            case Dot():
                out.append(".")
            case Flags(on, off, group):
                out.append(f"(?{on}{'-' + off if off else ''}{':' if group else ')'}")
            case Close():
                out.append(")")
            case Alternation():
                out.append("|")
            case Repeat(text, lazy):
                out.append(text + ("?" if lazy else ""))
    return "".join(out)


def _re2_item(item: Char | CharRange | Perl | Unicode | Posix) -> str:
    match item:
        case Char(code):
            return literal(code)
        case CharRange(low, high):
            return f"{literal(low)}-{literal(high)}"
        case Perl(name, negated):
            return "\\" + (name.upper() if negated else name)
        case Unicode(name, negated):
            return f"\\{'P' if negated else 'p'}{{{name}}}"
        case Posix(name, negated):
            return f"[:{'^' if negated else ''}{name}:]"
    raise RegexUnsupported(f"{item}")
