"""``inspect``: everything there is to know about one pasted address or MAC, as one value.

This is the single call behind ``dualstack inspect`` and the web page; both only render it.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_network

from dualstack._value import value
from dualstack.addr import embedded, iid, registry
from dualstack.addr.anonymize import DEFAULT, Policy, anonymize, anonymize_mac
from dualstack.addr.mac import Eui64, Mac
from dualstack.addr.parse import AddressInput, parse_any

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:
    from dualstack.addr import multicast
    from dualstack.addr.vendor import Vendor

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network


@value
class Options:
    """What inspection needs beyond the text: site-specific prefixes and the anonymisation."""

    nat64_prefixes: tuple[IPv6Network, ...] = (embedded.NAT64_WELL_KNOWN,)
    sixrd: tuple[embedded.SixRd, ...] = ()
    anonymize: Policy = DEFAULT

    def __post_init__(self) -> None:
        # `--nat64-prefix 64:ff9b::/96` repeats the well-known prefix: each is decoded once
        object.__setattr__(self, "nat64_prefixes", tuple(dict.fromkeys(self.nat64_prefixes)))
        object.__setattr__(self, "sixrd", tuple(dict.fromkeys(self.sixrd)))


DEFAULT_OPTIONS = Options()


@value
class MacReport:
    """A MAC (or EUI-64) and what SLAAC makes of it."""

    mac: Mac | None
    eui64: Eui64
    vendor: str | None
    vendor_registry: str | None  # MA-L, MA-M, MA-S or IAB: the IEEE block that matched
    link_local: IPv6Address
    anonymized: Mac | None


@value
class Inspection:
    """The full reading of one input. ``kind`` is ``ipv4``, ``ipv6``, ``mac`` or ``eui64``."""

    input: str
    kind: str
    address: IPAddress | None = None
    prefixlen: int | None = None
    network: IPNetwork | None = None
    zone: str | None = None
    port: int | None = None
    types: tuple[str, ...] = ()
    scope: str | None = None
    registry: registry.RegistryEntry | None = None
    embedded_ipv4: tuple[embedded.Embedded, ...] = ()
    teredo: embedded.Teredo | None = None
    interface_id: iid.InterfaceId | None = None
    vendor: str | None = None
    vendor_registry: str | None = None
    multicast: multicast.Multicast | None = None
    anonymized: IPAddress | None = None
    mac: MacReport | None = None


Block = tuple[str, int, int]  # (token, network as int, netmask as int)


def _blocks(table: dict[str, tuple[str, ...]]) -> tuple[Block, ...]:
    """Well-known blocks as integers, so classifying an address builds no network objects."""
    nets = [(token, ip_network(prefix)) for token, prefixes in table.items() for prefix in prefixes]
    return tuple((token, int(n.network_address), int(n.netmask)) for token, n in nets)


def _tokens(value: int, blocks: tuple[Block, ...]) -> list[str]:
    found: list[str] = []
    for token, net, mask in blocks:
        if value & mask == net and token not in found:
            found.append(token)
    return found


# Tokens added after the family's main type when the address falls in these blocks.
_V6_BLOCKS = _blocks(
    {
        "documentation": ("2001:db8::/32", "3fff::/20"),
        "benchmarking": ("2001:2::/48",),
        "discard": ("100::/64",),
        "orchid": ("2001:20::/28",),
        "srv6-sid": ("5f00::/16",),
    }
)
_V4_BLOCKS = _blocks(
    {
        "documentation": ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"),
        "benchmarking": ("198.18.0.0/15",),
        "6to4-relay-anycast": ("192.88.99.0/24",),
    }
)
# The main kind of an ordinary IPv4 unicast address, first match wins.
_V4_KINDS = _blocks(
    {
        "link-local": ("169.254.0.0/16",),
        "private": ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"),
        "shared": ("100.64.0.0/10",),
    }
)


def _ipv6_types(a: IPv6Address, found: tuple[embedded.Embedded, ...], cls: str | None) -> list[str]:
    value = int(a)
    roles = {e.role for e in found}
    if value == 0:
        return ["unspecified"]
    if value == 1:
        return ["loopback", "unicast"]
    if "ipv4-mapped" in roles:
        return ["ipv4-mapped", "unicast"]
    if "ipv4-compatible" in roles:
        return ["ipv4-compatible", "unicast"]
    if value >> 120 == 0xFF:
        mc = _multicast(a)
        assert mc is not None
        return ["multicast"] + [
            token
            for token, present in (
                ("solicited-node", mc.solicited_node_for is not None),
                ("unicast-prefix-based", mc.prefix_based and not mc.embedded_rp),
                ("embedded-rp", mc.embedded_rp),
                ("source-specific", mc.source_specific),
                ("well-known", mc.well_known is not None),
            )
            if present
        ]
    tokens = ["unicast"]
    top10 = value >> 118
    if top10 == 0x3FA:
        tokens.append("link-local")
    elif top10 == 0x3FB:
        tokens.append("site-local")
    elif value >> 121 == 0x7E:
        tokens.append("unique-local")
    elif value >> 125 == 1:
        tokens.append("global-unicast")
    else:
        tokens.append("reserved")
    tokens += _tokens(value, _V6_BLOCKS)
    tokens += [
        t
        for t, role in (
            ("6to4", "6to4"),
            ("teredo", "teredo-server"),
            ("nat64", "nat64"),
            ("6rd", "6rd"),
            ("isatap", "isatap"),
        )
        if role in roles
    ]
    if cls == "ieee-derived":
        tokens.append("eui64")
    if (cls == "zero" and "global-unicast" in tokens) or (
        cls == "zero" and "unique-local" in tokens
    ):
        tokens.append("subnet-router-anycast")
    return tokens


def _ipv6_scope(
    a: IPv6Address, mc: multicast.Multicast | None, found: tuple[embedded.Embedded, ...]
) -> str:
    value = int(a)
    if mc is not None:
        return mc.scope
    if value == 0:
        return "unspecified"
    if value == 1:
        return "interface-local"
    if found and found[0].role == "ipv4-mapped":
        return _ipv4_scope(found[0].ipv4)
    if value >> 118 == 0x3FA:
        return "link-local"
    if value >> 118 == 0x3FB:
        return "site-local"
    return "global"


def _ipv4_main(value: int, entry: registry.RegistryEntry | None) -> str:
    """The main kind of ordinary IPv4 unicast: a named block, else ``special-purpose`` where
    IANA's most specific entry says not globally reachable (TEST-NETs, 198.18.0.0/15, most of
    192.0.0.0/24), else ``global-unicast``."""
    named = _tokens(value, _V4_KINDS)
    if named:
        return named[0]
    if entry is not None and entry.globally_reachable is False:
        return "special-purpose"
    return "global-unicast"


def _ipv4_types(a: IPv4Address, entry: registry.RegistryEntry | None) -> list[str]:
    value = int(a)
    if value == 0:
        return ["unspecified"]
    if value == 0xFFFFFFFF:
        return ["broadcast"]
    first = value >> 24
    if first == 0:
        return ["this-network"]
    if first == 127:
        return ["loopback", "unicast"]
    if value >> 28 == 0xE:
        return ["multicast"]
    if value >> 28 == 0xF:
        return ["reserved"]
    return ["unicast", _ipv4_main(value, entry), *_tokens(value, _V4_BLOCKS)]


def _ipv4_scope(a: IPv4Address) -> str:
    value = int(a)
    if value == 0:
        return "unspecified"
    if value >> 24 == 127:
        return "interface-local"
    if value >> 16 == 0xA9FE or value >> 8 == 0xE00000:
        return "link-local"
    if value >> 24 == 239:
        return "organization-local"
    return "global"


def _multicast(a: IPv6Address) -> multicast.Multicast | None:
    """The multicast reading of ``a``, None for unicast (whose inspection never loads the
    multicast decoder: start-up time)."""
    if int(a) >> 120 != 0xFF:
        return None
    from dualstack.addr import multicast

    return multicast.decode(a)


def _vendor(mac: Mac) -> Vendor | None:
    """The registrant of ``mac``'s IEEE block; the vendor data loads on the first MAC seen."""
    from dualstack.addr.vendor import lookup

    return lookup(mac)


