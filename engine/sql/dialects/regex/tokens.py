"""The tokens of a parsed RE2 pattern, and the error for what a target cannot express."""

from __future__ import annotations

from dataclasses import dataclass


class RegexUnsupported(ValueError):
    """The pattern uses a construct the target cannot express with the same meaning."""


# Tokens of a parsed pattern.
@dataclass(frozen=True)
class Char:
    code: int


@dataclass(frozen=True)
class Perl:  # \d \D \w \W \s \S
    name: str
    negated: bool


@dataclass(frozen=True)
class Unicode:  # \pL, \p{Greek}, \PL
    name: str
    negated: bool


@dataclass(frozen=True)
class Posix:  # [:alpha:] inside a class
    name: str
    negated: bool


@dataclass(frozen=True)
class CharRange:
    low: int
    high: int


@dataclass(frozen=True)
class CharClass:
    negated: bool
    items: tuple[Char | CharRange | Perl | Unicode | Posix, ...]


@dataclass(frozen=True)
class Assertion:  # ^ $ \A \z \b \B
    kind: str


@dataclass(frozen=True)
class Dot:
    pass


@dataclass(frozen=True)
class Flags:
    """`(?i)` alone (`group` False) or opening `(?i:` (`group` True)."""

    on: str
    off: str
    group: bool


@dataclass(frozen=True)
class Open:  # ( (?: (?P<name>
    pass


@dataclass(frozen=True)
class Close:
    pass


@dataclass(frozen=True)
class Alternation:
    pass


@dataclass(frozen=True)
class Repeat:
    text: str  # * + ? {n} {n,} {n,m}
    lazy: bool


Token = (
    Char
    | Perl
    | Unicode
    | CharClass
    | Assertion
    | Dot
    | Flags
    | Open
    | Close
    | Alternation
    | Repeat
)
