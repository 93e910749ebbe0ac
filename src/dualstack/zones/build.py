"""Zones from a plan: the forward zone (A, AAAA, CNAME) and both reverse trees (PTR).

IPv4 reverse zones: one per /24 a VLAN covers, or the RFC 2317 classless zone for a VLAN
longer than /24. IPv6 reverse zones: the site prefix at its nibble boundary (a /45 is the
eight /48 zones), or one per VLAN /64 with ``[dns] reverse_zones = "vlan"``. ULA addresses are
kept out of DNS (they are internal; publish them in an internal view if wanted).
"""

from __future__ import annotations

from collections import defaultdict
from ipaddress import IPv4Address, IPv4Network, IPv6Network

from dualstack.addr.text import compressed, reverse_pointer
from dualstack.net._prefix import prefix_text
from dualstack.net.reverse import reverse_zones
from dualstack.plan.model import Plan
from dualstack.zones.model import Record, Zone

_LIMIT = 1 << 16


def _v4_zones(plan: Plan) -> dict[str, IPv4Network]:
    """Reverse zone name -> the IPv4 prefix it covers (its /24, or the classless subnet)."""
    zones: dict[str, IPv4Network] = {}
    for v in plan.vlans:
        net = v.vlan.ipv4
        found = reverse_zones(net, _LIMIT)
        if found.classless is not None:
            zones[found.classless] = net
            continue
        for name in found.names:
            octets = name.split(".")[: found.zone_length // 8][::-1]
            base = ".".join([*octets, *["0"] * (4 - len(octets))])
            zones[name] = IPv4Network(f"{base}/{found.zone_length}")
    return zones


class _Index:
    """Zone lookup by address: zone name keyed by (prefix length, the address's top bits)."""

    def __init__(self, zones: dict[str, IPv4Network] | dict[str, IPv6Network], width: int) -> None:
        self.width = width
        self.keys = {
            (net.prefixlen, int(net.network_address) >> (width - net.prefixlen)): name
            for name, net in zones.items()
        }
        self.lengths = sorted({length for length, _ in self.keys}, reverse=True)

    def zone(self, value: int) -> str | None:
        for length in self.lengths:  # the most specific zone wins (a classless one over its /24)
            name = self.keys.get((length, value >> (self.width - length)))
            if name is not None:
                return name
        return None


def _v4_owner(address: IPv4Address, index: _Index) -> tuple[str, str] | None:
    """(zone, owner name) for the PTR of ``address``; RFC 2317 owners sit under the
    classless name (``77.64/26.2.0.192.in-addr.arpa.``)."""
    zone = index.zone(int(address))
    if zone is None:
        return None
    if "/" in zone.split(".")[0]:
        return zone, f"{str(address).rsplit('.', 1)[1]}.{zone}"
    return zone, reverse_pointer(address)


def _v6_zones(plan: Plan, per_vlan: bool) -> dict[str, IPv6Network]:
    """Zone name -> the IPv6 prefix the zone covers."""
    if per_vlan:
        return {reverse_zones(v.ipv6).names[0]: v.ipv6 for v in plan.vlans if v.ipv6 is not None}
    found = reverse_zones(plan.site.info.ipv6_prefix, _LIMIT)
    return {name: _nibble_network(name) for name in found.names}


def _nibble_network(origin: str) -> IPv6Network:
    """``0.0.2.1.8.b.d.0.1.0.0.2.ip6.arpa.`` -> 2001:db8:1200::/48."""
    nibbles = origin.removesuffix(".ip6.arpa.").split(".")[::-1]
    return IPv6Network((int("".join(nibbles).ljust(32, "0"), 16), 4 * len(nibbles)))


def build_zones(plan: Plan, per_vlan_reverse: bool = False) -> tuple[Zone, ...]:
    """Every zone the plan needs, forward first, records in tree order."""
    dns = plan.site.dns
    domain = plan.origin
    nameservers = dns.nameservers or ((dns.primary,) if dns.primary else (f"ns1.{domain}",))
    primary = dns.primary or nameservers[0]
    contact = dns.contact or f"hostmaster.{domain}"
    records: dict[str, list[Record]] = defaultdict(list)
    forward = records[domain]
    v4_zones = _v4_zones(plan)
    v6_zones = _v6_zones(plan, per_vlan_reverse)
    v4_index, v6_index = _Index(v4_zones, 32), _Index(v6_zones, 128)
    published = [h for h in plan.interfaces if h.in_dns]
    for h in published:
        fqdn = f"{h.host.name}.{domain}"
        if h.interface.ipv4 is not None:
            forward.append(Record(fqdn, "A", str(h.interface.ipv4)))
            placed = _v4_owner(h.interface.ipv4, v4_index)
            if placed is not None:
                records[placed[0]].append(Record(placed[1], "PTR", fqdn))
        if h.ipv6 is not None:
            forward.append(Record(fqdn, "AAAA", compressed(h.ipv6)))
            zone = v6_index.zone(int(h.ipv6))
            if zone is not None:
                records[zone].append(Record(reverse_pointer(h.ipv6), "PTR", fqdn))
    named = {h.host.name: h.host for h in published}  # hosts with a name in DNS, once each
    forward += [
        Record(f"{alias}.{domain}", "CNAME", f"{host.name}.{domain}")
        for host in named.values()
        for alias in host.aliases
    ]

    def make(origin: str, kind: str, network: str | None) -> Zone:
        ns = [Record(origin, "NS", n) for n in nameservers]
        body = sorted(ns + records.get(origin, []), key=Record.sort_key)
        return Zone(
            origin, dns.ttl, primary, contact, tuple(nameservers), tuple(body), kind, network
        )

    return (
        make(domain, "forward", None),
        *(
            make(name, "reverse-v4", prefix_text(net))
            for name, net in sorted(v4_zones.items(), key=lambda item: item[1])
        ),
        *(make(name, "reverse-v6", prefix_text(net)) for name, net in v6_zones.items()),
    )
