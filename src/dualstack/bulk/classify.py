"""Vectorised classification: the types, scope, interface-identifier class and embedded-IPv4
roles :func:`dualstack.addr.inspect.inspect` gives one address, for a whole column at once.

Each rule below restates one in ``dualstack.addr`` (inspect, iid, embedded, multicast) over
arrays; tests/test_bulk_classify.py holds them to the core's answers on large random sets.
Types are a bit set over :data:`TOKENS`, whose order is the order the core lists them in.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from ipaddress import IPv6Network, ip_network

import numpy as np
import numpy.typing as npt

from dualstack.addr import multicast, registry
from dualstack.addr.embedded import NAT64_WELL_KNOWN, SixRd
from dualstack.bulk import compiled
from dualstack.bulk.facts import (
    IID_CLASSES,
    NAMED_BLOCKS,
    ROLES,
    SCOPES,
    SUBTYPES,
    TOKENS,
    decimal_table,
    port_table,
)
from dualstack.bulk.parse import Parsed

U64 = npt.NDArray[np.uint64]
Mask = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.int8]

BIT = {token: np.uint64(1 << i) for i, token in enumerate(TOKENS)}
_U = np.uint64


@dataclass(frozen=True)
class Classes:
    """Per-row classification; IPv6-only columns hold zeros or -1 on IPv4 rows."""

    types: U64  # bit set over TOKENS
    scope: Codes  # index into SCOPES
    iid: Codes  # index into IID_CLASSES, -1: none
    subtype: Codes  # index into SUBTYPES, -1: none
    iid_ipv4: npt.NDArray[np.uint32]  # embedded-ipv4 / isatap IID: the IPv4 it holds
    iid_port: npt.NDArray[np.int32]  # embedded-port IID: the port, -1: none
    roles: npt.NDArray[np.uint8]  # bit set over ROLES
    nat64: npt.NDArray[np.uint8]  # bit i: inside the i-th NAT64 prefix (embedded role "nat64")
    sixrd: npt.NDArray[np.uint8]  # bit i: inside the i-th 6rd domain
    registry: npt.NDArray[np.int16]  # index into registry(version).entries, -1: none

    def rows(self, part: slice) -> Classes:
        """The classification of rows ``part`` (views, no copies)."""
        return Classes(*(getattr(self, f.name)[part] for f in fields(self)))

    def has(self, token: str) -> Mask:
        return (self.types & BIT[token]) != 0

    def role(self, name: str) -> Mask:
        return (self.roles & np.uint8(1 << ROLES.index(name))) != 0


def within(hi: U64, lo: U64, network: IPv6Network) -> Mask:
    """Rows inside an IPv6 ``network``."""
    value, length = int(network.network_address), network.prefixlen
    if length <= 64:
        mask = ((1 << length) - 1) << (64 - length) if length else 0
        return (hi & _U(mask)) == _U((value >> 64) & mask)
    low = ((1 << (length - 64)) - 1) << (128 - length)
    return (hi == _U(value >> 64)) & ((lo & _U(low)) == _U(value & low))


@cache
def _port_table() -> npt.NDArray[np.int32]:
    return np.frombuffer(port_table(), dtype=np.int32)


@cache
def _decimal_table() -> npt.NDArray[np.int16]:
    return np.frombuffer(decimal_table(), dtype=np.int16)


def _iid(
    hi: U64, lo: U64, eligible: Mask
) -> tuple[Codes, Codes, npt.NDArray[np.uint32], npt.NDArray[np.int32]]:
    """The IID class rules of :mod:`dualstack.addr.iid`, first match wins."""
    rows = len(hi)
    cls = np.full(rows, -1, dtype=np.int8)
    sub = np.full(rows, -1, dtype=np.int8)
    v4 = np.zeros(rows, dtype=np.uint32)
    port = np.full(rows, -1, dtype=np.int32)
    high, low = lo >> _U(32), lo & _U(0xFFFFFFFF)
    left = eligible.copy()

    def take(mask: Mask, name: str) -> Mask:
        hit = left & mask
        cls[hit] = IID_CLASSES.index(name)
        left[hit] = False
        return hit

    take((hi >> _U(32)) == _U(0x20010000), "teredo")
    take(((lo >> _U(24)) & _U(0xFFFF)) == _U(0xFFFE), "ieee-derived")
    hit = take((high & _U(0xFCFFFFFF)) == _U(0x5EFE), "isatap")
    v4[hit] = low[hit]
    take(lo == 0, "zero")
    hit = take((high == 0) & ((low >> _U(24)) != 0) & ((low & _U(0xFFFF)) != 0), "embedded-ipv4")
    v4[hit] = low[hit]
    sub[hit] = SUBTYPES.index("embedded-ipv4-32")
    small = (high == 0) & ((low >> _U(24)) == 0)
    ports = _port_table()
    forward = ports[(low & _U(0xFFFF)).astype(np.intp)]
    hit = take(small & (forward >= 0), "embedded-port")
    port[hit], sub[hit] = forward[hit], SUBTYPES.index("port-fwd")
    reverse = ports[((low >> _U(16)) & _U(0xFFFF)).astype(np.intp)]
    hit = take(small & ((low & _U(0xFF00)) == 0) & (reverse >= 0), "embedded-port")
    port[hit], sub[hit] = reverse[hit], SUBTYPES.index("port-rev")
    take(small & ((low & _U(0xFFFF)) != 0), "low-byte")
    decimal = _decimal_table()
    octets = [decimal[((lo >> _U(s)) & _U(0xFFFF)).astype(np.intp)] for s in (48, 32, 16, 0)]
    dotted = (octets[0] >= 0) & (octets[1] >= 0) & (octets[2] >= 0) & (octets[3] >= 0)
    hit = take(dotted & ((high >> _U(16)) != 0), "embedded-ipv4")
    packed = (
        octets[0].astype(np.uint32) << 24
        | octets[1].astype(np.uint32) << 16
        | octets[2].astype(np.uint32) << 8
        | octets[3].astype(np.uint32)
    )
    v4[hit] = packed[hit]
    sub[hit] = SUBTYPES.index("embedded-ipv4-64")
    zero_bytes = sum((((lo >> _U(s)) & _U(0xFF)) == 0).astype(np.int8) for s in range(0, 64, 8))
    take(np.asarray(zero_bytes) > 2, "byte-pattern")
    take(left, "randomized")
    return cls, sub, v4, port


def _registry(parsed: Parsed) -> npt.NDArray[np.int16]:
    """Index of the most specific registry entry covering each row, -1 for none."""
    out = np.full(len(parsed), -1, dtype=np.int16)
    for version in (4, 6):
        rows = parsed.version == version
        if not rows.any():
            continue
        entries = registry.registry(version).entries
        for index in range(len(entries) - 1, -1, -1):  # least specific first, so specific wins
            net = entries[index].network
            if version == 4:
                n, m = int(net.network_address), int(net.netmask)
                hit = rows & ((parsed.lo & _U(m)) == _U(n))
            else:
                hit = rows & within(parsed.hi, parsed.lo, net)  # type: ignore[arg-type]
            out[hit] = index
    return out


def _not_global(rows: Mask, reg: npt.NDArray[np.int16]) -> Mask:
    """IPv4 rows whose most specific registry entry says not globally reachable."""
    flags = [e.globally_reachable is False for e in registry.registry(4).entries]
    table = np.array([*flags, False], dtype=np.bool_)  # index -1: no entry
    return table[np.where(rows, reg, -1)]


def _ipv4_types(
    v4: npt.NDArray[np.uint32], rows: Mask, types: U64, reg: npt.NDArray[np.int16]
) -> None:
    def put(mask: Mask, *tokens: str) -> None:
        bits = _U(0)
        for token in tokens:
            bits |= BIT[token]
        types[rows & mask] |= bits

    v = v4.astype(np.uint64)
    first = v >> _U(24)
    special = (v == 0) | (v == 0xFFFFFFFF) | (first == 0) | (first == 127) | ((v >> _U(28)) >= 0xE)
    put(v == 0, "unspecified")
    put(v == 0xFFFFFFFF, "broadcast")
    put((first == 0) & (v != 0), "this-network")
    put(first == 127, "loopback", "unicast")
    put(((v >> _U(28)) == 0xE), "multicast")
    put(((v >> _U(28)) == 0xF) & (v != 0xFFFFFFFF), "reserved")
    ordinary = ~special
    link = (v >> _U(16)) == 0xA9FE
    private = (first == 10) | ((v >> _U(20)) == 0xAC1) | ((v >> _U(16)) == 0xC0A8)
    shared = (v >> _U(22)) == (0x64400000 >> 22)
    put(ordinary, "unicast")
    put(ordinary & link, "link-local")
    put(ordinary & ~link & private, "private")
    put(ordinary & ~link & ~private & shared, "shared")
    named = link | private | shared
    unreachable = _not_global(rows, reg)
    put(ordinary & ~named & unreachable, "special-purpose")
    put(ordinary & ~named & ~unreachable, "global-unicast")
    doc = ((v >> _U(8)) == 0xC00002) | ((v >> _U(8)) == 0xC63364) | ((v >> _U(8)) == 0xCB0071)
    put(ordinary & doc, "documentation")
    put(ordinary & ((v >> _U(17)) == (0xC6120000 >> 17)), "benchmarking")
    put(ordinary & ((v >> _U(8)) == 0xC05863), "6to4-relay-anycast")


def ipv4_scope_codes(v4: npt.NDArray[np.uint32]) -> Codes:
    v = v4.astype(np.uint64)
    out = np.full(len(v), SCOPES.index("global"), dtype=np.int8)
    out[(v >> _U(24)) == 239] = SCOPES.index("organization-local")
    out[((v >> _U(16)) == 0xA9FE) | ((v >> _U(8)) == 0xE00000)] = SCOPES.index("link-local")
    out[(v >> _U(24)) == 127] = SCOPES.index("interface-local")
    out[v == 0] = SCOPES.index("unspecified")
    return out


def _multicast(hi: U64, lo: U64, rows: Mask, types: U64, scope: Codes) -> None:
    flags = (hi >> _U(52)) & _U(0xF)
    prefix_based, rp = (flags & _U(2)) != 0, (flags & _U(4)) != 0
    plen = (hi >> _U(32)) & _U(0xFF)
    low80 = ((hi & _U(0xFFFFFFFFFFFF)) == 0) & ((lo >> _U(32)) == 0)  # bits 32-111
    ssm = prefix_based & (plen == 0) & ~rp & low80
    solicited = (hi == _U(0xFF02 << 48)) & ((lo >> _U(24)) == _U(0x1FF))
    known = np.zeros(len(hi), dtype=np.bool_)
    for address in multicast.WELL_KNOWN:
        value = int(address)
        known |= (hi == _U(value >> 64)) & (lo == _U(value & ((1 << 64) - 1)))
    types[rows] |= BIT["multicast"]
    for token, mask in (
        ("solicited-node", solicited),
        ("unicast-prefix-based", prefix_based & ~rp),
        ("embedded-rp", rp),
        ("source-specific", ssm),
        ("well-known", known),
    ):
        types[rows & mask] |= BIT[token]
    names = np.array([SCOPES.index(multicast.SCOPES.get(v, "unassigned")) for v in range(16)])
    scope[rows] = names[((hi[rows] >> _U(48)) & _U(0xF)).astype(np.intp)]


def classify(
    parsed: Parsed,
    nat64_prefixes: tuple[IPv6Network, ...] = (NAT64_WELL_KNOWN,),
    sixrd: tuple[SixRd, ...] = (),
) -> Classes:
    """Classify every parsed row as :func:`dualstack.addr.inspect.inspect` would: in C where
    the extension is there (:mod:`.compiled`), else with numpy (:func:`classify_numpy`)."""
    if compiled.extension() is not None and len(nat64_prefixes) <= 8 and len(sixrd) <= 8:
        table = compiled.tables(nat64_prefixes, sixrd)
        hi, lo = np.ascontiguousarray(parsed.hi), np.ascontiguousarray(parsed.lo)
        columns = compiled.classify(hi, lo, np.ascontiguousarray(parsed.version), table)
        if columns is not None:
            return Classes(*(np.asarray(getattr(columns, f.name)) for f in fields(Classes)))
    return classify_numpy(parsed, nat64_prefixes, sixrd)


def classify_numpy(
    parsed: Parsed,
    nat64_prefixes: tuple[IPv6Network, ...] = (NAT64_WELL_KNOWN,),
    sixrd: tuple[SixRd, ...] = (),
) -> Classes:
    """:func:`classify` with numpy alone (the fallback, and the reference the tests hold the
    compiled rules to)."""
    hi, lo = parsed.hi, parsed.lo
    rows = len(parsed)
    types = np.zeros(rows, dtype=np.uint64)
    scope = np.zeros(rows, dtype=np.int8)
    roles = np.zeros(rows, dtype=np.uint8)
    v4rows, v6 = parsed.version == 4, parsed.version == 6
    v4 = (lo & _U(0xFFFFFFFF)).astype(np.uint32)
    reg = _registry(parsed)
    _ipv4_types(v4, v4rows, types, reg)
    scope[v4rows] = ipv4_scope_codes(v4[v4rows])

    def role(mask: Mask, name: str) -> None:
        roles[mask] |= np.uint8(1 << ROLES.index(name))

    high96 = (hi == 0) & ((lo >> _U(32)) == 0)
    mapped = v6 & (hi == 0) & ((lo >> _U(32)) == _U(0xFFFF))
    unspecified = v6 & (hi == 0) & (lo == 0)
    loopback = v6 & (hi == 0) & (lo == 1)
    compatible = v6 & high96 & (lo > 1)
    mcast = v6 & ((hi >> _U(56)) == _U(0xFF))
    role(mapped, "ipv4-mapped")
    role(compatible, "ipv4-compatible")
    types[unspecified] |= BIT["unspecified"]
    types[loopback] |= BIT["loopback"] | BIT["unicast"]
    types[mapped] |= BIT["ipv4-mapped"] | BIT["unicast"]
    types[compatible] |= BIT["ipv4-compatible"] | BIT["unicast"]
    _multicast(hi, lo, mcast, types, scope)

    rest = v6 & ~high96 & ~mapped  # where the core looks for tunnels (multicast included)
    ordinary = rest & ~mcast  # plain unicast
    teredo = rest & ((hi >> _U(32)) == _U(0x20010000))
    role(rest & ((hi >> _U(48)) == _U(0x2002)), "6to4")
    role(teredo, "teredo")
    nat64 = np.zeros(rows, dtype=np.uint8)
    for i, prefix in enumerate(nat64_prefixes):
        hit = rest & within(hi, lo, prefix)
        if prefix.prefixlen < 96:
            hit &= ((lo >> _U(56)) & _U(0xFF)) == 0
        nat64[hit] |= np.uint8(1 << i)
    role(nat64 != 0, "nat64")
    six = np.zeros(rows, dtype=np.uint8)
    for i, domain in enumerate(sixrd):
        six[rest & within(hi, lo, domain.prefix)] |= np.uint8(1 << i)
    role(six != 0, "6rd")
    role(rest & ~teredo & (((lo >> _U(32)) & _U(0xFCFFFFFF)) == _U(0x5EFE)), "isatap")

    eligible = rest & ~mcast
    cls, sub, iid_v4, port = _iid(hi, lo, eligible)

    top10 = hi >> _U(54)
    main = np.select(
        [top10 == 0x3FA, top10 == 0x3FB, (hi >> _U(57)) == 0x7E, (hi >> _U(61)) == 1],
        [BIT["link-local"], BIT["site-local"], BIT["unique-local"], BIT["global-unicast"]],
        BIT["reserved"],
    ).astype(np.uint64)
    types[ordinary] |= BIT["unicast"] | main[ordinary]
    for token, net in NAMED_BLOCKS:
        types[ordinary & within(hi, lo, ip_network(net))] |= BIT[token]  # type: ignore[arg-type]
    for token in ("6to4", "teredo", "nat64", "6rd", "isatap"):
        types[ordinary & ((roles & np.uint8(1 << ROLES.index(token))) != 0)] |= BIT[token]
    types[ordinary & (cls == IID_CLASSES.index("ieee-derived"))] |= BIT["eui64"]
    zero = cls == IID_CLASSES.index("zero")
    global_or_ula = (main == BIT["global-unicast"]) | (main == BIT["unique-local"])
    types[ordinary & zero & global_or_ula] |= BIT["subnet-router-anycast"]

    scope[v6 & ~mcast] = SCOPES.index("global")
    scope[v6 & (top10 == 0x3FA)] = SCOPES.index("link-local")
    scope[v6 & (top10 == 0x3FB)] = SCOPES.index("site-local")
    scope[mapped] = ipv4_scope_codes(v4[mapped])
    scope[loopback] = SCOPES.index("interface-local")
    scope[unspecified] = SCOPES.index("unspecified")
    return Classes(types, scope, cls, sub, iid_v4, port, roles, nat64, six, reg)


def type_names(bits: int) -> tuple[str, ...]:
    """The type tokens a bit set stands for, in the core's order."""
    return tuple(token for i, token in enumerate(TOKENS) if bits >> i & 1)
