"""The main job: site file -> plan -> every renderer's file, written atomically into one folder.

A file is rewritten only when its content changed, so a second run reports nothing new and
keeps timestamps. For the ``sequential`` scheme the previous plan.json in the folder keeps
earlier subnet IDs, so adding a VLAN never renumbers the others.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dualstack._io import write_atomic
from dualstack.emit import KitInput, Secret, renderers
from dualstack.emit.bind import zone_text
from dualstack.errors import DualstackError, InputError
from dualstack.plan import Outcome, check
from dualstack.zones import Zone, build_zones
from dualstack.zones.serial import choose_serial
from dualstack.zones.tsig import TsigKey, generate_key, read_key_file

DDNS_KEY_NAME = "dualstack-ddns."

# What a kit folder holds: a file, or a folder (trailing /) and what is in it. `kit --help`
# and the README list these; a test holds them equal to what build_kit writes.
CONTENTS: dict[str, str] = {
    "plan.md": "the plan to read: VLANs, hosts, how each address was chosen",
    "plan.json": "the plan for scripts (and the next run's subnet IDs)",
    "vlans.csv": "one row per VLAN: IPv4, IPv6 and ULA prefixes, gateways, mode",
    "hosts.csv": "one row per host: IPv4, MAC, IPv6 mode, address and how it was derived",
    "dns/": "BIND zone files (the forward zone and every ip6.arpa/in-addr.arpa reverse "
    "zone), a named.conf fragment, the DDNS TSIG key ddns.key (mode 0600)",
    "kea/": "kea-dhcp6.conf (DHCPv6) and kea-dhcp-ddns.conf (DDNS; holds the key, 0600)",
    "radvd/": "radvd.conf: router advertisements per VLAN",
    "linux/": "HOST.network: systemd-networkd for each static NIC of an os = linux host",
    "windows/": "dns.ps1 (DnsServer zones), dhcp.ps1 (DHCPv6 scopes), addresses.ps1 (every NIC "
    "of the os = windows hosts, found by MAC)",
}


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


def build_kit(
    site_path: str | Path, directory: str | Path, today: date | None = None
) -> tuple[Outcome, list[Written]]:
    """Plan ``site_path`` and write the kit into ``directory``; PlanError if the site has errors."""
    out = Path(directory)
    if "\0" in str(out):
        raise InputError(f"{str(out)!r:.80}: not a usable folder name")
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a directory")
    outcome = check(site_path, previous_subnets(out))
    if not outcome.ok or outcome.plan is None:
        raise PlanError(outcome)
    plan = outcome.plan
    zones = build_zones(plan, per_vlan_reverse=plan.site.dns.reverse_zones == "vlan")
    day = today or date.today()
    serials = {z.origin: zone_serial(z, out / "dns" / z.file_name, day) for z in zones}
    kit = KitInput(plan, zones, serials, ddns_key(out))
    files: dict[str, str] = {}
    for _, render in sorted(renderers().items()):
        files.update(render(kit))
    written = [
        Written(out / n, write_atomic(out / n, body, 0o600 if isinstance(body, Secret) else 0o644))
        for n, body in sorted(files.items())
    ]
    return outcome, written


def ddns_key(directory: Path) -> TsigKey:
    """The kit's DDNS key: the one an earlier run wrote to dns/ddns.key, else a new one."""
    path = directory / "dns" / "ddns.key"
    if path.exists():
        return read_key_file(path)
    return generate_key(DDNS_KEY_NAME)


def zone_serial(zone: Zone, previous: Path, today: date) -> int:
    """The SOA serial for ``zone``: unchanged unless its records differ from ``previous``."""
    try:
        old: str | None = previous.read_text(encoding="utf-8")
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise InputError(f"{previous}: cannot read the earlier zone: {exc}") from None
    return choose_serial(old, zone_text(zone, 0), today)
