"""Zones from a plan: the forward zone (A, AAAA, CNAME) and both reverse trees (PTR).

Which reverse zones exist is the plan's fact (``Plan.reverse``, laid out by
:mod:`dualstack.plan.reverse`): a /24 holds its PTRs at their ordinary names, an RFC 2317
classless zone (a VLAN longer than /24 whose /24 is someone else's) holds them under its own
name, and :func:`delegations` gives the records the parent's owner must add for it. ULA
addresses are kept out of DNS (they are internal; publish them in an internal view if wanted).
"""

from __future__ import annotations

from collections import defaultdict

from dualstack.addr.text import compressed
from dualstack.net._prefix import prefix_text
from dualstack.plan.model import Plan, ReverseMap, ReverseZone
from dualstack.plan.reverse import reverse_map
from dualstack.zones.model import Record, Zone


def nameservers(plan: Plan) -> tuple[str, ...]:
    """The NS names of every zone the kit serves: ``[dns] nameservers``, else the primary,
    else ``ns1.<domain>``."""
    dns = plan.site.dns
    return dns.nameservers or ((dns.primary,) if dns.primary else (f"ns1.{plan.origin}",))


def _layout(plan: Plan, per_vlan_reverse: bool | None) -> ReverseMap:
    if per_vlan_reverse is None or per_vlan_reverse == (plan.site.dns.reverse_zones == "vlan"):
        return plan.reverse
    return reverse_map(plan.site, plan.vlans, "vlan" if per_vlan_reverse else "site")


def build_zones(plan: Plan, per_vlan_reverse: bool | None = None) -> tuple[Zone, ...]:
    """Every zone the plan needs, forward first, records in tree order. The reverse zones are
    the plan's (``per_vlan_reverse`` overrides ``[dns] reverse_zones`` for the ip6.arpa ones)."""
    dns = plan.site.dns
    domain = plan.origin
    servers = nameservers(plan)
    primary = dns.primary or servers[0]
    contact = dns.contact or f"hostmaster.{domain}"
    layout = _layout(plan, per_vlan_reverse)
    records: dict[str, list[Record]] = defaultdict(list)
    forward = records[domain]
    published = [h for h in plan.interfaces if h.in_dns]
    for h in published:
        fqdn = plan.fqdn(h.host.name)
        for address, rtype in ((h.interface.ipv4, "A"), (h.ipv6, "AAAA")):
            if address is None:
                continue
            forward.append(Record(fqdn, rtype, compressed(address)))
            zone = layout.zone(address)
            if zone is not None:
                records[zone.origin].append(Record(zone.owner(address), "PTR", fqdn))
    named = {h.host.name: h.host for h in published}  # hosts with a name in DNS, once each
    forward += [
        Record(plan.fqdn(alias), "CNAME", plan.fqdn(host.name))
        for host in named.values()
        for alias in host.aliases
    ]

    def make(origin: str, kind: str, network: str | None, classless: bool = False) -> Zone:
        ns = [Record(origin, "NS", n) for n in servers]
        body = sorted(ns + records.get(origin, []), key=Record.sort_key)
        return Zone(
            origin, dns.ttl, primary, contact, servers, tuple(body), kind, network, classless
        )

    return (
        make(domain, "forward", None),
        *(make(z.origin, "reverse-v4", prefix_text(z.network), z.classless) for z in layout.v4),
        *(make(z.origin, "reverse-v6", prefix_text(z.network)) for z in layout.v6),
    )


def delegation_records(plan: Plan, zone: ReverseZone) -> tuple[Record, ...]:
    """What the owner of ``zone.parent`` must add so that the classless ``zone`` resolves
    (RFC 2317 section 4): NS records for the child's name, and one CNAME per address of the
    block, ``d.<parent>`` -> ``d.<child>``. Every address, not only today's hosts, so the
    site can add a host without asking the parent's owner again."""
    if zone.parent is None:
        return ()
    ns = [Record(zone.origin, "NS", n) for n in nameservers(plan)]
    cnames = [
        Record(f"{int(a) & 0xFF}.{zone.parent}", "CNAME", zone.owner(a))
        for a in (zone.network.network_address + i for i in range(zone.network.num_addresses))
    ]
    return (*ns, *cnames)


def delegations(plan: Plan) -> dict[str, tuple[Record, ...]]:
    """Parent /24 zone -> every record its owner must add for the plan's classless zones in
    it (NS first, then CNAMEs in address order); empty when the site holds all its /24s."""
    found: dict[str, list[Record]] = defaultdict(list)
    for zone in plan.reverse.delegated:
        assert zone.parent is not None
        found[zone.parent] += delegation_records(plan, zone)
    return {parent: _ordered(rs) for parent, rs in sorted(found.items())}


def _ordered(records: list[Record]) -> tuple[Record, ...]:
    ns = [r for r in records if r.rtype == "NS"]
    cnames = sorted((r for r in records if r.rtype == "CNAME"), key=lambda r: _octet(r.owner))
    return (*ns, *cnames)


def _octet(owner: str) -> int:
    return int(owner.split(".", 1)[0])


__all__ = ["build_zones", "delegation_records", "delegations", "nameservers"]
