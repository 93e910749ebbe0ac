"""What each source says, as observations: a name with an IPv4 address (zone A records, lease
host names), an alias (CNAME), a MAC for an address (leases, neighbour tables), a name server
(NS). Every observation names its source and, where it has one, its line, so the import report
and the site file's comments can say where a fact came from.

Readers are told apart by content (:func:`read_source`): a BIND zone file (an SOA), Kea's
memfile lease CSV (its header) and configuration (``Dhcp4`` reservations), ISC dhcpd.conf
``host`` and dhcpd.leases ``lease`` blocks, ``ip -j neigh`` JSON, ``ip neigh`` text, ``arp
-an``, ``Get-NetNeighbor | ConvertTo-Json``, Cisco ``show ip arp``. Junk lines are
observations of kind ``junk`` with their line, never an exception.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, ip_address
from typing import Any

from dualstack.addr.mac import Mac
from dualstack.errors import AddressError, InputError

KINDS = ("address", "alias", "mac", "nameserver", "ptr", "subnet", "junk")


@dataclass(frozen=True, slots=True)
class Observation:
    """One fact from one place: ``kind`` is one of :data:`KINDS`."""

    kind: str
    source: str
    line: int | None = None
    name: str | None = None  # relative to the zone's origin, lower case
    ipv4: IPv4Address | None = None
    mac: str | None = None  # canonical aa:bb:cc:dd:ee:ff
    target: str | None = None  # an alias's target; a subnet's prefix; a junk line's text
    vlan: int | None = None  # a subnet's VLAN id, where the source knows it (NetBox)
    duid: str | None = None  # a DHCPv6 client's DUID (Kea lease6), lower-case hex octets

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


def _reverse_ipv4(owner: str) -> IPv4Address | None:
    """The address of an in-addr.arpa name with all four octets (``80.20.1.10.in-addr.arpa.``)."""
    labels = owner.lower().rstrip(".").split(".")
    if len(labels) != 6 or labels[4:] != ["in-addr", "arpa"]:
        return None
    return _ipv4(".".join(reversed(labels[:4])))


def from_rrsets(
    origin: str, rrsets: dict[tuple[str, str], frozenset[str]], source: str
) -> list[Observation]:
    """A zone's RRsets (names absolute): A -> address, CNAME -> alias, NS at the apex ->
    name server, an in-addr.arpa PTR -> the name its address points back to (absolute, lower
    case, without the root dot). Names outside the origin are left out; the apex's own A is
    named "@"."""
    suffix = "." + origin.lower()
    out: list[Observation] = []

    def relative(name: str) -> str | None:
        name = name.lower()
        if name == origin.lower():
            return "@"
        return name.removesuffix(suffix) if name.endswith(suffix) else None

    for (owner, rtype), values in sorted(rrsets.items()):
        if rtype == "PTR":
            address = _reverse_ipv4(owner)
            out += [
                Observation("ptr", source, None, None, address, target=v.lower().rstrip("."))
                for v in sorted(values)
                if address is not None
            ]
            continue
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


_KEA6 = ("address", "duid", "valid_lifetime", "expire", "subnet_id", "pref_lifetime")


def kea_leases6(text: str, source: str) -> list[Observation]:
    """Kea's DHCPv6 lease CSV: a live address lease (state 0, type 0) that carries the
    client's host name gives that host its DUID, and its MAC where Kea learned one
    (``hwaddr``); an IPv6 address ties to no IPv4 host, so the name is the only link."""
    from dualstack.plan.site import DUID_TEXT
    from dualstack.reconcile.observed import kea_leases6 as leases

    lines = text.splitlines()
    out: list[Observation] = []
    header = [c.strip() for c in _row(lines[0])] if lines else []
    at = {name: header.index(name) for name in header}
    read = {s.line: s for s in leases(text, source)}
    for number, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        row = _row(line)
        where = at.get("address")
        cell = row[where].strip() if where is not None and where < len(row) else ""
        if ":" not in cell:
            out.append(Observation("junk", source, number, target=line[:80]))
            continue
        seen = read.get(number)
        if seen is None or seen.hostname is None:
            continue  # not live, a prefix delegation, or no name to tie it to a host
        duid = seen.duid if seen.duid and DUID_TEXT.fullmatch(seen.duid) else None
        name = seen.hostname.lower().split(".")[0]
        out.append(Observation("mac", source, number, name, None, seen.mac, duid=duid))
    return out


def ip_neigh_json(data: Any, source: str) -> list[Observation]:
    """``ip -j neigh``: each entry with a MAC (``lladdr``) for an IPv4 address."""
    out: list[Observation] = []
    for number, entry in enumerate(data if isinstance(data, list) else [], 1):
        if not isinstance(entry, dict):
            out.append(Observation("junk", source, number, target=str(entry)[:80]))
            continue
        address, mac = _ipv4(str(entry.get("dst", ""))), _mac(str(entry.get("lladdr", "")))
        if _dead_state(entry.get("state")):
            continue
        if address is not None and mac is not None:
            out.append(Observation("mac", source, number, None, address, mac))
    return out


def _dead_state(state: Any) -> bool:
    """Whether ``ip -j neigh``'s ``state`` list says the entry holds no live MAC."""
    return isinstance(state, list) and ("FAILED" in state or "INCOMPLETE" in state)


