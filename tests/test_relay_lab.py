"""A central DHCPv6 server behind a relay, end to end in network namespaces.

client ── r130 [router: radvd + dhcrelay -6, both from the kit] r20 ── eth0 [server: kea-dhcp6]

The site says ``[dhcp] server = "…:20::547"``: the kit's Kea listens on the server's one
interface with that address and picks each subnet by the relay's link address; the router
runs radvd and ISC dhcrelay exactly as the kit's radvd.conf and router/dhcrelay6.service say.
What must hold: the client on VLAN 130 (which the server is not on) leases exactly its
reserved address, the relay's log shows the exchange passed through it, and Kea's log shows
the allocation.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from ipaddress import IPv6Address, IPv6Network
from pathlib import Path

import pytest

from tests import netlab
from tests.testdata import SETTINGS_SITE, site_kit

pytestmark = pytest.mark.netns

SERVER = "2001:db8:77:20::547"
SITE = SETTINGS_SITE.replace(
    "[[vlan]]\nid = 20\n",
    f'[dhcp]\nserver = "{SERVER}"\nserver_interface = "eth0"\n\n[[vlan]]\nid = 20\n',
    1,
)
TIMEOUT = 40.0


@pytest.fixture
def lab() -> Iterator[netlab.NetLab]:
    netlab.require_lab(tools=("radvd", "kea-dhcp6", "dhclient", "dhcrelay", "sysctl"))
    with netlab.NetLab() as the_lab:
        yield the_lab


def _exec_start(unit: Path) -> list[str]:
    """The command line of a systemd unit's ExecStart, as systemd would split it."""
    lines = [line for line in unit.read_text().splitlines() if line.startswith("ExecStart=")]
    assert len(lines) == 1, lines
    return shlex.split(lines[0].removeprefix("ExecStart="))


def test_a_relayed_client_leases_its_reservation(lab: netlab.NetLab, tmp_path: Path) -> None:
    kit, plan = site_kit(tmp_path, SITE)
    desk1 = next(h for h in plan.interfaces if h.host.name == "desk1")
    assert desk1.ipv6 is not None
    gateways = {v.vlan.id: v.gateway6 for v in plan.vlans}

    router = lab.netns()
    server = lab.netns()
    netlab.sysctl_set(router, "net.ipv6.conf.all.forwarding", 1)
    lab.veth(router, "r20", server, "eth0")
    for dev in ("r90", "r110"):  # in radvd.conf and the relay's list; no client needed
        peer = lab.netns()
        lab.veth(router, dev, peer, "eth0")
        netlab.link_up(peer, "eth0")
    client = lab.client(router, "r130", "00:15:5d:77:01:30")
    for ns, dev in ((router, "r20"), (server, "eth0"), (router, "r90"), (router, "r110")):
        netlab.link_up(ns, dev)
    # the router's own addresses are the plan's gateway6; the server's is [dhcp] server
    for vid, dev in ((20, "r20"), (130, "r130"), (110, "r110")):
        netlab.run(
            ["ip", "-6", "addr", "add", f"{gateways[vid]}/64", "dev", dev, "nodad"], ns=router
        )
    netlab.run(["ip", "-6", "addr", "add", f"{SERVER}/64", "dev", "eth0", "nodad"], ns=server)
    netlab.run(["ip", "-6", "route", "add", "default", "via", str(gateways[20])], ns=server)
    for dev in ("r20", "r130", "r110"):
        netlab.wait_for_address(router, dev, IPv6Network("fe80::/64"), timeout=TIMEOUT)
    netlab.wait_for_address(server, "eth0", IPv6Network("fe80::/64"), timeout=TIMEOUT)

    conf = (kit / "kea" / "kea-dhcp6.conf").read_text()
    assert '"eth0/2001:db8:77:20::547"' in conf
    assert '"interface"' not in conf  # subnets are chosen by the relay's link address
    kea = lab.kea_dhcp6(server, kit / "kea" / "kea-dhcp6.conf", tmp_path)
    lab.radvd(router, kit / "radvd" / "radvd.conf", tmp_path)
    argv = _exec_start(kit / "router" / "dhcrelay6.service")
    assert argv[:3] == ["/usr/sbin/dhcrelay", "-6", "-d"]
    relay = lab.start(router, argv, tmp_path / "dhcrelay.log", name="dhcrelay")

    record = lab.dhclient(client, tmp_path)
    leased = netlab.poll_until(
        lambda: netlab.learned(record, "new_ip6_address"), what="a relayed lease", timeout=TIMEOUT
    )
    assert IPv6Address(leased) == desk1.ipv6
    got = netlab.wait_for_address(client, "eth0", IPv6Network("2001:db8:77:130::/64"))
    assert IPv6Address(got["local"]) == desk1.ipv6
    kea.ensure_alive()
    relay.ensure_alive()
    # the exchange went through the relay, both ways, and Kea allocated the reservation
    relayed = relay.log_text()
    for step in ("Relaying Request from fe80::", "going up", "Relaying Reply to fe80::"):
        assert step in relayed, relayed
    assert f"lease for address {desk1.ipv6} and iaid=" in kea.log_text()
