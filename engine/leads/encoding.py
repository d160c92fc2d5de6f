"""Lead text files that are not UTF-8, copied as UTF-8 so DuckDB can read them.

CRM and spreadsheet exports arrive as UTF-8, UTF-8 with a byte-order mark (DuckDB reads
both), UTF-16 with a byte-order mark (Excel's "Unicode Text"), Latin-1 or Windows-1252, and
sometimes a mix: a file of appended exports, each saved differently. Bytes that are valid
UTF-8 are read as UTF-8; any others are read as Windows-1252 (a superset of Latin-1's
printable characters), and the lines where that happened are counted with examples, so a
wrong guess is visible rather than silent. https://encoding.spec.whatwg.org/#windows-1252
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import BinaryIO, TextIO

from engine.leads.errors import LeadDataError
from engine.leads.report import EXAMPLES, Recoded

_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UNASSIGNED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})  # no character in Windows-1252
_EXAMPLE_CHARACTERS = 80
_CHUNK = 1 << 20


def recode(source: Path, target: Path) -> Recoded:
    """Write `source`'s text to `target` as UTF-8 and say how it was read."""
    with source.open("rb") as raw, target.open("w", encoding="utf-8", newline="") as out:
        if raw.read(2) in _UTF16_MARKS:
            raw.seek(0)
            return _utf16(source, raw, out)
        raw.seek(0)
        return _utf8_else_windows_1252(raw, out)


def _utf16(source: Path, raw: BinaryIO, out: TextIO) -> Recoded:
    decoder = codecs.getincrementaldecoder("utf-16")()  # reads and drops the mark
    try:
        while chunk := raw.read(_CHUNK):
            out.write(decoder.decode(chunk))
        out.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as error:
        raise LeadDataError(
            f"{source}: starts with a UTF-16 byte-order mark but is not UTF-16 text"
            f" ({error.reason}); save it again as UTF-8"
        ) from error
    return Recoded("UTF-16", 0, ())


def _utf8_else_windows_1252(raw: BinaryIO, out: TextIO) -> Recoded:
    lines = 0
    examples: list[tuple[int, str]] = []
    for number, line in enumerate(raw, start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as error:
            text = _mixed(line)
            lines += 1
            if len(examples) < EXAMPLES:
                at = len(line[: error.start].decode("utf-8"))  # where the first one is read
                examples.append((number, _around(text.rstrip("\r\n"), at)))
        out.write(text)
    return Recoded("UTF-8 and Windows-1252", lines, tuple(examples))


_WINDOWS_1252 = tuple(
    chr(byte) if byte in _UNASSIGNED else bytes([byte]).decode("cp1252") for byte in range(256)
)


def _windows_1252(error: UnicodeError) -> tuple[str, int]:
    """A decoding error handler: the bytes UTF-8 refused, read as Windows-1252."""
    assert isinstance(error, UnicodeDecodeError)
    refused = error.object[error.start : error.end]
    return "".join(_WINDOWS_1252[byte] for byte in refused), error.end


_FALLBACK = "accord.windows-1252"
codecs.register_error(_FALLBACK, _windows_1252)  # Python reuses one error object per line


def _mixed(line: bytes) -> str:
    """The line's UTF-8 as UTF-8 and every other byte as Windows-1252."""
    return line.decode("utf-8", errors=_FALLBACK)


def _around(text: str, at: int) -> str:
    """The line, or the part of a long one around the character at `at`."""
    if len(text) <= _EXAMPLE_CHARACTERS:
        return text
    start = max(0, min(at - _EXAMPLE_CHARACTERS // 2, len(text) - _EXAMPLE_CHARACTERS))
    end = start + _EXAMPLE_CHARACTERS
    return f"{'…' if start else ''}{text[start:end]}{'…' if end < len(text) else ''}"
