"""What RFC 6724 address selection will do on each VLAN of the plan: for a name with both A
and AAAA records, which family a host tries first and from which of its addresses, on Linux
(glibc) and on Windows, towards the internet and towards an internal service published with a
ULA AAAA record. The kit's plan.md shows it and warns where the outcome is not what a plan
would assume (:func:`surprises`).

A host of the VLAN is modelled with an address from each of its prefixes (the global /64, the
ULA /64 when it has one, its IPv4 subnet); the internet is a global IPv6 address outside the
site and a public IPv4 address; the internal service a ULA address in another /64 of the
site's ULA prefix and an IPv4 address of the site. ``dualstack select`` explains any case in
full.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, IPv6Network

from dualstack.plan.model import Plan, VlanPlan
from dualstack.selection import GLIBC, WINDOWS, HostAddress, Policy, Target, select
from dualstack.selection.rules import Decision

INTERNET_V4 = IPv4Address("192.0.2.1")  # RFC 5737: stands for any public IPv4 address
_FAR = (IPv6Address("2001:db8:ffff:ffff::1"), IPv6Address("2001:db8:fffe:ffff::1"))
POLICIES = (("Linux", GLIBC), ("Windows", WINDOWS))


@dataclass(frozen=True, slots=True)
class Outcome:
    """The destination tried first and its source; ``decision`` is why it beat the other."""

    destination: IPv4Address | IPv6Address
    source: IPv4Address | IPv6Address | None
    kind: str  # "global IPv6", "ULA", "IPv4"
    decision: Decision | None


@dataclass(frozen=True, slots=True)
class Outlook:
    """One VLAN's outcomes: (system, towards) -> outcome; towards "internet" or "ula"."""

    vlan: VlanPlan
    outcomes: dict[tuple[str, str], Outcome]


def _kind(plan: Plan, address: IPv4Address | IPv6Address | None) -> str:
    if address is None:
        return "none"
    if address.version == 4:
        return "IPv4"
    ula = plan.site.info.ula_prefix
    return "ULA" if ula is not None and address in ula else "global IPv6"


def vlan_host(v: VlanPlan) -> list[HostAddress]:
    """A host of the VLAN: an address from each of its prefixes."""
    host = []
    if v.ipv6 is not None:
        host.append(HostAddress(v.ipv6[0x100], v.ipv6.prefixlen))
    if v.ula is not None:
        host.append(HostAddress(v.ula[0x100], v.ula.prefixlen))
    net4 = v.vlan.ipv4
    if net4.num_addresses > 2:
        host.append(HostAddress(net4[min(100, net4.num_addresses - 2)], net4.prefixlen))
    return host


def _internet(plan: Plan, v: VlanPlan) -> list[Target]:
    """The internet as the VLAN can reach it: IPv6 only with a router, IPv4 only with a
    gateway."""
    site = plan.site.info.ipv6_prefix
    far = next(a for a in _FAR if a not in site)
    return [
        *([Target(far)] if v.routed else []),
        *([Target(INTERNET_V4)] if v.vlan.gateway is not None else []),
    ]


def ula_service(plan: Plan, v: VlanPlan) -> list[Target] | None:
    """An internal service with a ULA AAAA and an A record, as far as the VLAN reaches it
    (None: the site has no ULA prefix)."""
    ula = plan.site.info.ula_prefix
    if ula is None:
        return None
    services = IPv6Network((int(ula.network_address) | 0xFFFF << 64, 64))  # a /64 of its own
    v4 = next((x.vlan.gateway for x in plan.vlans if x.vlan.gateway is not None), None)
    return [
        *([Target(services[0x53])] if v.routed else []),
        *([Target(v4)] if v4 is not None and v.vlan.gateway is not None else []),
    ]


def _first(plan: Plan, targets: list[Target], host: list[HostAddress], policy: Policy) -> Outcome:
    chosen = select(targets, host, policy).destinations[0]
    d = chosen.destination
    source = None if d.source is None else d.source.address
    return Outcome(d.address, source, _kind(plan, d.address), chosen.before_next)


def outlook(plan: Plan) -> list[Outlook]:
    """The outcomes for every VLAN with IPv6 (a destination the VLAN has no route to, IPv6
    without a router or IPv4 without a gateway, is left out; with none left, no outcome)."""
    out = []
    for v in plan.vlans:
        if v.ipv6 is None:
            continue
        host = vlan_host(v)
        outcomes = {}
        internet = _internet(plan, v)
        for system, policy in POLICIES:
            if internet:
                outcomes[(system, "internet")] = _first(plan, internet, host, policy)
            service = ula_service(plan, v)
            if service:
                outcomes[(system, "ula")] = _first(plan, service, host, policy)
        out.append(Outlook(v, outcomes))
    return out


def surprises(plan: Plan, views: list[Outlook]) -> list[str]:
    """Outcomes a plan would not assume, each with the VLANs it holds on, the rule behind it
    and, where one exists, the fix."""
    found: dict[str, list[str]] = {}
    for view in views:
        vlan = f"{view.vlan.vlan.id} ({view.vlan.vlan.name})"
        for system, _ in POLICIES:
            internet = view.outcomes.get((system, "internet"))
            if internet is not None and internet.kind == "IPv4" and view.vlan.routed:
                key = f"{system} hosts reach the internet over IPv4 first{_why(internet)}"
                found.setdefault(key, []).append(vlan)
            service = view.outcomes.get((system, "ula"))
            if service is not None and service.kind != "ULA":
                key = (
                    f"{system} hosts reach a service published with a ULA AAAA record over "
                    f"{service.kind} first{_why(service)}{_fix(plan, view.vlan, system)}"
                )
                found.setdefault(key, []).append(vlan)
    return [f"VLANs {', '.join(vlans)}: {key}" for key, vlans in found.items()]


def _fix(plan: Plan, v: VlanPlan, system: str) -> str:
    ula = plan.site.info.ula_prefix
    if ula is None:
        return ""
    if v.ula is None:
        return " The VLAN has no ULA /64 (ula = false): its hosts have no ULA source address."
    if system != "Windows":
        return ""
    return (
        f" To prefer the ULA, give the site's ULA prefix a precedence above IPv4's 35 and the "
        f"ULA label 13 on the hosts: `netsh interface ipv6 add prefixpolicy {ula} 45 13`; or "
        "publish the services' global AAAA records as well."
    )


def _why(outcome: Outcome) -> str:
    d = outcome.decision
    if d is None:
        return "."
    return f" (RFC 6724 destination rule {d.rule}, {d.name}: {d.detail})."
