"""What the bulk classification writes and tests rows against, as names and flat tables.

The codes a row gets are named here in the core's order (its types are a bit set over
:data:`TOKENS`, its scope an index into :data:`SCOPES`, ...), and the facts from
:mod:`dualstack.addr` the rules need per 16-bit group are tabled once. Both the numpy path
(:mod:`.classify`) and the compiled one (:mod:`.compiled`) read this module; it imports neither
numpy nor the extension, so either may read it at no start-up cost."""

from __future__ import annotations

from array import array
from functools import cache

from dualstack.addr import iid

TOKENS = (
    "unspecified",
    "loopback",
    "ipv4-mapped",
    "ipv4-compatible",
    "broadcast",
    "this-network",
    "multicast",
    "solicited-node",
    "unicast-prefix-based",
    "embedded-rp",
    "source-specific",
    "well-known",
    "unicast",
    "link-local",
    "site-local",
    "unique-local",
    "global-unicast",
    "reserved",
    "private",
    "shared",
    "special-purpose",
    "documentation",
    "benchmarking",
    "discard",
    "orchid",
    "srv6-sid",
    "6to4-relay-anycast",
    "6to4",
    "teredo",
    "nat64",
    "6rd",
    "isatap",
    "eui64",
    "subnet-router-anycast",
)
SCOPES = (
    "unspecified",
    "interface-local",
    "link-local",
    "realm-local",
    "admin-local",
    "site-local",
    "organization-local",
    "global",
    "reserved",
    "unassigned",
)
IID_CLASSES = iid.CLASSES  # code = index; -1 where the core gives no IID class
SUBTYPES = ("embedded-ipv4-32", "embedded-ipv4-64", "port-fwd", "port-rev")
ROLES = ("6to4", "teredo", "nat64", "6rd", "isatap", "ipv4-mapped", "ipv4-compatible")

# blocks of ordinary unicast IPv6 that add a type of their own (RFC 3849, 9637, 5180, 6666,
# 7343, 9602)
NAMED_BLOCKS = (
    ("documentation", "2001:db8::/32"),
    ("documentation", "3fff::/20"),
    ("benchmarking", "2001:2::/48"),
    ("discard", "100::/64"),
    ("orchid", "2001:20::/28"),
    ("srv6-sid", "5f00::/16"),
)


@cache
def port_table() -> array[int]:
    """int32 per 16-bit group: the service port it spells (hex or decimal-as-hex), or -1."""
    out = array("i", [-1]) * 65536
    for port in iid.SERVICE_PORTS:
        out[int(str(port), 16)] = port
    for port in iid.SERVICE_PORTS:
        out[port] = port  # the port itself wins, as in the core
    return out


@cache
def decimal_table() -> array[int]:
    """int16 per 16-bit group: the octet its hex digits spell in decimal, or -1."""
    out = array("h", [-1]) * 65536
    for octet in range(256):
        out[int(str(octet), 16)] = octet
    return out
