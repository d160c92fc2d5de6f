"""RE2 patterns rendered as Postgres advanced regular expressions with RE2's meaning."""

from __future__ import annotations

from engine.sql.dialects.regex.charsets import (
    BOUNDARY,
    NOT_BOUNDARY,
    PERL,
    POSIX,
    literal,
    ranges,
)
from engine.sql.dialects.regex.parse import FlagState, leading_flags, parse
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


def to_postgres(pattern: str) -> str:
    """The pattern as a Postgres advanced regular expression with RE2's meaning.

    Flags other than a leading `(?i)` are applied by rewriting: `.` is `[^\\n]` unless
    `(?s)`, `^`/`$` under `(?m)` become look-arounds for `\\n`; Perl and POSIX classes are
    spelt out in ASCII (Postgres reads them by locale); `\\b` (a backspace to Postgres)
    becomes an ASCII word-boundary look-around.
    """
    flags, tokens = leading_flags(parse(pattern))
    if "U" in flags:
        raise RegexUnsupported("the flag U (ungreedy)")
    state = FlagState([set(flags)])
    out = ["(?i)" if "i" in flags else ""]
    pg = _pg_literal
    for token in tokens:
        match token:
            case Char(code):
                out.append(pg(code))
            case Perl(name, negated):
                out.append(f"[{'^' if negated else ''}{ranges(PERL[name], pg)}]")
            case Unicode():
                raise RegexUnsupported("Unicode classes (\\p{…})")
            case CharClass(negated, items):
                out.append(f"[{'^' if negated else ''}{''.join(map(_pg_item, items))}]")
            case Assertion("^" | "$" as kind) if "m" in state.flags:
                out.append("(?:^|(?<=\\n))" if kind == "^" else "(?:$|(?=\\n))")
            case Assertion("\\A" | "^"):
                out.append("^")
            case Assertion("\\z" | "$"):
                out.append("$")
            case Assertion("\\b"):
                out.append(BOUNDARY)
            case Assertion(_):
                out.append(NOT_BOUNDARY)
            case Dot():
                out.append("." if "s" in state.flags else "[^\\n]")
            case Flags(on, off, group):
                if "i" in on + off or "U" in on + off:
                    raise RegexUnsupported("case or greediness flags after the start")
                state.apply(token)
                out.append("(?:" if group else "")
            case Open():
                state.open()
                out.append("(?:")
            case Close():
                state.close()
                out.append(")")
            case Alternation():
                out.append("|")
            case Repeat(text, lazy):
                out.append(text + ("?" if lazy else ""))
    return "".join(out)


def _pg_literal(code: int) -> str:
    return literal(code, pg=True)


def _pg_item(item: Char | CharRange | Perl | Unicode | Posix) -> str:
    match item:
        case Char(code):
            return _pg_literal(code)
        case CharRange(low, high):
            return f"{_pg_literal(low)}-{_pg_literal(high)}"
        case Perl(name, False):
            return ranges(PERL[name], _pg_literal)
        case Posix(name, False) if name in POSIX:
            return ranges(POSIX[name], _pg_literal)
    raise RegexUnsupported("a negated or Unicode class inside brackets")
