"""RFC 2136 push: the difference between the plan and what the server holds, then the update.

Like ``terraform plan``: :func:`changes` compares each zone's A, AAAA, CNAME and PTR records
with an AXFR of the live zone and lists additions and deletions; :func:`apply` sends them as
one TSIG-signed update per zone whose prerequisites require every touched RRset to be exactly
what the AXFR showed, so a record someone changed since is never clobbered. Deletions are
limited to names the plan manages unless ``prune`` is set. A second run finds nothing to do.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from dualstack.zones.model import Zone
from dualstack.zones.source import DnsError, RRSet, read_axfr
from dualstack.zones.tsig import TsigKey

MANAGED = ("A", "AAAA", "CNAME", "PTR")


class PushError(DnsError):
    """The server refused an update (exit code 1)."""


@dataclass(frozen=True, slots=True, order=True)
class Change:
    zone: str
    action: str  # "add" | "delete"
    owner: str
    rtype: str
    value: str

    def __str__(self) -> str:
        sign = "+" if self.action == "add" else "-"
        return f"{sign} {self.owner} {self.rtype} {self.value}"


@dataclass(frozen=True, slots=True)
class ZonePlan:
    """The changes for one zone and the RRsets the server held when they were computed."""

    zone: str
    changes: tuple[Change, ...]
    seen: RRSet
    ttl: int = 3600


def _normal(rtype: str, value: str) -> str:
    """Values as dnspython prints them, so plan and server compare equal."""
    import dns.rdata
    import dns.rdataclass
    import dns.rdatatype

    rdata = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.from_text(rtype), value)
    return str(rdata.to_text())


def fetch(zone: str, server: str, port: int, key: TsigKey, timeout: float = 10.0) -> RRSet:
    """The managed RRsets of ``zone`` on the server (AXFR)."""
    return read_axfr(zone, server, port, key, MANAGED, timeout)


def changes(zone: Zone, held: RRSet, prune: bool = False) -> ZonePlan:
    """What to add and delete so the server's managed records equal the plan's."""
    wanted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in zone.records:
        if r.rtype in MANAGED:
            wanted[(r.owner, r.rtype)].add(_normal(r.rtype, r.value))
    owners = {owner for owner, _ in wanted}
    out: list[Change] = []
    for key in sorted(set(wanted) | set(held)):
        owner, rtype = key
        have, want = held.get(key, frozenset()), wanted.get(key, set())
        out += [Change(zone.origin, "add", owner, rtype, v) for v in sorted(want - have)]
        if prune or owner in owners:
            out += [Change(zone.origin, "delete", owner, rtype, v) for v in sorted(have - want)]
    return ZonePlan(zone.origin, tuple(out), held, zone.ttl)


def apply(plan: ZonePlan, server: str, port: int, key: TsigKey, timeout: float = 10.0) -> None:
    """Send ``plan`` as one signed update, guarded by prerequisites on every touched RRset."""
    if not plan.changes:
        return
    import dns.exception
    import dns.query
    import dns.rcode
    import dns.rdataset
    import dns.update

    keyring = key.keyring()
    update = dns.update.UpdateMessage(
        plan.zone, keyring=keyring, keyname=next(iter(keyring)), keyalgorithm=key.algorithm
    )
    touched = sorted({(c.owner, c.rtype) for c in plan.changes})
    for owner, rtype in touched:
        values = plan.seen.get((owner, rtype))
        if values:
            update.present(owner, dns.rdataset.from_text("IN", rtype, 0, *sorted(values)))
        else:
            update.absent(owner, rtype)
    for c in plan.changes:
        if c.action == "delete":
            update.delete(c.owner, c.rtype, c.value)
    for c in plan.changes:
        if c.action == "add":
            update.add(c.owner, plan.ttl, c.rtype, c.value)
    try:
        response: Any = dns.query.tcp(update, server, port=port, timeout=timeout)
    except (OSError, dns.exception.DNSException) as exc:
        raise PushError(f"update of {plan.zone} to {server}:{port} failed: {exc}") from None
    code = response.rcode()
    if code != dns.rcode.NOERROR:
        why = (
            " (a record changed on the server since it was read: run again)"
            if code in (dns.rcode.NXRRSET, dns.rcode.YXRRSET)
            else ""
        )
        raise PushError(f"update of {plan.zone} refused: {dns.rcode.to_text(code)}{why}")
