"""Statistics over an address population, gathered chunk by chunk in bounded memory.

Counts by family, type, scope, IID class and embedded-IPv4 role are exact. Unique addresses are
counted exactly (as distinct 64-bit fingerprints: two addresses share one with odds of about
one in 10**7 at a million) while there are at most :data:`EXACT_UNIQUE` of them, then estimated
with a
HyperLogLog sketch (about 0.8% standard error), so memory does not grow with the input. Top
prefixes and vendors are exact while the distinct keys fit in :data:`TOP_CAPACITY`; past that the
rarest keys are dropped and the reported counts are lower bounds (the result says so).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from dualstack.addr.mac import Mac
from dualstack.bulk.classify import IID_CLASSES, ROLES, SCOPES, TOKENS
from dualstack.bulk.distinct import counts, fingerprint
from dualstack.bulk.pipeline import Batch
from dualstack.bulk.vendors import block_keys, eui64_macs, vendor_of

EXACT_UNIQUE = 1 << 20
TOP_CAPACITY = 1 << 17
TOP = 10
_HLL_BITS = 14
_U = np.uint64


@dataclass(frozen=True)
class Stats:
    """The finished report (``bulk.present.stats`` gives its JSON shape)."""

    lines: int
    candidates: int
    addresses: int
    invalid: int  # list mode: lines that are not addresses
    skipped: int  # other modes: fields or matches that turned out not to be addresses
    ipv4: int
    ipv6: int
    unique: int
    unique_estimated: bool
    types: dict[str, dict[str, int]]
    scopes: dict[str, dict[str, int]]
    iid: dict[str, int]
    embedded: dict[str, int]
    prefixes: dict[str, list[tuple[str, int]]]
    vendors: list[tuple[str, int]]
    top_exact: bool
    errors: list[tuple[int, str, str]] = field(default_factory=list)


class _Distinct:
    """Exact distinct count (of 64-bit fingerprints) up to a cap, then HyperLogLog."""

    def __init__(self) -> None:
        self.seen: npt.NDArray[np.uint64] | None = np.zeros(0, dtype=np.uint64)
        self.registers = np.zeros(1 << _HLL_BITS, dtype=np.uint8)

    def add(
        self, hi: npt.NDArray[np.uint64], lo: npt.NDArray[np.uint64], v: npt.NDArray[np.uint8]
    ) -> None:
        h = fingerprint(hi, lo, v)
        index = (h >> _U(64 - _HLL_BITS)).astype(np.intp)
        rest = h & _U((1 << (64 - _HLL_BITS)) - 1)
        width = 64 - _HLL_BITS
        bits = np.where(rest > 0, np.floor(np.log2(np.maximum(rest, 1).astype(np.float64))), -1)
        rank = (width - 1 - bits).astype(np.uint8) + 1
        np.maximum.at(self.registers, index, rank)
        if self.seen is not None:
            self.seen = counts(np.concatenate([self.seen, h]))[0]
            if len(self.seen) > EXACT_UNIQUE:
                self.seen = None

    def count(self) -> tuple[int, bool]:
        if self.seen is not None:
            return len(self.seen), False
        m = float(len(self.registers))
        estimate = 0.7213 / (1 + 1.079 / m) * m * m / float(np.sum(2.0**-self.registers))
        zeros = int(np.count_nonzero(self.registers == 0))
        if estimate <= 2.5 * m and zeros:
            estimate = m * np.log(m / zeros)
        return round(estimate), True


class _Top:
    """Counts per key, pruned to the most frequent when it outgrows its capacity."""

    def __init__(self) -> None:
        self.counts: Counter[int] = Counter()
        self.exact = True

    def add(self, keys: npt.NDArray[np.uint64]) -> None:
        values, freq = counts(keys)
        self.counts.update(dict(zip(values.tolist(), freq.tolist(), strict=True)))
        if len(self.counts) > TOP_CAPACITY:
            self.counts = Counter(dict(self.counts.most_common(TOP_CAPACITY // 2)))
            self.exact = False


class Tally:
    """Accumulates :class:`Stats` over batches; :meth:`result` gives the report."""

    def __init__(self) -> None:
        self.lines = self.candidates = self.invalid = self.skipped = 0
        self.errors: list[tuple[int, str, str]] = []
        self.family = Counter[int]()
        self.types = {4: np.zeros(len(TOKENS), np.int64), 6: np.zeros(len(TOKENS), np.int64)}
        self.scopes = {4: np.zeros(len(SCOPES), np.int64), 6: np.zeros(len(SCOPES), np.int64)}
        self.iid = np.zeros(len(IID_CLASSES), np.int64)
        self.roles = np.zeros(len(ROLES), np.int64)
        self.distinct = _Distinct()
        self.prefixes = {48: _Top(), 56: _Top(), 64: _Top()}
        self.vendors = _Top()

    def add(self, batch: Batch) -> None:
        parsed, classes = batch.parsed, batch.classes
        self.lines += batch.lines
        self.candidates += len(parsed)
        self.invalid += batch.invalid
        self.skipped += batch.skipped
        self.errors.extend(batch.errors(max(0, 10 - len(self.errors))))
        version = parsed.version
        for family in (4, 6):
            rows = version == family
            count = int(rows.sum())
            self.family[family] += count
            if not count:
                continue
            bits, freq = np.unique(classes.types[rows], return_counts=True)
            for b, n in zip(bits.tolist(), freq.tolist(), strict=True):
                for i in range(len(TOKENS)):
                    if b >> i & 1:
                        self.types[family][i] += n
            self.scopes[family] += np.bincount(classes.scope[rows], minlength=len(SCOPES))
        v6 = version == 6
        known = classes.iid[v6]
        self.iid += np.bincount(known[known >= 0], minlength=len(IID_CLASSES))
        for i in range(len(ROLES)):
            self.roles[i] += int(np.count_nonzero(classes.roles[v6] & np.uint8(1 << i)))
        valid = version != 0
        self.distinct.add(parsed.hi[valid], parsed.lo[valid], version[valid])
        unicast6 = v6 & ((parsed.hi >> _U(56)) != _U(0xFF)) & (parsed.hi != 0)
        for length, top in self.prefixes.items():
            top.add(parsed.hi[unicast6] >> _U(64 - length))
        eui = classes.iid == IID_CLASSES.index("ieee-derived")
        self.vendors.add(block_keys(eui64_macs(parsed.lo[eui])))

    def result(self) -> Stats:
        unique, estimated = self.distinct.count()

        def named(counts: npt.NDArray[np.int64], names: tuple[str, ...]) -> dict[str, int]:
            return {names[i]: int(c) for i, c in enumerate(counts) if c}

        prefixes = {
            f"/{length}": [
                (_prefix_text(key, length), count) for key, count in top.counts.most_common(TOP)
            ]
            for length, top in self.prefixes.items()
        }
        vendors: Counter[str] = Counter()
        for key, count in self.vendors.counts.items():
            vendors[_vendor_label(key)] += count
        return Stats(
            lines=self.lines,
            candidates=self.candidates,
            addresses=self.candidates - self.invalid - self.skipped,
            invalid=self.invalid,
            skipped=self.skipped,
            ipv4=self.family[4],
            ipv6=self.family[6],
            unique=unique,
            unique_estimated=estimated,
            types={f"ipv{f}": named(self.types[f], TOKENS) for f in (4, 6)},
            scopes={f"ipv{f}": named(self.scopes[f], SCOPES) for f in (4, 6)},
            iid=named(self.iid, IID_CLASSES),
            embedded=named(self.roles, ROLES),
            prefixes=prefixes,
            vendors=vendors.most_common(TOP),
            top_exact=all(t.exact for t in self.prefixes.values()) and self.vendors.exact,
            errors=list(self.errors),
        )


def _vendor_label(key: int) -> str:
    """``Intel Corporate [001b21]``: the name and the IEEE block (/24, /28 or /36 in hex)."""
    if Mac(key << 12).is_local:
        return f"(locally administered) [{key >> 12:06x}]"
    found = vendor_of(key)
    if found is None:
        return f"(unregistered) [{key >> 12:06x}]"
    return f"{found.name} [{found.block}]"


def _prefix_text(key: int, length: int) -> str:
    from ipaddress import IPv6Network

    from dualstack.addr.text import compressed

    network = IPv6Network((key << (128 - length), length))
    return f"{compressed(network.network_address)}/{length}"
