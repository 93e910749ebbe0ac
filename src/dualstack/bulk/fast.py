"""The compiled bulk kernels, behind pure functions that say when they are not there.

This module wraps the C extension ``dualstack.bulk._scan`` (``src/dualstack/bulk/_scan.c``)
and loads every kernel (:func:`native`). Every function returns None when the extension is missing
(installed without a compiler) or switched off with ``DUALSTACK_NO_EXT=1``; callers then take
the numpy/Python path, which writes the same bytes (the suite runs both and compares them).

Decisions, and why:

- **C over the buffer protocol, not Cython.** Building needs gcc and Python's headers and
  nothing else (the machine and CI have both); the kernels are small state machines over bytes,
  which C states directly. Memory safety is not left to faith: the suite fuzzes the kernels
  with hypothesis (random bytes, NULs, overlong lines, addresses cut at chunk edges) and CI
  runs those tests once more against a build with AddressSanitizer. numba's ahead-of-time
  ``pycc`` is deprecated and is not used.
- **Declared in setup.py as optional extensions** (pyproject.toml stays the metadata source):
  an install without a compiler still works, on numpy.
- **The kernel decides only what it is sure of.** Extraction follows :mod:`.source` match for
  match; where Python's Unicode ``\\s``, ``\\w`` or ``\\d`` would meet a non-ASCII byte (list
  mode: anywhere in the line; combined: in the first field; any: next to a candidate) the
  line goes to the Python extractor whole. Parsing accepts only plain RFC 4291
  text and strict dotted quads (no leading zeros), the subset glibc's ``inet_pton`` reads the
  same way; anything else (zones, prefixes, brackets, ports, junk) goes to
  :func:`~dualstack.bulk.parse.parse_many`, so each candidate gets exactly the answer
  :func:`dualstack.addr.parse.parse_address` gives it.
- **Untrusted input.** The kernels check every index against the buffer, never trust a line
  length, validate rows handed back from Python, and release the GIL while they run, so two
  threads can each take half of a chunk (split at a newline).
"""

from __future__ import annotations

import importlib
import os
from functools import cache
from types import ModuleType

from dualstack._value import value
from dualstack.bulk.beside import Beside

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:
    from typing import Any

MODES = {"list": 0, "combined": 1, "any": 2}
CSV = 3  # mode "csv:K" (the column of index K, dualstack.bulk.source.csv_head) is code CSV + K
FORMS = {"compressed": 0, "exploded": 1, "reverse": 2}
LINE = 255  # version of a row that is a whole line for the Python extractor
MAX_TEXT = 73  # the longest text one address becomes (an ip6.arpa name)
SPLIT = 1 << 20  # chunks at least this large are scanned and written by two threads


@cache
def extension() -> ModuleType | None:
    """The compiled module, or None (not built, or ``DUALSTACK_NO_EXT=1``)."""
    return native("_scan")


def native(name: str) -> ModuleType | None:
    """The compiled kernel ``dualstack.bulk.<name>``, or None: not built (installed without a
    compiler) or switched off with ``DUALSTACK_NO_EXT=1``. Every kernel is loaded here."""
    if os.environ.get("DUALSTACK_NO_EXT"):
        return None
    try:
        return importlib.import_module(f"dualstack.bulk.{name}")
    except ImportError:
        return None


@value
class Scan:
    """Candidates of a chunk, in order, as typed memoryviews (numpy reads them without a copy:
    ``np.asarray``; this module does not import numpy, which costs start-up time):
    ``data[starts[i]:ends[i]]`` is candidate ``i``; ``version`` 4 or 6: ``hi``/``lo`` hold its
    value (IPv4 in ``lo``); 0: Python parses it; :data:`LINE`: the span is a whole line (no
    newline) Python extracts itself. ``asked`` lists the rows of version 0 or LINE."""

    starts: memoryview  # int64
    ends: memoryview  # int64
    hi: memoryview  # uint64
    lo: memoryview  # uint64
    version: memoryview  # uint8
    newlines: int = 0  # newlines in the scanned range
    asked: tuple[int, ...] = ()

    def __len__(self) -> int:
        return len(self.version)

    def rows(self, start: int, stop: int) -> Scan:
        """Rows ``start:stop`` (``asked`` is not carried: the writer does not read it)."""
        part = slice(start, stop)
        return Scan(
            self.starts[part], self.ends[part], self.hi[part], self.lo[part], self.version[part]
        )

    def writable(self) -> Scan:
        """A copy whose ``hi``, ``lo`` and ``version`` may be assigned to."""
        return Scan(
            self.starts,
            self.ends,
            memoryview(bytearray(self.hi)).cast("Q"),
            memoryview(bytearray(self.lo)).cast("Q"),
            memoryview(bytearray(self.version)),
            self.newlines,
            self.asked,
        )


def wrap(parts: tuple[Any, ...]) -> Scan:
    """The extension's answer, ``(starts, ends, hi, lo, version, newlines, asked)`` buffers, as a
    :class:`Scan`."""
    starts, ends, hi, lo, version, newlines, asked = parts
    return Scan(
        memoryview(starts).cast("q"),
        memoryview(ends).cast("q"),
        memoryview(hi).cast("Q"),
        memoryview(lo).cast("Q"),
        memoryview(version),
        newlines,
        tuple(memoryview(asked).cast("q").tolist()),
    )


