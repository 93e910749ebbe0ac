"""`make demo`: the main job on the example site, then a glance at the address tools."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "examples" / "site.toml"
KIT = ROOT / "out" / "kit"
TOUR = [
    (
        "The RFC 4380 Teredo example: server, client and port hide in it",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    ),
    (
        "A Hyper-V host's SLAAC address from the kit: its MAC and vendor come back out",
        "2001:db8:4c00:20:215:5dff:fe0a:1401",
    ),
]


def run(exe: str, *args: str) -> int:
    print(f"$ dualstack {' '.join(args)}", flush=True)
    return subprocess.run([exe, *args], check=False).returncode


def main() -> int:
    exe = shutil.which("dualstack", path=str(Path(sys.executable).parent))
    if exe is None:
        print("demo: the dualstack command is not installed in this environment", file=sys.stderr)
        return 2
    site, kit = SITE.relative_to(ROOT), KIT.relative_to(ROOT)
    print("# The main job: plan the example site and write its rollout kit")
    code = run(exe, "plan", "check", str(site)) or run(exe, "kit", str(site), "-o", str(kit))
    if code:
        return code
    print(f"\nThe kit is in {KIT} (start with {KIT / 'plan.md'}).")
    for title, address in TOUR:
        print(f"\n# {title}")
        run(exe, "inspect", address)
    return 0


if __name__ == "__main__":
    sys.exit(main())