def _table(
    text: str, source: str, row: re.Pattern[str], expected: Callable[[str], bool]
) -> list[Observation]:
    """A text table of neighbours: ``row`` matches a line giving (IPv4 address, MAC); a line
    it does not match is junk unless ``expected`` says it belongs there (a header, an entry
    without a MAC). Matched rows with an IPv6 address or no MAC give nothing."""
    out: list[Observation] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or expected(line):
            continue
        match = row.match(line.strip())
        if match is None:
            out.append(Observation("junk", source, number, target=line[:80]))
            continue
        address, mac = _ipv4(match.group(1)), _mac(match.group(2))
        if address is not None and mac is not None:
            out.append(Observation("mac", source, number, None, address, mac))
    return out


_NEIGH = re.compile(r"^(\S+)\s+dev\s+\S+\s+lladdr\s+(\S+)")
_NEIGH_DEAD = re.compile(r"\b(FAILED|INCOMPLETE)\b")


def ip_neigh_text(text: str, source: str) -> list[Observation]:
    """``ip neigh``: ``ADDRESS dev IF lladdr MAC STATE`` lines (IPv6 ones are skipped)."""
    return _table(
        text,
        source,
        _NEIGH,
        lambda line: not _NEIGH.match(line.strip()) and bool(_NEIGH_DEAD.search(line)),
    )


_ARP = re.compile(r"^\S+\s+\((\d+\.\d+\.\d+\.\d+)\)\s+at\s+(\S+)")


def arp_an(text: str, source: str) -> list[Observation]:
    """``arp -an``: ``? (ADDRESS) at MAC [ether] on IF``; ``<incomplete>`` entries skipped."""
    return _table(text, source, _ARP, lambda line: False)


_IOS_ARP = re.compile(r"^Internet\s+(\S+)\s+\S+\s+(\S+)\s+ARPA")


def ios_arp(text: str, source: str) -> list[Observation]:
    """Cisco ``show ip arp``: ``Internet ADDRESS AGE MAC ARPA IF`` rows (``Incomplete``
    skipped; the header and blank lines are not junk)."""
    return _table(text, source, _IOS_ARP, lambda line: line.lstrip().startswith("Protocol"))


# MSFT_NetNeighbor State: Unreachable 0, Incomplete 1, Probe 2, Delay 3, Stale 4, Reachable 5,
# Permanent 6 (numbers from Windows PowerShell 5.1, names from -EnumsAsStrings)
_DEAD = {0, 1, "Unreachable", "Incomplete"}


def windows_neighbors(data: Any, source: str) -> list[Observation]:
    """``Get-NetNeighbor | ConvertTo-Json``: a MAC (``LinkLayerAddress``, dashes) for each live
    IPv4 neighbour; the all-zero and broadcast MACs are not hosts."""
    out: list[Observation] = []
    items = data if isinstance(data, list) else [data]
    for number, entry in enumerate(items, 1):
        if not isinstance(entry, dict):
            out.append(Observation("junk", source, number, target=str(entry)[:80]))
            continue
        state = entry.get("State")
        if isinstance(state, int | str) and state in _DEAD:
            continue
        address = _ipv4(str(entry.get("IPAddress", "")))
        mac = _mac(str(entry.get("LinkLayerAddress", "")))
        if address is None or mac is None or mac in ("00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"):
            continue
        out.append(Observation("mac", source, number, None, address, mac))
    return out


def _members(value: Any, key: str) -> list[Any]:
    """``value[key]`` when ``value`` is an object and that member a list, else nothing: a
    hand-edited file may hold anything where a list belongs."""
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, list) else []


