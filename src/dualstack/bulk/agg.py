"""Exact aggregation for ``bulk stats``: distinct addresses and counts per key, within a
memory bound.

The compiled module ``dualstack.bulk._agg`` (C, built at install; loaded by :mod:`.hashing`)
keeps open-addressing hash tables of 17 bytes a slot, at most 3/4 full. Where it is missing, or
``DUALSTACK_NO_EXT=1`` is set, sorted numpy arrays do the same job more slowly; both give the
same results, including where the bound is reached:

- :class:`Distinct` counts distinct (family, 128-bit value) keys exactly until there would be
  more than ``max_keys`` of them; from then on a HyperLogLog sketch (2^14 registers, about 0.8%
  standard error) of every key seen estimates the count.
- :class:`Counts` counts each uint64 key exactly until a key would be number ``max_keys + 1``;
  then the ``max_keys // 2`` most frequent are kept (ties by key) and counting goes on, so the
  counts become lower bounds (``exact`` turns false).

:func:`~dualstack.bulk.hashing.max_keys` turns a memory bound in bytes into the number of keys
a table may hold.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dualstack.bulk import hashing
from dualstack.bulk.distinct import fingerprint
from dualstack.bulk.hashing import HLL_BITS, hll_estimate

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
U8 = npt.NDArray[np.uint8]

_U = np.uint64
_ext = hashing.extension()


def compiled() -> bool:
    """Whether the compiled tables are in use."""
    return _ext is not None


def _u64(values: npt.NDArray[np.generic]) -> U64:
    return np.ascontiguousarray(values, dtype=np.uint64)


def _u8(values: npt.NDArray[np.generic]) -> U8:
    return np.ascontiguousarray(values, dtype=np.uint8)


# ---------------------------------------------------------------- HyperLogLog


def hll_add(registers: U8, hi: U64, lo: U64, version: U8) -> None:
    """Each row into the registers: the top 14 bits of its hash pick one, which keeps the
    largest position of the first 1 bit in the other 50 (51 when they are all 0)."""
    if _ext is not None:
        _ext.hll_add(registers, _u64(hi), _u64(lo), _u8(version))
        return
    if len(hi) == 0:
        return
    h = fingerprint(_u64(hi), _u64(lo), _u8(version))
    index = (h >> _U(64 - HLL_BITS)).astype(np.intp)
    rest = h & _U((1 << (64 - HLL_BITS)) - 1)
    # frexp is exact here (rest < 2**50 fits a double): its exponent is rest's bit length
    length = np.frexp(rest.astype(np.float64))[1]
    rank = (64 - HLL_BITS + 1 - length).astype(np.uint8)
    np.maximum.at(registers, index, rank)


# ---------------------------------------------------------------- distinct addresses


class Distinct:
    """Distinct (hi, lo, version) rows: exact up to ``max_keys``, then estimated."""

    def __init__(self, max_keys: int) -> None:
        self.max_keys = max_keys
        self.registers: U8 | None = None  # the sketch, once the exact set is given up
        self._set = _ext.Set128(max_keys) if _ext is not None else None
        # numpy path: the distinct keys so far, sorted by fingerprint
        self._f: U64 = np.zeros(0, dtype=np.uint64)
        self._hi: U64 = np.zeros(0, dtype=np.uint64)
        self._lo: U64 = np.zeros(0, dtype=np.uint64)
        self._version: U8 = np.zeros(0, dtype=np.uint8)

    @property
    def estimated(self) -> bool:
        return self.registers is not None

    def add(self, hi: U64, lo: U64, version: U8) -> None:
        """Rows of valid addresses (``version`` 4 or 6)."""
        hi, lo, version = _u64(hi), _u64(lo), _u8(version)
        if self.registers is not None:
            hll_add(self.registers, hi, lo, version)
        elif self._set is not None:
            stop = self._set.add(hi, lo, version)
            if stop >= 0:
                self.registers = np.zeros(1 << HLL_BITS, dtype=np.uint8)
                self._set.sketch(self.registers)
                self._set = None
                hll_add(self.registers, hi[stop:], lo[stop:], version[stop:])
        else:
            self._merge(hi, lo, version)

    def _merge(self, hi: U64, lo: U64, version: U8) -> None:
        """The numpy path: the rows' distinct keys, sorted by fingerprint, checked against the
        keys themselves, then inserted where they belong in the sorted set so far. Should two
        different keys share a fingerprint (odds of about one in 10**7 at a million keys),
        the set is rebuilt with a sort on the whole key instead."""
        if np.any((version != 4) & (version != 6)):
            raise ValueError("version is neither 4 nor 6")
        f = fingerprint(hi, lo, version)
        order = np.argsort(f)
        f, hi, lo, version = f[order], hi[order], lo[order], version[order]
        same_f = f[1:] == f[:-1]
        same = same_f & (hi[1:] == hi[:-1]) & (lo[1:] == lo[:-1]) & (version[1:] == version[:-1])
        at = np.searchsorted(self._f, f)
        inside = at < len(self._f)
        hit = np.zeros(len(f), dtype=np.bool_)
        hit[inside] = self._f[at[inside]] == f[inside]
        where = at[hit]
        if np.any(same_f != same) or not (
            np.array_equal(self._hi[where], hi[hit])
            and np.array_equal(self._lo[where], lo[hit])
            and np.array_equal(self._version[where], version[hit])
        ):
            self._rebuild(hi, lo, version)
            return
        fresh = ~hit & np.concatenate(([True], ~same))
        if len(self._f) + int(np.count_nonzero(fresh)) > self.max_keys:
            self._give_up(hi, lo, version)
            return
        at = at[fresh]
        self._f = np.insert(self._f, at, f[fresh])
        self._hi = np.insert(self._hi, at, hi[fresh])
        self._lo = np.insert(self._lo, at, lo[fresh])
        self._version = np.insert(self._version, at, version[fresh])

    def _rebuild(self, hi: U64, lo: U64, version: U8) -> None:
        hi = np.concatenate([self._hi, hi])
        lo = np.concatenate([self._lo, lo])
        version = np.concatenate([self._version, version])
        f = fingerprint(hi, lo, version)
        order = np.lexsort((version, lo, hi, f))
        f, hi, lo, version = f[order], hi[order], lo[order], version[order]
        keep = np.concatenate(
            ([True], (hi[1:] != hi[:-1]) | (lo[1:] != lo[:-1]) | (version[1:] != version[:-1]))
        )
        if np.count_nonzero(keep) > self.max_keys:
            self._give_up(hi, lo, version)
            return
        self._f, self._hi, self._lo = f[keep], hi[keep], lo[keep]
        self._version = version[keep]

    def _give_up(self, hi: U64, lo: U64, version: U8) -> None:
        """Past the bound: every key so far and the rows into the sketch, the set dropped."""
        self.registers = np.zeros(1 << HLL_BITS, dtype=np.uint8)
        hll_add(self.registers, self._hi, self._lo, self._version)
        hll_add(self.registers, hi, lo, version)
        self._f = self._hi = self._lo = np.zeros(0, dtype=np.uint64)
        self._version = np.zeros(0, dtype=np.uint8)

    def count(self) -> tuple[int, bool]:
        """(distinct rows, whether that is an estimate)."""
        if self.registers is not None:
            return hll_estimate(self.registers), True
        if self._set is not None:
            return len(self._set), False
        return len(self._hi), False


# ---------------------------------------------------------------- counts per key


class Counts:
    """How often each uint64 key occurs: exact while at most ``max_keys`` keys are distinct."""

    def __init__(self, max_keys: int) -> None:
        self.max_keys = max(1, max_keys)  # room for one key, so counting always moves on
        self.exact = True
        self._table = _ext.Counter64(self.max_keys) if _ext is not None else None
        # numpy path: distinct keys so far, sorted, and their counts
        self._keys: U64 = np.zeros(0, dtype=np.uint64)
        self._counts: I64 = np.zeros(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self._table) if self._table is not None else len(self._keys)

    def add(self, keys: U64) -> None:
        keys = _u64(keys)
        while len(keys):
            stop = self._table.add(keys) if self._table is not None else self._merge(keys)
            if stop < 0:
                return
            self._prune()
            keys = keys[stop:]

    def _merge(self, keys: U64) -> int:
        """Like the table's ``add``: -1, or the first row that would be key max_keys + 1
        (the rows before it are counted)."""
        room = self.max_keys - len(self._keys)
        if len(keys) <= room:  # cannot overflow: no need to know where each key first occurs
            values, freq = np.unique(keys, return_counts=True)
        else:
            values, first, freq = np.unique(keys, return_index=True, return_counts=True)
        at = np.searchsorted(self._keys, values)
        known = np.zeros(len(values), dtype=np.bool_)
        inside = at < len(self._keys)
        known[inside] = self._keys[at[inside]] == values[inside]
        if len(keys) > room:
            fresh = np.sort(first[~known])
            if len(fresh) > room:
                stop = int(fresh[room])
                self._merge(keys[:stop])
                return stop
        self._counts[at[known]] += freq[known]
        self._keys = np.insert(self._keys, at[~known], values[~known])
        self._counts = np.insert(self._counts, at[~known], freq[~known].astype(np.int64))
        return -1

    def _prune(self) -> None:
        keys, counts = self.items()
        keep = top(keys, counts, self.max_keys // 2)
        keys, counts = keys[keep], counts[keep]
        self.exact = False
        if self._table is not None:
            assert _ext is not None
            self._table = _ext.Counter64(self.max_keys)
            self._table.add(keys, counts)
        else:
            order = np.argsort(keys)
            self._keys, self._counts = keys[order], counts[order]

    def items(self) -> tuple[U64, I64]:
        """Every key (ascending) and its count."""
        if self._table is None:
            return self._keys.copy(), self._counts.copy()
        keys = np.empty(len(self._table), dtype=np.uint64)
        counts = np.empty(len(self._table), dtype=np.int64)
        self._table.export(keys, counts)
        order = np.argsort(keys)
        return keys[order], counts[order]


def occurrences(keys: U64) -> tuple[U64, I64]:
    """The distinct values of a column (ascending) and how often each occurs: ``np.unique``'s
    answer, from one pass through a hash table where the compiled module is there."""
    if _ext is None or len(keys) == 0:
        return np.unique(keys, return_counts=True)
    table = _ext.Counter64(len(keys))
    table.add(_u64(keys))
    values = np.empty(len(table), dtype=np.uint64)
    counts = np.empty(len(table), dtype=np.int64)
    table.export(values, counts)
    order = np.argsort(values)
    return values[order], counts[order]


def top(keys: U64, counts: I64, k: int) -> npt.NDArray[np.intp]:
    """Indexes of the ``k`` largest counts, largest first, ties by smaller key."""
    if k <= 0 or len(counts) == 0:
        return np.zeros(0, dtype=np.intp)
    if len(counts) > k:
        threshold = np.partition(counts, len(counts) - k)[len(counts) - k]
        candidates = np.flatnonzero(counts >= threshold)
    else:
        candidates = np.arange(len(counts))
    order = np.lexsort((keys[candidates], -counts[candidates]))
    return candidates[order[:k]]


def distinct_sorted(values: U64) -> U64:
    """The distinct values, ascending (``np.unique`` without its flags imports ``numpy.ma``:
    40 ms of start-up)."""
    ordered = np.sort(values)
    if len(ordered) == 0:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def fold(keys: U64, counts: I64, bits: int) -> tuple[U64, I64]:
    """Counts of ascending ``keys`` summed per ``keys >> bits`` (e.g. /64s into /56s)."""
    if len(keys) == 0:
        return keys, counts
    shorter = keys >> _U(bits)
    starts = np.flatnonzero(np.concatenate(([True], shorter[1:] != shorter[:-1])))
    return shorter[starts], np.add.reduceat(counts, starts)
