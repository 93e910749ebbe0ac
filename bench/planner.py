"""`make bench`: plan a generated site of 4,000 VLANs at 10k, 50k and 100k hosts.

Prints the wall time of reading + validating + planning and the time per host, so linear
growth (flat time per host) is visible. Host modes are mixed: static, eui64, stable
(RFC 7217, one SHA-1 compression in Python per address) and dhcpv6.
"""

from __future__ import annotations

import sys
import time

from dualstack.plan import check_checked, read_site

VLANS = 4000
MODES = ("static", "eui64", "stable", "dhcpv6")


def site_text(hosts: int) -> str:
    parts = [
        '[site]\nname = "bench"\ndomain = "bench.example"\nipv6_prefix = "2001:db8:100::/48"\n'
        'subnet_scheme = "vlan"\nstable_secret = "2001:db8::5ec:2e7"\n'
        '[dns]\nnameservers = ["h0.bench.example."]\n'
    ]
    for n in range(1, VLANS + 1):
        parts.append(
            f'[[vlan]]\nid = {n}\nname = "v{n}"\nipv4 = "10.{n >> 8}.{n & 255}.0/24"\n'
            f'gateway = "10.{n >> 8}.{n & 255}.1"\nipv6 = "dhcpv6"\n'
        )
    for i in range(hosts):
        n, k = i % VLANS + 1, i // VLANS + 2
        mac = f"52:54:{i >> 24 & 255:02x}:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}"
        parts.append(
            f'[[host]]\nname = "h{i}"\nvlan = {n}\nipv4 = "10.{n >> 8}.{n & 255}.{k}"\n'
            f'mac = "{mac}"\nipv6 = "{MODES[i % len(MODES)]}"\n'
        )
    return "\n".join(parts)


def main() -> int:
    print(f"{'hosts':>8} {'VLANs':>6} {'seconds':>8} {'us/host':>8}")
    for hosts in (10_000, 50_000, 100_000):
        text = site_text(hosts)
        start = time.perf_counter()
        outcome = check_checked(read_site(text, "bench.toml"))
        elapsed = time.perf_counter() - start
        if not outcome.ok or outcome.plan is None or len(outcome.plan.interfaces) != hosts:
            print(f"bench: planning failed: {outcome.findings[:3]}", file=sys.stderr)
            return 1
        print(f"{hosts:>8} {VLANS:>6} {elapsed:>8.2f} {elapsed / hosts * 1e6:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
