"""What a site owns in DNS: the record types it manages and the owner names it publishes.

A site manages the A, AAAA, CNAME and PTR records at the names its plan publishes (forward
names and reverse owners). The lock file (:mod:`dualstack.plan.lock`) keeps those names, so a
push can delete what a newer plan no longer has; records of other types (MX, TXT, ...) and
other names are never the site's.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from dualstack.zones.model import Zone

MANAGED = ("A", "AAAA", "CNAME", "PTR")


def owners(zones: Iterable[Zone]) -> frozenset[str]:
    """Every owner name at which ``zones`` hold a record of a managed type."""
    return frozenset(r.owner for z in zones for r in z.records if r.rtype in MANAGED)


def zone_of(owner: str, origins: Collection[str]) -> str | None:
    """The origin among ``origins`` that ``owner`` falls in (the longest that matches), by
    walking up its labels; None when it is in none of them."""
    labels = owner.rstrip(".").split(".")
    for start in range(len(labels)):
        origin = ".".join(labels[start:]) + "."
        if origin in origins:
            return origin
    return None
