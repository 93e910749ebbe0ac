"""The security reading of an address population (RFC 7707, "Network Reconnaissance in IPv6
Networks"): how findable its hosts are, which tunnels it shows, what it leaks.

An attacker who knows a /64 is in use does not scan 2**64 interface identifiers; RFC 7707
section 4.1 lists the patterns that shrink the search. Each IID class is given the size of the
search that finds it, in bits (the rough figures RFC 7707 argues for, stated here so a reader can
disagree with them):

=================  ====  ==========================================================
class              bits  why
=================  ====  ==========================================================
zero                  0  the Subnet-Router anycast address itself
embedded-port         8  a handful of service ports, in hex or decimal (4.1.2)
embedded-ipv4         8  the IPv4 address of the same host: one /24 to try (4.1.3)
isatap                8  likewise, behind ``[02]00:5efe`` (4.1.3)
low-byte             16  ``::1`` .. ``::ffff`` and ``::n:m`` (4.1.2)
byte-pattern         16  hand-made patterns with mostly zero octets
ieee-derived         24  the MAC's vendor OUI is known, 24 bits of device remain (4.1.4)
randomized           64  RFC 4941/7217/DHCPv6: nothing to guess
=================  ====  ==========================================================

``sequential`` is measured on top: addresses whose IIDs sit within 16 of another address of the
same /64 (a DHCPv6 pool handing out leases in order), found within each chunk of input.
Teredo IIDs hold the client's public IPv4 address and port, so they are counted as tunnels,
not as a search.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dualstack.bulk.facts import IID_CLASSES
from dualstack.bulk.numpy_tally import Tally
from dualstack.bulk.pipeline import Batch
from dualstack.bulk.stats import Stats

SEARCH_BITS = {
    "zero": 0,
    "embedded-port": 8,
    "embedded-ipv4": 8,
    "isatap": 8,
    "low-byte": 16,
    "byte-pattern": 16,
    "ieee-derived": 24,
    "randomized": 64,
}
PREDICTABLE_BITS = 24
SEQUENTIAL_GAP = 16
TUNNELS = {
    "teredo": "Teredo (RFC 4380): IPv6 over UDP/3544 through NAT; crosses IPv4 firewalls "
    "that do not inspect UDP payloads",
    "6to4": "6to4 (RFC 3056, deprecated by RFC 7526): protocol 41 to relays",
    "isatap": "ISATAP (RFC 5214): protocol 41 inside the site, often on by default on Windows",
}


@dataclass(frozen=True)
class ClassReading:
    name: str
    count: int
    bits: int


@dataclass(frozen=True)
class AddressAudit:
    """The reading of one population."""

    stats: Stats
    classes: tuple[ClassReading, ...]
    sequential: int
    predictable: int  # IIDs findable with at most 2**PREDICTABLE_BITS probes per /64
    analysed: int  # IIDs with a search size (everything but Teredo)
    mean_bits: float  # log2 of the mean search size an attacker faces per host
    tunnels: dict[str, int]

    @property
    def predictable_share(self) -> float:
        return self.predictable / self.analysed if self.analysed else 0.0


def _sequential(batch: Batch) -> int:
    """Addresses whose IID is within SEQUENTIAL_GAP of another in the same /64 (this chunk)."""
    parsed, classes = batch.parsed, batch.classes
    rows = np.flatnonzero((parsed.version == 6) & (classes.iid >= 0))
    if len(rows) < 2:
        return 0
    hi, lo = parsed.hi[rows], parsed.lo[rows]
    order = np.lexsort((lo, hi))
    hi, lo = hi[order], lo[order]
    distinct = np.ones(len(hi), dtype=np.bool_)
    distinct[1:] = (hi[1:] != hi[:-1]) | (lo[1:] != lo[:-1])
    hi, lo = hi[distinct], lo[distinct]
    near = (hi[1:] == hi[:-1]) & ((lo[1:] - lo[:-1]) <= np.uint64(SEQUENTIAL_GAP))
    flagged = np.zeros(len(hi), dtype=np.bool_)
    flagged[1:] |= near
    flagged[:-1] |= near
    return int(flagged.sum())


class AuditTally:
    """Accumulates the reading over batches."""

    def __init__(self) -> None:
        self.tally = Tally()
        self.sequential = 0

    def add(self, batch: Batch) -> None:
        self.tally.add(batch)
        self.sequential += _sequential(batch)

    def result(self) -> AddressAudit:
        stats = self.tally.result()
        readings = tuple(
            ClassReading(name, stats.iid.get(name, 0), SEARCH_BITS[name])
            for name in IID_CLASSES
            if name in SEARCH_BITS and stats.iid.get(name, 0)
        )
        analysed = sum(r.count for r in readings)
        predictable = sum(r.count for r in readings if r.bits <= PREDICTABLE_BITS)
        mean = sum(r.count * 2.0**r.bits for r in readings) / analysed if analysed else 0.0
        tunnels = {name: stats.embedded.get(name, 0) for name in TUNNELS}
        return AddressAudit(
            stats=stats,
            classes=readings,
            sequential=self.sequential,
            predictable=predictable,
            analysed=analysed,
            mean_bits=float(np.log2(mean)) if mean else 0.0,
            tunnels=tunnels,
        )
