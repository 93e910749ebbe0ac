"""Vectorised parsing of address text into 128-bit values held as two uint64 columns.

Plain IPv6 (hex groups with at most one ``::``) and dotted IPv4 are parsed by array operations
over a fixed-width byte matrix; anything else (mixed ``::ffff:a.b.c.d`` notation, zones,
prefixes, brackets, junk) goes through the address core one line at a time, so every line
gets exactly the answer :func:`dualstack.addr.parse.parse_address` gives it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dualstack.addr.parse import parse_address
from dualstack.errors import DualstackError

WIDTH = 39  # the longest plain IPv6 text: 8 groups of 4 digits and 7 colons
U64 = npt.NDArray[np.uint64]

_HEX = np.full(256, 255, dtype=np.uint8)
for _i, _c in enumerate(b"0123456789abcdef"):
    _HEX[_c] = _i
for _i, _c in enumerate(b"ABCDEF"):
    _HEX[_c] = 10 + _i
_COLON, _DOT, _PAD = ord(":"), ord("."), 0


@dataclass(frozen=True)
class Parsed:
    """Parsed lines: ``hi``/``lo`` hold the 128-bit value (IPv4 in ``lo``), ``version`` is
    4 or 6, and 0 where the line is not an address (its message is in ``errors``)."""

    hi: U64
    lo: U64
    version: npt.NDArray[np.uint8]
    errors: dict[int, str]

    def __len__(self) -> int:
        return len(self.hi)


def _matrix(lines: Sequence[str]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.bool_]]:
    """Lines as an (N, WIDTH) byte matrix, and which lines fit (ASCII, not too long)."""
    raw = [line.strip().encode("ascii", "replace") for line in lines]
    fits = np.fromiter((len(r) <= WIDTH for r in raw), dtype=bool, count=len(raw))
    fixed = np.array([r if len(r) <= WIDTH else b"" for r in raw], dtype=f"S{WIDTH}")
    return fixed.view(np.uint8).reshape(len(raw), WIDTH), fits


def _groups(
    m: npt.NDArray[np.uint8],
    sep: npt.NDArray[np.bool_],
    digit: npt.NDArray[np.bool_],
    value: npt.NDArray[np.uint8],
    base: int,
    slots: int,
) -> tuple[
    npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]
]:
    """Per row and group (groups split by ``sep``): the digit count, the number value, and the
    group index of every character; plus whether a group starts with a '0' digit."""
    n = m.shape[0]
    group = np.minimum(np.cumsum(sep, axis=1, dtype=np.int16) - sep, slots - 1)
    cum = np.cumsum(digit, axis=1, dtype=np.int16)
    at_sep = np.maximum.accumulate(np.where(sep, cum, 0).astype(np.int16), axis=1)
    index_in_group = cum - at_sep - 1  # 0 for a group's first digit
    flat = (np.arange(n, dtype=np.int64)[:, None] * slots + group)[digit]
    counts = np.bincount(flat, minlength=n * slots).reshape(n, slots)
    length = counts[np.arange(n)[:, None], group].astype(np.int16)
    pos_from_end = length - 1 - index_in_group
    powers = np.array([1, base, base**2, base**3, 0, 0, 0, 0], dtype=np.float64)
    weights = value[digit] * powers[(pos_from_end[digit] & 7)]
    values = np.bincount(flat, weights=weights, minlength=n * slots)
    leading = digit & (index_in_group == 0) & (m == ord("0")) & (length > 1)
    return counts, values.reshape(n, slots).astype(np.int64), group, leading.any(axis=1)


def _ipv6(m: npt.NDArray[np.uint8]) -> tuple[U64, U64, npt.NDArray[np.bool_]]:
    """Plain IPv6 rows of ``m``: (hi, lo, ok). Rows that are not plain IPv6 have ok False."""
    n = m.shape[0]
    colon = m == _COLON
    pad = m == _PAD
    digit_value = _HEX[m]
    is_hex = digit_value != 255
    length = (~pad).sum(axis=1)
    ok = (is_hex | colon | pad).all(axis=1) & (length >= 2)
    groups = colon.sum(axis=1) + 1
    double = colon[:, 1:] & colon[:, :-1]
    doubles = double.sum(axis=1)
    ok &= (doubles <= 1) & (groups <= 9)
    counts, values, group, _ = _groups(m, colon, is_hex, digit_value, 16, 10)
    ok &= (counts <= 4).all(axis=1)
    dpos = np.where(doubles == 1, double.argmax(axis=1), -1)
    rows = np.arange(n)
    gidx = np.arange(9)[None, :]
    in_range = gidx < groups[:, None]
    dgroup = np.where(dpos >= 0, group[rows, np.maximum(dpos, 0)] + 1, -1)[:, None]
    starts = (dpos == 0)[:, None] & (gidx == 0)
    ends = (dpos == length - 2)[:, None] & (gidx == groups[:, None] - 1)
    hole = (gidx == dgroup) | starts | ends  # the empty groups "::" makes
    ok &= ~((counts[:, :9] == 0) & in_range & ~hole).any(axis=1)
    real = in_range & ~hole
    nreal = real.sum(axis=1)
    ok &= np.where(doubles == 1, nreal <= 7, nreal == 8)
    shift = np.where((gidx > dgroup) & (dgroup >= 0), 8 - nreal[:, None], 0)
    slot = np.cumsum(real, axis=1) - 1 + shift
    keep = real & ok[:, None] & (slot >= 0) & (slot < 8)
    out = np.zeros(n * 8, dtype=np.uint64)
    out[(rows[:, None] * 8 + slot)[keep]] = values[:, :9][keep].astype(np.uint64)
    out = out.reshape(n, 8)
    shifts = np.array([48, 32, 16, 0], dtype=np.uint64)
    hi: U64 = np.bitwise_or.reduce(out[:, :4] << shifts, axis=1)
    lo: U64 = np.bitwise_or.reduce(out[:, 4:] << shifts, axis=1)
    return hi, lo, ok


def _ipv4(m: npt.NDArray[np.uint8]) -> tuple[U64, npt.NDArray[np.bool_]]:
    """Dotted IPv4 rows: (value, ok); leading zeros are refused as the core refuses them."""
    dot = m == _DOT
    pad = m == _PAD
    dec = (m >= ord("0")) & (m <= ord("9"))
    ok = (dec | dot | pad).all(axis=1) & (dot.sum(axis=1) == 3)
    counts, octet, _, leading = _groups(m, dot, dec, m - ord("0"), 10, 4)
    ok &= ((counts >= 1) & (counts <= 3)).all(axis=1) & (octet <= 255).all(axis=1) & ~leading
    value = (octet[:, 0] << 24) | (octet[:, 1] << 16) | (octet[:, 2] << 8) | octet[:, 3]
    return value.astype(np.uint64), ok


def parse_many(lines: Sequence[str]) -> Parsed:
    """Parse every line; lines outside the fast paths are parsed one by one by the core."""
    m, fits = _matrix(lines)
    hi6, lo6, ok6 = _ipv6(m)
    v4, ok4 = _ipv4(m)
    ok6 &= fits
    ok4 &= fits & ~ok6
    hi = np.where(ok6, hi6, np.uint64(0))
    lo = np.where(ok6, lo6, np.where(ok4, v4, np.uint64(0)))
    version = np.where(ok6, 6, np.where(ok4, 4, 0)).astype(np.uint8)
    errors: dict[int, str] = {}
    for i in np.nonzero(version == 0)[0].tolist():
        try:
            parsed = parse_address(lines[i])
        except DualstackError as exc:
            errors[i] = str(exc)
            continue
        value = int(parsed.address)
        hi[i], lo[i] = np.uint64(value >> 64), np.uint64(value & (2**64 - 1))
        version[i] = parsed.address.version
    return Parsed(hi, lo, version, errors)
