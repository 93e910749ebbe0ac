"""Import into a site file a person already keeps: new hosts are added, hosts it already has
are never changed or dropped, and every difference between the two is reported."""

from __future__ import annotations

from dataclasses import dataclass

from dualstack.findings import Finding, Severity
from dualstack.inventory.build import RULES, HostFact, Inventory
from dualstack.inventory.render import host_blocks
from dualstack.plan.model import Site

CHANGED = RULES.define(
    "import.changed", Severity.INFO, "a host of the site file the sources say otherwise about"
)


@dataclass(frozen=True, slots=True)
class Merged:
    text: str  # the site file with the new hosts appended
    added: tuple[HostFact, ...]
    findings: tuple[Finding, ...]


def merge(text: str, site: Site, inventory: Inventory, sources: list[str]) -> Merged:
    """``text`` (the site file of ``site``) with the hosts of ``inventory`` it does not have
    appended; what differs for the hosts it has is a finding (the file keeps its values)."""
    known = {h.name: h for h in site.hosts}
    for h in site.hosts:
        for alias in h.aliases:
            known.setdefault(alias, h)
    findings: list[Finding] = []
    added: list[HostFact] = []
    for fact in inventory.hosts:
        host = known.get(fact.name)
        if host is None:
            added.append(fact)
            continue
        nic = next((i for i in host.interfaces if i.ipv4 == fact.ipv4), None)
        if nic is None:
            had = ", ".join(str(i.ipv4) for i in host.interfaces if i.ipv4) or "no IPv4"
            findings.append(
                CHANGED(
                    fact.name,
                    f"the sources give {fact.name} {fact.ipv4} ({'; '.join(fact.sources)}); the "
                    f"site file has {had}: kept as written",
                )
            )
        elif fact.mac and (nic.mac is None or str(nic.mac) != fact.mac):
            findings.append(
                CHANGED(
                    fact.name,
                    f"the sources give {fact.name} MAC {fact.mac}; the site file has "
                    f"{nic.mac or 'none'}: kept as written",
                )
            )
        if nic is not None and fact.duid and nic.duid != fact.duid:
            findings.append(
                CHANGED(
                    fact.name,
                    f"the sources give {fact.name} DUID {fact.duid}; the site file has "
                    f"{nic.duid or 'none'}: kept as written",
                )
            )
    if not added:
        return Merged(text, (), tuple(findings))
    tail = [
        "",
        "# added by dualstack import from: " + ", ".join(sources),
        *host_blocks(added),
    ]
    return Merged(text.rstrip("\n") + "\n" + "\n".join(tail), tuple(added), tuple(findings))
