"""Every numba kernel of the bulk engine, in the one module that imports numba.

Each has a numpy counterpart that gives the same bytes (tests compare them): the part placer
of :mod:`dualstack.bulk.assemble` and the RFC 5952 text writer behind ``anonymize`` and
``uniq``. Callers reach them through :func:`dualstack.bulk.jit.compiled`. (The JSON-lines
writer of ``annotate`` is C, ``_jsonl.c``; without it, annotate assembles numpy columns.)
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]

_HEXD = np.frombuffer(b"0123456789abcdef", dtype=np.uint8).copy()
_MAPPED = np.frombuffer(b"::ffff:", dtype=np.uint8).copy()
_jit = numba.njit(cache=True, nogil=True)
_inline = numba.njit(cache=True, nogil=True, inline="always")


@_inline
def decimal(out, at, value):  # type: ignore[no-untyped-def]
    ten = np.uint64(10)
    value = np.uint64(value)
    if value == np.uint64(0):
        out[at] = 48
        return at + 1
    n = 0
    probe = value
    while probe:
        probe //= ten
        n += 1
    for k in range(n - 1, -1, -1):
        out[at + k] = np.uint8(np.uint64(48) + value % ten)
        value //= ten
    return at + n


@_inline
def dotted(out, at, v4):  # type: ignore[no-untyped-def]
    v4 = np.uint64(v4)
    for k in range(4):
        at = decimal(out, at, (v4 >> np.uint64(24 - 8 * k)) & np.uint64(255))
        if k < 3:
            out[at] = 46
            at += 1
    return at


@_inline
def hexfixed(out, at, value, digits):  # type: ignore[no-untyped-def]
    value = np.uint64(value)
    for k in range(digits):
        shift = np.uint64(4 * (digits - 1 - k))
        out[at + k] = _HEXD[np.intp((value >> shift) & np.uint64(15))]
    return at + digits


@_inline
def group(hi, lo, i):  # type: ignore[no-untyped-def]
    word = hi if i < 4 else lo
    return (word >> np.uint64(48 - 16 * (i % 4))) & np.uint64(0xFFFF)


@_jit
def compressed(out, at, hi, lo):  # type: ignore[no-untyped-def]
    if hi == np.uint64(0) and (lo >> np.uint64(32)) == np.uint64(0xFFFF):
        for k in range(7):
            out[at + k] = _MAPPED[k]
        return dotted(out, at + 7, lo & np.uint64(0xFFFFFFFF))
    best, best_len, run = -1, 0, 0
    for i in range(8):
        if group(hi, lo, i) == np.uint64(0):
            run += 1
            if run > best_len:
                best_len, best = run, i - run + 1
        else:
            run = 0
    if best_len < 2:
        best = -1
    i = 0
    colon = False
    while i < 8:
        if i == best:
            out[at] = 58
            out[at + 1] = 58
            at += 2
            i += best_len
            colon = False
            continue
        if colon:
            out[at] = 58
            at += 1
        g = group(hi, lo, i)
        digits = 4 if g >= 0x1000 else 3 if g >= 0x100 else 2 if g >= 0x10 else 1
        at = hexfixed(out, at, g, digits)
        colon = True
        i += 1
    return at


@_jit
def text(out, at, version, hi, lo):  # type: ignore[no-untyped-def]
    if version == 4:
        return dotted(out, at, lo & np.uint64(0xFFFFFFFF))
    return compressed(out, at, hi, lo)


@_jit
def place(data, row, length, skip, out, cursor):  # type: ignore[no-untyped-def]
    """:func:`dualstack.bulk.assemble.place_numpy`, compiled."""
    for i in range(cursor.shape[0]):
        n = length[i]
        if n:
            r, begin, at = row[i], skip[i], cursor[i]
            for k in range(n):
                out[at + k] = data[r, begin + k]
            cursor[i] = at + n


@_jit
def write_texts(version, hi, lo, out, row_at):  # type: ignore[no-untyped-def]
    """Each row's RFC 5952 or dotted-quad text followed by a newline (nothing for version 0)."""
    at = 0
    for r in range(version.shape[0]):
        row_at[r] = at
        if version[r]:
            at = text(out, at, version[r], hi[r], lo[r])
            out[at] = 10
            at += 1
    row_at[version.shape[0]] = at
    return at


__all__ = ["place", "write_texts"]
