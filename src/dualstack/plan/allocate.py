"""The planner: one /64 per VLAN from the site prefix, and every host's IPv6 address.

Rules (each is deterministic, so a plan is reproducible and reviewable):

- Subnet ID of a VLAN (the bits between the site prefix and /64), by ``subnet_scheme``:
  ``vlan``: the VLAN id's decimal digits read as hex (VLAN 120 -> ``:120:``); ``ipv4``: the
  low bits of the IPv4 subnet's second and third octets (10.1.20.0/24 -> ``:114:`` under a
  /48); ``sequential``: the lowest free ID in VLAN-id order, keeping every ID a previous plan
  gave. An explicit ``ipv6_subnet`` wins. ``vlan`` and ``ipv4`` depend on nothing but the VLAN
  itself, so adding entries never renumbers others; ``sequential`` is stable given the previous
  plan (the kit keeps it in plan.json). The ULA /64 uses the same subnet ID.
- Host interface IDs: ``static``: ``ipv6_address`` if given, else the IPv4 host part, one octet
  per 16-bit group, decimal digits read as hex (10.1.10.53 in a /24 -> ``::53``; 10.1.130.7 in
  a /20 -> ``::130:7``); ``eui64``: modified EUI-64 of the MAC; ``stable``: RFC 7217 as Linux
  forms it, from the MAC and stable_secret; ``dhcpv6``: a reservation ``::d6:<IPv4 host offset
  in hex>`` in the VLAN's reservation range ``::d6:0/112`` (dynamic leases come from
  ``::d6:1:0/112``; neither range can meet a static ID, whose groups hold decimal digits only).
- The router's address on a VLAN is its ``gateway6``, else the static rule applied to the IPv4
  gateway. A VLAN with neither (live migration, cluster, storage) has no router: ``gateway6``
  is None, no address is invented or reserved for one, and no emitter gives its hosts an IPv6
  default route. ``gateway6`` must lie in the VLAN's /64 (or its ULA /64) and must not be the
  Subnet-Router anycast address (IID 0, RFC 4291 2.6.1: every router on the link answers it,
  so it names no one router and Linux answers it only while forwarding), an RFC 2526 reserved
  anycast IID, or inside the DHCPv6 ranges (a lease or reservation would take it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

from dualstack.addr.slaac import eui64_address, stable_address
from dualstack.findings import Finding
from dualstack.plan import rules
from dualstack.plan.model import Host, Interface, InterfacePlan, Plan, Site, Vlan, VlanPlan
from dualstack.plan.reverse import reverse_map

RESERVATION_ID = 0xD6_0000  # ::d6:0/112
POOL_ID = 0xD6_0001_0000  # ::d6:1:0/112
RESERVED_ANYCAST = range(0xFDFF_FFFF_FFFF_FF80, 0xFE00_0000_0000_0000)  # RFC 2526 (EUI-64 IIDs)
IID_MASK = (1 << 64) - 1


def static_interface_id(ipv4: IPv4Address, network: IPv4Network) -> int:
    """The IPv4 host part as an IID: each octet the mask does not fully cover, in decimal
    digits read as hex, one per 16-bit group (10.1.130.7 in a /20 -> 0x130_0007)."""
    octets = str(ipv4).split(".")
    first = network.prefixlen // 8  # octets fully inside the network part
    value = 0
    for octet in octets[first:]:
        value = value << 16 | int(octet, 16)
    return value


def _subnet(prefix: IPv6Network, subnet_id: int) -> IPv6Network:
    return IPv6Network((int(prefix.network_address) | subnet_id << 64, 64))


def _scheme_id(site: Site, vlan: Vlan) -> tuple[int | None, str | None]:
    """(subnet ID, None) or (None, why the scheme cannot encode this VLAN)."""
    bits = 64 - site.info.ipv6_prefix.prefixlen
    scheme = site.info.subnet_scheme
    if scheme == "vlan":
        wanted = int(str(vlan.id), 16)
        if wanted >> bits:
            return None, (
                f"VLAN id {vlan.id} needs {wanted.bit_length()} bits as :{wanted:x}:, "
                f"but {site.info.ipv6_prefix.with_prefixlen} leaves {bits}"
            )
        return wanted, None
    if scheme == "ipv4":
        octets = int(vlan.ipv4.network_address) >> 8 & 0xFFFF
        return octets & ((1 << bits) - 1), None
    raise AssertionError(scheme)


def _allocate_subnets(
    site: Site, previous: Mapping[int, int], findings: list[Finding]
) -> dict[int, int]:
    """VLAN id -> subnet ID for every VLAN with IPv6; problems become findings."""
    prefix = site.info.ipv6_prefix
    bits = 64 - prefix.prefixlen
    ids: dict[int, int] = {}
    owners: dict[int, Vlan] = {}
    pending: list[Vlan] = []
    for vlan in sorted(site.vlans, key=lambda v: v.id):
        if vlan.ipv6 == "none":
            continue
        if vlan.ipv6_subnet is not None:
            inside = [
                p for p in (prefix, site.info.ula_prefix) if p and vlan.ipv6_subnet.subnet_of(p)
            ]
            if not inside:
                findings.append(
                    rules.VLAN_SUBNET_OUTSIDE(
                        vlan.label,
                        f"ipv6_subnet {vlan.ipv6_subnet} is outside the site "
                        f"prefix {prefix.with_prefixlen}",
                    )
                )
                continue
            wanted: int | None = (
                int(vlan.ipv6_subnet.network_address) - int(inside[0].network_address)
            ) >> 64
        elif site.info.subnet_scheme == "sequential":
            wanted = previous.get(vlan.id)
            if wanted is None:
                pending.append(vlan)
                continue
        else:
            wanted, why = _scheme_id(site, vlan)
            if wanted is None:
                findings.append(
                    rules.VLAN_UNENCODABLE(
                        vlan.label,
                        f"subnet_scheme {site.info.subnet_scheme!r} cannot encode it: {why}",
                        fix="set ipv6_subnet on this VLAN, or use a shorter site prefix",
                    )
                )
                continue
        assert wanted is not None  # every branch above either set it or continued
        if wanted in owners:
            findings.append(
                rules.VLAN_SUBNET_COLLISION(
                    vlan.label,
                    f"its /64 {_subnet(prefix, wanted)} is already {owners[wanted].label}'s",
                    fix="set ipv6_subnet explicitly",
                )
            )
            continue
        ids[vlan.id], owners[wanted] = wanted, vlan
    free = (i for i in range(1 << bits) if i not in owners)
    for vlan in pending:
        wanted = next(free, None)
        if wanted is None:
            findings.append(
                rules.PREFIX_TOO_SMALL(
                    vlan.label,
                    f"{prefix.with_prefixlen} has no free /64 left",
                    fix="ask for a shorter prefix",
                )
            )
            continue
        ids[vlan.id], owners[wanted] = wanted, vlan
    return ids


def router_address(vlan: Vlan, ipv6: IPv6Network) -> IPv6Address | None:
    """The VLAN's IPv6 router: ``gateway6``, else the static rule applied to the IPv4 gateway,
    else None: a VLAN without a router gets no default route, so none is invented."""
    if vlan.gateway6 is not None:
        return vlan.gateway6
    if vlan.gateway is not None:
        iid = static_interface_id(vlan.gateway, vlan.ipv4)
        return IPv6Address(int(ipv6.network_address) | iid)
    return None


def gateway6_problem(plan: VlanPlan) -> Finding | None:
    """Why the site's ``gateway6`` cannot be this VLAN's router, or None when it can (or
    when none was given)."""
    wanted, label = plan.vlan.gateway6, plan.vlan.label
    if wanted is None:
        return None
    if plan.ipv6 is None:  # ipv6 = "none", or a /64 the allocator already reported
        if plan.vlan.ipv6 != "none":
            return None
        return rules.VLAN_GATEWAY6_OUTSIDE(
            label, f'gateway6 {wanted} given but the VLAN has ipv6 = "none"'
        )
    homes = [n for n in (plan.ipv6, plan.ula) if n is not None and wanted in n]
    if not homes:
        where = " or ".join(str(n) for n in (plan.ipv6, plan.ula) if n is not None)
        return rules.VLAN_GATEWAY6_OUTSIDE(
            label,
            f"gateway6 {wanted} is outside its /64 {where}",
            fix="give the router's global or ULA address in this VLAN's /64 (hosts learn its "
            "link-local address from router advertisements)",
        )
    iid = int(wanted) & IID_MASK
    if iid == 0 or iid in RESERVED_ANYCAST:
        kind = "Subnet-Router anycast (RFC 4291 2.6.1)" if iid == 0 else "reserved anycast"
        return rules.VLAN_GATEWAY6_RESERVED(
            label,
            f"gateway6 {wanted} is the {kind} address: it names no one router",
            fix="give the router's own unicast address, e.g. ::1 of the /64",
        )
    for kind, rng in (("reservation", plan.reservations), ("pool", plan.pool)):
        if rng is not None and IPv6Address(int(rng.network_address) & ~IID_MASK | iid) in rng:
            return rules.VLAN_GATEWAY6_RESERVED(
                label, f"gateway6 {wanted} is inside the DHCPv6 {kind} range {rng}"
            )
    return None


def _vlan_plan(site: Site, vlan: Vlan, subnet_id: int | None) -> VlanPlan:
    if subnet_id is None:
        return VlanPlan(vlan, None, None, None, None, None, None)
    ipv6 = _subnet(site.info.ipv6_prefix, subnet_id)
    ula = _subnet(site.info.ula_prefix, subnet_id) if site.info.ula_prefix and vlan.ula else None
    base = int(ipv6.network_address)
    dhcp = vlan.ipv6 in ("dhcpv6", "slaac+dhcpv6")
    return VlanPlan(
        vlan,
        subnet_id,
        ipv6,
        ula,
        router_address(vlan, ipv6),
        IPv6Network((base | RESERVATION_ID, 112)) if dhcp else None,
        IPv6Network((base | POOL_ID, 112)) if dhcp and vlan.ipv6 == "dhcpv6" else None,
    )


def _interface_id(host: Interface, vlan: VlanPlan, prefix: IPv6Network) -> tuple[int, str]:
    """(IID within ``prefix``, how it was derived) for a NIC whose mode gives it IPv6."""
    if host.ipv6_address is not None:
        return int(host.ipv6_address) & ((1 << 64) - 1), "ipv6_address from the site file"
    if host.ipv6 == "static":
        assert host.ipv4 is not None
        return static_interface_id(host.ipv4, vlan.vlan.ipv4), "static: IPv4 host part"
    if host.ipv6 == "eui64":
        assert host.mac is not None
        return int(eui64_address(prefix, host.mac)) & ((1 << 64) - 1), "SLAAC modified EUI-64"
    if host.ipv6 == "stable":
        assert host.mac is not None
        assert host.stable_secret is not None
        address = stable_address(prefix, host.stable_secret, host.mac)
        return int(address) & ((1 << 64) - 1), "SLAAC RFC 7217 stable privacy (Linux)"
    assert host.ipv4 is not None
    offset = int(host.ipv4) - int(vlan.vlan.ipv4.network_address)
    return RESERVATION_ID | offset, "DHCPv6 reservation: IPv4 host offset"


def _interface_plan(
    device: Host, host: Interface, vlan: VlanPlan, findings: list[Finding]
) -> InterfacePlan | None:
    """The addresses of one NIC (``host``: the interface, named so for the rules it carries
    over from the one-NIC model), or None with a finding when they cannot be placed."""
    if host.ipv6 == "none" or vlan.ipv6 is None:
        return InterfacePlan(device, host, vlan, None, None, "no IPv6")
    if host.ipv6 == "slaac":
        return InterfacePlan(device, host, vlan, None, None, "SLAAC by the OS: not predictable")
    if host.ipv6 == "dhcpv6" and host.ipv6_address is None:
        assert host.ipv4 is not None
        if int(host.ipv4) - int(vlan.vlan.ipv4.network_address) > 0xFFFF:
            findings.append(
                rules.HOST_RESERVATION_RANGE(
                    host.label,
                    "its IPv4 host offset does not fit the 16-bit reservation range",
                    fix="give ipv6_address explicitly",
                )
            )
            return None
    if (
        host.ipv6_address is not None
        and host.ipv6_address not in vlan.ipv6
        and (vlan.ula is None or host.ipv6_address not in vlan.ula)
    ):
        findings.append(
            rules.HOST_OUTSIDE_VLAN(
                host.label,
                f"ipv6_address {host.ipv6_address} is outside {vlan.vlan.label}'s {vlan.ipv6}",
            )
        )
        return None
    iid, how = _interface_id(host, vlan, vlan.ipv6)
    ipv6 = IPv6Address(int(vlan.ipv6.network_address) | iid)
    ula = None
    # A ULA is listed only where something configures it: the RA's ULA prefix for SLAAC, the
    # host's own config for static addresses. The DHCPv6 server hands out the global address
    # only (its subnet is the global /64), so a reserved NIC gets no ULA in the plan.
    if vlan.ula is not None and host.ipv6 != "dhcpv6":
        ula_iid = _interface_id(host, vlan, vlan.ula)[0] if host.ipv6 == "stable" else iid
        ula = IPv6Address(int(vlan.ula.network_address) | ula_iid)
    return InterfacePlan(device, host, vlan, ipv6, ula, how)


def plan_site(
    site: Site, previous: Mapping[int, int] | None = None
) -> tuple[Plan, tuple[Finding, ...]]:
    """Plan ``site``; ``previous`` maps VLAN id -> subnet ID from an earlier plan (sequential).

    Returns the plan of everything that could be placed and the problems found placing it.
    """
    findings: list[Finding] = []
    ids = _allocate_subnets(site, previous or {}, findings)
    vlans = {v.id: _vlan_plan(site, v, ids.get(v.id)) for v in site.vlans}
    for vid, vlan_plan in vlans.items():
        problem = gateway6_problem(vlan_plan)
        if problem is not None:
            findings.append(problem)
            vlans[vid] = replace(vlan_plan, gateway6=None)
    planned: list[InterfacePlan] = []
    taken: dict[IPv6Address, str] = {}
    for vlan_plan in vlans.values():
        if vlan_plan.gateway6 is not None:
            taken[vlan_plan.gateway6] = f"{vlan_plan.vlan.label}'s router"
    for host in site.hosts:
        for nic in host.interfaces:
            placed = _interface_plan(host, nic, vlans[nic.vlan], findings)
            if placed is None:
                continue
            clash = taken.get(placed.ipv6) if placed.ipv6 is not None else None
            if clash is not None and placed.ipv6 is not None:
                findings.append(
                    rules.HOST_DUPLICATE_ADDRESS(nic.label, f"IPv6 {placed.ipv6} is also {clash}")
                )
                continue
            if placed.ipv6 is not None:
                taken[placed.ipv6] = nic.label
            planned.append(placed)
    ordered = tuple(sorted(vlans.values(), key=lambda v: v.vlan.id))
    six, four = _name_servers(site, planned)
    server_vlan = _dhcp_server_vlan(site, ordered, findings)
    plan = Plan(
        site,
        ordered,
        tuple(planned),
        reverse_map(site, ordered),
        name_servers6=six,
        name_servers4=four,
        dhcp_server_vlan=server_vlan,
    )
    return plan, tuple(findings)


def _dhcp_server_vlan(
    site: Site, vlans: tuple[VlanPlan, ...], findings: list[Finding]
) -> VlanPlan | None:
    """The VLAN holding the central DHCPv6 server: the relays' upstream side. A server in
    none of them is an error, since a Linux relay must name the interface leading to it."""
    server = site.dhcp.server
    if server is None:
        return None
    for v in vlans:
        if v.ipv6 is not None and server in v.ipv6:
            return v
    findings.append(
        rules.DHCP_SERVER_OUTSIDE(
            "[dhcp]",
            f"server {server} is in none of the site's VLAN /64s: the relays' upstream "
            "interface cannot be known",
            fix="give the server an address in the VLAN it is connected to (e.g. ::547)",
        )
    )
    return None


def _name_servers(
    site: Site, planned: list[InterfacePlan]
) -> tuple[tuple[IPv6Address, ...], tuple[IPv4Address, ...]]:
    """The addresses of the [dns] name servers that are hosts of the site, in [dns] order:
    what RAs (RDNSS), DHCPv6 and the hosts' own configs point clients at. Only NICs in DNS
    count: a storage or cluster NIC answers for no name."""
    domain = site.info.domain.rstrip(".") + "."
    six: dict[str, IPv6Address] = {}
    four: dict[str, IPv4Address] = {}
    for nic in planned:
        if not nic.in_dns:
            continue
        for name in (nic.host.name, *nic.host.aliases):
            if nic.ipv6 is not None:
                six[f"{name}.{domain}"] = nic.ipv6
            if nic.interface.ipv4 is not None:
                four[f"{name}.{domain}"] = nic.interface.ipv4
    servers = site.dns.nameservers
    return tuple(six[n] for n in servers if n in six), tuple(four[n] for n in servers if n in four)
