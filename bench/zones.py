"""`make bench`: zones for the 100,000-host benchmark site, against BIND loading them.

The BIND figure runs named-checkzone once per zone (4,002 processes), as an admin checking the
kit would; the forward zone alone is printed too, BIND's load time with no start-up in it.

Same run, same files: our time to build and render every zone, then named-checkzone's time
to load and check each of them. The ratio (ours / BIND) should stay at or under 1.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planner import site_text

from dualstack.emit.bind import zone_text
from dualstack.plan import check_checked, read_site
from dualstack.zones import build_zones

HOSTS = 100_000


def main() -> int:
    tool = shutil.which("named-checkzone")
    if tool is None:
        print("bench: named-checkzone not installed (make sysdeps)", file=sys.stderr)
        return 2
    plan = check_checked(read_site(site_text(HOSTS), "bench.toml")).plan
    assert plan is not None
    start = time.perf_counter()
    zones = build_zones(plan)
    texts = {z.origin: zone_text(z, 2026112501) for z in zones}
    ours = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for z in zones:
            path = Path(tmp) / z.file_name
            path.write_text(texts[z.origin])
            files.append((z.origin, path))
        start = time.perf_counter()
        for origin, path in files:
            subprocess.run([tool, "-q", origin, str(path)], check=True)
        bind = time.perf_counter() - start
        origin, path = files[0]  # the forward zone, the largest: BIND's load without start-ups
        start = time.perf_counter()
        subprocess.run([tool, "-q", origin, str(path)], check=True)
        forward = time.perf_counter() - start
    records = sum(len(z.records) for z in zones)
    print(f"zones for {HOSTS:,} hosts: {len(zones):,} zones, {records:,} records")
    print(f"dualstack build + render   {ours:7.2f} s")
    print(f"named-checkzone, all zones {bind:7.2f} s  (one process per zone)")
    print(f"  of which the forward zone {forward:7.2f} s  ({len(zones[0].records):,} records)")
    print(f"ratio (ours / BIND)        {ours / bind:7.2f}  (target <= 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
