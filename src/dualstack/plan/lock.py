"""The lock file beside a site file: the choices a plan must keep once made.

``subnet_scheme = "sequential"`` hands each VLAN the lowest free subnet ID in VLAN-id order;
add a VLAN with a lower id and, computed afresh, every later VLAN would move. The lock file
(``site.toml`` -> ``site.lock.json``, as a package manager keeps its lock beside its manifest)
records the IDs once given, and every command that plans the site reads the same one: ``plan``,
``kit``, ``dns push``, ``dns audit --site``. ``plan lock`` and ``kit`` write it; nothing else
does. The other schemes derive every ID from the VLAN itself, so they need no lock and get
none.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from dualstack._io import write_atomic
from dualstack.errors import InputError
from dualstack.plan.model import Plan

SCHEMA = "dualstack-lock/1"


def lock_path(site_path: str | Path) -> Path:
    """Where the lock of ``site_path`` lives: the same name with ``.lock.json``."""
    site = Path(site_path)
    return site.with_name(site.stem + ".lock.json")


def read_lock(path: str | Path) -> dict[int, int]:
    """VLAN id -> subnet ID from the lock at ``path``; {} when there is none yet. A lock that
    cannot be read is an InputError: planning without it would silently renumber VLANs."""
    lock = Path(path)
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise InputError(f"{lock}: unreadable lock file: {exc}") from None
    subnets = data.get("subnets") if isinstance(data, dict) else None
    if data.get("schema") != SCHEMA or not isinstance(subnets, dict):
        raise InputError(f"{lock}: not a {SCHEMA} lock file")
    try:
        return {int(vlan): int(subnet) for vlan, subnet in subnets.items()}
    except (TypeError, ValueError):
        raise InputError(f"{lock}: subnet IDs must be integers keyed by VLAN id") from None


def lock_text(plan: Plan) -> str | None:
    """The lock for ``plan``, or None when its scheme keeps nothing worth locking."""
    if plan.site.info.subnet_scheme != "sequential":
        return None
    subnets = {str(v.vlan.id): v.subnet_id for v in plan.vlans if v.subnet_id is not None}
    doc = {"schema": SCHEMA, "site": plan.site.info.name, "subnets": subnets}
    return json.dumps(doc, indent=2) + "\n"


def write_lock(site_path: str | Path, plan: Plan) -> Path | None:
    """Write (or keep) the lock beside ``site_path``; the path when it changed, else None."""
    text = lock_text(plan)
    if text is None:
        return None
    path = lock_path(site_path)
    return path if write_atomic(path, text) else None


def merged(lock: Mapping[int, int], earlier: Mapping[int, int]) -> dict[int, int]:
    """The lock's IDs, completed by an earlier source's (a kit's plan.json from before locks):
    the lock wins where both speak of a VLAN."""
    return {**earlier, **lock}
