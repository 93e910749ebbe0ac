"""From observations to an inventory: hosts with their IPv4 address, MAC, aliases and where
each fact came from; VLANs; and every conflict as a finding rather than a silent choice."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from dualstack.findings import Finding, Rule, RuleBook, Severity
from dualstack.inventory.observe import Observation

RULES: RuleBook[object] = RuleBook("import rule")
SEVERAL_ADDRESSES = RULES.define(
    "import.several-addresses", Severity.WARNING, "one name with several IPv4 addresses"
)
SEVERAL_MACS = RULES.define("import.several-macs", Severity.WARNING, "one address, several MACs")
SEVERAL_DUIDS = RULES.define(
    "import.several-duids", Severity.WARNING, "one host name, several DHCPv6 DUIDs"
)
SHARED_MAC = RULES.define("import.shared-mac", Severity.WARNING, "one MAC for several hosts")
OUTSIDE = RULES.define("import.outside-vlans", Severity.WARNING, "an address in no VLAN")
BAD_NAME = RULES.define("import.bad-name", Severity.WARNING, "a name the site file cannot hold")
DANGLING_ALIAS = RULES.define("import.dangling-alias", Severity.INFO, "a CNAME to no host")
PTR_DIFFERS = RULES.define(
    "import.ptr-differs", Severity.WARNING, "the reverse zone names another host"
)
JUNK = RULES.define("import.junk", Severity.WARNING, "a line no reader understood")
GUESSED_VLAN = RULES.define("import.guessed-vlan", Severity.INFO, "a VLAN id guessed")

_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


@dataclass(frozen=True, slots=True)
class VlanFact:
    id: int
    network: IPv4Network
    gateway: IPv4Address | None = None
    guessed: bool = False  # the id came from the third octet, not from the admin


@dataclass(frozen=True, slots=True)
class HostFact:
    name: str
    vlan: int
    ipv4: IPv4Address
    mac: str | None
    aliases: tuple[str, ...]
    sources: tuple[str, ...]  # where the name and address, and the MAC, were read
    duid: str | None = None  # from a DHCPv6 lease that carried the host's name


@dataclass(frozen=True, slots=True)
class Inventory:
    domain: str
    nameservers: tuple[str, ...]
    vlans: tuple[VlanFact, ...]
    hosts: tuple[HostFact, ...]
    findings: tuple[Finding, ...]


def _vlans(
    addresses: Iterable[IPv4Address],
    given: Mapping[int, tuple[IPv4Network, IPv4Address | None]],
    scopes: Mapping[IPv4Network, IPv4Address | None],
    known: Mapping[IPv4Network, int],
) -> tuple[list[VlanFact], list[Finding]]:
    """The VLANs: as given; else the subnets the sources name (DHCP scopes with their
    gateways, NetBox prefixes with their VLAN ids: ``known``) and, for addresses in none of
    them, one per /24; ids are guessed where no source gives them (a finding says so)."""
    if given:
        return [VlanFact(i, net, gw) for i, (net, gw) in sorted(given.items())], []
    out = [VlanFact(vid, net, scopes.get(net)) for net, vid in sorted(known.items())]
    named = set(known) | set(scopes)
    leftover = {
        IPv4Network((int(a) >> 8 << 8, 24)) for a in addresses if not any(a in net for net in named)
    }
    findings: list[Finding] = []
    used = {v.id for v in out}
    for net in sorted((set(scopes) - set(known)) | leftover):
        third = (int(net.network_address) >> 8) & 0xFF
        vid = third if 1 <= third <= 4094 and third not in used else max(used | {0}) + 1
        used.add(vid)
        gateway = scopes.get(net)
        out.append(VlanFact(vid, net, gateway, True))
        findings.append(
            GUESSED_VLAN(
                f"vlan {vid}",
                f"{net} has no VLAN given: id {vid} was guessed from its third octet"
                + ("" if gateway else " and it has no gateway (no IPv6 default route)"),
                fix=f"--vlan ID={net},GATEWAY, or edit the site file",
            )
        )
    return sorted(out, key=lambda v: v.id), findings


def build(
    observations: Iterable[Observation],
    domain: str,
    vlans: Mapping[int, tuple[IPv4Network, IPv4Address | None]] | None = None,
) -> Inventory:
    """The inventory the observations describe. ``vlans``: {id: (IPv4 subnet, gateway)}; by
    default one VLAN per /24 holding an address, its id guessed (a finding says so)."""
    seen = list(observations)
    findings: list[Finding] = []
    names: dict[str, list[Observation]] = defaultdict(list)
    macs: dict[IPv4Address, list[Observation]] = defaultdict(list)
    named: dict[str, list[Observation]] = defaultdict(list)  # DHCPv6 leases, by host name
    ptrs: dict[IPv4Address, list[Observation]] = defaultdict(list)
    aliases: dict[str, list[str]] = defaultdict(list)
    nameservers: list[str] = []
    scopes: dict[IPv4Network, IPv4Address | None] = {}
    known: dict[IPv4Network, int] = {}
    for o in seen:
        if o.kind == "subnet" and o.target:
            net = IPv4Network(o.target)
            scopes[net] = o.ipv4 or scopes.get(net)
            if o.vlan is not None:
                known[net] = o.vlan
            continue
        if o.kind == "address" and o.name is not None and o.ipv4 is not None and o.name != "@":
            names[o.name].append(o)
        elif o.kind == "mac" and o.ipv4 is not None:
            macs[o.ipv4].append(o)
            if o.name:  # a lease's host name: an address of that name, if DNS has none
                names.setdefault(o.name, []).append(o)
        elif o.kind == "mac" and o.name:  # an IPv6 lease: tied to a host by its name only
            named[o.name].append(o)
        elif o.kind == "ptr" and o.ipv4 is not None and o.target:
            ptrs[o.ipv4].append(o)
        elif o.kind == "alias" and o.name and o.target:
            aliases[o.target].append(o.name)
        elif o.kind == "nameserver" and o.target and o.target not in nameservers:
            nameservers.append(o.target)
        elif o.kind == "junk":
            findings.append(JUNK(o.where, f"not understood: {o.target!r}"))
    chosen: dict[str, Observation] = {}
    for name, found in sorted(names.items()):
        if not _LABEL.fullmatch(name):
            findings.append(BAD_NAME(name, f"{name!r} is not one DNS label: left out"))
            continue
        addresses = sorted({o.ipv4 for o in found if o.ipv4 is not None})
        zone = [o for o in found if o.kind == "address"]
        pick = (zone or found)[0]
        if len(addresses) > 1:
            findings.append(
                SEVERAL_ADDRESSES(
                    name,
                    f"{name} has {len(addresses)} addresses "
                    f"({', '.join(map(str, addresses))}): {pick.ipv4} kept ({pick.where})",
                    fix="add the others as interfaces of the host by hand",
                )
            )
        chosen[name] = pick
    vlan_list, vlan_findings = _vlans(
        [o.ipv4 for o in chosen.values() if o.ipv4], vlans or {}, scopes, known
    )
    findings += vlan_findings
    hosts: list[HostFact] = []
    by_mac: dict[str, list[str]] = defaultdict(list)
    for name, o in chosen.items():
        assert o.ipv4 is not None
        vlan = next((v for v in vlan_list if o.ipv4 in v.network), None)
        if vlan is None:
            findings.append(OUTSIDE(name, f"{name}'s {o.ipv4} is in no VLAN: left out"))
            continue
        told = [*macs.get(o.ipv4, []), *named.get(name, [])]
        mac_seen = sorted({m.mac for m in told if m.mac})
        mac = mac_seen[0] if len(mac_seen) == 1 else None
        if len(mac_seen) > 1:
            where = ", ".join(m.where for m in told)
            findings.append(
                SEVERAL_MACS(
                    name,
                    f"{o.ipv4} has {len(mac_seen)} MACs ({', '.join(mac_seen)}; {where}): "
                    "none kept",
                    fix="set mac = ... on the host by hand",
                )
            )
        duids = sorted({m.duid for m in named.get(name, []) if m.duid})
        duid = duids[0] if len(duids) == 1 else None
        if len(duids) > 1:
            findings.append(
                SEVERAL_DUIDS(
                    name,
                    f"{name} has {len(duids)} DUIDs in DHCPv6 leases ({', '.join(duids)}): "
                    "none kept",
                    fix="set duid = ... on the host by hand",
                )
            )
        sources = [
            o.where,
            *(m.where for m in told if (mac and m.mac == mac) or (duid and m.duid == duid)),
        ]
        fqdn = f"{name}.{domain.rstrip('.')}".lower()
        pointers = ptrs.get(o.ipv4, [])
        if any(p.target == fqdn for p in pointers):
            sources += [f"PTR {p.where}" for p in pointers if p.target == fqdn]
        elif pointers:
            named_back = ", ".join(sorted({str(p.target) for p in pointers}))
            findings.append(
                PTR_DIFFERS(
                    name,
                    f"{o.ipv4}'s PTR names {named_back} ({pointers[0].where}), not {fqdn}: "
                    "the forward zone's name kept",
                    fix="correct the PTR, or the A record",
                )
            )
        if mac:
            by_mac[mac].append(name)
        hosts.append(
            HostFact(
                name,
                vlan.id,
                o.ipv4,
                mac,
                tuple(sorted(a for a in aliases.get(name, []) if _LABEL.fullmatch(a))),
                tuple(dict.fromkeys(sources)),
                duid,
            )
        )
    for mac, owners in sorted(by_mac.items()):
        if len(owners) > 1:
            findings.append(
                SHARED_MAC(
                    mac,
                    f"{mac} belongs to {', '.join(owners)}: one NIC cannot have two planned "
                    "addresses; the MAC is kept on each, check which is right",
                )
            )
    hosted = {h.name for h in hosts} | {a for h in hosts for a in h.aliases}
    for target, owners in sorted(aliases.items()):
        if target not in hosted:
            findings.append(
                DANGLING_ALIAS(
                    ", ".join(owners), f"CNAME to {target}, which is no host here: left out"
                )
            )
    return Inventory(domain, tuple(nameservers), tuple(vlan_list), tuple(hosts), tuple(findings))


__all__ = ["RULES", "HostFact", "Inventory", "Rule", "VlanFact", "build"]