def kea_config(data: dict[str, Any], source: str) -> list[Observation]:
    """A Kea DHCPv4 configuration's reservations (``hw-address``, ``ip-address``, host
    name), in subnets and shared networks."""
    root = data.get("Dhcp4")
    subnets = _members(root, "subnet4")
    for network in _members(root, "shared-networks"):
        subnets += _members(network, "subnet4")
    out: list[Observation] = []
    for subnet in subnets:
        for number, r in enumerate(_members(subnet, "reservations"), 1):
            if not isinstance(r, dict):
                out.append(
                    Observation(
                        "junk", f"{source} (reservation {number})", None, target=str(r)[:80]
                    )
                )
                continue
            address, mac = _ipv4(str(r.get("ip-address", ""))), _mac(str(r.get("hw-address", "")))
            name = str(r.get("hostname", "")).lower().split(".")[0] or None
            where = f"{source} (subnet {subnet.get('subnet')}, reservation {number})"
            if address is None or mac is None:
                out.append(Observation("junk", where, None, target=json.dumps(r)[:80]))
                continue
            out.append(Observation("mac", where, None, name, address, mac))
    return out


_BLOCK = re.compile(r"\b(host|lease)\s+(\S+)\s*\{([^}]*)\}", re.S)


def isc_dhcpd(text: str, source: str) -> list[Observation]:
    """ISC dhcpd: ``host NAME { hardware ethernet MAC; fixed-address ADDRESS; }`` blocks of
    dhcpd.conf and ``lease ADDRESS { ... binding state active; hardware ethernet MAC;
    client-hostname "NAME"; }`` blocks of dhcpd.leases (only active leases)."""
    out: list[Observation] = []
    for match in _BLOCK.finditer(text):
        kind, head, body = match.groups()
        number = text.count("\n", 0, match.start()) + 1
        mac_match = re.search(r"hardware\s+ethernet\s+([0-9A-Fa-f:]+)\s*;", body)
        mac = _mac(mac_match.group(1)) if mac_match else None
        if kind == "host":
            fixed = re.search(r"fixed-address\s+([^;,\s]+)", body)
            address = _ipv4(fixed.group(1)) if fixed else None
            name: str | None = head.lower().strip('"').split(".")[0]
        else:
            if not re.search(r"\bbinding\s+state\s+active\s*;", body):
                continue
            address = _ipv4(head)
            named = re.search(r'client-hostname\s+"([^"]+)"', body)
            name = named.group(1).lower().split(".")[0] if named else None
        if address is None or mac is None:
            out.append(Observation("junk", source, number, target=match.group(0)[:80]))
            continue
        out.append(Observation("mac", source, number, name, address, mac))
    return out