def scan(data: bytes, mode: str, threads: int = 2) -> Scan | None:
    """The candidates of ``data`` (whole lines) in extraction ``mode``; None without the
    extension. A large chunk is split at a newline and scanned by two threads."""
    if extension() is None:
        return None
    spans = ranges(data, threads, mode)
    later = [Beside(scan_range, data, mode, begin, end) for begin, end in spans[1:]]
    parts = [scan_range(data, mode, *spans[0]), *(part.result() for part in later)]
    if len(parts) == 1:
        return parts[0]
    head, tail = parts

    def joined(a: memoryview, b: memoryview) -> memoryview:
        code: Any = a.format
        return memoryview(bytes(a) + bytes(b)).cast(code)

    return Scan(
        joined(head.starts, tail.starts),
        joined(head.ends, tail.ends),
        joined(head.hi, tail.hi),
        joined(head.lo, tail.lo),
        joined(head.version, tail.version),
        head.newlines + tail.newlines,
        head.asked + tuple(len(head) + row for row in tail.asked),
    )


def ranges(data: bytes, threads: int = 2, mode: str = "list") -> list[tuple[int, int]]:
    """``data`` (whole lines) as one range per thread, split at a newline; a chunk smaller
    than :data:`SPLIT` stays whole, and so does a CSV chunk with a quote (the newline might
    be inside a quoted cell)."""
    size = len(data)
    from dualstack.bulk.raw import csv_index

    csv = csv_index(mode) is not None
    whole = threads < 2 or size < SPLIT or (csv and b'"' in data)
    half = None if whole else _newline_after(data, size // 2)
    return [(0, size)] if half is None else [(0, half), (half, size)]


def scan_range(data: bytes, mode: str, begin: int, end: int) -> Scan:
    """The candidates of ``data[begin:end]`` (whole lines; offsets stay absolute), on the
    calling thread. The extension must be there."""
    ext = extension()
    assert ext is not None
    return wrap(ext.scan(data, mode_code(mode), begin, end))


def mode_code(mode: str) -> int:
    """The kernel's code of an extraction mode: list, combined, any, or ``csv:K``."""
    from dualstack.bulk.raw import csv_index

    column = csv_index(mode)
    return MODES[mode] if column is None else CSV + column


def _newline_after(data: bytes, at: int) -> int | None:
    """The offset just after the first newline at or after ``at`` (None: none before the end)."""
    found = data.find(b"\n", at)
    if found < 0 or found + 1 >= len(data):
        return None
    return found + 1


def rewrite(
    data: bytes, begin: int, stop: int, rows: Scan, form: str, out: bytearray | memoryview
) -> int | None:
    """Write ``data[begin:stop]`` into ``out`` with each row of version 4 or 6 replaced by its
    text in ``form``; the bytes written (None without the extension). ``out`` must hold
    :func:`space` bytes."""
    ext = extension()
    if ext is None:
        return None
    written: int = ext.rewrite(
        data, begin, stop, rows.starts, rows.ends, rows.hi, rows.lo, rows.version, FORMS[form], out
    )
    return written


def space(begin: int, stop: int, rows: int) -> int:
    """The output room :func:`rewrite` and :func:`write` need for a range and its rows."""
    return stop - begin + MAX_TEXT * rows


def write(
    data: bytes, begin: int, stop: int, rows: Scan, form: str, out: memoryview, threads: int = 2
) -> list[memoryview] | None:
    """:func:`rewrite` into ``out`` (``space(begin, stop, len(rows))`` bytes), by two threads
    when the range is large: the views of ``out`` that hold the result, in order."""
    if extension() is None:
        return None
    count = len(rows)
    if threads < 2 or stop - begin < SPLIT or count < 2:
        written = rewrite(data, begin, stop, rows, form, out)
        assert written is not None
        return [out[:written]]
    m = count // 2
    middle = int(rows.starts[m])
    at = space(begin, middle, m)
    second = Beside(rewrite, data, middle, stop, rows.rows(m, count), form, out[at:])
    one = rewrite(data, begin, middle, rows.rows(0, m), form, out[:at])
    two = second.result()
    assert one is not None
    assert two is not None
    return [out[:one], out[at : at + two]]


def lines(hi: Any, lo: Any, version: Any, form: str = "compressed") -> bytes | None:
    """Each row's text in ``form``, one per line (a row of version 0: an empty line); None
    without the extension. The writer of :func:`rewrite` does it: over a text of newlines only,
    each row an empty candidate just before its newline."""
    if extension() is None:
        return None
    from array import array

    rows = len(memoryview(version))
    at = memoryview(array("q", range(rows)))
    found = Scan(at, at, memoryview(hi), memoryview(lo), memoryview(version))
    out = memoryview(bytearray(space(0, rows, rows)))
    views = write(b"\n" * rows, 0, rows, found, form, out)
    assert views is not None
    return b"".join(views)
