"""End to end in network namespaces: the kit's radvd and Kea configs on a router, and real
clients per VLAN mode getting exactly the addresses and DNS the plan predicts.

Router namespace: one veth end per VLAN (named by the site's ``interface`` keys), radvd and
kea-dhcp6 started from the kit's own files. One client namespace per VLAN mode, with the MAC
the site file gives. dhclient runs with a script of ours that records what it learned and
applies the address, so nothing outside the namespaces (such as /etc/resolv.conf) is touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv6Address, IPv6Network
from pathlib import Path

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
id = 10
name = "mgmt"
ipv4 = "10.0.10.0/24"
gateway = "10.0.10.1"  # routed: RAs carry a default route and DNS
ipv6 = "static"
interface = "r10"

[[vlan]]
id = 20
name = "servers"
ipv4 = "10.0.20.0/24"
gateway = "10.0.20.1"  # routed: RAs carry a default route and DNS
ipv6 = "slaac"
interface = "r20"

[[vlan]]
id = 110
name = "clients"
ipv4 = "10.0.110.0/24"
gateway = "10.0.110.1"  # routed: RAs carry a default route and DNS
ipv6 = "slaac+dhcpv6"
interface = "r110"

[[vlan]]
id = 130
name = "printers"
ipv4 = "10.0.130.0/24"
gateway = "10.0.130.1"  # routed: RAs carry a default route and DNS
ipv6 = "dhcpv6"
interface = "r130"

[[host]]
name = "ns1"
vlan = 10
ipv4 = "10.0.10.53"

[[host]]
name = "srv"
vlan = 20
ipv4 = "10.0.20.20"
mac = "00:15:5d:77:00:20"

[[host]]
name = "kiosk"
vlan = 110
ipv4 = "10.0.110.10"
mac = "00:15:5d:77:01:10"

[[host]]
name = "prn"
vlan = 130
ipv4 = "10.0.130.7"
mac = "00:15:5d:77:01:30"
ipv6 = "dhcpv6"
"""

TIMEOUT = 40.0


@pytest.fixture
def lab() -> Iterator[netlab.NetLab]:
    netlab.require_lab(tools=("radvd", "kea-dhcp6", "dhclient", "rdisc6", "sysctl"))
    with netlab.NetLab() as the_lab:
        yield the_lab


def test_clients_get_what_the_plan_predicts(lab: netlab.NetLab, tmp_path: Path) -> None:
    kit, plan = site_kit(tmp_path, SITE)
    hosts = {h.host.name: h for h in plan.interfaces}

    router = lab.netns()
    netlab.sysctl_set(router, "net.ipv6.conf.all.forwarding", 1)
    lab.veth(router, "r10", router, "x10")  # VLAN 10 exists on the router, no client needed
    netlab.link_up(router, "r10")
    netlab.link_up(router, "x10")
    c20 = lab.client(router, "r20", "00:15:5d:77:00:20")
    c110 = lab.client(router, "r110", "00:15:5d:77:01:10")
    c130 = lab.client(router, "r130", "00:15:5d:77:01:30")
    for dev in ("r20", "r110", "r130"):
        netlab.wait_for_address(router, dev, IPv6Network("fe80::/64"), timeout=TIMEOUT)

    lab.radvd(router, kit / "radvd" / "radvd.conf", tmp_path)
    kea = lab.kea_dhcp6(router, kit / "kea" / "kea-dhcp6.conf", tmp_path)

    # slaac: exactly the predicted EUI-64 address, and the RA carries the RDNSS server
    srv = hosts["srv"].ipv6
    assert srv is not None
    got = netlab.wait_for_address(c20, "eth0", IPv6Network("2001:db8:77:20::/64"), timeout=TIMEOUT)
    assert IPv6Address(got["local"]) == srv
    ra = netlab.run(["rdisc6", "-1", "eth0"], ns=c20, timeout=30).stdout
    ns1 = hosts["ns1"].ipv6
    assert ns1 is not None
    assert f"Recursive DNS server     : {ns1}" in ra, ra

    # dhcpv6: the client leases exactly the reserved address
    record = lab.dhclient(c130, tmp_path)
    prn = hosts["prn"].ipv6
    assert prn is not None
    assert str(prn).startswith("2001:db8:77:130::d6:")
    netlab.poll_until(
        lambda: netlab.learned(record, "new_ip6_address"), what="a DHCPv6 lease", timeout=TIMEOUT
    )
    kea.ensure_alive()
    assert IPv6Address(netlab.learned(record, "new_ip6_address") or "::") == prn
    got = netlab.wait_for_address(
        c130, "eth0", IPv6Network("2001:db8:77:130::/64"), timeout=TIMEOUT
    )
    assert IPv6Address(got["local"]) == prn

    # slaac+dhcpv6: the SLAAC address, and the DNS options by stateless DHCPv6
    kiosk = hosts["kiosk"].ipv6
    assert kiosk is not None
    got = netlab.wait_for_address(
        c110, "eth0", IPv6Network("2001:db8:77:110::/64"), timeout=TIMEOUT
    )
    assert IPv6Address(got["local"]) == kiosk
    record = lab.dhclient(c110, tmp_path, "-S")
    servers = netlab.poll_until(
        lambda: netlab.learned(record, "new_dhcp6_name_servers"),
        what="DNS servers by stateless DHCPv6",
        timeout=TIMEOUT,
    )
    assert servers.split() == [str(ns1)]
    assert netlab.learned(record, "new_dhcp6_domain_search") == "lab.example."


# DDNS (Kea -> kea-dhcp-ddns -> BIND) is proven in tests/test_ddns_lab.py: reserved hosts' names
# are the zone files', only pool clients are registered, and no update is ever refused.
