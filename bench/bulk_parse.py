"""`make bench`: bulk parsing of 1,000,000 mixed addresses against the stdlib ``ipaddress``.

Both parse the same list in the same run, single process; the ratio is stdlib time over ours.
"""

from __future__ import annotations

import ipaddress
import random
import sys
import time

from dualstack.bulk.parse import parse_many

LINES = 1_000_000


def sample(count: int, seed: int = 1) -> list[str]:
    """Mixed: 60% IPv6 (full, and /64-style with a zero IID), 40% IPv4."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        if rng.random() < 0.6:
            out.append(
                ipaddress.IPv6Address(rng.getrandbits(128) >> rng.choice([0, 64])).compressed
            )
        else:
            out.append(str(ipaddress.IPv4Address(rng.getrandbits(32))))
    return out


def main() -> int:
    lines = sample(LINES)
    start = time.perf_counter()
    parsed = parse_many(lines)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    for line in lines:
        ipaddress.ip_address(line)
    stdlib = time.perf_counter() - start
    assert not parsed.errors
    print(
        f"parse {LINES:,} mixed addresses: dualstack.bulk {ours:.2f} s, "
        f"stdlib ipaddress {stdlib:.2f} s, ratio {stdlib / ours:.1f}x (target >= 10x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
