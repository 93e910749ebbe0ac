"""The lock file beside a site file: the choices and the DNS data a site must keep once made.

``subnet_scheme = "sequential"`` hands each VLAN the lowest free subnet ID in VLAN-id order;
add a VLAN with a lower id and, computed afresh, every later VLAN would move. The lock file
(``site.toml`` -> ``site.lock.json``, as a package manager keeps its lock beside its manifest)
records the IDs once given, and every command that plans the site reads the same one: ``plan``,
``kit``, ``dns push``, ``dns audit --site``.

It also records which DNS owner names the site has published (``managed``: forward names and
reverse owners, absolute), so that ``dns push`` can delete the records a plan no longer has
(a renumbered host's old PTR) without ever touching a name it did not publish. ``dns push
--apply`` always writes the lock; ``kit`` writes it for a sequential site or when it exists
already, adding the plan's owners; ``plan lock`` writes the subnet IDs and keeps the owners.

Schema ``dualstack-lock/2`` (subnets and managed); ``dualstack-lock/1`` files (subnets only,
from before ownership) are read as owning nothing and rewritten as /2 at the next write. The
schema was bumped, not extended, so that an older dualstack refuses a /2 lock instead of
rewriting it without the owners (which would silently forget what the site published).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dualstack._io import write_atomic
from dualstack.errors import InputError
from dualstack.plan.model import Plan

SCHEMA = "dualstack-lock/2"
READABLE = ("dualstack-lock/1", SCHEMA)


@dataclass(frozen=True, slots=True)
class Lock:
    """What a lock file holds: VLAN id -> subnet ID, and the DNS owner names the site has
    published (absolute, as the plan writes them); both empty when there is no lock."""

    subnets: Mapping[int, int] = field(default_factory=dict)
    managed: frozenset[str] = frozenset()


def lock_path(site_path: str | Path) -> Path:
    """Where the lock of ``site_path`` lives: the same name with ``.lock.json``."""
    site = Path(site_path)
    return site.with_name(site.stem + ".lock.json")


def load_lock(path: str | Path) -> Lock:
    """The lock at ``path`` (an empty Lock when there is none yet). A lock that cannot be read
    is an InputError: planning without it would silently renumber VLANs, and pushing without
    it would leave records the site published behind."""
    lock = Path(path)
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Lock()
    except (OSError, ValueError) as exc:
        raise InputError(f"{lock}: unreadable lock file: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") not in READABLE:
        raise InputError(f"{lock}: not a {' or '.join(READABLE)} lock file")
    subnets = data.get("subnets", {} if data["schema"] == SCHEMA else None)
    if not isinstance(subnets, dict):
        raise InputError(f"{lock}: not a {data['schema']} lock file (no subnets)")
    try:
        ids = {int(vlan): int(subnet) for vlan, subnet in subnets.items()}
    except (TypeError, ValueError):
        raise InputError(f"{lock}: subnet IDs must be integers keyed by VLAN id") from None
    managed = data.get("managed", [])
    if not isinstance(managed, list) or not all(
        isinstance(n, str) and n.endswith(".") for n in managed
    ):
        raise InputError(f"{lock}: managed must be a list of absolute DNS names (ending in '.')")
    return Lock(ids, frozenset(managed))


def read_lock(path: str | Path) -> dict[int, int]:
    """VLAN id -> subnet ID from the lock at ``path``; {} when there is none yet."""
    return dict(load_lock(path).subnets)


def lock_text(plan: Plan, managed: Iterable[str] = ()) -> str | None:
    """The lock for ``plan`` owning ``managed``, or None when there is nothing to keep (a
    scheme that derives every ID, and no DNS owners)."""
    sequential = plan.site.info.subnet_scheme == "sequential"
    owners = sorted(set(managed))
    if not sequential and not owners:
        return None
    subnets = {str(v.vlan.id): v.subnet_id for v in plan.vlans if v.subnet_id is not None}
    doc = {
        "schema": SCHEMA,
        "site": plan.site.info.name,
        "subnets": subnets if sequential else {},
        "managed": owners,
    }
    return json.dumps(doc, indent=2) + "\n"


def write_lock(
    site_path: str | Path, plan: Plan, managed: Iterable[str] | None = None
) -> Path | None:
    """Write (or keep) the lock beside ``site_path``; the path when it changed, else None.

    ``managed`` replaces the owners the lock records; None keeps the ones it has."""
    path = lock_path(site_path)
    owners = load_lock(path).managed if managed is None else managed
    text = lock_text(plan, owners)
    if text is None:
        return None
    return path if write_atomic(path, text) else None


def merged(lock: Mapping[int, int], earlier: Mapping[int, int]) -> dict[int, int]:
    """The lock's IDs, completed by an earlier source's (a kit's plan.json from before locks):
    the lock wins where both speak of a VLAN."""
    return {**earlier, **lock}
