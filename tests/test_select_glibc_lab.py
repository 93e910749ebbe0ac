"""`dualstack select --policy glibc` against the real glibc: in a network namespace with chosen
addresses on a veth (and a default route per family through a peer namespace), a name listed
in the namespace's own /etc/hosts with every destination is looked up with Python's
``socket.getaddrinfo`` (glibc's getaddrinfo, whose source addresses the kernel picks), and the
order must be the one ``dualstack select`` predicts from ``ip -j addr`` and the destinations in
the file's order. ``ip netns exec`` mounts /etc/netns/NS/{hosts,gai.conf,...} over /etc for
the command it runs, so nothing of the machine's own configuration is touched.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.netlab import NetLab, require_lab, run

pytestmark = pytest.mark.netns

NAME = "target.lab.test"
DESTINATIONS = (
    "2001:db8:2::1",  # global
    "fd00:9::1",  # ULA
    "192.0.2.1",  # IPv4, off-link
    "10.0.0.99",  # IPv4, on the host's subnet (rule 9 for IPv4)
    "2002:c000:201::1",  # 6to4
    "64:ff9b::c000:201",  # NAT64 (well-known prefix)
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "198.51.100.7",  # IPv4, off-link
    "2001:db8:1::99",  # global, on the host's /64 (rule 9 for IPv6)
    "::1",
    "127.0.0.1",
)
PREFER_IPV4 = "# prefer IPv4 (gai.conf(5))\nprecedence ::ffff:0:0/96 100\n"


@dataclass(frozen=True)
class Scenario:
    name: str
    addresses: tuple[str, ...]  # "ADDR/LEN" or "ADDR/LEN deprecated"
    gai_conf: str | None = None
    ipv6_on_link: bool = True  # False: IPv6 disabled on the veth (the host has only ::1)


SCENARIOS = (
    Scenario("global, ULA and IPv4", ("10.0.0.10/24", "2001:db8:1::10/64", "fd00:1::10/64")),
    Scenario("global and IPv4, no ULA source", ("10.0.0.10/24", "2001:db8:1::10/64")),
    Scenario("ULA-only IPv6 and IPv4", ("10.0.0.10/24", "fd00:1::10/64")),
    Scenario(
        "deprecated global, ULA and IPv4",
        ("10.0.0.10/24", "2001:db8:1::10/64 deprecated", "fd00:1::10/64"),
    ),
    Scenario(
        "a deprecated and a preferred global",
        ("10.0.0.10/24", "2001:db8:1::10/64", "2001:db8:1::20/64 deprecated"),
    ),
    Scenario("6to4 and IPv4", ("10.0.0.10/24", "2002:c000:20a::10/64")),
    Scenario("IPv6-only (NAT64 reaches IPv4)", ("2001:db8:1::10/64", "fd00:1::10/64")),
    Scenario(
        "gai.conf preferring IPv4",
        ("10.0.0.10/24", "2001:db8:1::10/64", "fd00:1::10/64"),
        gai_conf=PREFER_IPV4,
    ),
    Scenario("IPv4 only: IPv6 disabled on the link", ("10.0.0.10/24",), ipv6_on_link=False),
    # one precedence for all: IPv4 and IPv6 pairs fall through to rule 9, which compares only
    # one family, so the comparison is not transitive and glibc's merge order decides
    Scenario(
        "gai.conf with one precedence for all",
        ("10.0.0.10/24", "2001:db8:1::10/64", "fd00:1::10/64"),
        gai_conf="precedence ::/0 40\n",
    ),
)


def _orders() -> list[tuple[str, ...]]:
    """The destinations as listed, reversed, and in four shuffled orders (the same each run)."""
    shuffles = random.Random(6724)
    orders = [DESTINATIONS, DESTINATIONS[::-1]]
    for _ in range(4):
        order = list(DESTINATIONS)
        shuffles.shuffle(order)
        orders.append(tuple(order))
    return orders


PROBE = (
    "import json, socket, sys\n"
    "found = socket.getaddrinfo(sys.argv[1], 80, socket.AF_UNSPEC, socket.SOCK_STREAM)\n"
    "print(json.dumps([entry[4][0] for entry in found]))\n"
)


def _build(lab: NetLab, scenario: Scenario) -> str:
    host, peer = lab.netns(), lab.netns()
    lab.veth(host, "eth0", peer, "up0")
    if not scenario.ipv6_on_link:
        run(["sysctl", "-w", "net.ipv6.conf.eth0.disable_ipv6=1"], ns=host)
    for ns, dev in ((host, "eth0"), (peer, "up0")):
        run(["ip", "-n", ns, "link", "set", "dev", dev, "up"])
    families = set()
    for entry in scenario.addresses:
        address, *flags = entry.split()
        extra = ["preferred_lft", "0"] if "deprecated" in flags else []
        version = 6 if ":" in address else 4
        families.add(version)
        nodad = ["nodad"] if version == 6 else []
        run(["ip", "-n", host, "addr", "add", address, "dev", "eth0", *nodad, *extra])
    if 4 in families:
        run(["ip", "-n", peer, "addr", "add", "10.0.0.1/24", "dev", "up0"])
        run(["ip", "-n", host, "route", "add", "default", "via", "10.0.0.1"])
    if 6 in families:
        run(["ip", "-n", peer, "addr", "add", "fe80::1/64", "dev", "up0", "nodad"])
        run(["ip", "-n", host, "-6", "route", "add", "default", "via", "fe80::1", "dev", "eth0"])
    return host


def _etc(host: str, order: tuple[str, ...], gai_conf: str | None) -> Path:
    etc = Path("/etc/netns") / host
    etc.mkdir(parents=True)
    lines = ["127.0.0.1 localhost", *(f"{address} {NAME}" for address in order)]
    (etc / "hosts").write_text("\n".join(lines) + "\n")
    (etc / "host.conf").write_text("multi on\n")  # every line of the name, both families
    (etc / "nsswitch.conf").write_text("hosts: files\n")  # the file only: no DNS query
    (etc / "gai.conf").write_text(gai_conf or "# glibc's built-in tables\n")
    return etc


def _glibc_order(host: str) -> list[str]:
    done = run([sys.executable, "-c", PROBE, NAME], ns=host)
    return list(json.loads(done.stdout))


def _predicted(host: str, order: tuple[str, ...], gai_conf: Path | None, work: Path) -> list[str]:
    dump = work / "ip-addr.json"
    dump.write_text(run(["ip", "-n", host, "-j", "addr"]).stdout)
    policy = str(gai_conf) if gai_conf is not None else "glibc"
    argv = [sys.executable, "-m", "dualstack", "select", "--json", "--policy", policy]
    done = subprocess.run(
        [*argv, "--from-host", str(dump), *order], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return [d["address"] for d in json.loads(done.stdout)["destinations"]]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_select_glibc_orders_as_getaddrinfo_does(scenario: Scenario, tmp_path: Path) -> None:
    require_lab()
    gai = tmp_path / "gai.conf"
    if scenario.gai_conf is not None:
        gai.write_text(scenario.gai_conf)
    with NetLab() as lab:
        host = _build(lab, scenario)
        for order in _orders():
            etc = _etc(host, order, scenario.gai_conf)
            try:
                real = _glibc_order(host)
            finally:
                shutil.rmtree(etc)
            assert sorted(real) == sorted(order)  # every line of the name came back
            predicted = _predicted(
                host, order, gai if scenario.gai_conf is not None else None, tmp_path
            )
            assert predicted == real, f"{scenario.name}, hosts file order {order}"
