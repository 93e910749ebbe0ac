"""Columns of short byte strings, and the one primitive that turns them into text.

A :class:`Text` is a column of byte strings held as a left-aligned ``uint8`` matrix plus a length
per row, so building one (hex digits, dotted quads, JSON fragments) is plain numpy arithmetic.
Output is made by :func:`gather`: row by row, the first ``length`` bytes of each part, one part
after another. That is the only step that touches every output byte, so it has two
implementations with one meaning: a numba kernel when numba is installed (the ``fast`` extra)
and a pure numpy one (boolean compaction, several times slower); tests run both on the same
input and compare the bytes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Text:
    """Row ``i``'s bytes are ``data[i, skip[i] : skip[i] + length[i]]``; the rest is ignored.
    ``skip`` (None: zero) lets a right-aligned field, such as a hex group without its leading
    zeros, be used as it was computed."""

    data: U8
    length: I64
    skip: I64 | None = None

    def __len__(self) -> int:
        return len(self.length)

    @property
    def width(self) -> int:
        return int(self.data.shape[1])


def constant(value: bytes, rows: int) -> Text:
    """The same bytes on every row (a broadcast view: no per-row memory)."""
    data = np.frombuffer(value, dtype=np.uint8).reshape(1, -1)
    return Text(
        np.broadcast_to(data, (rows, len(value))), np.full(rows, len(value), dtype=np.int64)
    )


def from_bytes(values: Sequence[bytes], width: int | None = None) -> Text:
    """A column from Python byte strings (NUL-free, as every generated fragment is)."""
    if not values:
        return Text(np.zeros((0, width or 1), dtype=np.uint8), np.zeros(0, dtype=np.int64))
    size = width or max(1, max(map(len, values)))
    array = np.array(values, dtype=f"S{size}")
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    return Text(array.view(np.uint8).reshape(len(values), size), lengths)


def table(choices: Sequence[bytes], index: npt.NDArray[np.integer]) -> Text:
    """Row ``i`` is ``choices[index[i]]``: how category codes become text."""
    lookup = from_bytes(list(choices))
    return Text(lookup.data[index], lookup.length[index])


def where(mask: npt.NDArray[np.bool_], yes: Text, no: Text) -> Text:
    """Row by row, ``yes`` where ``mask`` holds, else ``no``."""
    width = max(yes.width, no.width)
    return Text(
        np.where(mask[:, None], _widen(yes.data, width), _widen(no.data, width)),
        np.where(mask, yes.length, no.length),
        np.where(mask, _skip(yes), _skip(no))
        if yes.skip is not None or no.skip is not None
        else None,
    )


def only(mask: npt.NDArray[np.bool_], text: Text) -> Text:
    """``text`` where ``mask`` holds, empty elsewhere."""
    return Text(text.data, np.where(mask, text.length, 0), text.skip)


def scatter(rows: int, pieces: Sequence[tuple[npt.NDArray[np.intp], Text]]) -> Text:
    """A column of ``rows`` rows from pieces computed on subsets (row indexes, their text);
    rows no piece covers are empty."""
    width = max([1, *(t.width for _, t in pieces)])
    data = np.zeros((rows, width), dtype=np.uint8)
    length = np.zeros(rows, dtype=np.int64)
    skip = np.zeros(rows, dtype=np.int64)
    for index, text in pieces:
        data[index, : text.width] = text.data
        length[index] = text.length
        skip[index] = _skip(text)
    return Text(data, length, skip)


def _skip(text: Text) -> I64:
    return text.skip if text.skip is not None else np.zeros(len(text), dtype=np.int64)


def _widen(data: U8, width: int) -> U8:
    if data.shape[1] == width:
        return data
    return np.pad(data, ((0, 0), (0, width - data.shape[1])))


def concat(parts: Sequence[Text]) -> Text:
    """The parts written one after another, as a single left-aligned column."""
    rows = len(parts[0])
    lengths = _lengths(parts)
    total = lengths.sum(axis=1)
    width = max(1, int(total.max(initial=0)))
    out = np.zeros(rows * width, dtype=np.uint8)
    offsets = np.arange(rows, dtype=np.int64) * width
    data, begins = _stack(parts)
    _GATHER(data, lengths, begins, out, offsets)
    return Text(out.reshape(rows, width), total.astype(np.int64))


def gather(parts: Sequence[Text]) -> tuple[bytes, I64]:
    """Every row's parts, rows back to back, and where each row starts in the result."""
    lengths = _lengths(parts)
    total = lengths.sum(axis=1)
    offsets = np.zeros(len(total) + 1, dtype=np.int64)
    np.cumsum(total, out=offsets[1:])
    out = np.empty(int(offsets[-1]), dtype=np.uint8)
    data, begins = _stack(parts)
    _GATHER(data, lengths, begins, out, offsets[:-1])
    return out.tobytes(), offsets


def lines(text: Text) -> list[str]:
    """The column as Python strings (ASCII)."""
    blob, _ = gather([text, constant(b"\n", len(text))])
    return blob.decode("ascii").split("\n")[:-1]


def _lengths(parts: Sequence[Text]) -> I64:
    return np.stack([p.length for p in parts], axis=1).astype(np.int64)


def _stack(parts: Sequence[Text]) -> tuple[U8, I64]:
    """All parts side by side, and where each row's bytes of each part begin."""
    starts = np.cumsum([0] + [p.width for p in parts[:-1]]).astype(np.int64)
    data = np.concatenate([p.data for p in parts], axis=1)
    begins = np.empty((len(data), len(parts)), dtype=np.int64)
    for i, part in enumerate(parts):
        begins[:, i] = starts[i] if part.skip is None else starts[i] + part.skip
    return data, begins


def gather_numpy(data: U8, lengths: I64, begins: I64, out: U8, offsets: I64) -> None:
    """Reference implementation: row by row, part by part, the bytes from each part's begin
    for its length, written from the row's offset on."""
    rows, width = data.shape
    keep = np.zeros((rows, width), dtype=np.bool_)
    column = np.arange(width)[None, :]
    for part in range(begins.shape[1]):
        begin = begins[:, part : part + 1]
        keep |= (column >= begin) & (column < begin + lengths[:, part : part + 1])
    rank = np.cumsum(keep, axis=1) - 1
    out[(offsets[:, None] + rank)[keep]] = data[keep]


def _compile() -> Callable[[U8, I64, I64, U8, I64], None]:
    """The numba kernel if numba is importable (and not disabled), else the numpy one."""
    if os.environ.get("DUALSTACK_NO_JIT"):
        return gather_numpy
    try:
        import numba
    except ImportError:
        return gather_numpy

    @numba.njit(cache=True, nogil=True)  # type: ignore[untyped-decorator,misc,unused-ignore]
    def gather_jit(data: U8, lengths: I64, begins: I64, out: U8, offsets: I64) -> None:
        for row in range(data.shape[0]):
            at = offsets[row]
            for part in range(begins.shape[1]):
                begin = begins[row, part]
                for k in range(lengths[row, part]):
                    out[at + k] = data[row, begin + k]
                at += lengths[row, part]

    return gather_jit  # type: ignore[no-any-return,unused-ignore]


_GATHER = _compile()
JIT = _GATHER is not gather_numpy
