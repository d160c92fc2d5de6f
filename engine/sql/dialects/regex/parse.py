"""RE2 patterns read into tokens, and the flags in force as they are rendered."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.sql.dialects.regex.charsets import PERL
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

_CONTROL = {"a": "\x07", "f": "\f", "t": "\t", "n": "\n", "r": "\r", "v": "\x0b"}


@dataclass
class _Reader:
    text: str
    at: int = 0
    tokens: list[Token] = field(default_factory=list)

    def peek(self, n: int = 0) -> str:
        i = self.at + n
        return self.text[i] if i < len(self.text) else ""

    def take(self) -> str:
        char = self.peek()
        self.at += 1
        return char


def parse(pattern: str) -> tuple[Token, ...]:
    """The tokens of an RE2 pattern (one that RE2 accepts)."""
    r = _Reader(pattern)
    while r.at < len(r.text):
        char = r.take()
        if char == "\\":
            r.tokens.extend(_escape(r, in_class=False))
        elif char == "[":
            r.tokens.append(_class(r))
        elif char == "(":
            r.tokens.append(_group(r))
        elif char == ")":
            r.tokens.append(Close())
        elif char == "|":
            r.tokens.append(Alternation())
        elif char in "*+?":
            r.tokens.append(_lazy(r, char))
        elif char == "{" and _repeat_end(r) is not None:
            end = _repeat_end(r)
            assert end is not None
            text = r.text[r.at - 1 : end + 1]
            r.at = end + 1
            r.tokens.append(_lazy(r, text))
        elif char == ".":
            r.tokens.append(Dot())
        elif char in "^$":
            r.tokens.append(Assertion(char))
        else:
            r.tokens.append(Char(ord(char)))
    return tuple(r.tokens)


def _lazy(r: _Reader, text: str) -> Repeat:
    if r.peek() == "?":
        r.take()
        return Repeat(text, True)
    return Repeat(text, False)


def _repeat_end(r: _Reader) -> int | None:
    """Where `{n}`, `{n,}` or `{n,m}` ends (RE2 reads any other `{` as a literal)."""
    end = r.text.find("}", r.at)
    if end < 0:
        return None
    low, comma, high = r.text[r.at : end].partition(",")
    if low.isdigit() and (not comma or not high or high.isdigit()):
        return end
    return None


def _escape(r: _Reader, *, in_class: bool) -> list[Token]:
    char = r.take()
    if char in _CONTROL:
        return [Char(ord(_CONTROL[char]))]
    if char.lower() in PERL:
        return [Perl(char.lower(), char.isupper())]
    if char in "pP":
        if r.peek() == "{":
            end = r.text.index("}", r.at)
            name = r.text[r.at + 1 : end]
            r.at = end + 1
        else:
            name = r.take()
        negated = (char == "P") != name.startswith("^")
        return [Unicode(name.lstrip("^"), negated)]
    if char == "x":
        if r.peek() == "{":
            end = r.text.index("}", r.at)
            code = int(r.text[r.at + 1 : end], 16)
            r.at = end + 1
        else:
            code = int(r.text[r.at : r.at + 2], 16)
            r.at += 2
        return [Char(code)]
    if char in "01234567":
        digits = char
        while len(digits) < 3 and r.peek() in tuple("01234567"):
            digits += r.take()
        return [Char(int(digits, 8))]
    if char == "Q":
        end = r.text.find("\\E", r.at)
        end = len(r.text) if end < 0 else end
        quoted = r.text[r.at : end]
        r.at = min(end + 2, len(r.text))
        return [Char(ord(c)) for c in quoted]
    if char in "bBAz" and not in_class:
        return [Assertion("\\" + char)]
    if char.isalnum():
        raise RegexUnsupported(f"the escape \\{char}")
    return [Char(ord(char))]


def _class(r: _Reader) -> CharClass:
    negated = r.peek() == "^"
    if negated:
        r.take()
    items: list[Char | CharRange | Perl | Unicode | Posix] = []
    first = True
    while True:
        char = r.take()
        if char == "":
            raise RegexUnsupported("an unclosed character class")
        if char == "]" and not first:
            break
        first = False
        if char == "[" and r.peek() == ":":
            end = r.text.index(":]", r.at + 1)
            name = r.text[r.at + 1 : end]
            r.at = end + 2
            items.append(Posix(name.lstrip("^"), name.startswith("^")))
            continue
        if char == "\\":
            escaped = _escape(r, in_class=True)
            if len(escaped) != 1:
                items.extend(t for t in escaped if isinstance(t, Char))
                continue
            low_token = escaped[0]
            if not isinstance(low_token, Char):
                assert isinstance(low_token, Perl | Unicode)
                items.append(low_token)
                continue
            low = low_token.code
        else:
            low = ord(char)
        if r.peek() == "-" and r.peek(1) not in ("]", ""):
            r.take()
            high_char = r.take()
            if high_char == "\\":
                high_token = _escape(r, in_class=True)[0]
                if not isinstance(high_token, Char):
                    raise RegexUnsupported("a range ending in a class")
                high = high_token.code
            else:
                high = ord(high_char)
            items.append(CharRange(low, high))
        else:
            items.append(Char(low))
    return CharClass(negated, tuple(items))


def _group(r: _Reader) -> Token:
    if r.peek() != "?":
        return Open()
    r.take()
    if r.peek() == "P" or (r.peek() == "<" and r.peek(1) not in "=!"):
        r.at = r.text.index(">", r.at) + 1
        return Open()
    flags = ""
    while r.peek() not in (")", ":", ""):
        flags += r.take()
    end = r.take()
    on, _, off = flags.partition("-")
    if on == "" and off == "" and end == ":":
        return Open()
    for flag in on + off:
        if flag not in "imsU":
            raise RegexUnsupported(f"the flag {flag}")
    return Flags(on, off, end == ":")


@dataclass
class FlagState:
    """The flags in force, per open group."""

    stack: list[set[str]] = field(default_factory=lambda: [set()])

    @property
    def flags(self) -> set[str]:
        return self.stack[-1]

    def open(self) -> None:
        self.stack.append(set(self.flags))

    def close(self) -> None:
        if len(self.stack) > 1:
            self.stack.pop()

    def apply(self, token: Flags) -> None:
        if token.group:
            self.open()
        self.flags.update(token.on)
        self.flags.difference_update(token.off)


def leading_flags(tokens: tuple[Token, ...]) -> tuple[set[str], tuple[Token, ...]]:
    """The flags set before anything else, and the tokens after them."""
    flags: set[str] = set()
    rest = tokens
    while rest and isinstance(rest[0], Flags) and not rest[0].group:
        flags.update(rest[0].on)
        flags.difference_update(rest[0].off)
        rest = rest[1:]
    return flags, rest


def anchored_at_start(pattern: str) -> bool:
    """Whether the pattern can only match at the start of the text (so replacing every
    match replaces at most one, the first)."""
    tokens = parse(pattern)
    flags, rest = leading_flags(tokens)
    depth = 0
    for token in rest:
        if isinstance(token, Open | Flags) and not (isinstance(token, Flags) and not token.group):
            depth += 1
        elif isinstance(token, Close):
            depth -= 1
        elif isinstance(token, Alternation) and depth == 0:
            return False
    first = rest[0] if rest else None
    return isinstance(first, Assertion) and (
        first.kind == "\\A" or (first.kind == "^" and "m" not in flags)
    )