def _inspect_mac(raw: str, value: Mac | Eui64, options: Options) -> Inspection:
    if isinstance(value, Mac):
        mac: Mac | None = value
        eui = Eui64.from_interface_id(value.modified_eui64())
    else:
        mac, eui = value.to_mac(), value
    link_local = IPv6Address((0xFE80 << 112) | eui.interface_id)
    found = _vendor(mac) if mac is not None else None
    name, reg = (found.name, found.registry) if found is not None else (None, None)
    report = MacReport(
        mac, eui, name, reg, link_local, anonymize_mac(mac, options.anonymize) if mac else None
    )
    kind = "mac" if isinstance(value, Mac) else "eui64"
    return Inspection(raw, kind, vendor=name, vendor_registry=reg, mac=report)


def _inspect_address(raw: str, parsed: AddressInput, options: Options) -> Inspection:
    a = parsed.address
    entry = registry.lookup(a)
    anon = anonymize(a, options.anonymize)
    if isinstance(a, IPv4Address):
        return Inspection(
            raw,
            "ipv4",
            a,
            parsed.prefixlen,
            parsed.network,
            None,
            parsed.port,
            tuple(_ipv4_types(a, entry)),
            _ipv4_scope(a),
            entry,
            anonymized=anon,
        )
    found = embedded.embedded_ipv4(a, options.nat64_prefixes, options.sixrd)
    mc = _multicast(a)
    klass = None if mc is not None or int(a) >> 32 in (0, 0xFFFF) else iid.classify(a)
    maker = _vendor(klass.mac) if klass is not None and klass.mac is not None else None
    return Inspection(
        raw,
        "ipv6",
        a,
        parsed.prefixlen,
        parsed.network,
        parsed.zone,
        parsed.port,
        tuple(_ipv6_types(a, found, klass.type if klass else None)),
        _ipv6_scope(a, mc, found),
        entry,
        found,
        embedded.teredo(a),
        klass,
        maker.name if maker is not None else None,
        maker.registry if maker is not None else None,
        mc,
        anon,
    )


def inspect(raw: str, options: Options = DEFAULT_OPTIONS) -> Inspection:
    """Parse ``raw`` (address, prefix, MAC or EUI-64) and decode everything it carries.

    >>> inspect("2001:0:4136:e378:8000:63bf:3fff:fdd2").teredo.server
    IPv4Address('65.54.227.120')
    """
    parsed = parse_any(raw)
    if isinstance(parsed, AddressInput):
        return _inspect_address(raw, parsed, options)
    return _inspect_mac(raw, parsed, options)


__all__ = ["DEFAULT_OPTIONS", "Inspection", "MacReport", "Options", "inspect"]
