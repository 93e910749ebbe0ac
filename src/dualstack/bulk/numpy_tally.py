"""``bulk stats`` over classified batches with numpy: the path every input can take (CSV, no
compiler, ``DUALSTACK_NO_EXT=1``); :mod:`.compiled_tally` gives the same report from the
compiled kernels. The meaning of every count is in :mod:`.stats`."""

from __future__ import annotations

from collections import Counter

import numpy as np
import numpy.typing as npt

from dualstack.addr.vendor import subdivided
from dualstack.bulk.agg import (
    Counts,
    Distinct,
    distinct_sorted,
    fold,
    occurrences,
    top,
)
from dualstack.bulk.facts import IID_CLASSES, ROLES, SCOPES, TOKENS
from dualstack.bulk.hashing import max_keys
from dualstack.bulk.pipeline import Batch
from dualstack.bulk.stats import DISTINCT_MEMORY, TOP, Lines, Stats, prefix_text, vendor_label
from dualstack.bulk.vendors import block_keys, eui64_macs

_U = np.uint64
# row v, column i: whether bit i of the role set v is set (counts per role from one bincount)
_ROLE_BITS = (np.arange(256)[:, None] >> np.arange(len(ROLES)) & 1).astype(np.int64)


class Tally:
    """Accumulates :class:`Stats` over batches; :meth:`result` gives the report."""

    def __init__(self, distinct_memory: int = DISTINCT_MEMORY) -> None:
        keys = max_keys(distinct_memory)
        self.read = Lines()
        self.family = Counter[int]()
        self.types = {4: np.zeros(len(TOKENS), np.int64), 6: np.zeros(len(TOKENS), np.int64)}
        self.scopes = {4: np.zeros(len(SCOPES), np.int64), 6: np.zeros(len(SCOPES), np.int64)}
        self.iid = np.zeros(len(IID_CLASSES), np.int64)
        self.roles = np.zeros(len(ROLES), np.int64)
        self.distinct = Distinct(keys)
        self.prefixes = Counts(keys)  # /64s of unicast IPv6 (the /56s and /48s are their sums)
        self.vendors = Counts(keys)  # vendors.block_keys

    def add(self, batch: Batch) -> None:
        parsed, classes = batch.parsed, batch.classes
        self.read.count(batch)
        version = parsed.version
        # one pass per column: the family rides in the top bits of the key or the index
        family = (version == 4).astype(np.uint8) + 2 * (version == 6).astype(np.uint8)
        values, freq = occurrences(classes.types | (family.astype(np.uint64) << _U(62)))
        fams = values >> _U(62)
        bits = ((values[:, None] >> np.arange(len(TOKENS), dtype=np.uint64)) & _U(1)).astype(
            np.int64
        )
        for code, f in ((1, 4), (2, 6)):
            rows = fams == code
            self.family[f] += int(freq[rows].sum())
            self.types[f] += (bits[rows] * freq[rows, None]).sum(axis=0)
        scopes = np.bincount(
            classes.scope.astype(np.intp) * 3 + family, minlength=3 * len(SCOPES)
        ).reshape(len(SCOPES), 3)
        self.scopes[4] += scopes[:, 1]
        self.scopes[6] += scopes[:, 2]
        v6 = version == 6
        iid = np.where(v6, classes.iid.astype(np.intp) + 1, 0)
        self.iid += np.bincount(iid, minlength=len(IID_CLASSES) + 1)[1:]
        roles = np.bincount(np.where(v6, classes.roles, 0), minlength=256)
        self.roles += roles @ _ROLE_BITS
        valid = version != 0
        self.distinct.add(parsed.hi[valid], parsed.lo[valid], version[valid])
        unicast6 = v6 & ((parsed.hi >> _U(56)) != _U(0xFF)) & (parsed.hi != 0)
        self.prefixes.add(parsed.hi[unicast6])
        eui = classes.iid == IID_CLASSES.index("ieee-derived")
        self.vendors.add(block_keys(eui64_macs(parsed.lo[eui])))

    def result(self) -> Stats:
        unique, estimated = self.distinct.count()

        def named(counts: npt.NDArray[np.int64], names: tuple[str, ...]) -> dict[str, int]:
            return {names[i]: int(c) for i, c in enumerate(counts) if c}

        keys, counts = self.prefixes.items()
        prefixes = {}
        for length in (48, 56, 64):
            shorter, summed = fold(keys, counts, 64 - length)
            prefixes[f"/{length}"] = [
                (prefix_text(int(shorter[i]), length), int(summed[i]))
                for i in top(shorter, summed, TOP)
            ]
        return self.read.report(
            ipv4=self.family[4],
            ipv6=self.family[6],
            unique=unique,
            unique_estimated=estimated,
            types={f"ipv{f}": named(self.types[f], TOKENS) for f in (4, 6)},
            scopes={f"ipv{f}": named(self.scopes[f], SCOPES) for f in (4, 6)},
            iid=named(self.iid, IID_CLASSES),
            embedded=named(self.roles, ROLES),
            prefixes=prefixes,
            vendors=self._top_vendors(),
            top_exact=self.prefixes.exact and self.vendors.exact,
        )

    def _top_vendors(self) -> list[tuple[str, int]]:
        """The vendors with the most EUI-64 addresses, largest first (ties by block).

        A key of a /24 that IEEE did not split is one label, named only if it makes the top;
        the keys of a split /24 (36 bits each) share labels by block, so they are named first
        and summed, each label under its smallest key."""
        keys, counts = self.vendors.items()
        ouis = distinct_sorted(keys >> _U(12))
        split = np.array([subdivided(o) for o in ouis.tolist()], dtype=np.bool_)
        is_split = split[np.searchsorted(ouis, keys >> _U(12))]
        merged: dict[str, tuple[int, int]] = {}
        for key, count in zip(keys[is_split].tolist(), counts[is_split].tolist(), strict=True):
            label = vendor_label(key)
            first, total = merged.get(label, (key, 0))
            merged[label] = (min(first, key), total + count)
        names = {key: label for label, (key, _) in merged.items()}
        keys = np.concatenate([keys[~is_split], np.array([k for k, _ in merged.values()], _U)])
        counts = np.concatenate(
            [counts[~is_split], np.array([c for _, c in merged.values()], np.int64)]
        )
        return [
            (names.get(int(keys[i])) or vendor_label(int(keys[i])), int(counts[i]))
            for i in top(keys, counts, TOP)
        ]
