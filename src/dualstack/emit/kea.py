"""``kea/kea-dhcp6.conf`` and ``kea/kea-dhcp-ddns.conf``: DHCPv6 for the plan, with DDNS.

Where Kea runs: on the router, bound to each DHCP VLAN's interface (the default), or, with
``[dhcp] server``, on a central server listening on ``server_interface/server`` and choosing
each relayed request's subnet by the relay's link address (router/ holds the relay lines).

Who writes which name (each name has exactly one writer, so no update is ever refused):

- **The kit owns every name it publishes.** A reserved NIC (``dhcpv6`` host with a
  reservation) has its AAAA and PTR in the kit's zone files, like every static, EUI-64 and
  stable host; a ``slaac+dhcpv6`` host's SLAAC address too. Kea must never send updates for
  these: the static records carry no DHCID, so Kea's RFC 4703 conflict resolution would be
  refused by the server (``'name not in use' prerequisite not satisfied (YXDOMAIN)``) on every
  lease, and a NIC kept out of DNS (``dns = false``: iSCSI, live migration...) must not appear
  at all.
- **Kea owns the names of pool clients**: they come and go, so kea-dhcp-ddns adds their AAAA,
  PTR and DHCID with conflict resolution on (``ddns-use-conflict-resolution``), which also
  keeps a pool client from taking over a name the kit (or another client) owns.

Kea 2.2 has no per-reservation or per-class DDNS switch, but DDNS parameters are per subnet
and follow the subnet a lease is allocated in. So a ``dhcpv6`` VLAN with both reservations and
a dynamic pool becomes a ``shared-network`` (named ``vlan<ID>-<name>``, on the VLAN's router
interface) of two subnets: the VLAN /64 holding the reservations, with ``ddns-send-updates:
false`` and no pool, and the pool /112 (``::d6:1:0/112``) with the pool and
``ddns-send-updates: true``. A VLAN with only a pool is one subnet, DDNS on; with only
reservations (or a stateless ``slaac+dhcpv6`` VLAN, which leases nothing) one subnet, DDNS
off. A VLAN without a router (its roles must not use DNS, see emit/radvd.py) never gets DDNS.
Subnet IDs: the /64 is the VLAN id; the pool /112 is ``POOL_SUBNET_BASE + VLAN id`` (VLAN 130
-> 100130), which no VLAN id (1..4094) can equal.

Options ``dns-servers`` and ``domain-search``: global, or, when a DHCPv6 VLAN has no router (a
closed segment, see emit/radvd.py) or says ``[vlan.ra] rdnss = false``, on each VLAN that
announces DNS only (Kea 2.2 cannot withhold a global option from one subnet); ``[vlan.dhcp]``
lease times become the VLAN's valid and preferred lifetimes. kea-dhcp6 hands name changes to
kea-dhcp-ddns on 127.0.0.1:53001, which updates the forward zone and the IPv6 reverse zone(s)
at the primary name server, signed with the kit's TSIG key (``dns/ddns.key``). JSON is written
by ``json.dumps``, so no site value can break out of a string.
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
POOL_SUBNET_BASE = 100_000  # subnet id of a VLAN's pool /112: this plus the VLAN id


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


def pool_subnet_id(vlan: VlanPlan) -> int:
    """The Kea subnet id of a VLAN's pool /112 when it shares a network with the VLAN /64."""
    return POOL_SUBNET_BASE + vlan.vlan.id


def _vlan_settings(plan: Plan, v: VlanPlan, options: list[dict[str, Any]] | None) -> dict[str, Any]:
    """What a VLAN's subnet or shared network says besides its addresses: the interface it
    is bound to (none for a central server), its own options, its lease times."""
    extra: dict[str, Any] = {} if plan.site.dhcp.central else {"interface": interface_name(v)}
    if options is not None:
        extra["option-data"] = options
    dhcp = v.vlan.dhcp
    if dhcp.valid_lifetime is not None and dhcp.preferred_lifetime is not None:
        extra |= {"valid-lifetime": dhcp.valid_lifetime}
        extra |= {"preferred-lifetime": dhcp.preferred_lifetime}
    return extra


def _vlan_entries(
    plan: Plan, v: VlanPlan, ddns: bool, options: list[dict[str, Any]] | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(plain subnets, shared networks) for one DHCP VLAN; ``options`` go on it when given."""
    assert v.ipv6 is not None
    reservations = _reservations(plan, v.vlan.id)
    extra = _vlan_settings(plan, v, options)
    static: dict[str, Any] = {
        "id": v.vlan.id,
        "subnet": prefix_text(v.ipv6),
        "pools": [],
        "reservations": reservations,
    }
    if v.pool is None or not reservations:  # one subnet for the VLAN
        subnet = static | {"pools": [{"pool": prefix_text(v.pool)}] if v.pool else []}
        if ddns:
            subnet["ddns-send-updates"] = v.pool is not None and v.routed
        return [{**subnet, **extra}], []
    dynamic: dict[str, Any] = {
        "id": pool_subnet_id(v),
        "subnet": prefix_text(v.pool),
        "pools": [{"pool": prefix_text(v.pool)}],
        "reservations": [],
    }
    if ddns:
        static["ddns-send-updates"] = False
        dynamic["ddns-send-updates"] = v.routed
    network = {
        "name": f"vlan{v.vlan.id}-{v.vlan.name}",
        **extra,
        "subnet6": [static, dynamic],
    }
    return [], [network]


def dhcp6_config(plan: Plan, ddns: bool) -> dict[str, Any]:
    domain = plan.site.info.domain.rstrip(".")
    vlans = [v for v in plan.vlans if v.ipv6 is not None and v.vlan.ipv6 in DHCP_MODES]
    options = [{"name": "domain-search", "data": domain}]
    servers = name_server_addresses(plan)
    if servers:
        options.insert(0, {"name": "dns-servers", "data": ", ".join(servers)})
    per_subnet = not all(v.announces_dns for v in vlans)
    subnets: list[dict[str, Any]] = []
    networks: list[dict[str, Any]] = []
    for v in vlans:
        own = options if per_subnet and v.announces_dns else None
        plain, shared = _vlan_entries(plan, v, ddns, own)
        subnets += plain
        networks += shared
    config: dict[str, Any] = {
        "interfaces-config": {"interfaces": _listen(plan, vlans)},
        "lease-database": {
            "type": "memfile",
            "persist": True,
            "name": "/var/lib/kea/kea-leases6.csv",
        },
        "option-data": [] if per_subnet else options,
    }
    if networks:
        config["shared-networks"] = networks
    config["subnet6"] = subnets
    if ddns:
        config |= {
            "ddns-send-updates": False,  # each subnet says; see the module docstring
            "ddns-use-conflict-resolution": True,
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
