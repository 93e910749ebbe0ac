"""The one JSON shape behind every ``--json`` output and every web page's data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dualstack.addr import text
from dualstack.addr.inspect import Inspection
from dualstack.addr.vendor import data_date

if TYPE_CHECKING:
    from dualstack.plan.model import Plan


def _str(value: object | None) -> str | None:
    return None if value is None else str(value)


def inspection(ins: Inspection) -> dict[str, Any]:
    """The JSON object for one inspected input (the ``dualstack inspect --json`` contract)."""
    out: dict[str, Any] = {"input": ins.input, "kind": ins.kind}
    if ins.mac is not None:
        m = ins.mac
        out.update(
            address=_str(m.mac) if m.mac is not None else str(m.eui64),
            mac=_str(m.mac),
            eui64=str(m.eui64),
            vendor=m.vendor,
            vendor_registry=m.vendor_registry,
            vendor_date=data_date(),
            local=m.mac.is_local if m.mac is not None else None,
            multicast=m.mac.is_multicast if m.mac is not None else None,
            interface_id=":".join(
                f"{m.eui64.interface_id >> n & 0xFFFF:x}" for n in (48, 32, 16, 0)
            ),
            link_local=text.compressed(m.link_local),
            anonymized=_str(m.anonymized),
        )
        return out
    a = ins.address
    assert a is not None
    out.update(
        address=text.compressed(a),
        exploded=text.exploded(a),
        prefixlen=ins.prefixlen,
        network=ins.network.with_prefixlen if ins.network is not None else None,
        zone=ins.zone,
        port=ins.port,
        types=list(ins.types),
        scope=ins.scope,
        registry=ins.registry.as_dict() if ins.registry is not None else None,
        embedded_ipv4=[
            {"role": e.role, "ipv4": str(e.ipv4)}
            | ({"prefix": e.prefix.with_prefixlen} if e.prefix is not None else {})
            for e in ins.embedded_ipv4
        ],
        teredo=None,
        iid=None,
        multicast=None,
        reverse_pointer=text.reverse_pointer(a),
        uri=text.uri_literal(a, ins.zone),
        integer=text.integer(a),
        hex=text.hexadecimal(a),
        anonymized=text.compressed(ins.anonymized) if ins.anonymized is not None else None,
    )
    if ins.teredo is not None:
        t = ins.teredo
        out["teredo"] = {
            "server": str(t.server),
            "client": str(t.client),
            "port": t.port,
            "cone": t.cone,
            "flags": f"0x{t.flags:04x}",
        }
    if ins.interface_id is not None:
        i = ins.interface_id
        out["iid"] = {
            "type": i.type,
            "subtype": i.subtype,
            "value": f"{i.value:016x}",
            "mac": _str(i.mac),
            "vendor": ins.vendor,
            "vendor_registry": ins.vendor_registry,
            "vendor_date": data_date(),
            "ipv4": _str(i.ipv4),
            "port": i.port,
        }
    if ins.multicast is not None:
        mc = ins.multicast
        out["multicast"] = {
            "scope": mc.scope,
            "flags": {"R": mc.embedded_rp, "P": mc.prefix_based, "T": mc.transient},
            "group_id": f"0x{mc.group_id:x}",
            "well_known": mc.well_known,
            "solicited_node_for": mc.solicited_node_for,
            "unicast_prefix": mc.unicast_prefix.with_prefixlen if mc.unicast_prefix else None,
            "rp_address": _str(mc.rp_address),
            "source_specific": mc.source_specific,
        }
    return out


def error(raw: str, message: str) -> dict[str, str]:
    """The JSON object for an input that could not be read."""
    return {"input": raw, "error": message}


def plan(value: Plan) -> dict[str, Any]:
    """The JSON shape of a plan (``plan show --json`` and the kit's plan.json)."""
    site = value.site.info
    return {
        "schema": "dualstack-plan/1",
        "site": {
            "name": site.name,
            "domain": site.domain,
            "ipv6_prefix": site.ipv6_prefix.with_prefixlen,
            "ula_prefix": site.ula_prefix.with_prefixlen if site.ula_prefix else None,
            "subnet_scheme": site.subnet_scheme,
        },
        "vlans": [
            {
                "id": v.vlan.id,
                "name": v.vlan.name,
                "ipv4": v.vlan.ipv4.with_prefixlen,
                "gateway": _str(v.vlan.gateway),
                "ipv6_mode": v.vlan.ipv6,
                "subnet_id": v.subnet_id,
                "ipv6": v.ipv6.with_prefixlen if v.ipv6 else None,
                "ula": v.ula.with_prefixlen if v.ula else None,
                "gateway6": text.compressed(v.gateway6) if v.gateway6 else None,
                "dhcpv6_reservations": v.reservations.with_prefixlen if v.reservations else None,
                "dhcpv6_pool": v.pool.with_prefixlen if v.pool else None,
            }
            for v in value.vlans
        ],
        "hosts": [
            {
                "name": h.host.name,
                "fqdn": f"{h.host.name}.{site.domain}.",
                "vlan": h.host.vlan,
                "ipv4": _str(h.host.ipv4),
                "mac": _str(h.host.mac),
                "ipv6_mode": h.host.ipv6,
                "ipv6": text.compressed(h.ipv6) if h.ipv6 else None,
                "ula": text.compressed(h.ula) if h.ula else None,
                "aliases": list(h.host.aliases),
                "derivation": h.derivation,
            }
            for h in value.hosts
        ],
        "notes": [n.as_dict() for n in value.notes],
    }
