"""The IANA IPv4 and IPv6 Special-Purpose Address Registries, shipped with source and date."""

from __future__ import annotations

from functools import cache
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_network

from dualstack._value import value
from dualstack.data import load_json

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:
    from typing import Any

IPAddress = IPv4Address | IPv6Address

_FILES = {4: "iana-ipv4-special-registry.json", 6: "iana-ipv6-special-registry.json"}


@value
class RegistryEntry:
    """One row of a special-purpose registry; a flag is None where the registry says N/A."""

    network: IPv4Network | IPv6Network
    name: str
    rfc: tuple[str, ...]
    allocated: str
    terminated: str | None
    source: bool | None
    destination: bool | None
    forwardable: bool | None
    globally_reachable: bool | None
    reserved_by_protocol: bool | None
    notes: tuple[str, ...]


@value
class Registry:
    """A whole registry: where it came from, when, and its rows, most specific first."""

    name: str
    source: str
    updated: str
    entries: tuple[RegistryEntry, ...]


@cache
def _rows(version: int) -> tuple[dict[str, Any], ...]:
    """The registry's raw rows, most specific first (the order every lookup walks)."""
    rows = load_json(_FILES[version])["entries"]
    return tuple(sorted(rows, key=lambda row: -int(row["prefix"].rpartition("/")[2])))


@cache
def _entry(version: int, index: int) -> RegistryEntry:
    """Row ``index`` as a value, built on first use: an inspection needs one or two rows, and
    building all of them is start-up time."""
    row = _rows(version)[index]
    return RegistryEntry(
        ip_network(row["prefix"]),
        row["name"],
        tuple(row["rfc"]),
        row["allocated"],
        row["terminated"],
        row["source"],
        row["destination"],
        row["forwardable"],
        row["globally_reachable"],
        row["reserved_by_protocol"],
        tuple(row["notes"]),
    )


@cache
def registry(version: int) -> Registry:
    """The registry for IP version 4 or 6, loaded once."""
    raw = load_json(_FILES[version])
    entries = tuple(_entry(version, i) for i in range(len(_rows(version))))
    return Registry(raw["registry"], raw["source"], raw["updated"], entries)


@cache
def _masks(version: int) -> tuple[tuple[int, int, int], ...]:
    """(mask, network, row index) as plain integers, so a lookup does no object arithmetic."""
    width = 32 if version == 4 else 128
    parse = IPv4Address if version == 4 else IPv6Address
    out = []
    for index, row in enumerate(_rows(version)):
        address, _, length = row["prefix"].partition("/")
        mask = ((1 << int(length)) - 1) << (width - int(length))
        out.append((mask, int(parse(address)), index))
    return tuple(out)


def lookup_all(address: IPAddress) -> tuple[RegistryEntry, ...]:
    """Every entry covering ``address``, most specific first (e.g. Teredo inside 2001::/23)."""
    value = int(address)
    version = address.version
    return tuple(_entry(version, i) for mask, net, i in _masks(version) if value & mask == net)


def lookup(address: IPAddress) -> RegistryEntry | None:
    """The most specific registry entry that covers ``address``, or None (ordinary space)."""
    value = int(address)
    version = address.version
    index = next((i for mask, net, i in _masks(version) if value & mask == net), None)
    return None if index is None else _entry(version, index)
