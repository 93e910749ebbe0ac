"""The IANA IPv4 and IPv6 Special-Purpose Address Registries, shipped with source and date."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_network

from dualstack.data import load_json

IPAddress = IPv4Address | IPv6Address

_FILES = {4: "iana-ipv4-special-registry.json", 6: "iana-ipv6-special-registry.json"}


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Registry:
    """A whole registry: where it came from, when, and its rows, most specific first."""

    name: str
    source: str
    updated: str
    entries: tuple[RegistryEntry, ...]


@cache
def registry(version: int) -> Registry:
    """The registry for IP version 4 or 6, loaded once."""
    raw = load_json(_FILES[version])
    rows = tuple(
        RegistryEntry(
            network=ip_network(row["prefix"]),
            name=row["name"],
            rfc=tuple(row["rfc"]),
            allocated=row["allocated"],
            terminated=row["terminated"],
            source=row["source"],
            destination=row["destination"],
            forwardable=row["forwardable"],
            globally_reachable=row["globally_reachable"],
            reserved_by_protocol=row["reserved_by_protocol"],
            notes=tuple(row["notes"]),
        )
        for row in raw["entries"]
    )
    ordered = tuple(sorted(rows, key=lambda e: -e.network.prefixlen))
    return Registry(raw["registry"], raw["source"], raw["updated"], ordered)


@cache
def _masks(version: int) -> tuple[tuple[int, int, RegistryEntry], ...]:
    """(mask, network, entry) as plain integers, so a lookup does no object arithmetic."""
    return tuple(
        (int(e.network.netmask), int(e.network.network_address), e)
        for e in registry(version).entries
    )


def lookup_all(address: IPAddress) -> tuple[RegistryEntry, ...]:
    """Every entry covering ``address``, most specific first (e.g. Teredo inside 2001::/23)."""
    value = int(address)
    return tuple(e for mask, net, e in _masks(address.version) if value & mask == net)


def lookup(address: IPAddress) -> RegistryEntry | None:
    """The most specific registry entry that covers ``address``, or None (ordinary space)."""
    value = int(address)
    return next((e for mask, net, e in _masks(address.version) if value & mask == net), None)
