"""Reading addresses out of files and logs in bounded chunks.

Input is read in blocks of whole lines (a few MiB), decoded as UTF-8 with ``surrogateescape``
so any byte survives a round trip, and split around the address candidates. A chunk keeps the
text between candidates, so anonymisation rewrites only the addresses and leaves every other
byte as it was. Memory depends on the block size, never on the file size.

Extraction modes:

- ``list``: one address per line (surrounding blanks ignored, blank lines skipped); a line
  that is not an address is an error the commands report, with its line number.
- ``combined``: the first field of Apache/nginx common and combined logs (``%h``,
  ``$remote_addr``); a field that is not an address (a host name, ``-``) is skipped.
- ``any``: every IPv4 and IPv6 address anywhere in the line: inside brackets (``[::1]:80``),
  before a zone (``fe80::1%eth0``: the zone stays in the text), in URLs and in zone files.
  Candidates that are not addresses (times such as ``10:41:22``) are left alone.
- CSV: the column of that name in a CSV file with a header row. The compiled scanner reads
  the header here (:func:`csv_head`) and the rest as mode ``csv:K`` (the column's index K).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence

from dualstack import _value
from dualstack.bulk.raw import BLOCK, csv_index, raw_blocks
from dualstack.errors import InputError

MODES = ("list", "combined", "any")

# An IPv6 candidate is a run of hex digits, colons and dots with "::" or six or more colons;
# an IPv4 candidate is a dotted quad. Neither may be glued to a word; a sentence's final dot or
# colon after one is not part of it.
_ANY = re.compile(
    r"(?=[0-9A-Fa-f:])(?<![\w.])(?<![0-9A-Fa-f:]:)("
    r"(?=[0-9A-Fa-f.:]*::|(?:[0-9A-Fa-f.]*:){6})[0-9A-Fa-f.:]*(?:[0-9A-Fa-f]|::)(?!\w|[.:][\w:])"
    r"|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?!\w|\.\w)"  # may be followed by :port
    r")"
)
_FIRST_FIELD = re.compile(r"^([^\s\n]+)", re.MULTILINE)
# list mode: blanks (any whitespace but the newline, and a byte-order mark) around the address
_LINE = re.compile(r"^((?:[^\S\n]|\ufeff)*)(\S(?:[^\n]*\S)?)(?=[^\S\n]*$)", re.MULTILINE)
_ASCII_BLANKS = (" ", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\n\n")


@_value.value
class Chunk:
    """A run of whole lines and the address candidates in it, in order."""

    first_line: int  # 1-based number of the chunk's first line
    text: str
    candidates: Sequence[str]  # a list, or the spans of a scanned block (scanned.Spans)
    rebuild: Callable[[list[str]], str]  # the chunk's text with each candidate replaced
    strict: bool  # True: a candidate that is not an address is an error (list mode)

    def line_of(self, index: int) -> int:
        """The line number of candidate ``index`` (used only to report errors)."""
        probe = list(self.candidates)
        marker = "\x00\ue000"
        while marker in self.text:  # a marker the text cannot hold, so the first hit is ours
            marker += "\ue000"
        probe[index] = marker
        position = self.rebuild(probe).index(marker)
        return self.first_line + self.text.count("\n", 0, position)


TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:
    from typing import Any, BinaryIO, Protocol

    class Extractor(Protocol):
        def __call__(self, text: str, first_line: int) -> Chunk: ...


def _by_pattern(pattern: re.Pattern[str], strict: bool) -> Extractor:
    """Split on ``pattern``; its last group is the candidate, earlier groups are kept text."""
    stride = pattern.groups + 1
    at = slice(pattern.groups, None, stride)

    def split(text: str, first_line: int) -> Chunk:
        parts = pattern.split(text)

        def rebuild(replacements: list[str]) -> str:
            out = list(parts)
            out[at] = replacements
            return "".join(out)

        return Chunk(first_line, text, parts[at], rebuild, strict)

    return split


_CSV_FIELD = re.compile(r'"(?:[^"]|"")*"|[^,\r\n]*')


def _field_span(line: str, index: int) -> tuple[int, int] | None:
    """Where field ``index`` of a one-line CSV record lies (inside its quotes, if quoted)."""
    position = 0
    for field in range(index + 1):
        match = _CSV_FIELD.match(line, position)
        if match is None:
            return None
        start, end = match.span()
        if field == index:
            quoted = line[start : start + 1] == '"'
            return (start + 1, end - 1) if quoted else (start, end)
        if line[end : end + 1] != ",":
            return None
        position = end + 1
    return None


class CsvColumn:
    """The named column of a CSV file; the header is the first line of the input. Rewriting
    replaces the cell's text in place (inside its quotes if it has them), so every other byte
    of the file is kept."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.index: int | None = None

    def __call__(self, text: str, first_line: int) -> Chunk:
        physical = text.splitlines(keepends=True)
        reader = csv.reader(physical)
        records: list[tuple[int, int, list[str]]] = []  # first line, line count, cells
        done = 0
        for row in reader:
            records.append((done, reader.line_num - done, row))
            done = reader.line_num
        start = 0
        if self.index is None:
            if not records:
                raise InputError(f"CSV input is empty: no header with a column {self.name!r}")
            self.index = column_index(records[0][2], self.name)
            start = 1
        index = self.index
        body = records[start:]
        cells = [row[index] if len(row) > index else "" for _, _, row in body]

        def rebuild(replacements: list[str]) -> str:
            out = list(physical)
            for (line, count, row), value in zip(body, replacements, strict=True):
                if len(row) <= index or value == row[index]:
                    continue
                span = _field_span(out[line], index) if count == 1 else None
                if span is not None and out[line][span[0] : span[1]] == row[index]:
                    out[line] = out[line][: span[0]] + value + out[line][span[1] :]
                    continue
                buffer = io.StringIO(newline="")  # a record across lines: written anew
                csv.writer(buffer, lineterminator="\n").writerow(
                    [*row[:index], value, *row[index + 1 :]]
                )
                last = out[line + count - 1]  # its break, if any (none at the end of input)
                ending = last[len(last.rstrip("\r\n")) :]
                out[line : line + count] = [buffer.getvalue().rstrip("\n") + ending] + [""] * (
                    count - 1
                )
            return "".join(out)

        return Chunk(first_line + start, text, cells, rebuild, False)


