"""The compiled classification (``dualstack.bulk._classify``) over plain buffers, without numpy.

This module is the extension's only importer. The C code holds the shape of the rules of
:mod:`.classify`; every fact they test against is tabled here from :mod:`dualstack.addr`
(the special-purpose registries, the NAT64 and 6rd prefixes in force, the well-known multicast
groups, the service ports) and handed over with each call. Columns are typed memoryviews over
bytearrays, which numpy wraps without a copy (``np.frombuffer``) and ``bulk stats`` counts
without importing numpy at all: it costs more start-up time than a whole 1M-line run spends
classifying.

:func:`extension` is None where the module is not built, where ``DUALSTACK_NO_EXT=1`` is set,
or where it was built from a source whose code names differ from :mod:`.facts` (a stale
build); callers then take the numpy path, which gives the same columns.
"""

from __future__ import annotations

from array import array
from functools import cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from types import ModuleType

from dualstack._value import value
from dualstack.bulk import facts, fast
from dualstack.bulk.beside import Beside

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from dualstack.addr.embedded import SixRd

    Buffer = Any  # anything with the buffer protocol (bytes, memoryview, array, numpy array)

_LOW = (1 << 64) - 1
Tables = tuple["array[int]", ...]


@cache
def extension() -> ModuleType | None:
    """The compiled module, or None (not built, switched off, or stale)."""
    ext = fast.native("_classify")
    if ext is None:
        return None
    theirs = (ext.TOKENS, ext.SCOPES, ext.IID_CLASSES, ext.SUBTYPES, ext.ROLES)
    ours = (facts.TOKENS, facts.SCOPES, facts.IID_CLASSES, facts.SUBTYPES, facts.ROLES)
    return ext if theirs == ours and ext.N_COUNTS == COUNTS else None


def _nets(networks: Iterable[IPv4Network | IPv6Network]) -> array[int]:
    """(hi, lo, hi mask, lo mask) per network; an IPv4 network sits in the low word."""
    out = array("Q")
    for net in networks:
        value, mask = int(net.network_address), int(net.netmask)
        out.extend((value >> 64, value & _LOW, mask >> 64, mask & _LOW))
    return out


@cache
def tables(nat64: tuple[IPv6Network, ...], sixrd: tuple[SixRd, ...]) -> Tables:
    """Everything the rules test against, in the order ``_classify.c`` reads it."""
    from dualstack.addr import multicast, registry

    if len(nat64) > 8 or len(sixrd) > 8:
        raise ValueError("at most 8 NAT64 prefixes and 8 6rd domains")
    reg4 = registry.registry(4).entries
    reg6 = registry.registry(6).entries
    named = [(token, ip_network(net)) for token, net in facts.NAMED_BLOCKS]
    scopes = [facts.SCOPES.index(multicast.SCOPES.get(v, "unassigned")) for v in range(16)]
    return (
        _nets(e.network for e in reg4),
        array("B", [e.globally_reachable is False for e in reg4]),
        _nets(e.network for e in reg6),
        _nets(nat64),
        array("B", [p.prefixlen < 96 for p in nat64]),
        _nets(d.prefix for d in sixrd),
        _nets(IPv6Network(a) for a in multicast.WELL_KNOWN),
        _nets(net for _, net in named),
        array("B", [facts.TOKENS.index(token) for token, _ in named]),
        facts.port_table(),
        facts.decimal_table(),
        array("b", scopes),
    )


@value
class Columns:
    """Per-row codes, as :class:`dualstack.bulk.classify.Classes` holds them (same meaning,
    same item types)."""

    types: memoryview  # uint64 bit set over facts.TOKENS
    scope: memoryview  # int8
    iid: memoryview  # int8, -1: none
    subtype: memoryview  # int8, -1: none
    iid_ipv4: memoryview  # uint32
    iid_port: memoryview  # int32, -1: none
    roles: memoryview  # uint8 bit set over facts.ROLES
    nat64: memoryview  # uint8
    sixrd: memoryview  # uint8
    registry: memoryview  # int16, -1: none


# (struct code, bytes) of each Columns field, in order
_COLUMNS: tuple[tuple[Any, int], ...] = (
    *(("Q", 8), ("b", 1), ("b", 1), ("b", 1), ("I", 4)),
    *(("i", 4), ("B", 1), ("B", 1), ("B", 1), ("h", 2)),
)


SPLIT_ROWS = 1 << 16  # runs at least this long are classified by two threads


