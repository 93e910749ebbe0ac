"""The JSON shapes of the address core and of the values every package shares (findings).

Each package has a presenter of its own (``net.present``, ``plan.present``, ``zones.present``,
``bulk.present``, ``hyperv.present``); the CLI's ``--json`` and the web pages both call them,
so a value has one JSON shape wherever it is shown. Conventions: every document has a
``schema`` key; absent values are null, never an empty string; integers past 2**53 (128-bit
address values and counts) are decimal strings, as JSON readers cannot hold them exactly.
"""

from __future__ import annotations

from dualstack.addr import text

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:
    from collections.abc import Iterable
    from ipaddress import IPv4Address, IPv6Address, IPv6Network
    from typing import Any

    from dualstack.addr.inspect import Inspection
    from dualstack.addr.mac import Mac
    from dualstack.addr.registry import RegistryEntry
    from dualstack.findings import Finding


def _str(value: object | None) -> str | None:
    return None if value is None else str(value)


INSPECT_SCHEMA = "dualstack-inspect/1"


def _vendor_date() -> str | None:
    """The date of the vendor data a MAC was looked up in (loaded only when there was one)."""
    from dualstack.addr.vendor import data_date

    return data_date()


def inspection(ins: Inspection) -> dict[str, Any]:
    """The JSON object for one inspected input (the ``dualstack inspect --json`` contract)."""
    out: dict[str, Any] = {"schema": INSPECT_SCHEMA, "input": ins.input, "kind": ins.kind}
    if ins.mac is not None:
        m = ins.mac
        out.update(
            address=_str(m.mac) if m.mac is not None else str(m.eui64),
            mac=_str(m.mac),
            eui64=str(m.eui64),
            vendor=m.vendor,
            vendor_registry=m.vendor_registry,
            vendor_date=_vendor_date(),
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
        registry=registry_entry(ins.registry) if ins.registry is not None else None,
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
            "vendor_date": _vendor_date() if i.mac is not None else None,  # the data looked in
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


def error(raw: str, message: str, schema: str = INSPECT_SCHEMA) -> dict[str, str]:
    """The JSON object for an input that could not be read, in a stream of ``schema``
    documents (a reader tells them apart by the ``error`` key)."""
    return {"schema": schema, "input": raw, "error": message}


def conversion(raw: str, form: str, output: str) -> dict[str, str]:
    """One ``convert --json`` line: the input, the form asked for and the result."""
    return {"schema": "dualstack-convert/1", "input": raw, "to": form, "output": output}


def nat64(
    address: IPv6Address, ipv4: IPv4Address, prefix: IPv6Network, warnings: Iterable[str]
) -> dict[str, Any]:
    """``nat64 --json``: the synthesised address, what it carries, and any RFC 6052 warning."""
    return {
        "schema": "dualstack-nat64/1",
        "address": text.compressed(address),
        "ipv4": str(ipv4),
        "prefix": prefix.with_prefixlen,
        "warnings": list(warnings),
    }


def slaac(address: IPv6Address, prefix: IPv6Network, mac: Mac, method: str) -> dict[str, str]:
    """``slaac --json``: the predicted address and what it was formed from."""
    return {
        "schema": "dualstack-slaac/1",
        "address": text.compressed(address),
        "prefix": prefix.with_prefixlen,
        "mac": str(mac),
        "method": method,
    }


def registry_entry(entry: RegistryEntry) -> dict[str, Any]:
    """One row of an IANA special-purpose registry (flags null where IANA says N/A)."""
    return {
        "prefix": entry.network.with_prefixlen,
        "name": entry.name,
        "rfc": list(entry.rfc),
        "allocated": entry.allocated,
        "terminated": entry.terminated,
        "source": entry.source,
        "destination": entry.destination,
        "forwardable": entry.forwardable,
        "globally_reachable": entry.globally_reachable,
        "reserved_by_protocol": entry.reserved_by_protocol,
        "notes": list(entry.notes),
    }


def finding(f: Finding) -> dict[str, Any]:
    """One finding, from any checker: ``fix`` and ``line`` are null when there is none."""
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "subject": f.subject,
        "message": f.message,
        "fix": f.fix,
        "evidence": list(f.evidence),
        "line": f.line,
    }


def finding_line(f: Finding, source: str | None = None) -> str:
    """A finding as one line of text, ``FILE:LINE: SUBJECT: severity: message (fix: ...)``: the
    place as compilers and linters write it, so editors can jump to it."""
    place = "" if source is None else f"{source}:{f.line}: " if f.line else f"{source}: "
    fix = f" (fix: {f.fix})" if f.fix else ""
    return f"{place}{f.subject}: {f.severity.value}: {f.message}{fix}"
