"""``kea/kea-dhcp6.conf`` and ``kea/kea-dhcp-ddns.conf``: DHCPv6 for the plan, with DDNS.

Where Kea runs: on the router, bound to each DHCP VLAN's interface (the default), or, with
``[dhcp] server``, on a central server listening on ``server_interface/server`` and choosing
each relayed request's subnet by the relay's link address (router/ holds the relay lines).

A subnet for every ``dhcpv6`` VLAN (the dynamic pool ``::d6:1:0/112`` and the reservations
the planner made, by hardware address or by DUID when the site gives one) and every
``slaac+dhcpv6`` VLAN (stateless: options, and reservations if a host asks for one); options
``dns-servers`` and ``domain-search``: global, or, when a DHCPv6 VLAN has no router (a closed
segment whose roles must not use DNS, see emit/radvd.py) or says ``[vlan.ra] rdnss = false``,
on each subnet that announces DNS only (Kea 2.2 cannot withhold a global option from one
subnet). ``[vlan.dhcp]`` lease times become the subnet's valid and preferred lifetimes.
DDNS: kea-dhcp6 hands name changes to kea-dhcp-ddns on 127.0.0.1:53001, which updates the
forward zone and the IPv6 reverse zone(s) at the primary name server, signed with the kit's
TSIG key (``dns/ddns.key``). JSON is written by ``json.dumps``, so no site value can break out
of a string.
"""

from __future__ import annotations

import json
from typing import Any

from dualstack.addr.text import compressed
from dualstack.emit import KitInput, Secret, register
from dualstack.emit.radvd import interface_name, name_server_addresses
from dualstack.net._prefix import prefix_text
from dualstack.plan.model import Plan, VlanPlan

D2_PORT = 53001
DHCP_MODES = ("dhcpv6", "slaac+dhcpv6")


def _reservations(plan: Plan, vlan_id: int) -> list[dict[str, Any]]:
    out = []
    for h in plan.interfaces:
        if h.interface.vlan != vlan_id or h.interface.ipv6 != "dhcpv6" or h.ipv6 is None:
            continue
        ident = (
            {"duid": h.interface.duid} if h.interface.duid else {"hw-address": str(h.interface.mac)}
        )
        if h.interface.duid is None and h.interface.mac is None:
            continue  # nothing to match the client by; the plan shows the address anyway
        out.append({**ident, "hostname": h.host.name, "ip-addresses": [compressed(h.ipv6)]})
    return out


def _listen(plan: Plan, vlans: list[VlanPlan]) -> list[str]:
    """Kea's interfaces: each DHCP VLAN's on the router, or, for a central server, its one
    interface with the server address (``eth0/2001:db8::547``: relays send there by unicast;
    clients on the server's own link still reach it by multicast)."""
    dhcp = plan.site.dhcp
    if dhcp.server is not None and dhcp.server_interface is not None:
        return [f"{dhcp.server_interface}/{compressed(dhcp.server)}"]
    return sorted({interface_name(v) for v in vlans})


def dhcp6_config(plan: Plan, ddns: bool) -> dict[str, Any]:
    domain = plan.site.info.domain.rstrip(".")
    vlans = [v for v in plan.vlans if v.ipv6 is not None and v.vlan.ipv6 in DHCP_MODES]
    options = [{"name": "domain-search", "data": domain}]
    servers = name_server_addresses(plan)
    if servers:
        options.insert(0, {"name": "dns-servers", "data": ", ".join(servers)})
    per_subnet = not all(v.announces_dns for v in vlans)
    central = plan.site.dhcp.central
    subnets = []
    for v in vlans:
        assert v.ipv6 is not None
        subnet: dict[str, Any] = {
            "id": v.vlan.id,
            "subnet": prefix_text(v.ipv6),
            "pools": [{"pool": prefix_text(v.pool)}] if v.pool is not None else [],
            "reservations": _reservations(plan, v.vlan.id),
        }
        if not central:  # bound to the router's interface; relayed requests match by prefix
            subnet["interface"] = interface_name(v)
        if per_subnet and v.announces_dns:
            subnet["option-data"] = options
        dhcp = v.vlan.dhcp
        if dhcp.valid_lifetime is not None and dhcp.preferred_lifetime is not None:
            subnet["valid-lifetime"] = dhcp.valid_lifetime
            subnet["preferred-lifetime"] = dhcp.preferred_lifetime
        subnets.append(subnet)
    config: dict[str, Any] = {
        "interfaces-config": {"interfaces": _listen(plan, vlans)},
        "lease-database": {
            "type": "memfile",
            "persist": True,
            "name": "/var/lib/kea/kea-leases6.csv",
        },
        "option-data": [] if per_subnet else options,
        "subnet6": subnets,
    }
    if ddns:
        config |= {
            "ddns-send-updates": True,
            "ddns-qualifying-suffix": domain + ".",
            "ddns-replace-client-name": "when-not-present",
            "ddns-override-client-update": True,
            "dhcp-ddns": {"enable-updates": True, "server-ip": "127.0.0.1", "server-port": D2_PORT},
        }
    return {"Dhcp6": config}


def ddns_config(kit: KitInput, server: str) -> dict[str, Any]:
    plan = kit.plan
    key = {
        "name": kit.ddns_key.name.rstrip("."),
        "algorithm": "HMAC-SHA256",
        "secret": kit.ddns_key.secret,
    }
    target = [{"ip-address": server, "port": 53}]

    def domains(names: list[str]) -> dict[str, Any]:
        return {
            "ddns-domains": [
                {"name": n, "key-name": key["name"], "dns-servers": target} for n in names
            ]
        }

    forward = [plan.origin]
    reverse = [z.origin for z in kit.zones if z.kind == "reverse-v6"]
    return {
        "DhcpDdns": {
            "ip-address": "127.0.0.1",
            "port": D2_PORT,
            "tsig-keys": [key],
            "forward-ddns": domains(forward),
            "reverse-ddns": domains(reverse),
        }
    }


@register("kea")
def kea_files(kit: KitInput) -> dict[str, str]:
    plan = kit.plan
    if not any(v.ipv6 is not None and v.vlan.ipv6 in DHCP_MODES for v in plan.vlans):
        return {}
    servers = name_server_addresses(plan)
    ddns = plan.site.dns.ddns and bool(servers)
    files: dict[str, str] = {
        "kea/kea-dhcp6.conf": json.dumps(dhcp6_config(plan, ddns), indent=2) + "\n"
    }
    if ddns:
        files["kea/kea-dhcp-ddns.conf"] = Secret(
            json.dumps(ddns_config(kit, servers[0]), indent=2) + "\n"
        )
    return files