def windows_dhcp_export(text: str, source: str) -> list[Observation]:
    """``Export-DhcpServer`` XML: each IPv4 scope a subnet (``ScopeId``/``SubnetMask``, its
    ``Name``, option 3 the gateway), each reservation a MAC (``ClientId``) for an address with
    its host name (``Name``)."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise InputError(f"{source}: not valid XML: {exc}") from None
    out: list[Observation] = []
    for scope in root.iter("Scope"):
        scope_id, mask = scope.findtext("ScopeId", ""), scope.findtext("SubnetMask", "")
        try:
            network = IPv4Network(f"{scope_id.strip()}/{mask.strip()}")
        except ValueError:
            out.append(Observation("junk", f"{source} (scope {scope_id})", target=scope_id))
            continue
        gateway = None
        for option in scope.iter("OptionValue"):
            if option.findtext("OptionId", "").strip() == "3":
                gateway = _ipv4(option.findtext("Value", ""))
        label = scope.findtext("Name", "").strip().lower()
        out.append(Observation("subnet", source, None, label or None, gateway, None, str(network)))
        for number, r in enumerate(scope.iter("Reservation"), 1):
            address = _ipv4(r.findtext("IPAddress", ""))
            mac = _mac(r.findtext("ClientId", ""))
            name = r.findtext("Name", "").strip().lower().split(".")[0] or None
            where = f"{source} (scope {network}, reservation {number})"
            if address is None or mac is None:
                out.append(Observation("junk", where, target=ET.tostring(r, "unicode")[:80]))
                continue
            out.append(Observation("mac", where, None, name, address, mac))
    return out


def netbox(data: dict[str, Any], source: str) -> list[Observation]:
    """NetBox's JSON export (the REST API's ``results``) of IP addresses (``address`` with
    its ``dns_name``) and of prefixes (``prefix`` with its ``vlan``: ``vid`` and ``name``)."""
    out: list[Observation] = []
    for number, item in enumerate(_members(data, "results"), 1):
        where = f"{source} (result {number})"
        if not isinstance(item, dict):
            out.append(Observation("junk", where, target=str(item)[:80]))
        elif "address" in item:
            address = _ipv4(str(item["address"]).partition("/")[0])
            if address is None:
                continue  # an IPv6 address: not part of the IPv4 inventory
            dns_name = str(item.get("dns_name") or "").lower().split(".")[0]
            if dns_name:
                out.append(Observation("address", where, None, dns_name, address))
        elif "prefix" in item:
            try:
                network = IPv4Network(str(item["prefix"]))
            except ValueError:
                continue  # an IPv6 prefix
            raw = item.get("vlan")
            vlan: dict[str, Any] = raw if isinstance(raw, dict) else {}
            vid = vlan.get("vid") if isinstance(vlan.get("vid"), int) else None
            name = str(vlan.get("name") or "").lower() or None
            out.append(Observation("subnet", where, None, name, None, None, str(network), vid))
    return out


COLUMNS = ("address", "name", "mac")


def table_csv(text: str, source: str, columns: dict[str, str]) -> list[Observation]:
    """A CSV with a header: ``columns`` maps address, name and (optionally) mac to the
    file's column names. Each row is a host's address (and MAC)."""
    rows = list(csv.DictReader(text.splitlines()))
    missing = [c for k, c in columns.items() if rows and c not in rows[0]]
    if missing:
        raise InputError(f"{source}: no column {missing[0]!r} in its header")
    out: list[Observation] = []
    for number, row in enumerate(rows, 2):
        address = _ipv4(row.get(columns.get("address", ""), "") or "")
        name = (row.get(columns.get("name", ""), "") or "").strip().lower().split(".")[0]
        mac = _mac(row.get(columns["mac"], "") or "") if "mac" in columns else None
        if address is None or not name:
            out.append(
                Observation("junk", source, number, target=",".join(map(str, row.values()))[:80])
            )
            continue
        out.append(Observation("address", source, number, name, address))
        if mac is not None:
            out.append(Observation("mac", source, number, None, address, mac))
    return out


def read_source(path: str, columns: dict[str, str] | None = None) -> list[Observation]:
    """Every observation of one file, its format told by its content."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            text = handle.read()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    body = text.lstrip()
    if body.startswith(("[", "{")):
        try:
            data = json.loads(body)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not valid JSON: {exc}") from None
        if isinstance(data, dict) and "Dhcp4" in data:
            return kea_config(data, path)
        if isinstance(data, dict) and "results" in data:
            return netbox(data, path)
        first_item = data[0] if isinstance(data, list) and data else data
        if isinstance(first_item, dict) and "LinkLayerAddress" in first_item:
            return windows_neighbors(data, path)
        return ip_neigh_json(data, path)
    if body.startswith("<"):
        return windows_dhcp_export(body, path)
    first = body.splitlines()[0] if body else ""
    if first.startswith(",".join(_KEA6[:2]) + ","):
        return kea_leases6(text, path)
    if first.startswith(_KEA4[0] + ",") and "hwaddr" in first:
        return kea_leases4(text, path)
    if columns:
        return table_csv(text, path, columns)
    if re.search(r"^\S*\s.*\bIN\s+SOA\b|^\$ORIGIN|^\S+\s+\d*\s*SOA\b", text, re.M | re.I):
        from dualstack.zones.source import read_zone_file

        origin, rrsets = read_zone_file(path)
        return from_rrsets(origin, rrsets, path)
    if " lladdr " in text:
        return ip_neigh_text(text, path)
    if re.search(r"^\S+\s+\(\d+\.\d+\.\d+\.\d+\)\s+at\s", text, re.M):
        return arp_an(text, path)
    if re.search(r"^\s*Protocol\s+Address\s+Age", text, re.M):
        return ios_arp(text, path)
    if re.search(r"\b(host|lease)\s+\S+\s*\{", text):
        return isc_dhcpd(text, path)
    raise InputError(
        f"{path}: not a format import reads (a BIND zone file, Windows DHCP export XML, a "
        "Kea lease4 or lease6 CSV or "
        "configuration, ISC dhcpd.conf or dhcpd.leases, `ip -j neigh`, `ip neigh`, `arp -an`, "
        "Get-NetNeighbor JSON, Cisco `show ip arp`)"
    )
