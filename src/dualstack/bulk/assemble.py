"""Columns of short byte strings, and the one primitive that turns them into text.

A :class:`Text` is a column of byte strings: a ``uint8`` matrix of candidate strings, which
matrix row each row uses (so a constant or a category table is stored once, not per row), and
where in it each row's bytes begin and how many there are. Building one (hex digits, dotted
quads, JSON fragments) is plain numpy arithmetic.

Output is made by :func:`gather`: row by row, each part's bytes, one part after another. The
step that touches every output byte, placing one part's bytes at each row's cursor, has two
implementations with one meaning: a numba kernel when numba is installed (the ``fast`` extra)
and a pure numpy one (boolean masks, several times slower); tests run both on the same input
and compare the bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dualstack.bulk.jit import compiled

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]
Index = npt.NDArray[np.intp]
_BLOCK = 4096


@dataclass(frozen=True)
class Text:
    """Row ``i`` is ``data[r, skip[i] : skip[i] + length[i]]`` with ``r = row[i]``
    (``row`` None: ``r = i``; ``skip`` None: 0). ``skip`` lets a right-aligned field, such as
    a hex group without its leading zeros, be used as it was computed."""

    data: U8
    length: I64
    skip: I64 | None = None
    row: Index | None = None

    def __len__(self) -> int:
        return len(self.length)

    @property
    def width(self) -> int:
        return int(self.data.shape[1])

    def dense(self) -> U8:
        """One data row per row (materialised when the text is indexed)."""
        return self.data if self.row is None else self.data[self.row]


def constant(value: bytes, rows: int) -> Text:
    """The same bytes on every row (stored once)."""
    data = np.frombuffer(value, dtype=np.uint8).reshape(1, -1).copy()
    return Text(
        data, np.full(rows, len(value), dtype=np.int64), None, np.zeros(rows, dtype=np.intp)
    )


def from_bytes(values: Sequence[bytes], width: int | None = None) -> Text:
    """A column from Python byte strings (NUL-free, as every generated fragment is)."""
    if not values:
        return Text(np.zeros((0, width or 1), dtype=np.uint8), np.zeros(0, dtype=np.int64))
    size = width or max(1, max(map(len, values)))
    array = np.array(values, dtype=f"S{size}")
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    return Text(array.view(np.uint8).reshape(len(values), size), np.minimum(lengths, size))


def table(choices: Sequence[bytes], index: npt.NDArray[np.integer]) -> Text:
    """Row ``i`` is ``choices[index[i]]``: how category codes become text (a negative index
    counts from the end, as in Python)."""
    lookup = from_bytes(list(choices))
    rows = np.asarray(index, dtype=np.intp) % len(choices)
    return Text(lookup.data, lookup.length[rows], None, rows)


def only(mask: npt.NDArray[np.bool_], text: Text) -> Text:
    """``text`` where ``mask`` holds, empty elsewhere."""
    return Text(text.data, np.where(mask, text.length, 0), text.skip, text.row)


def take(text: Text, index: Index) -> Text:
    """The rows ``index`` of ``text``."""
    row = index if text.row is None else text.row[index]
    skip = None if text.skip is None else text.skip[index]
    return Text(text.data, text.length[index], skip, row)


def scatter(rows: int, pieces: Sequence[tuple[Index, Text]]) -> Text:
    """A column of ``rows`` rows from pieces computed on subsets (row indexes, their text);
    rows no piece covers are empty."""
    width = max([1, *(t.width for _, t in pieces)])
    data = np.zeros((rows, width), dtype=np.uint8)
    length = np.zeros(rows, dtype=np.int64)
    skip = np.zeros(rows, dtype=np.int64)
    for index, text in pieces:
        data[index, : text.width] = text.dense()
        length[index] = text.length
        skip[index] = _skip(text)
    return Text(data, length, skip)


def _skip(text: Text) -> I64:
    return text.skip if text.skip is not None else np.zeros(len(text), dtype=np.int64)


def concat(parts: Sequence[Text]) -> Text:
    """The parts written one after another, as a single left-aligned column."""
    rows = len(parts[0])
    total = _total(parts)
    width = max(1, int(total.max(initial=0)))
    out = np.zeros(rows * width, dtype=np.uint8)
    _run(parts, out, np.arange(rows, dtype=np.int64) * width)
    return Text(out.reshape(rows, width), total)


def gather(parts: Sequence[Text]) -> tuple[bytes, I64]:
    """Every row's parts, rows back to back, and where each row starts in the result (one
    more offset at the end: the total)."""
    total = _total(parts)
    offsets = np.zeros(len(total) + 1, dtype=np.int64)
    np.cumsum(total, out=offsets[1:])
    out = np.empty(int(offsets[-1]), dtype=np.uint8)
    _run(parts, out, offsets[:-1])
    return out.tobytes(), offsets


def lines(text: Text) -> list[str]:
    """The column as Python strings (ASCII)."""
    blob, _ = gather([text, constant(b"\n", len(text))])
    return blob.decode("ascii").split("\n")[:-1]


def _total(parts: Sequence[Text]) -> I64:
    total = np.zeros(len(parts[0]), dtype=np.int64)
    for part in parts:
        total += part.length
    return total


_SMALL = 256  # a part whose text comes from at most this many strings is a "table"
_FUSED = 4096  # most distinct strings one fused table may hold


def _small(part: Text) -> bool:
    """A table part: few strings, each row using one of them whole (or not at all)."""
    return part.row is not None and part.skip is None and part.data.shape[0] <= _SMALL


def _table_of(part: Text) -> tuple[list[bytes], Index]:
    """A table part as (its strings, then b"" for an empty row; each row's string index)."""
    assert part.row is not None
    size = part.data.shape[0]
    lengths = np.zeros(size, dtype=np.int64)
    used = part.length > 0
    lengths[part.row[used]] = part.length[used]  # a row uses all of its entry, or none of it
    strings = [bytes(r[:n]) for r, n in zip(part.data, lengths.tolist(), strict=True)]
    return [*strings, b""], np.where(used, part.row, size)


def _fused(run: list[Text]) -> list[Text]:
    """A run of adjacent table parts as one table of the combinations that occur (several
    tables if the combinations outgrow _FUSED); the bytes each row gets are unchanged."""
    out: list[Text] = []
    strings, key = _table_of(run[0])
    for part in run[1:]:
        more, index = _table_of(part)
        combined = key * len(more) + index
        present = np.zeros(len(strings) * len(more), dtype=np.bool_)
        present[combined] = True
        combos = np.flatnonzero(present)
        if len(combos) > _FUSED:
            out.append(_materialise(strings, key))
            strings, key = more, index
            continue
        remap = np.zeros(len(present), dtype=np.intp)
        remap[combos] = np.arange(len(combos))
        strings = [strings[k // len(more)] + more[k % len(more)] for k in combos.tolist()]
        key = remap[combined]
    return [*out, _materialise(strings, key)]


def _materialise(strings: list[bytes], key: Index) -> Text:
    table_ = from_bytes(strings)
    return Text(table_.data, table_.length[key], None, key)


def fuse(parts: Sequence[Text]) -> list[Text]:
    """Adjacent table parts (constants, category texts and their masked forms) merged, so the
    kernel visits far fewer parts per row."""
    out: list[Text] = []
    run: list[Text] = []
    for part in [*parts, None]:
        if part is not None and _small(part):
            run.append(part)
            continue
        if run:
            out += _fused(run) if len(run) > 1 else run
            run = []
        if part is not None:
            out.append(part)
    return out


def _run(parts: Sequence[Text], out: U8, offsets: I64) -> None:
    """Write the parts one after another: a cursor per row moves along as each part lands."""
    parts = fuse(parts)
    rows = len(offsets)
    identity = np.arange(rows, dtype=np.intp)
    zeros = np.zeros(rows, dtype=np.int64)
    cursor = offsets.copy()
    columns = [
        (
            np.ascontiguousarray(p.data),
            identity if p.row is None else np.ascontiguousarray(p.row, np.intp),
            np.ascontiguousarray(p.length, dtype=np.int64),
            zeros if p.skip is None else np.ascontiguousarray(p.skip, np.int64),
        )
        for p in parts
    ]
    place = placer()
    for start in range(0, rows, _BLOCK):  # a block's output stays in cache while parts land
        block = slice(start, start + _BLOCK)
        for data, row, length, skip in columns:
            place(data, row[block], length[block], skip[block], out, cursor[block])


Kernel = Callable[[U8, Index, I64, I64, U8, I64], None]


def place_numpy(data: U8, row: Index, length: I64, skip: I64, out: U8, cursor: I64) -> None:
    """Reference implementation: each row's ``length`` bytes of ``data[row]`` from ``skip`` on
    go to ``out`` at the row's cursor, which then moves past them."""
    column = np.arange(data.shape[1])[None, :]
    keep = (column >= skip[:, None]) & (column < (skip + length)[:, None])
    target = cursor[:, None] + column - skip[:, None]
    out[target[keep]] = data[row][keep]
    cursor += length


def placer() -> Kernel:
    """The compiled ``place`` kernel, or :func:`place_numpy`. Asked on first use, not at import:
    importing numba costs about as much as a whole small run, and the commands that never
    assemble text (``bulk stats`` on an empty file) must not pay it."""
    kernel: Kernel | None = compiled("place")
    return kernel or place_numpy
