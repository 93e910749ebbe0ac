"""`make bench`: start-up cost of `dualstack inspect --json ADDR` against a bare interpreter.

Both commands run alternately, N times each, as fresh processes; the medians and their ratio
are printed. The target is a ratio within 1.5 of `python3 -c "import ipaddress"`.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 40
ADDRESS = "2001:0:4136:e378:8000:63bf:3fff:fdd2"


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    exe = shutil.which("dualstack", path=str(Path(sys.executable).parent))
    if exe is None:
        print("bench: dualstack is not installed in this environment", file=sys.stderr)
        return 2
    ours = [exe, "inspect", "--json", ADDRESS]
    peer = [sys.executable, "-c", "import ipaddress"]
    for argv in (ours, peer):  # warm the page cache and .pyc files
        _time(argv)
    samples: dict[str, list[float]] = {"dualstack": [], "python": []}
    for _ in range(RUNS):
        samples["dualstack"].append(_time(ours))
        samples["python"].append(_time(peer))
    ds, py = (statistics.median(samples[k]) for k in ("dualstack", "python"))
    print(f"dualstack inspect --json ADDR   median {ds * 1000:7.1f} ms  ({RUNS} runs)")
    print(f'python3 -c "import ipaddress"   median {py * 1000:7.1f} ms  ({RUNS} runs)')
    print(f"ratio                           {ds / py:7.2f}x  (target <= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
