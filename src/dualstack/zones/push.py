"""RFC 2136 push: the difference between the plan and what the server holds, then the update.

Like ``terraform plan``: :func:`changes` compares each zone's A, AAAA, CNAME and PTR records
with an AXFR of the live zone and lists additions and deletions; :func:`apply` sends them as
one TSIG-signed update per zone whose prerequisites require every touched RRset to be exactly
what the AXFR showed, so a record someone changed since is never clobbered. A second run finds
nothing to do.

The push owns its records: deletions reach every name the plan has and every name the site
published before (the lock's ``managed`` owners), so a renumbered, renamed or deleted host
leaves nothing behind; ``prune`` extends them to every name. :func:`push` is the whole job:
plan the changes, and with ``send`` record the plan's names in the lock, apply, re-read each
changed zone and release from the lock the names that hold no managed record any more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dualstack.plan.lock import load_lock, lock_path, write_lock
from dualstack.plan.model import Plan
from dualstack.zones.build import build_zones
from dualstack.zones.model import Zone
from dualstack.zones.own import MANAGED, owners, zone_of
from dualstack.zones.source import DnsError, RRSet, read_axfr
from dualstack.zones.tsig import TsigKey


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


def changes(
    zone: Zone, held: RRSet, prune: bool = False, managed: Collection[str] = ()
) -> ZonePlan:
    """What to add and delete so that the server's managed records, at the names the plan has
    and the names in ``managed`` (at every name with ``prune``), equal the plan's."""
    wanted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in zone.records:
        if r.rtype in MANAGED:
            wanted[(r.owner, r.rtype)].add(_normal(r.rtype, r.value))
    mine = {owner for owner, _ in wanted} | set(managed)
    out: list[Change] = []
    for key in sorted(set(wanted) | set(held)):
        owner, rtype = key
        have, want = held.get(key, frozenset()), wanted.get(key, set())
        out += [Change(zone.origin, "add", owner, rtype, v) for v in sorted(want - have)]
        if prune or owner in mine:
            out += [Change(zone.origin, "delete", owner, rtype, v) for v in sorted(have - want)]
    return ZonePlan(zone.origin, tuple(out), held, zone.ttl)


@dataclass(frozen=True, slots=True)
class Pushed:
    """What :func:`push` did: the changes per zone and whether they were sent; the names the
    site manages afterwards, those released because the server holds no managed record there
    any more, the lock file when this run changed it, and the changes the server accepted but
    does not show on a re-read (it silently ignores a CNAME added beside other data)."""

    plans: tuple[ZonePlan, ...]
    applied: bool
    managed: frozenset[str]
    released: frozenset[str] = frozenset()
    lock: Path | None = None
    unapplied: tuple[Change, ...] = ()

    @property
    def total(self) -> int:
        return sum(len(p.changes) for p in self.plans)


def push(
    site_path: str | Path,
    plan: Plan,
    server: str,
    port: int,
    key: TsigKey,
    *,
    only: Iterable[str] = (),
    prune: bool = False,
    send: bool = False,
    timeout: float = 10.0,
) -> Pushed:
    """Compare the plan of ``site_path`` with the server, zone by zone (``only`` these, if
    given), and with ``send`` apply the changes and keep the lock beside the site file.

    The lock only ever over-approximates what the site published: the plan's names are added
    before anything is sent, and a name is released only after a re-read of its zone shows it
    holds no managed record (names in zones this run did not read stay)."""
    zones = build_zones(plan, plan.site.dns.reverse_zones == "vlan")
    wanted = {z.rstrip(".") + "." for z in only}
    chosen = [z for z in zones if not wanted or z.origin in wanted]
    lock = load_lock(lock_path(site_path))
    origins = {z.origin for z in zones}
    mine: dict[str, set[str]] = defaultdict(set)
    for owner in lock.managed:
        origin = zone_of(owner, origins)
        if origin is not None:
            mine[origin].add(owner)
    plans = tuple(
        changes(z, fetch(z.origin, server, port, key, timeout), prune, mine[z.origin])
        for z in chosen
    )
    if not send:
        return Pushed(plans, False, lock.managed)
    published = owners(chosen)
    claimed = lock.managed | published
    first = write_lock(site_path, plan, claimed)
    for p in plans:
        apply(p, server, port, key, timeout)
    released: set[str] = set()
    unapplied: list[Change] = []
    for zone, p in zip(chosen, plans, strict=True):
        after = fetch(p.zone, server, port, key, timeout) if p.changes else p.seen
        present = {owner for owner, _ in after}
        released |= {o for o in mine[p.zone] if o not in present and o not in published}
        if p.changes:  # an accepted update can still be ignored in part (RFC 2136 3.4.2.2)
            unapplied += changes(zone, after, prune, mine[p.zone]).changes
    managed = claimed - released
    second = write_lock(site_path, plan, managed)
    return Pushed(plans, True, managed, frozenset(released), second or first, tuple(unapplied))


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