def column_index(header: list[str], name: str) -> int:
    """Where column ``name`` is in a header record (an Excel UTF-8 mark before it ignored)."""
    if header:
        header = [header[0].removeprefix("\ufeff"), *header[1:]]
    if name not in header:
        raise InputError(f"CSV column {name!r} not found; the header has {', '.join(header)}")
    return header.index(name)


@_value.value
class CsvHead:
    """A CSV input's header, read for the compiled scanner: the scan mode of the column
    (``csv:K``), the header's bytes (written through by commands that rewrite the input) and
    the input after it (its first line is line 2)."""

    mode: str
    header: bytes
    rest: BinaryIO


class _Replay(io.RawIOBase):
    """``head``, then the rest of ``stream``: bytes read ahead and given back."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self.head, self.stream = head, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n], self.head = self.head[:n], self.head[n:]
            return n
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def csv_head(stream: BinaryIO, name: str) -> CsvHead:
    """The header record of CSV ``stream`` read as :class:`CsvColumn` reads it (the csv module
    over the text's lines, so a quoted newline in a column name is read too) and the input
    after it. The csv reader takes one line at a time and stops at the end of the record; what
    was read past it (after a line break that is not a newline) is given back."""
    read: list[bytes] = []
    pending: list[str] = []

    def lines() -> Iterator[str]:
        while True:
            if not pending:
                line = stream.readline()
                if not line:
                    return
                read.append(line)
                pending.extend(line.decode("utf-8", "surrogateescape").splitlines(keepends=True))
            yield pending.pop(0)

    header = next(csv.reader(lines()), None)
    if header is None:
        raise InputError(f"CSV input is empty: no header with a column {name!r}")
    mode = f"csv:{column_index(header, name)}"
    back = "".join(pending).encode("utf-8", "surrogateescape")
    text = b"".join(read)
    head = text[: len(text) - len(back)]
    return CsvHead(mode, head, io.BufferedReader(_Replay(back, stream)) if back else stream)


def _plain_list(text: str, first_line: int) -> Chunk:
    """List mode; lines without blanks or CRs (the usual case) are split without a regex."""
    if not text.isascii() or text[:1] == "\n" or any(b in text for b in _ASCII_BLANKS):
        return _LIST(text, first_line)
    candidates = text.split("\n")
    ending = "\n" if candidates[-1] == "" else ""
    if ending:
        candidates.pop()

    def rebuild(replacements: list[str]) -> str:
        return "\n".join(replacements) + ending

    return Chunk(first_line, text, candidates, rebuild, True)


_LIST = _by_pattern(_LINE, True)


def extractor(mode: str, csv_column: str | None = None) -> Extractor:
    """The extractor for a mode name (see the module docstring)."""
    if csv_column is not None:
        return CsvColumn(csv_column)
    column = csv_index(mode)
    if column is not None:  # the body of a CSV whose header was read (csv_head)
        cells = CsvColumn("")
        cells.index = column
        return cells
    if mode == "list":
        return _plain_list
    if mode == "combined":
        return _by_pattern(_FIRST_FIELD, False)
    if mode == "any":
        return _by_pattern(_ANY, False)
    raise InputError(f"extraction mode {mode!r} is not one of {', '.join(MODES)}")


def blocks(stream: BinaryIO, size: int = BLOCK) -> Iterator[str]:
    """:func:`raw_blocks` decoded so every byte round-trips (UTF-8, ``surrogateescape``)."""
    for data in raw_blocks(stream, size):
        yield data.decode("utf-8", "surrogateescape")


def chunks(stream: BinaryIO, extract: Extractor, size: int = BLOCK) -> Iterator[Chunk]:
    """The input as chunks of candidates, line numbers carried across blocks."""
    line = 1
    for text in blocks(stream, size):
        yield extract(text, line)
        line += text.count("\n")
    if isinstance(extract, CsvColumn) and extract.index is None:
        raise InputError(f"CSV input is empty: no header with a column {extract.name!r}")
