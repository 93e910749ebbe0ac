"""What each source says, as observations: a name with an IPv4 address (zone A records, lease
host names), an alias (CNAME), a MAC for an address (leases, neighbour tables), a name server
(NS). Every observation names its source and, where it has one, its line, so the import report
and the site file's comments can say where a fact came from.

Readers are told apart by content (:func:`read_source`): a BIND zone file (an SOA), Kea's
memfile lease CSV (its header), ``ip -j neigh`` JSON, ``ip neigh`` text. Junk lines are
observations of kind ``junk`` with their line, never an exception.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from ipaddress import IPv4Address, ip_address
from typing import Any

from dualstack.addr.mac import Mac
from dualstack.errors import AddressError, InputError

KINDS = ("address", "alias", "mac", "nameserver", "junk")


@dataclass(frozen=True, slots=True)
class Observation:
    """One fact from one place: ``kind`` is one of :data:`KINDS`."""

    kind: str
    source: str
    line: int | None = None
    name: str | None = None  # relative to the zone's origin, lower case
    ipv4: IPv4Address | None = None
    mac: str | None = None  # canonical aa:bb:cc:dd:ee:ff
    target: str | None = None  # an alias's target name; a junk line's text

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


def _mac(text: str) -> str | None:
    try:
        return str(Mac.parse(text))
    except (AddressError, ValueError):
        return None


def _ipv4(text: str) -> IPv4Address | None:
    try:
        found = ip_address(text.strip())
    except ValueError:
        return None
    return found if isinstance(found, IPv4Address) else None


def from_rrsets(
    origin: str, rrsets: dict[tuple[str, str], frozenset[str]], source: str
) -> list[Observation]:
    """A zone's RRsets (names absolute): A -> address, CNAME -> alias, NS at the apex ->
    name server. Names outside the origin are left out; the apex's own A is named "@"."""
    suffix = "." + origin.lower()
    out: list[Observation] = []

    def relative(name: str) -> str | None:
        name = name.lower()
        if name == origin.lower():
            return "@"
        return name.removesuffix(suffix) if name.endswith(suffix) else None

    for (owner, rtype), values in sorted(rrsets.items()):
        label = relative(owner)
        if label is None:
            continue
        for value in sorted(values):
            if rtype == "A":
                out.append(Observation("address", source, None, label, _ipv4(value)))
            elif rtype == "CNAME":
                target = relative(value) or value.lower()
                out.append(Observation("alias", source, None, label, target=target))
            elif rtype == "NS" and label == "@":
                out.append(Observation("nameserver", source, None, target=value.lower()))
    return out


def _row(line: str) -> list[str]:
    """One CSV line's cells (a line csv cannot read is one empty cell: junk)."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return [""]


# Kea memfile lease files (lease4): address,hwaddr,client_id,valid_lifetime,expire,subnet_id,
# fqdn_fwd,fqdn_rev,hostname,state,user_context[,pool_id]
_KEA4 = ("address", "hwaddr", "client_id", "valid_lifetime", "expire", "subnet_id")


def kea_leases4(text: str, source: str) -> list[Observation]:
    """Kea's DHCPv4 lease CSV: each live lease (state 0) gives a MAC for its address, and
    its host name when the client sent one."""
    lines = text.splitlines()
    out: list[Observation] = []
    header = [c.strip() for c in _row(lines[0])] if lines else []
    at = {name: header.index(name) for name in header}
    for number, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        row = _row(line)
        try:
            address = _ipv4(row[at["address"]])
            mac = _mac(row[at["hwaddr"]])
            state = row[at["state"]].strip() if "state" in at else "0"
            hostname = row[at["hostname"]].strip().lower() if "hostname" in at else ""
        except IndexError:
            address = mac = None
            state, hostname = "0", ""
        if address is None or mac is None:
            out.append(Observation("junk", source, number, target=",".join(row)[:80]))
            continue
        if state != "0":
            continue  # declined (1) or expired-reclaimed (2): not a host's address now
        name = hostname.split(".")[0] if hostname else None
        out.append(Observation("mac", source, number, name, address, mac))
    return out


def ip_neigh_json(data: Any, source: str) -> list[Observation]:
    """``ip -j neigh``: each entry with a MAC (``lladdr``) for an IPv4 address."""
    out: list[Observation] = []
    for number, entry in enumerate(data if isinstance(data, list) else [], 1):
        if not isinstance(entry, dict):
            out.append(Observation("junk", source, number, target=str(entry)[:80]))
            continue
        address, mac = _ipv4(str(entry.get("dst", ""))), _mac(str(entry.get("lladdr", "")))
        state = entry.get("state") or []
        if "FAILED" in state or "INCOMPLETE" in state:
            continue
        if address is not None and mac is not None:
            out.append(Observation("mac", source, number, None, address, mac))
    return out


_NEIGH = re.compile(r"^(\S+)\s+dev\s+\S+\s+lladdr\s+(\S+)")


def ip_neigh_text(text: str, source: str) -> list[Observation]:
    """``ip neigh``: ``ADDRESS dev IF lladdr MAC STATE`` lines (IPv6 ones are skipped)."""
    out: list[Observation] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _NEIGH.match(line)
        if match is None:
            if not re.search(r"\b(FAILED|INCOMPLETE)\b", line):
                out.append(Observation("junk", source, number, target=line[:80]))
            continue
        address, mac = _ipv4(match.group(1)), _mac(match.group(2))
        if mac is not None and address is not None:
            out.append(Observation("mac", source, number, None, address, mac))
    return out


def read_source(path: str) -> list[Observation]:
    """Every observation of one file, its format told by its content."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            text = handle.read()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    body = text.lstrip()
    if body.startswith(("[", "{")):
        try:
            return ip_neigh_json(json.loads(body), path)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not valid JSON: {exc}") from None
    first = body.splitlines()[0] if body else ""
    if first.startswith(_KEA4[0] + ",") and "hwaddr" in first:
        return kea_leases4(text, path)
    if re.search(r"^\S*\s.*\bIN\s+SOA\b|^\$ORIGIN|^\S+\s+\d*\s*SOA\b", text, re.M | re.I):
        from dualstack.zones.source import read_zone_file

        origin, rrsets = read_zone_file(path)
        return from_rrsets(origin, rrsets, path)
    if " lladdr " in text:
        return ip_neigh_text(text, path)
    raise InputError(
        f"{path}: not a format import reads (a BIND zone file, a Kea lease4 CSV, "
        "`ip -j neigh` or `ip neigh`)"
    )
