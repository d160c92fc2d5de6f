"""RE2 regular expressions rewritten for engines with other regex dialects.

Accord's regexes are RE2 (checked at validation; docs/evaluation.md). DuckDB and BigQuery
run RE2 itself; Spark runs java.util.regex, Postgres its ARE engine, Snowflake POSIX ERE
with a few Perl escapes. Each construct is rewritten into what means the same on the
target, or reported as unsupported: a pattern is translated whole or not at all.

Captures never matter (RE2 has no back-references, and Accord only asks whether a pattern
matches, or for the whole match), so every group becomes non-capturing, which also keeps
REGEXP_EXTRACT returning the whole match where an engine would return the first group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# RE2's Perl classes and POSIX classes are ASCII-only; as sets of characters:
_DIGIT = "0-9"
_WORD = "0-9A-Za-z_"
_SPACE = "\t\n\f\r "
_POSIX = {
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
_PERL = {"d": _DIGIT, "w": _WORD, "s": _SPACE}
_CONTROL = {"a": "\x07", "f": "\f", "t": "\t", "n": "\n", "r": "\r", "v": "\x0b"}
# An ASCII word boundary with look-around, for engines whose \b counts non-ASCII letters.
_W = "[0-9A-Za-z_]"
_BOUNDARY = f"(?:(?<={_W})(?!{_W})|(?<!{_W})(?={_W}))"
_NOT_BOUNDARY = f"(?:(?<={_W})(?={_W})|(?<!{_W})(?!{_W}))"


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
    if char.lower() in _PERL:
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
class _State:
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


def _literal(code: int, *, pg: bool = False) -> str:
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


# --- Java (Spark) ---------------------------------------------------------------------


def to_java(pattern: str) -> str:
    """The pattern for java.util.regex with RE2's meaning.

    `(?d)` (UNIX_LINES) makes `\\n` the only line break, as in RE2; `$` outside multi-line
    mode becomes `\\z` (Java's `$` also matches before a final line break); `(?i)` becomes
    `(?iu)` (RE2 folds case beyond ASCII); `\\b` and `\\s` are spelt out in ASCII, since
    Java's `\\b` counts non-ASCII letters and its `\\s` includes the vertical tab.
    """
    out = ["(?d)"]
    state = _State()
    for token in parse(pattern):
        out.append(_java_token(token, state))
    return "".join(out)


def _java_token(token: Token, state: _State) -> str:
    match token:
        case Char(code):
            return _literal(code)
        case Perl("s", negated):
            return ("[^" if negated else "[") + _java_set(_SPACE) + "]"
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
            return _BOUNDARY
        case Assertion("\\B"):
            return _NOT_BOUNDARY
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
    return "".join(_literal(ord(c)) if c != "-" else "-" for c in chars)


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
            return _literal(code)
        case CharRange(low, high):
            return f"{_literal(low)}-{_literal(high)}"
        case Perl("s", negated):
            return f"[^{_java_set(_SPACE)}]" if negated else _java_set(_SPACE)
        case Perl(name, negated):
            return "\\" + (name.upper() if negated else name)
        case Unicode(name, negated):
            return _java_unicode(name, negated)
        case Posix(name, negated):
            if name not in _POSIX:
                raise RegexUnsupported(f"the class [:{name}:]")
            body = _ranges(_POSIX[name], _literal)
            return f"[^{body}]" if negated else body
    raise RegexUnsupported(f"{item}")


def _ranges(chars: str, literal: object) -> str:
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


# --- RE2 (BigQuery) -------------------------------------------------------------------


def to_re2(pattern: str) -> str:
    """The same RE2 pattern, every group made non-capturing (BigQuery's REGEXP_EXTRACT
    returns the group of a pattern that has one)."""
    out = []
    for token in parse(pattern):
        match token:
            case Open():
                out.append("(?:")
            case Char(code):
                out.append(_literal(code))
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
            return _literal(code)
        case CharRange(low, high):
            return f"{_literal(low)}-{_literal(high)}"
        case Perl(name, negated):
            return "\\" + (name.upper() if negated else name)
        case Unicode(name, negated):
            return f"\\{'P' if negated else 'p'}{{{name}}}"
        case Posix(name, negated):
            return f"[:{'^' if negated else ''}{name}:]"
    raise RegexUnsupported(f"{item}")


# --- Postgres (ARE) -------------------------------------------------------------------


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
    state = _State([set(flags)])
    out = ["(?i)" if "i" in flags else ""]
    pg = _pg_literal
    for token in tokens:
        match token:
            case Char(code):
                out.append(pg(code))
            case Perl(name, negated):
                out.append(f"[{'^' if negated else ''}{_ranges(_PERL[name], pg)}]")
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
                out.append(_BOUNDARY)
            case Assertion(_):
                out.append(_NOT_BOUNDARY)
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
    return _literal(code, pg=True)


def _pg_item(item: Char | CharRange | Perl | Unicode | Posix) -> str:
    match item:
        case Char(code):
            return _pg_literal(code)
        case CharRange(low, high):
            return f"{_pg_literal(low)}-{_pg_literal(high)}"
        case Perl(name, False):
            return _ranges(_PERL[name], _pg_literal)
        case Posix(name, False) if name in _POSIX:
            return _ranges(_POSIX[name], _pg_literal)
    raise RegexUnsupported("a negated or Unicode class inside brackets")


# --- Snowflake (POSIX ERE) ------------------------------------------------------------


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
                out.append(f"[{'^' if negated else ''}{_PERL[name]}]")
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
                chars.append(_PERL[name])
            case Posix(name, False) if name in _POSIX and name != "ascii":
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
