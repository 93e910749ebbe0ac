"""How the calculator's results are shown: JSON (``dualstack calc --json``) and the labelled
rows a person reads (the CLI's table and the web Calc page print the same rows).

Addresses and prefixes are RFC 5952 text from ``dualstack.addr.text``. Address counts are
decimal strings, as every 128-bit integer in dualstack's JSON is (an IPv6 count passes 2**53,
past which JSON readers lose digits); ``size_bits`` (log2 of the count) is given beside them.
"""

from __future__ import annotations

from typing import Any

from dualstack.addr.text import compressed
from dualstack.net._prefix import IPAddress, IPNetwork, item_text, prefix_text
from dualstack.net.calc import Description
from dualstack.net.contains import Membership
from dualstack.net.free import FreeSpace
from dualstack.net.reverse import ReverseZones
from dualstack.net.ula import Ula
from dualstack.present import registry_entry


def _address(value: IPAddress | None) -> str | None:
    return None if value is None else compressed(value)


def prefix_line(network: IPNetwork) -> dict[str, Any]:
    """One line of a list result (split, summarize, free, range): the prefix and how many
    addresses it holds."""
    return {
        "schema": "dualstack-calc-prefix/1",
        "prefix": prefix_text(network),
        "addresses": str(network.num_addresses),
    }


def count_text(count: int) -> str:
    """A count as a person reads it: digits grouped by thousands."""
    return f"{count:,}"


def reverse(zones: ReverseZones) -> dict[str, Any]:
    """The reverse zones a prefix's PTR records live in (the first names, and how many)."""
    return {
        "suffix": zones.suffix,
        "zone_length": zones.zone_length,
        "zones": list(zones.names),
        "count": zones.count,
        "truncated": zones.truncated,
        "classless": zones.classless,
        "parent": zones.parent,
    }


def description(d: Description) -> dict[str, Any]:
    """The ``dualstack calc PREFIX --json`` object."""
    return {
        "schema": "dualstack-calc/1",
        "input": d.input,
        "version": d.version,
        "network": prefix_text(d.network),
        "address": compressed(d.address),
        "prefixlen": d.prefixlen,
        "mask": {
            "length": d.prefixlen,
            "netmask": compressed(d.netmask),
            "hex": d.mask_hex,
            "wildcard": compressed(d.wildcard) if d.version == 4 else None,
        },
        "broadcast": _address(d.broadcast),
        "first_host": compressed(d.first_host),
        "last_host": compressed(d.last_host),
        "usable_hosts": str(d.usable_hosts),
        "addresses": str(d.addresses),
        "size_bits": d.size_bits,
        "subnets_64": None if d.subnets_64 is None else str(d.subnets_64),
        "boundary": {
            "unit": d.boundary.unit,
            "aligned": d.boundary.aligned,
            "enclosing": d.boundary.enclosing,
            "enclosed": d.boundary.enclosed,
        },
        "types": list(d.types),
        "registry": registry_entry(d.registry) if d.registry is not None else None,
        "reverse": reverse(d.reverse),
        "ipv4_mapped": prefix_text(d.ipv4_mapped) if d.ipv4_mapped is not None else None,
        "notes": list(d.notes),
    }


def free_space(space: FreeSpace) -> dict[str, Any]:
    """The whole ``free`` result as one object (the CLI streams ``prefix_line`` instead)."""
    return {
        "schema": "dualstack-calc-free/1",
        "parent": prefix_text(space.parent),
        "used": [prefix_text(n) for n in space.used],
        "free": [prefix_text(n) for n in space.free],
        "used_addresses": str(space.used_addresses),
        "free_addresses": str(space.free_addresses),
    }


def membership(m: Membership, raw: str | None = None) -> dict[str, Any]:
    """One ``contains`` line: the item as given, the prefix, and where the item stands."""
    return {
        "schema": "dualstack-calc-contains/1",
        "item": raw if raw is not None else item_text(m.item),
        "prefix": prefix_text(m.prefix),
        "relation": m.relation,
        "inside": m.inside,
    }


def ula(u: Ula) -> dict[str, Any]:
    """The ``dualstack calc ula --json`` object."""
    return {
        "schema": "dualstack-calc-ula/1",
        "prefix": prefix_text(u.prefix),
        "global_id": u.global_id_text,
        "method": u.method,
        "ntp_time": None if u.ntp_time is None else f"0x{u.ntp_time:016x}",
        "eui64": None if u.eui64 is None else str(u.eui64),
        "mac": None if u.mac is None else str(u.mac),
    }


def description_rows(d: Description) -> list[tuple[str, str]]:
    """The labelled lines a person reads, in the order ``calc`` prints them; a label is empty
    where a value continues the row above (several reverse zones, notes)."""
    rows = [("network", prefix_text(d.network))]
    if d.address != d.network.network_address:
        rows.append(("address", compressed(d.address)))
    if d.ipv4_mapped is not None:
        rows.append(("ipv4-mapped", prefix_text(d.ipv4_mapped)))
    rows += [
        ("prefix length", f"/{d.prefixlen}"),
        ("netmask", compressed(d.netmask)),
        ("hex mask", d.mask_hex),
    ]
    if d.version == 4:
        rows += [
            ("wildcard", compressed(d.wildcard)),
            ("broadcast", _address(d.broadcast) or "none"),
        ]
    rows += [
        ("first host", compressed(d.first_host)),
        ("last host", compressed(d.last_host)),
        ("usable hosts", str(d.usable_hosts)),
        ("addresses", f"{d.addresses} (2^{d.size_bits})"),
    ]
    if d.subnets_64 is not None:
        rows.append(("/64 subnets", str(d.subnets_64) if d.subnets_64 else "0 (longer than /64)"))
    b = d.boundary
    on = (
        f"yes (/{b.enclosing})"
        if b.aligned
        else f"no: /{b.enclosing} encloses it, /{b.enclosed} below it"
    )
    rows.append((f"{b.unit} boundary", on))
    rows.append(("type", " ".join(d.types) or "mixed (no type holds for all of it)"))
    if d.registry is not None:
        reg = d.registry
        rows.append(("registry", f"{reg.name} {reg.network.with_prefixlen} ({', '.join(reg.rfc)})"))
    rev = d.reverse
    label = "reverse zone" if rev.count == 1 else f"reverse zones ({rev.count})"
    rows += [(label if i == 0 else "", name) for i, name in enumerate(rev.names)]
    if rev.truncated:
        rows.append(("", f"... and {rev.count - len(rev.names)} more"))
    if rev.classless:
        rows.append(("RFC 2317 name", rev.classless))
    rows += [("note" if i == 0 else "", note) for i, note in enumerate(d.notes)]
    return rows
