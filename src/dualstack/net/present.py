"""The JSON shapes of the calculator's results (``dualstack calc --json`` and the web UI).

Addresses and prefixes are RFC 5952 text from ``dualstack.addr.text``; counts are JSON integers,
which for IPv6 can exceed 2**53, so ``size_bits`` (log2 of the count) is given beside them.
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
    """One line of a list result: the prefix and how many addresses it holds."""
    return {"prefix": prefix_text(network), "addresses": network.num_addresses}


def reverse(zones: ReverseZones) -> dict[str, Any]:
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
        "usable_hosts": d.usable_hosts,
        "addresses": d.addresses,
        "size_bits": d.size_bits,
        "subnets_64": d.subnets_64,
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
        "parent": prefix_text(space.parent),
        "used": [prefix_text(n) for n in space.used],
        "free": [prefix_text(n) for n in space.free],
        "used_addresses": space.used_addresses,
        "free_addresses": space.free_addresses,
    }


def membership(m: Membership, raw: str | None = None) -> dict[str, Any]:
    """One ``contains`` line: the item as given, the prefix, and where the item stands."""
    return {
        "item": raw if raw is not None else item_text(m.item),
        "prefix": prefix_text(m.prefix),
        "relation": m.relation,
        "inside": m.inside,
    }


def ula(u: Ula) -> dict[str, Any]:
    """The ``dualstack calc ula --json`` object."""
    return {
        "prefix": prefix_text(u.prefix),
        "global_id": u.global_id_text,
        "method": u.method,
        "ntp_time": None if u.ntp_time is None else f"0x{u.ntp_time:016x}",
        "eui64": None if u.eui64 is None else str(u.eui64),
        "mac": None if u.mac is None else str(u.mac),
    }
