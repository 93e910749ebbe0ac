"""IPv6 multicast decoding: flags and scope (RFC 4291, RFC 7346), solicited-node groups,
unicast-prefix-based groups (RFC 3306) and embedded-RP groups (RFC 3956)."""

from __future__ import annotations

from ipaddress import IPv6Address, IPv6Network

from dualstack._value import value

SCOPES = {
    0x0: "reserved",
    0x1: "interface-local",
    0x2: "link-local",
    0x3: "realm-local",
    0x4: "admin-local",
    0x5: "site-local",
    0x8: "organization-local",
    0xE: "global",
    0xF: "reserved",
}

# A few groups every admin meets (IANA IPv6 Multicast Address Space registry).
WELL_KNOWN = {
    IPv6Address("ff01::1"): "all-nodes (interface-local)",
    IPv6Address("ff01::2"): "all-routers (interface-local)",
    IPv6Address("ff02::1"): "all-nodes",
    IPv6Address("ff02::2"): "all-routers",
    IPv6Address("ff02::5"): "OSPFv3 all SPF routers",
    IPv6Address("ff02::6"): "OSPFv3 designated routers",
    IPv6Address("ff02::9"): "RIPng routers",
    IPv6Address("ff02::a"): "EIGRP routers",
    IPv6Address("ff02::d"): "PIM routers",
    IPv6Address("ff02::16"): "MLDv2-capable routers",
    IPv6Address("ff02::fb"): "mDNSv6",
    IPv6Address("ff02::1:2"): "all DHCP relay agents and servers",
    IPv6Address("ff02::1:3"): "LLMNR",
    IPv6Address("ff05::2"): "all-routers (site-local)",
    IPv6Address("ff05::1:3"): "all DHCP servers",
    IPv6Address("ff05::101"): "all NTP servers (site-local)",
}


@value
class Multicast:
    """What the bits of a multicast address say."""

    scope: str
    scope_value: int
    transient: bool  # T flag: not IANA-assigned
    prefix_based: bool  # P flag: RFC 3306
    embedded_rp: bool  # R flag: RFC 3956
    group_id: int
    well_known: str | None = None
    solicited_node_for: str | None = None  # the low 24 bits a solicited-node group answers for
    unicast_prefix: IPv6Network | None = None  # RFC 3306 / RFC 3956 network prefix
    rp_address: IPv6Address | None = None  # RFC 3956 rendezvous point
    source_specific: bool = False  # ff3x::/32 (RFC 4607)


def solicited_node(address: IPv6Address) -> IPv6Address:
    """The solicited-node group (ff02::1:ffXX:XXXX) a node joins for ``address``."""
    return IPv6Address(int(IPv6Address("ff02::1:ff00:0")) | (int(address) & 0xFFFFFF))


def decode(address: IPv6Address) -> Multicast | None:
    """Decode an ``ff00::/8`` address, or None for anything else."""
    value = int(address)
    if value >> 120 != 0xFF:
        return None
    flags, scope_value = (value >> 116) & 0xF, (value >> 112) & 0xF
    transient, prefix_based, rp = bool(flags & 1), bool(flags & 2), bool(flags & 4)
    unicast_prefix: IPv6Network | None = None
    rp_address: IPv6Address | None = None
    ssm = False
    group_id = value & 0xFFFFFFFF
    if prefix_based:
        plen = (value >> 96) & 0xFF
        riid = (value >> 104) & 0xF
        if plen <= 64:
            prefix_bits = (value >> 32) & ((1 << 64) - 1)
            network = (prefix_bits >> (64 - plen) << (64 - plen)) << 64 if plen else 0
            unicast_prefix = IPv6Network((network, plen))
            ssm = plen == 0 and not rp and (value >> 32) & ((1 << 80) - 1) == 0
            if rp:
                rp_address = IPv6Address(network | riid)
    else:
        group_id = value & ((1 << 112) - 1)
    solicited = None
    if value >> 24 == int(IPv6Address("ff02::1:ff00:0")) >> 24:
        solicited = f"{(value >> 16) & 0xFF:02x}:{value & 0xFFFF:04x}"
    return Multicast(
        scope=SCOPES.get(scope_value, "unassigned"),
        scope_value=scope_value,
        transient=transient,
        prefix_based=prefix_based,
        embedded_rp=rp,
        group_id=group_id,
        well_known=WELL_KNOWN.get(address),
        solicited_node_for=solicited,
        unicast_prefix=unicast_prefix,
        rp_address=rp_address,
        source_specific=ssm,
    )
