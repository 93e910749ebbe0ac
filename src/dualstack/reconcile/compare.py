"""The plan against observations: per planned NIC, whether its planned IPv6 address was seen,
which other addresses its MAC used (temporary addresses, a stable-privacy or random IID the
plan did not expect), and what DNS holds for it; the leases that went to unknown clients;
and the addresses in the site's prefixes that nothing in the plan accounts for."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, IPv6Network

from dualstack.addr.text import compressed
from dualstack.plan.model import Plan
from dualstack.reconcile.observed import Seen

RRSet = Mapping[tuple[str, str], frozenset[str]]


@dataclass(frozen=True, slots=True)
class HostRow:
    host: str
    nic: str
    planned: IPv6Address | None
    formed: bool | None  # None: nothing of this NIC was seen at all
    unplanned: tuple[IPv6Address, ...]
    dns_missing: tuple[str, ...]  # records the plan publishes that DNS lacks
    dns_stale: tuple[str, ...]  # AAAA records at the name that the plan does not give
    # DHCPv4 leases to the NIC's MAC at another address than its planned IPv4
    ipv4_elsewhere: tuple[IPv4Address, ...] = ()

    @property
    def ok(self) -> bool:
        return (
            self.formed is not False
            and not self.unplanned
            and not (self.dns_missing or self.dns_stale)
            and not self.ipv4_elsewhere
        )


@dataclass(frozen=True, slots=True)
class Report:
    rows: tuple[HostRow, ...]
    unknown_leases: tuple[Seen, ...]
    # seen inside the site's prefixes, neither planned nor used by a planned MAC, nor leased
    # to an unknown client (reported there): a host the plan lacks, or a random IID in a log
    unattributed: tuple[Seen, ...] = ()

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows) and not self.unknown_leases and not self.unattributed


def site_prefixes(plan: Plan) -> tuple[IPv6Network, ...]:
    """The site's global prefix and ULA prefix: where an address seen belongs to the site."""
    return tuple(p for p in (plan.site.info.ipv6_prefix, plan.site.info.ula_prefix) if p)


def reconcile(
    plan: Plan,
    seen: Iterable[Seen],
    dns: RRSet | None = None,
    leases4: Iterable[tuple[IPv4Address, str]] = (),
) -> Report:
    """Each planned NIC against what was seen (``seen``: neighbour entries and leases) and,
    when ``dns`` (a transfer of the forward zone) is given, what DNS holds; ``leases4``:
    live DHCPv4 leases as (address, MAC), which show a NIC holding another IPv4 address."""
    observations = list(seen)
    v4_by_mac: dict[str, set[IPv4Address]] = {}
    for address, leased_to in leases4:
        v4_by_mac.setdefault(leased_to, set()).add(address)
    by_mac: dict[str, set[IPv6Address]] = {}
    addresses = {o.address for o in observations}
    for o in observations:
        if o.mac is not None and not o.address.is_link_local:
            by_mac.setdefault(o.mac, set()).add(o.address)
    rows: list[HostRow] = []
    known_duids = {str(n.interface.duid).lower() for n in plan.interfaces if n.interface.duid}
    known_macs = {str(n.interface.mac) for n in plan.interfaces if n.interface.mac}
    for n in plan.interfaces:
        if n.ipv6 is None and n.ula is None:
            continue
        planned = {a for a in (n.ipv6, n.ula) if a is not None}
        mac = str(n.interface.mac) if n.interface.mac else None
        used = by_mac.get(mac, set()) if mac else set()
        formed: bool | None
        if planned & addresses:
            formed = True
        elif used:
            formed = False
        else:
            formed = None
        unplanned = tuple(sorted(used - planned))
        missing: list[str] = []
        stale: list[str] = []
        if dns is not None and n.in_dns and n.ipv6 is not None:
            name = plan.fqdn(n.host.name)
            held = dns.get((name, "AAAA"), frozenset())
            if compressed(n.ipv6) not in held:
                missing.append(f"{name} AAAA {compressed(n.ipv6)}")
            wanted = {compressed(a) for a in planned}
            stale += [f"{name} AAAA {v}" for v in sorted(held - wanted)]
        elsewhere = v4_by_mac.get(mac, set()) - {n.interface.ipv4} if mac else set()
        rows.append(
            HostRow(
                n.host.name,
                n.interface.name or n.host.name,
                n.ipv6,
                formed,
                unplanned,
                tuple(missing),
                tuple(stale),
                tuple(sorted(elsewhere)),
            )
        )
    unknown = tuple(
        o
        for o in observations
        if o.duid is not None
        and o.duid not in known_duids
        and (o.mac is None or o.mac not in known_macs)
    )
    planned_all = {a for n in plan.interfaces for a in (n.ipv6, n.ula) if a is not None}
    planned_all |= {v.gateway6 for v in plan.vlans if v.gateway6 is not None}
    pools = [v.pool for v in plan.vlans if v.pool is not None]
    within = site_prefixes(plan)
    leased = {o.address for o in unknown}
    stray: dict[IPv6Address, Seen] = {}
    for o in observations:
        if (
            o.address not in planned_all
            and o.address not in leased
            and (o.mac is None or o.mac not in known_macs)
            and any(o.address in net for net in within)
            and not any(o.address in pool for pool in pools)
        ):
            stray.setdefault(o.address, o)
    return Report(tuple(rows), unknown, tuple(stray[a] for a in sorted(stray)))
