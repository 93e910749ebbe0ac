"""`make demo`: a short tour of `dualstack inspect` on addresses worth knowing.

Until the site planner lands, the demo shows the address core on a handful of real cases.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

TOUR = [
    (
        "The RFC 4380 Teredo example: server, client and port hide in it",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    ),
    (
        "A Hyper-V host's SLAAC address: the MAC and its vendor come back out",
        "2001:db8:1200:20:215:5dff:fe01:140b",
    ),
    ("The same MAC, as an admin pastes it from Get-NetAdapter", "00-15-5D-01-14-0B"),
    ("NAT64 with the well-known prefix (RFC 6052)", "64:ff9b::192.0.2.33"),
    ("6to4, with a zone and prefix length as `ip addr` prints them", "2002:c000:22d::1/48"),
    ("An ISATAP link-local address with its zone", "fe80::200:5efe:c000:21d%eth0"),
    ("A solicited-node multicast group", "ff02::1:ff01:140b"),
    ("An IPv4-mapped address from a dual-stack socket", "::ffff:10.1.10.53"),
]


def main() -> int:
    exe = shutil.which("dualstack", path=str(Path(sys.executable).parent))
    if exe is None:
        print("demo: the dualstack command is not installed in this environment", file=sys.stderr)
        return 2
    for title, address in TOUR:
        print(f"\n# {title}\n$ dualstack inspect {address}")
        sys.stdout.flush()
        subprocess.run([exe, "inspect", address], check=False)
    print("\n# Everything above as JSON for scripts:\n$ dualstack inspect --json ... | jq")
    return 0


if __name__ == "__main__":
    sys.exit(main())
