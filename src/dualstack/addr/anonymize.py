"""Anonymisation of addresses for logs, keeping what an analyst needs and dropping the person.

``keep-type`` (the default, modelled on ipv6calc's default method): IPv4 keeps its first 24 bits,
IPv6 its first 56; an IPv4 address embedded anywhere (mapped, 6to4, Teredo client, NAT64, ISATAP
or an embedded-ipv4 IID) is itself cut to 24 bits and stays where it was, so the address still
decodes as the same kind; an EUI-64 IID keeps its vendor's OUI and loses the device part, so it
still reads as ``ieee-derived`` with the same vendor. Other IIDs become zero. A Teredo server is
kept (it is a public relay, the same for every client of that service, not the person) and the
client's port becomes 0.
``zero`` (ipv6calc's ``zeroize`` method): the same, except that a 6to4 prefix is masked to the
IPv6 length like any other (ipv6calc keeps its subnet bits past /48; ``keep-type`` stops at the
/48) with its IPv4 cut to the IPv4 length, whichever is shorter.
Both: ``::`` and ``::1`` are kept (they name no host); multicast addresses, which name groups,
are kept, except a solicited-node group (``ff02::1:ff00:0/104``), whose low 24 bits are those of
a unicast address (an EUI-64's device part) and become zero. Lengths are configurable.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address

from dualstack._value import value
from dualstack.addr import embedded, iid
from dualstack.addr.mac import Mac
from dualstack.errors import InputError

IPAddress = IPv4Address | IPv6Address
METHODS = ("keep-type", "zero")
_IID_MASK = (1 << 64) - 1
SOLICITED_NODE = 0xFF02_0000_0000_0000_0000_0001_FF00_0000  # ff02::1:ff00:0/104


@value
class Policy:
    """How to anonymise: the method and how many leading bits of each family survive."""

    method: str = "keep-type"
    ipv4_bits: int = 24
    ipv6_bits: int = 56
    mac_bits: int = 24

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise InputError(f"anonymisation method {self.method!r} is not one of {METHODS}")
        for name, bits, top in (
            ("IPv4", self.ipv4_bits, 32),
            ("IPv6", self.ipv6_bits, 128),
            ("MAC", self.mac_bits, 48),
        ):
            if not 0 <= bits <= top:
                raise InputError(f"{name} anonymisation length {bits} is out of range 0..{top}")


DEFAULT = Policy()


def _keep(value: int, bits: int, width: int) -> int:
    return value & (((1 << bits) - 1) << (width - bits)) if bits else 0


def _v4(value: int, policy: Policy) -> int:
    return _keep(value & 0xFFFFFFFF, policy.ipv4_bits, 32)


def anonymize_mac(mac: Mac, policy: Policy = DEFAULT) -> Mac:
    return Mac(_keep(mac.value, policy.mac_bits, 48))


def anonymize(address: IPAddress, policy: Policy = DEFAULT) -> IPAddress:
    """The anonymised form of ``address`` under ``policy`` (see the module docstring)."""
    value = int(address)
    if isinstance(address, IPv4Address):
        return IPv4Address(_v4(value, policy))
    if value >> 120 == 0xFF:
        if value >> 24 == SOLICITED_NODE >> 24:
            return IPv6Address(SOLICITED_NODE)
        return address
    if value <= 1:  # unspecified and loopback
        return address
    kept = _keep(value, policy.ipv6_bits, 128)
    if value >> 32 in (0, 0xFFFF):  # mapped or compatible: the IPv4 is the whole story
        return IPv6Address(value >> 32 << 32 | _v4(value, policy))
    if embedded.teredo(address) is not None:  # keep server and flags; cut client, drop port
        client = _v4(~value, policy)
        return IPv6Address(value >> 48 << 48 | 0xFFFF << 32 | (~client & 0xFFFFFFFF))
    if value >> 112 == 0x2002 and policy.method == "zero":  # both masks apply
        kept &= ~((0xFFFFFFFF & ~_keep(0xFFFFFFFF, policy.ipv4_bits, 32)) << 80)
    elif value >> 112 == 0x2002:  # 6to4: the site's IPv4 sits in bits 16-47
        kept = _keep(value, min(policy.ipv6_bits, 48), 128) & ~(0xFFFFFFFF << 80)
        kept |= _v4(value >> 80, policy) << 80
    if embedded.nat64_extract(address) is not None:
        return IPv6Address(value >> 32 << 32 | _v4(value, policy))
    kind = iid.classify(address)
    interface = value & _IID_MASK
    if kind.type == "ieee-derived":
        kept_iid = interface & 0xFFFFFFFF_FF000000  # OUI + ff:fe, device part zeroed
    elif kind.type in ("isatap", "embedded-ipv4") and kind.subtype != "embedded-ipv4-64":
        kept_iid = interface >> 32 << 32 | _v4(interface, policy)
    elif kind.subtype == "embedded-ipv4-64":
        keep_groups = policy.ipv4_bits // 8
        kept_iid = _keep(interface, 16 * keep_groups, 64)
    else:
        kept_iid = 0
    return IPv6Address((kept & ~_IID_MASK) | kept_iid)
