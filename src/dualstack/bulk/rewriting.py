"""Addresses rewritten in place in raw blocks, through the compiled kernels: the bytes-out path
``bulk convert`` and ``bulk anonymize`` share.

Each block of whole lines is scanned and parsed in C (:mod:`.fast`); the rows it does not
decide are answered by the Python path (:func:`~dualstack.bulk.scanned.resolve`); a command may
change the rows' values (``values``: anonymisation); the writer puts each row's text in the
chosen form into a reused buffer in place of the candidate, keeping every other byte, and the
buffer goes to the output as it is, with no decoding, splitting or joining of strings. A line
whose non-ASCII text only the Python extractor reads is rewritten by the command's Python path
(``whole``) and spliced in between.
"""

from __future__ import annotations

from dualstack import _value
from dualstack._value import field
from dualstack.bulk.raw import BLOCK, raw_blocks

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import BinaryIO

    from dualstack.bulk.fast import Scan
    from dualstack.bulk.parse import Parsed
    from dualstack.bulk.source import Chunk

    Whole = Callable[[Chunk, Parsed], str]  # the Python path's text of the whole lines
    Values = Callable[[Scan], None]  # changes the values of a writable scan in place


@_value.value
class Converted:
    """One block of the output. ``pieces`` are written in order; a piece may be a view of a
    buffer the next block reuses, so write it before asking for the next block."""

    pieces: list[bytes | memoryview]
    rows: int  # candidates seen
    invalid: int = 0  # list mode: lines that are not addresses
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, input, message)


def rewritten(
    stream: BinaryIO,
    extract: str,
    form: str,
    whole: Whole,
    values: Values | None = None,
    *,
    size: int = BLOCK,
    shown: int = 10,
    csv_column: str | None = None,
) -> Iterator[Converted]:
    """``stream`` (mode ``extract``, or the CSV column named) with every address written in
    ``form`` after ``values`` changed it; at most ``shown`` errors listed per block. The
    scanner must be there."""
    head = b""
    if csv_column is not None:  # the header goes through as it is; the body is scanned
        from dualstack.bulk.source import csv_head

        found = csv_head(stream, csv_column)
        stream, extract, head = found.rest, found.mode, found.header
    out = bytearray()
    line = 1 + head.count(b"\n")
    if head:
        yield Converted([head], 0)
    for data in raw_blocks(stream, size):
        converted, out, newlines = _block(data, line, extract, form, whole, values, out, shown)
        yield converted
        line += newlines


def _block(
    data: bytes,
    first_line: int,
    extract: str,
    form: str,
    whole: Whole,
    values: Values | None,
    out: bytearray,
    shown: int,
) -> tuple[Converted, bytearray, int]:
    """One block through the compiled kernel; the output buffer (a new one if it was too
    small: views of the old one may still be held); the block's newlines."""
    from dualstack.bulk import fast as kernel
    from dualstack.bulk.scanned import resolve

    res = resolve(data, first_line, extract, shown)
    found, whole_rows = res.found, res.whole
    rows = len(found) - len(whole_rows)
    if res.asked is not None or values is not None:
        found = found.writable()
    if res.asked is not None:
        asked = res.asked
        for row, h, low, v in zip(
            res.ask, asked.hi.tolist(), asked.lo.tolist(), asked.version.tolist(), strict=True
        ):
            found.hi[row], found.lo[row], found.version[row] = h, low, v
    if values is not None:
        values(found)
    starts, ends = found.starts, found.ends
    need = kernel.space(0, len(data), len(found))
    if len(out) < need:
        out = bytearray(need)
    view = memoryview(out)
    pieces: list[bytes | memoryview] = []
    written = begin = row = 0
    lines_out: list[bytes] = []
    if res.chunk is not None and res.parsed is not None:
        text = whole(res.chunk, res.parsed)
        lines_out = [line.encode("utf-8", "surrogateescape") for line in text.split("\n")]
        assert len(lines_out) == len(whole_rows)
        rows += len(res.parsed)
    for w, converted in zip(whole_rows, lines_out, strict=True):
        a, b = starts[w], ends[w]
        part = found.rows(row, w)
        done = kernel.write(data, begin, a, part, form, view[written:])
        assert done is not None
        pieces += done
        written += kernel.space(begin, a, len(part))
        pieces.append(converted)
        begin, row = b, w + 1
    part = found.rows(row, len(found))
    done = kernel.write(data, begin, len(data), part, form, view[written:])
    assert done is not None
    pieces += done
    return Converted(pieces, rows, res.invalid, res.errors), out, found.newlines