def classify(hi: Buffer, lo: Buffer, version: Buffer, table: Tables) -> Columns | None:
    """The codes of every row (``hi``, ``lo``: uint64 buffers, ``version``: uint8); None
    without the extension. A long run is classified in two halves by two threads."""
    ext = extension()
    if ext is None:
        return None
    rows = len(memoryview(version))
    out = [memoryview(bytearray(size * rows)).cast(code) for code, size in _COLUMNS]
    inputs = [memoryview(column) for column in (hi, lo, version)]
    if rows < SPLIT_ROWS:
        ext.classify(table, *inputs, *out)
        return Columns(*out)
    half = rows // 2
    second = Beside(ext.classify, table, *(c[half:] for c in inputs), *(c[half:] for c in out))
    ext.classify(table, *(c[:half] for c in inputs), *(c[:half] for c in out))
    second.result()
    return Columns(*out)


# ---------------------------------------------------------------- counts for bulk stats

COUNT_FAMILY = 0  # ipv4, ipv6
COUNT_TYPES = 2  # per family: len(TOKENS)
COUNT_SCOPES = COUNT_TYPES + 2 * len(facts.TOKENS)  # per family: len(SCOPES)
COUNT_IID = COUNT_SCOPES + 2 * len(facts.SCOPES)
COUNT_ROLES = COUNT_IID + len(facts.IID_CLASSES)
COUNTS = COUNT_ROLES + len(facts.ROLES)


@value
class Tallied:
    """What a block adds to ``bulk stats`` besides its fixed counts (uint64/uint8 buffers)."""

    hi: memoryview  # the rows that are addresses
    lo: memoryview
    version: memoryview
    prefixes: memoryview  # /64 of each unicast IPv6 row
    vendors: memoryview  # vendor keys of EUI-64 IIDs in OUIs IEEE did not split
    split_vendors: memoryview  # ... and in those it split (the MAC's first 36 bits)

    def parts(self) -> tuple[memoryview, ...]:
        return (self.hi, self.lo, self.version, self.prefixes, self.vendors, self.split_vendors)


_KEPT: tuple[Any, ...] = ("Q", "Q", "B", "Q", "Q", "Q")  # struct codes of Tallied's parts


@cache
def split_ouis() -> array[int]:
    """The /24s IEEE split into MA-M or MA-S blocks, ascending (empty without the vendor
    data): the OUIs whose vendor keys keep 36 bits. The extension must be there."""
    from dualstack.addr.vendor import manuf

    ext = extension()
    assert ext is not None
    table = manuf()
    found = array("I")
    if table is not None:
        found.frombytes(ext.split_ouis(table))
    return found


def tally(hi: Buffer, lo: Buffer, version: Buffer, table: Tables, counts: array[int]) -> Tallied:
    """Classify the rows that are addresses and add them to ``counts`` (``COUNTS`` int64s,
    laid out as the ``COUNT_*`` offsets say); give the keys the hash tables count. For the
    rows Python parsed (the kernel's own are counted as they are scanned: :func:`scan_tally`).
    The extension must be there."""
    ext = extension()
    assert ext is not None
    inputs = [memoryview(column) for column in (hi, lo, version)]
    parts = ext.tally(table, *inputs, split_ouis(), counts)
    # where every row was an address the kernel keeps none of them: the caller's own columns
    views = [
        own if part is None else memoryview(part).cast(code)
        for part, code, own in zip(parts, _KEPT, [*inputs, *inputs], strict=False)
    ]
    return Tallied(*views)


def scan_tally(
    data: bytes, mode: str, begin: int, end: int, table: Tables, counts: array[int]
) -> tuple[fast.Scan, int, Tallied]:
    """:func:`tally` fused with the scanner over ``data[begin:end]`` (whole lines), on the
    calling thread: each address is classified and counted as it is found, no column of it
    kept but the keys. Gives the rows left to Python (a :class:`~dualstack.bulk.fast.Scan`
    of only those), how many addresses the kernel counted, and the keys. The extension (and
    the scanner's) must be there."""
    ext = extension()
    assert ext is not None
    rows, counted, kept = ext.scan_tally(
        table, data, fast.mode_code(mode), begin, end, split_ouis(), counts
    )
    views = (memoryview(part).cast(code) for part, code in zip(kept, _KEPT, strict=True))
    return fast.wrap(rows), counted, Tallied(*views)
