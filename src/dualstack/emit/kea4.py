"""``kea/kea-dhcp4.conf``: DHCPv4 for the IPv6-mostly VLANs, with option 108.

A VLAN with ``ipv6_only_preferred`` hands out IPv4 as before (Windows, printers and older
Linux still ask) and adds option 108 "IPv6-only preferred" (RFC 8925) with the VLAN's
``v6only_wait``: a client that requests the option and can live without IPv4 takes no address
and waits that long before asking again. Kea sends an option only to clients that list it in
their parameter request list, as RFC 8925 requires.

Per VLAN: the subnet with its gateway (option ``routers``), the IPv4 addresses of the site's
name servers and its domain, reservations by MAC for the plan's hosts on the VLAN that have
both, and one pool: from the address after the highest one the plan uses on the VLAN (gateway,
hosts) to the last before the broadcast address, so no lease can take a planned address. Kea
runs on the router, bound to each VLAN's interface (subnet ids are the VLAN ids). JSON is
written by ``json.dumps``, so no site value can break out of a string.
"""

from __future__ import annotations

import json
from ipaddress import IPv4Address
from typing import Any

from dualstack.emit import KitInput, register
from dualstack.emit.radvd import interface_name, name_server_addresses
from dualstack.plan.model import Plan, VlanPlan


def pool(plan: Plan, v: VlanPlan) -> tuple[IPv4Address, IPv4Address] | None:
    """The VLAN's pool: after every planned address, up to the last usable one (None: no
    room left)."""
    net = v.vlan.ipv4
    used = [a for a in (v.vlan.gateway,) if a is not None]
    used += [
        n.interface.ipv4
        for n in plan.interfaces
        if n.interface.vlan == v.vlan.id and n.interface.ipv4 is not None
    ]
    first = max([int(a) for a in used], default=int(net.network_address)) + 1
    last = int(net.broadcast_address) - 1 if net.prefixlen < 31 else int(net.broadcast_address)
    return (IPv4Address(first), IPv4Address(last)) if first <= last else None


def _reservations(plan: Plan, v: VlanPlan) -> list[dict[str, Any]]:
    return [
        {
            "hw-address": str(n.interface.mac),
            "ip-address": str(n.interface.ipv4),
            "hostname": n.host.name,
        }
        for n in plan.interfaces
        if n.interface.vlan == v.vlan.id
        and n.interface.mac is not None
        and n.interface.ipv4 is not None
    ]


def _subnet(plan: Plan, v: VlanPlan) -> dict[str, Any]:
    options: list[dict[str, Any]] = [
        {"name": "v6-only-preferred", "data": str(v.vlan.v6only_wait)},
        {"name": "domain-name", "data": plan.site.info.domain.rstrip(".")},
    ]
    if v.vlan.gateway is not None:
        options.insert(0, {"name": "routers", "data": str(v.vlan.gateway)})
    servers = name_server_addresses(plan, version=4)
    if servers:
        options.insert(1, {"name": "domain-name-servers", "data": ", ".join(servers)})
    found = pool(plan, v)
    return {
        "id": v.vlan.id,
        "subnet": str(v.vlan.ipv4),
        "interface": interface_name(v),
        "pools": [] if found is None else [{"pool": f"{found[0]} - {found[1]}"}],
        "reservations": _reservations(plan, v),
        "option-data": options,
    }


def dhcp4_config(plan: Plan) -> dict[str, Any] | None:
    """Kea's DHCPv4 configuration for the IPv6-mostly VLANs (None: there are none)."""
    vlans = [v for v in plan.vlans if v.vlan.ipv6_only_preferred]
    if not vlans:
        return None
    return {
        "Dhcp4": {
            "interfaces-config": {"interfaces": sorted({interface_name(v) for v in vlans})},
            "lease-database": {
                "type": "memfile",
                "persist": True,
                "name": "/var/lib/kea/kea-leases4.csv",
            },
            "subnet4": [_subnet(plan, v) for v in vlans],
        }
    }


@register("kea4")
def kea4_files(kit: KitInput) -> dict[str, str]:
    config = dhcp4_config(kit.plan)
    if config is None:
        return {}
    return {"kea/kea-dhcp4.conf": json.dumps(config, indent=2) + "\n"}
