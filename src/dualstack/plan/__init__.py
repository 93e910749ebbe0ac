"""The site planner: read a site file, validate it, and lay IPv6 over it.

>>> outcome = check("site.toml")          # doctest: +SKIP
>>> outcome.ok, [f.message for f in outcome.findings]   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from dualstack.findings import Finding, Severity
from dualstack.plan.allocate import plan_site, static_interface_id
from dualstack.plan.lock import lock_path, read_lock, write_lock
from dualstack.plan.model import Host, InterfacePlan, Plan, Site, Vlan, VlanPlan
from dualstack.plan.site import Checked, load_site, read_site


@dataclass(frozen=True, slots=True)
class Outcome:
    """A checked site: the plan (None when the file could not be planned) and every finding."""

    plan: Plan | None
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """No errors (warnings do not make a site unusable)."""
        return self.plan is not None and not any(
            f.severity is Severity.ERROR for f in self.findings
        )


def check_checked(checked: Checked, previous: Mapping[int, int] | None = None) -> Outcome:
    """Plan an already-read site, adding the planner's findings to the reader's."""
    if checked.site is None:
        return Outcome(None, checked.findings)
    plan, problems = plan_site(checked.site, previous)
    findings = checked.findings + checked.place(problems)
    warnings = tuple(f for f in findings if f.severity is not Severity.ERROR)
    return Outcome(replace(plan, notes=warnings), findings)


def check(path: str | Path, previous: Mapping[int, int] | None = None) -> Outcome:
    """Read, validate and plan the site file at ``path`` (InputError if unreadable), keeping
    the subnet IDs of its lock file (``site.lock.json``) unless ``previous`` gives them."""
    checked = load_site(path)
    return check_checked(checked, read_lock(lock_path(path)) if previous is None else previous)


__all__ = [
    "Checked",
    "Host",
    "InterfacePlan",
    "Outcome",
    "Plan",
    "Site",
    "Vlan",
    "VlanPlan",
    "check",
    "check_checked",
    "load_site",
    "plan_site",
    "read_site",
    "static_interface_id",
    "write_lock",
]
