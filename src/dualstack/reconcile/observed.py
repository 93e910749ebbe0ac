"""What the network shows about IPv6: neighbour entries (``ip -j -6 neigh`` from a router, or
``Get-NetNeighbor | ConvertTo-Json``) and DHCPv6 leases (Kea's memfile lease6 CSV), as
addresses seen with the MAC or DUID that used them."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, IPv6Network, ip_address
from typing import Any

from dualstack.addr.mac import Mac, mac_from_interface_id
from dualstack.errors import AddressError, InputError


@dataclass(frozen=True, slots=True)
class Seen:
    """An IPv6 address in use, by a MAC and/or a DUID, and where that was read."""

    address: IPv6Address
    mac: str | None
    duid: str | None
    source: str
    hostname: str | None = None
    line: int | None = None  # the line of ``source`` (a lease file's row)


def _mac(text: str) -> str | None:
    try:
        return str(Mac.parse(text))
    except (AddressError, ValueError):
        return None


def _ipv6(text: str) -> IPv6Address | None:
    try:
        found = ip_address(text.partition("%")[0].strip())
    except ValueError:
        return None
    return found if isinstance(found, IPv6Address) else None


_IOS_NEIGH = re.compile(
    r"^([0-9A-Fa-f:.]+)\s+\S+\s+([0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})\s+(\S+)"
)
_IP_NEIGH = re.compile(r"^(\S+)\s+dev\s+\S+\s+lladdr\s+(\S+)")


_QUIET = re.compile(r"^IPv6 Address\b|\b(FAILED|INCOMPLETE|INCMP)\b")

Readout = tuple[list[Seen], list[str]]  # what a file showed, and its lines no reader understood


def _text_neighbours(text: str, source: str) -> Readout:
    """Cisco ``show ipv6 neighbors`` (``INCMP`` skipped) or ``ip -6 neigh`` text."""
    out: list[Seen] = []
    unread: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _IOS_NEIGH.match(line.strip()) or _IP_NEIGH.match(line.strip())
        if match is None:
            if line.strip() and not _QUIET.search(line):
                unread.append(f"{source}:{number}: {line.strip()[:80]}")
            continue
        if match.lastindex == 3 and match.group(3) == "INCMP":
            continue
        address, mac = _ipv6(match.group(1)), _mac(match.group(2))
        if address is not None and mac is not None:
            out.append(Seen(address, mac, None, source))
    return out, unread


def neighbours(text: str, source: str) -> list[Seen]:
    """IPv6 neighbour entries with a MAC (:func:`read_neighbours` without the lines it could
    not read)."""
    return read_neighbours(text, source)[0]


def read_neighbours(text: str, source: str) -> Readout:
    """IPv6 neighbour entries with a MAC: ``ip -j -6 neigh`` or Get-NetNeighbor JSON, ``ip -6
    neigh`` or Cisco ``show ipv6 neighbors`` text (FAILED, INCOMPLETE, INCMP and unreachable
    entries skipped); and the lines or entries that are none of these."""
    if not text.lstrip().startswith(("[", "{")):
        found, unread = _text_neighbours(text, source)
        if not found and text.strip() and unread:
            raise InputError(
                f"{source}: not `ip -j -6 neigh`, Get-NetNeighbor JSON, `ip -6 neigh` or "
                "Cisco `show ipv6 neighbors` output"
            )
        return found, unread
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: not `ip -j neigh` or Get-NetNeighbor JSON: {exc}") from None
    out: list[Seen] = []
    unread = []
    for number, entry in enumerate(data if isinstance(data, list) else [data], 1):
        if not isinstance(entry, dict):
            unread.append(f"{source} (entry {number}): {str(entry)[:80]}")
            continue
        if "LinkLayerAddress" in entry:  # Windows
            if entry.get("State") in (0, 1, "Unreachable", "Incomplete"):
                continue
            address, mac = (
                _ipv6(str(entry.get("IPAddress", ""))),
                _mac(str(entry.get("LinkLayerAddress", ""))),
            )
        else:
            state = entry.get("state")
            if isinstance(state, list) and ("FAILED" in state or "INCOMPLETE" in state):
                continue
            address, mac = _ipv6(str(entry.get("dst", ""))), _mac(str(entry.get("lladdr", "")))
        if address is not None and mac is not None:
            out.append(Seen(address, mac, None, source))
    return out, unread


def kea_leases6(text: str, source: str) -> list[Seen]:
    """Kea's live DHCPv6 address leases (:func:`read_leases6` without the rows it could not
    read)."""
    return read_leases6(text, source)[0]


def read_leases6(text: str, source: str) -> Readout:
    """Kea's lease6 CSV (address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,lease_type,
    iaid,prefix_len,fqdn_fwd,fqdn_rev,hostname,hwaddr,state,...): live address leases, and
    the rows without an IPv6 address."""
    lines = text.splitlines()
    if not lines:
        return [], []
    header = [c.strip() for c in next(csv.reader([lines[0]]))]
    at = {name: header.index(name) for name in header}
    if "address" not in at or "duid" not in at:
        raise InputError(f"{source}: not a Kea lease6 CSV (no address and duid columns)")
    out: list[Seen] = []
    unread: list[str] = []
    for number, line in enumerate(lines[1:], 2):
        try:
            row = next(csv.reader([line]), [])
        except csv.Error:
            row = []

        def cell(name: str, default: str = "", row: list[str] = row) -> str:
            where = at.get(name)
            return row[where].strip() if where is not None and where < len(row) else default

        address = _ipv6(cell("address"))
        if address is None and line.strip():
            unread.append(f"{source}:{number}: {line.strip()[:80]}")
        duid = cell("duid").lower()
        if address is None or not duid or cell("state", "0") != "0":
            continue
        if cell("lease_type", "0") not in ("0", "IA_NA"):
            continue
        mac = _mac(cell("hwaddr"))
        name = cell("hostname").rstrip(".")
        out.append(Seen(address, mac, duid, f"{source}:{number}", name or None, number))
    return out, unread


def in_log(
    addresses: Iterable[IPv6Address], within: Sequence[IPv6Network], source: str
) -> list[Seen]:
    """Addresses a log shows inside the site's prefixes (``within``), each with the MAC its
    modified EUI-64 interface identifier carries, if it carries one: a log names no MAC, so
    only such an IID ties an address it shows to a NIC other than by the address itself."""
    out: list[Seen] = []
    for address in addresses:
        if any(address in net for net in within):
            mac = mac_from_interface_id(int(address) & 0xFFFF_FFFF_FFFF_FFFF)
            out.append(Seen(address, None if mac is None else str(mac), None, source))
    return out


@dataclass(frozen=True, slots=True)
class Leases:
    """One Kea memfile lease CSV of either family."""

    six: list[Seen]  # DHCPv6 leases
    four: list[tuple[IPv4Address, str]]  # live DHCPv4 leases as (address, MAC)
    unread: list[str]  # rows no reader understood, with their line


def lease_file(text: str, source: str) -> Leases:
    """A Kea memfile lease CSV, its family told by its header."""
    if not text.lstrip("\ufeff").startswith("address,hwaddr,"):
        six, unread = read_leases6(text, source)
        return Leases(six, [], unread)
    from dualstack.inventory.observe import kea_leases4

    found = kea_leases4(text, source)
    return Leases(
        [],
        [(o.ipv4, o.mac) for o in found if o.ipv4 and o.mac],
        [f"{o.where}: {o.target}" for o in found if o.kind == "junk"],
    )
