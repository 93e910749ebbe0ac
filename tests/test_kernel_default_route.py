"""A VLAN without a router gives its hosts no IPv6 default route, proven with the real kernel.

Router namespace: radvd runs the kit's own radvd.conf, generated from a site with three VLANs
named by their ``interface`` keys: ``r20`` (slaac, an IPv4 gateway: a router), ``r40`` (slaac,
no gateway: live migration) and ``r41`` (static, no gateway: cluster). One client namespace
per VLAN lets the kernel process the advertisements. What must hold:

* r20: the client forms its SLAAC address and gets a default route via the router's
  link-local address (proto ra), and the RA carries the router lifetime and RDNSS;
* r40: the client forms its SLAAC address too, but the RA says router lifetime 0 and carries
  no RDNSS, and the kernel installs no default route: off-link destinations are unreachable;
* r41: radvd does not advertise there at all: no global address, no default route.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from ipaddress import IPv6Address, IPv6Network
from pathlib import Path
from typing import Any

import pytest

from tests import netlab
from tests.testdata import site_kit

pytestmark = pytest.mark.netns

SITE = """
[site]
name = "lab"
domain = "lab.example"
ipv6_prefix = "2001:db8:77::/48"

[dns]
nameservers = ["ns1.lab.example."]
ddns = false

[[vlan]]
id = 20
name = "servers"
ipv4 = "10.0.20.0/24"
gateway = "10.0.20.1"
ipv6 = "slaac"
interface = "r20"

[[vlan]]
id = 40
name = "live-migration"
ipv4 = "10.0.40.0/24"
ipv6 = "slaac"
interface = "r40"

[[vlan]]
id = 41
name = "cluster"
ipv4 = "10.0.41.0/24"
ipv6 = "static"
interface = "r41"

[[host]]
name = "ns1"
vlan = 20
ipv4 = "10.0.20.53"
ipv6 = "static"

[[host]]
name = "srv"
vlan = 20
ipv4 = "10.0.20.20"
mac = "00:15:5d:77:00:20"

[[host]]
name = "hv01-lm"
vlan = 40
ipv4 = "10.0.40.11"
mac = "00:15:5d:77:00:40"

[[host]]
name = "hv01-csv"
vlan = 41
ipv4 = "10.0.41.11"
mac = "00:15:5d:77:00:41"
"""
LINK_LOCAL = IPv6Network("fe80::/64")
OFF_LINK = "2001:db8:ffff::1"  # a destination only a default route could reach
TIMEOUT = 40.0


@pytest.fixture
def lab() -> Iterator[netlab.NetLab]:
    netlab.require_lab(tools=("radvd", "rdisc6", "sysctl"))
    with netlab.NetLab() as the_lab:
        yield the_lab


def _default_routes(ns: str) -> list[dict[str, Any]]:
    """``ip -j -6 route show default`` in ``ns``."""
    out = netlab.run(["ip", "-j", "-6", "route", "show", "default"], ns=ns).stdout.strip()
    routes: list[dict[str, Any]] = json.loads(out or "[]")
    return routes


def _ra_field(rdisc6_output: str, name: str) -> str | None:
    """The first word after ``name :`` in rdisc6's report (its column widths vary)."""
    match = re.search(rf"^\s*{re.escape(name)}\s*:\s*(\S+)", rdisc6_output, re.M)
    return match.group(1) if match else None


def test_no_default_route_without_a_router(lab: netlab.NetLab, tmp_path: Path) -> None:
    kit, plan = site_kit(tmp_path, SITE)
    hosts = {h.host.name: h for h in plan.interfaces}
    conf = (kit / "radvd" / "radvd.conf").read_text()
    assert "interface r41" not in conf  # static without a router: nothing advertised

    router = lab.netns()
    netlab.sysctl_set(router, "net.ipv6.conf.all.forwarding", 1)
    c20 = lab.client(router, "r20", "00:15:5d:77:00:20")
    c40 = lab.client(router, "r40", "00:15:5d:77:00:40")
    c41 = lab.client(router, "r41", "00:15:5d:77:00:41")
    router_ll = {
        dev: IPv6Address(netlab.wait_for_address(router, dev, LINK_LOCAL, timeout=TIMEOUT)["local"])
        for dev in ("r20", "r40", "r41")
    }
    radvd = lab.radvd(router, kit / "radvd" / "radvd.conf", tmp_path)

    # The routed VLAN: the planned SLAAC address and a default route via the router.
    got = netlab.wait_for_address(c20, "eth0", IPv6Network("2001:db8:77:20::/64"), timeout=TIMEOUT)
    assert IPv6Address(got["local"]) == hosts["srv"].ipv6
    routes = netlab.poll_until(
        lambda: _default_routes(c20) or None, what="a default route on c20", timeout=TIMEOUT
    )
    assert [(r.get("gateway"), r.get("dev"), r.get("protocol")) for r in routes] == [
        (str(router_ll["r20"]), "eth0", "ra")
    ], routes

    # The VLAN without a router: the planned SLAAC address, and no default route at all.
    got = netlab.wait_for_address(c40, "eth0", IPv6Network("2001:db8:77:40::/64"), timeout=TIMEOUT)
    assert IPv6Address(got["local"]) == hosts["hv01-lm"].ipv6
    ra40 = netlab.run(["rdisc6", "-1", "eth0"], ns=c40, timeout=30).stdout
    assert _ra_field(ra40, "Router lifetime") == "0", ra40
    assert _ra_field(ra40, "Prefix") == "2001:db8:77:40::/64", ra40
    assert "Recursive DNS server" not in ra40, ra40
    assert "DNS search list" not in ra40, ra40
    ra20 = netlab.run(["rdisc6", "-1", "eth0"], ns=c20, timeout=30).stdout
    assert _ra_field(ra20, "Router lifetime") == "1800", ra20
    assert _ra_field(ra20, "Recursive DNS server") == str(hosts["ns1"].ipv6), ra20
    # The address above and the rdisc6 answer show RAs were processed; the route stays absent.
    assert _default_routes(c40) == []
    unreachable = netlab.run(["ip", "-6", "route", "get", OFF_LINK], ns=c40, check=False)
    assert unreachable.returncode != 0, unreachable.stdout
    assert "unreachable" in unreachable.stderr.lower(), unreachable.stderr

    # The static VLAN without a router: no RA at all, so no global address and no route.
    silent = netlab.run(["rdisc6", "-1", "eth0"], ns=c41, timeout=30, check=False)
    assert silent.returncode != 0, silent.stdout
    assert "Router lifetime" not in silent.stdout, silent.stdout
    assert [a for a in netlab.ipv6_addresses(c41, "eth0") if a.get("scope") == "global"] == []
    assert _default_routes(c41) == []
    radvd.ensure_alive()
