"""Policy tables (RFC 6724 section 2.1) and address scopes (section 3.1), as each system ships them.

A table maps prefixes to a number (a precedence or a label); an address takes the value of the
longest prefix holding it, IPv4 addresses looked up as ``::ffff:a.b.c.d`` (section 3.2). The
built-in tables, and where each comes from:

- ``RFC6724``: the RFC's default policy table; Windows (Vista and later) ships the same rows
  (``netsh interface ipv6 show prefixpolicies``).
- ``GLIBC_LABELS`` / ``GLIBC_PRECEDENCE`` / ``GLIBC_SCOPEV4``: glibc's built-in tables
  (``sysdeps/posix/getaddrinfo.c``, unchanged from 2.17 to today), used when ``/etc/gai.conf``
  has no line of that kind. They are RFC 3484's precedences with RFC 6724's labels: no row for
  ULA (``fc00::/7``), Teredo or site-local, which so take ``::/0``'s precedence 40, above IPv4
  (10) and 6to4 (30).
- ``LINUX_LABELS``: the Linux kernel's default ``ip addrlabel`` table, which the kernel's source
  address selection reads (glibc never chooses a source: it asks the kernel).
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, IPv6Network, ip_network

Address = IPv4Address | IPv6Address

_MAPPED = 0xFFFF << 32  # ::ffff:0:0/96

# scopes (RFC 4291 section 2.7 values, as RFC 6724 section 3.1 orders them)
LINK_LOCAL = 2
SITE_LOCAL = 5
GLOBAL = 14
SCOPE_NAMES = {
    1: "interface-local",
    2: "link-local",
    4: "admin-local",
    5: "site-local",
    8: "organization-local",
    14: "global",
}


def as_ipv6(address: Address) -> int:
    """The 128-bit value a table looks up: IPv4 as its IPv4-mapped IPv6 address."""
    return _MAPPED | int(address) if address.version == 4 else int(address)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a policy table."""

    prefix: IPv6Network
    value: int

    def __str__(self) -> str:
        return f"{self.prefix} {self.value}"


@dataclass(frozen=True, slots=True)
class Table:
    """Prefixes and their values; :meth:`lookup` is a longest-prefix match (rows of equal length
    and prefix: the first one written wins, as glibc reads gai.conf)."""

    rows: tuple[Row, ...]

    def lookup(self, address: Address) -> int | None:
        """The value of the longest prefix holding ``address``; None when no row holds it."""
        value = as_ipv6(address)
        best: Row | None = None
        for row in self.rows:
            shift = 128 - row.prefix.prefixlen
            if value >> shift == int(row.prefix.network_address) >> shift and (
                best is None or row.prefix.prefixlen > best.prefix.prefixlen
            ):
                best = row
        return None if best is None else best.value


def table(*rows: tuple[str, int]) -> Table:
    """A table from ``(prefix text, value)`` pairs (IPv6 prefixes)."""
    built = []
    for prefix, value in rows:
        network = ip_network(prefix)
        assert isinstance(network, IPv6Network)
        built.append(Row(network, value))
    return Table(tuple(built))


# RFC 6724 section 2.1: (prefix, precedence, label)
_RFC6724 = (
    ("::1/128", 50, 0),
    ("::/0", 40, 1),
    ("::ffff:0:0/96", 35, 4),
    ("2002::/16", 30, 2),
    ("2001::/32", 5, 5),
    ("fc00::/7", 3, 13),
    ("::/96", 1, 3),
    ("fec0::/10", 1, 11),
    ("3ffe::/16", 1, 12),
)
RFC6724_PRECEDENCE = table(*((p, precedence) for p, precedence, _ in _RFC6724))
RFC6724_LABELS = table(*((p, label) for p, _, label in _RFC6724))

GLIBC_LABELS = table(
    ("::1/128", 0),
    ("2002::/16", 2),
    ("::/96", 3),
    ("::ffff:0:0/96", 4),
    ("fec0::/10", 5),
    ("fc00::/7", 6),
    ("2001::/32", 7),
    ("::/0", 1),
)
GLIBC_PRECEDENCE = table(
    ("::1/128", 50),
    ("2002::/16", 30),
    ("::/96", 20),
    ("::ffff:0:0/96", 10),
    ("::/0", 40),
)
# IPv4 scopes (gai.conf's scopev4), as IPv4-mapped prefixes
GLIBC_SCOPEV4 = table(
    ("::ffff:169.254.0.0/112", LINK_LOCAL),
    ("::ffff:127.0.0.0/104", LINK_LOCAL),
    ("::ffff:0:0/96", GLOBAL),
)

LINUX_LABELS = table(
    ("::1/128", 0),
    ("::/96", 3),
    ("::ffff:0:0/96", 4),
    ("2001::/32", 6),
    ("2001:10::/28", 7),
    ("3ffe::/16", 12),
    ("2002::/16", 2),
    ("fec0::/10", 11),
    ("fc00::/7", 5),
    ("::/0", 1),
)


def rfc_scope(address: Address) -> int:
    """RFC 6724 section 3.1-3.2: multicast by its scope field; link-local unicast and loopback
    (IPv6 ``::1``, IPv4 127/8) link-local; 169.254/16 link-local; site-local ``fec0::/10``
    site-local; everything else (ULA and RFC 1918 space included) global."""
    if address.version == 4:
        if address in _V4_LOOPBACK or address in _V4_LINK_LOCAL:
            return LINK_LOCAL
        return GLOBAL
    value = int(address)
    if value >> 120 == 0xFF:
        return (value >> 112) & 0xF
    if value >> 118 == 0x3FA or value == 1:
        return LINK_LOCAL
    if value >> 118 == 0x3FB:
        return SITE_LOCAL
    return GLOBAL


def scope_in(scopev4: Table, address: Address) -> int:
    """glibc's scope: IPv6 as RFC 6724 (an IPv4-mapped IPv6 address is global: glibc does not
    look it up), IPv4 from the scopev4 table."""
    if address.version == 6:
        return rfc_scope(address)
    found = scopev4.lookup(address)
    return GLOBAL if found is None else found


_V4_LOOPBACK = ip_network("127.0.0.0/8")
_V4_LINK_LOCAL = ip_network("169.254.0.0/16")
