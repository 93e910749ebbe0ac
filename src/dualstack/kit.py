"""The main job: site file -> plan -> every renderer's file, written atomically into one folder.

A file is rewritten only when its content changed, so a second run reports nothing new and
keeps timestamps. For the ``sequential`` scheme the previous plan.json in the folder keeps
earlier subnet IDs, so adding a VLAN never renumbers the others.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from dualstack._io import write_atomic
from dualstack.emit import renderers
from dualstack.errors import DualstackError, InputError
from dualstack.plan import Outcome, check


class PlanError(DualstackError):
    """The site has errors: nothing was written (exit code 1)."""

    exit_code = 1

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        count = sum(1 for f in outcome.findings if f.severity.value == "error")
        super().__init__(f"the site has {count} error(s); no kit written")


@dataclass(frozen=True, slots=True)
class Written:
    path: Path
    changed: bool


def previous_subnets(directory: Path) -> dict[int, int]:
    """VLAN id -> subnet ID from the kit's earlier plan.json, if there is a readable one."""
    try:
        data = json.loads((directory / "plan.json").read_text(encoding="utf-8"))
        return {
            int(v["id"]): int(v["subnet_id"])
            for v in data.get("vlans", [])
            if v.get("subnet_id") is not None
        }
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise InputError(f"{directory / 'plan.json'}: unreadable earlier plan: {exc}") from None


def build_kit(site_path: str | Path, directory: str | Path) -> tuple[Outcome, list[Written]]:
    """Plan ``site_path`` and write the kit into ``directory``; PlanError if the site has errors."""
    out = Path(directory)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a directory")
    outcome = check(site_path, previous_subnets(out))
    if not outcome.ok or outcome.plan is None:
        raise PlanError(outcome)
    rendered = {name: render(outcome.plan) for name, render in sorted(renderers().items())}
    written = [
        Written(out / name, write_atomic(out / name, body)) for name, body in rendered.items()
    ]
    return outcome, written
