"""Choosing addresses: addr6-style accept/block filters, and exact de-duplication."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network

import numpy as np
import numpy.typing as npt

from dualstack.bulk.anonymize import texts
from dualstack.bulk.classify import BIT, Classes, within
from dualstack.bulk.distinct import groups
from dualstack.bulk.facts import IID_CLASSES, SCOPES
from dualstack.bulk.parse import Parsed
from dualstack.bulk.pipeline import Batch

Mask = npt.NDArray[np.bool_]
U64 = npt.NDArray[np.uint64]
V8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]
Network = IPv4Network | IPv6Network
_U = np.uint64


@dataclass(frozen=True)
class Criteria:
    """One side of a filter: a row matches if it has any listed type, any listed scope, any
    listed IID class and lies in any listed prefix (an empty list matches everything)."""

    types: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    iids: tuple[str, ...] = ()
    prefixes: tuple[Network, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.types or self.scopes or self.iids or self.prefixes)

    def any_of(self, parsed: Parsed, classes: Classes) -> Mask:
        """Rows matching any single listed value (for blocking)."""
        hit = np.zeros(len(parsed), dtype=np.bool_)
        for mask in self._masks(parsed, classes):
            hit |= mask
        return hit

    def all_of(self, parsed: Parsed, classes: Classes) -> Mask:
        """Rows matching every listed kind of criterion (for accepting)."""
        hit = parsed.version != 0
        for mask in self._masks(parsed, classes):
            hit &= mask
        return hit

    def _masks(self, parsed: Parsed, classes: Classes) -> list[Mask]:
        masks = []
        if self.types:
            bits = _U(0)
            for token in self.types:
                bits |= BIT[token]
            masks.append((classes.types & bits) != 0)
        if self.scopes:
            masks.append(np.isin(classes.scope, [SCOPES.index(s) for s in self.scopes]))
        if self.iids:
            masks.append(np.isin(classes.iid, [IID_CLASSES.index(c) for c in self.iids]))
        if self.prefixes:
            inside = np.zeros(len(parsed), dtype=np.bool_)
            for net in self.prefixes:
                if isinstance(net, IPv6Network):
                    inside |= (parsed.version == 6) & within(parsed.hi, parsed.lo, net)
                else:
                    mask, value = int(net.netmask), int(net.network_address)
                    inside |= (parsed.version == 4) & ((parsed.lo & _U(mask)) == _U(value))
            masks.append(inside)
        return masks


@dataclass(frozen=True)
class Filter:
    """Keep the addresses ``accept`` matches and ``block`` does not (addr6's -a / -b)."""

    accept: Criteria = Criteria()
    block: Criteria = Criteria()

    def mask(self, batch: Batch) -> Mask:
        parsed, classes = batch.parsed, batch.classes
        keep = self.accept.all_of(parsed, classes)
        if self.block:
            keep &= ~self.block.any_of(parsed, classes)
        return keep


class Unique:
    """Distinct addresses in order of first appearance, with their counts. Memory grows with
    the number of distinct addresses (about 40 bytes each), not with the input."""

    def __init__(self) -> None:
        self.parts: list[tuple[U64, U64, V8, I64, I64]] = []  # hi, lo, version, first, count
        self.seen = 0

    def add(self, parsed: Parsed) -> None:
        valid = np.flatnonzero(parsed.version != 0)
        hi, lo, v = parsed.hi[valid], parsed.lo[valid], parsed.version[valid]
        order, starts = groups(hi, lo, v)
        first = order[starts]
        freq = np.diff(np.append(starts, len(order)))
        self.parts.append((hi[first], lo[first], v[first], valid[first] + self.seen, freq))
        self.seen += len(parsed)
        if len(self.parts) > 8:
            self._merge()

    def _merge(self) -> None:
        hi, lo, v, first, freq = (np.concatenate(c) for c in zip(*self.parts, strict=True))
        order, starts = groups(hi, lo, v)
        lead = order[starts]  # stable: the earliest part's entry leads its group
        total = np.add.reduceat(freq[order], starts) if len(order) else freq[:0]
        earliest = np.minimum.reduceat(first[order], starts) if len(order) else first[:0]
        self.parts = [(hi[lead], lo[lead], v[lead], earliest, total)]

    def ordered(self) -> tuple[U64, U64, V8, I64]:
        """The distinct addresses (hi, lo, version) in first-seen order, and their counts."""
        if not self.parts:
            empty = np.zeros(0, dtype=np.uint64)
            return empty, empty, np.zeros(0, dtype=np.uint8), np.zeros(0, dtype=np.int64)
        self._merge()
        hi, lo, v, first, freq = self.parts[0]
        order = np.argsort(first, kind="stable")
        return hi[order], lo[order], v[order], freq[order]

    def lines(self) -> tuple[bytes, I64]:
        """The distinct addresses as canonical text (RFC 5952 / dotted quad), a line each in
        first-seen order, and their counts: written by the compiled writer where it is there,
        else from numpy columns (the same bytes)."""
        from dualstack.bulk import fast

        hi, lo, v, freq = self.ordered()
        blob = fast.lines(
            np.ascontiguousarray(hi), np.ascontiguousarray(lo), np.ascontiguousarray(v)
        )
        if blob is None:
            found = texts(hi, lo, v)
            blob = ("\n".join(found) + "\n").encode() if found else b""
        return blob, freq
