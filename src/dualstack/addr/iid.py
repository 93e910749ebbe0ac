"""Interface identifier classes, in the spirit of ``addr6 -a`` (ipv6toolkit), each defined here.

Classes are tried in this order; the first that matches wins (IID = the low 64 bits):

- ``teredo``: the address is in 2001::/32, so the IID holds Teredo fields, not a host choice.
- ``ieee-derived``: octets 4-5 of the IID are ``ff:fe``, a modified EUI-64 from a MAC (RFC 4291
  App. A); the MAC and its vendor are recovered. (addr6 also demands the U/L bit be set, i.e. a
  vendor-assigned MAC; we accept locally administered MACs too, and say so in ``mac_local``.)
- ``isatap``: the IID is ``[02]00:5efe`` + IPv4 (RFC 5214), with u/g bits in the first octet.
- ``embedded-ipv4``: the high 32 bits are zero and the low 32 bits look like an IPv4 address
  (first octet non-zero, low 16 bits non-zero), e.g. ``::c000:22d``; or, the ``-64`` form, each
  of the four 16-bit groups, read as decimal digits, is an octet: ``::192:0:2:45``. (addr6 only
  bounds each group by 0x255; we also require the hex digits to be decimal digits.)
- ``embedded-port``: the high 40 bits are zero and the low 16 bits are a well-known service port
  written in hex or in decimal-read-as-hex (``::80`` and ``::50`` are both HTTP); or the port is
  in the second-lowest group and the lowest group is below 0x100 (``::53:1``).
- ``low-byte``: the high 40 bits are zero and the low 16 bits are not (``::1``, ``::2:1``).
- ``zero``: the IID is all zeros: the Subnet-Router anycast address (RFC 4291 2.6.1).
- ``byte-pattern``: more than two of the eight IID octets are zero: a hand-made pattern.
- ``randomized``: none of the above: RFC 4941 temporary, RFC 7217 stable, or DHCPv6-assigned.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address

from dualstack._value import value
from dualstack.addr.mac import Mac, mac_from_interface_id

SERVICE_PORTS = frozenset(
    (
        21,
        22,
        23,
        25,
        49,
        53,
        80,
        110,
        123,
        179,
        220,
        389,
        443,
        547,
        993,
        995,
        1194,
        3306,
        5060,
        5061,
        5432,
        6446,
        8080,
    )
)  # the list addr6 checks
_AS_HEX_DIGITS = frozenset(int(str(p), 16) for p in SERVICE_PORTS)
CLASSES = (
    "teredo",
    "ieee-derived",
    "isatap",
    "embedded-ipv4",
    "embedded-port",
    "low-byte",
    "zero",
    "byte-pattern",
    "randomized",
)


@value
class InterfaceId:
    """The class of an interface identifier and what it reveals."""

    type: str
    value: int
    mac: Mac | None = None
    ipv4: IPv4Address | None = None
    port: int | None = None
    subtype: str | None = None  # e.g. embedded-ipv4-32 / -64, port-fwd / port-rev


def _port(group: int) -> int | None:
    if group in SERVICE_PORTS:
        return group
    if group in _AS_HEX_DIGITS:
        return int(f"{group:x}")
    return None


def _decimal_groups(iid: int) -> IPv4Address | None:
    octets = []
    for shift in (48, 32, 16, 0):
        text = f"{(iid >> shift) & 0xFFFF:x}"
        if not text.isdigit() or int(text) > 255:
            return None
        octets.append(int(text))
    return IPv4Address(".".join(map(str, octets)))


def classify(address: IPv6Address) -> InterfaceId:
    """Classify the low 64 bits of ``address`` (see the module docstring for the rules)."""
    value = int(address)
    iid = value & ((1 << 64) - 1)
    high, low = iid >> 32, iid & 0xFFFFFFFF
    if value >> 96 == 0x20010000:
        return InterfaceId("teredo", iid)
    if (iid >> 24) & 0xFFFF == 0xFFFE:
        return InterfaceId("ieee-derived", iid, mac=mac_from_interface_id(iid))
    if high & 0xFCFFFFFF == 0x00005EFE:
        return InterfaceId("isatap", iid, ipv4=IPv4Address(low))
    if iid == 0:
        return InterfaceId("zero", iid)
    if high == 0 and low >> 24 and low & 0xFFFF:
        return InterfaceId("embedded-ipv4", iid, ipv4=IPv4Address(low), subtype="embedded-ipv4-32")
    if high == 0 and not low >> 24:
        port = _port(low & 0xFFFF)
        if port is not None:
            return InterfaceId("embedded-port", iid, port=port, subtype="port-fwd")
        if not low & 0xFF00:
            port = _port(low >> 16)
            if port is not None:
                return InterfaceId("embedded-port", iid, port=port, subtype="port-rev")
        if low & 0xFFFF:
            return InterfaceId("low-byte", iid)
    dotted = _decimal_groups(iid)
    if dotted is not None and high >> 16:
        return InterfaceId("embedded-ipv4", iid, ipv4=dotted, subtype="embedded-ipv4-64")
    if sum(not (iid >> s) & 0xFF for s in range(0, 64, 8)) > 2:
        return InterfaceId("byte-pattern", iid)
    return InterfaceId("randomized", iid)
