"""``dualstack reconcile`` on a real network: radvd from the kit on a router namespace, two
clients the plan predicts as EUI-64; one forms exactly that, the other runs stable privacy
(``addr_gen_mode`` 3) as a client whose admin changed it would. With the router's real ``ip
-j -6 neigh`` (the clients have pinged the router from their global addresses), reconcile
finds the first client's planned address, and for the second flags that the planned address
was not formed and names the address its MAC uses instead. The kit's Kea hands a planned
printer its reserved lease and an unplanned client one reconcile reports; and with a real BIND
lacking a client's records, ``--fix dns`` sends them and ``dns audit --site`` is clean."""

from __future__ import annotations

import json
import subprocess
import sys
from ipaddress import IPv6Address, IPv6Network
from pathlib import Path

import pytest

from tests import netlab
from tests.bindlab import kit_zones, running_bind
from tests.testdata import LAB_HEADER, site_kit

pytestmark = pytest.mark.netns

SITE = (
    LAB_HEADER
    + """
[[vlan]]
id = 10
name = "mgmt"
ipv4 = "10.0.10.0/24"
gateway = "10.0.10.1"
ipv6 = "static"
interface = "r10"

[[vlan]]
id = 20
name = "office"
ipv4 = "10.0.20.0/24"
gateway = "10.0.20.1"
ipv6 = "slaac"
interface = "r20"

[[vlan]]
id = 30
name = "lab"
ipv4 = "10.0.30.0/24"
gateway = "10.0.30.1"
ipv6 = "slaac"
interface = "r30"

[[vlan]]
id = 40
name = "printers"
ipv4 = "10.0.40.0/24"
gateway = "10.0.40.1"
ipv6 = "dhcpv6"
interface = "r40"

[[host]]
name = "prn"
vlan = 40
ipv4 = "10.0.40.7"
mac = "02:00:5e:77:00:40"
ipv6 = "dhcpv6"

[[host]]
name = "ns1"
vlan = 10
ipv4 = "10.0.10.53"
ipv6 = "static"

[[host]]
name = "pc-eui"
vlan = 20
ipv4 = "10.0.20.20"
mac = "02:00:5e:77:00:20"
ipv6 = "eui64"

[[host]]
name = "pc-stable"
vlan = 30
ipv4 = "10.0.30.30"
mac = "02:00:5e:77:00:30"
ipv6 = "eui64"
"""
)
TIMEOUT = 40.0
# an ICMPv6 echo request to the router from the client's own address: the router's reply makes
# it resolve that address, so the address and the client's MAC land in its neighbour table
ECHO = r"""
import socket, sys, time
sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
sock.settimeout(2)
for _ in range(3):
    sock.sendto(bytes([128, 0, 0, 0, 0, 1, 0, 1]) + b"dualstack", (sys.argv[1], 0))
    try:
        while True:
            reply = sock.recv(2048)
            if reply[0] == 129:
                sys.exit(0)
    except TimeoutError:
        time.sleep(0.2)
sys.exit(1)
"""


def test_reconcile_finds_formed_and_unplanned_addresses(tmp_path: Path) -> None:
    netlab.require_lab(tools=("radvd", "sysctl", "kea-dhcp6", "dhclient"))
    kit, plan = site_kit(tmp_path, SITE)
    vlans = {v.vlan.id: v for v in plan.vlans}
    with netlab.NetLab() as lab:
        router = lab.netns()
        netlab.sysctl_set(router, "net.ipv6.conf.all.forwarding", 1)
        lab.veth(router, "r10", router, "x10")
        netlab.link_up(router, "r10")
        netlab.link_up(router, "x10")
        eui = lab.client(router, "r20", "02:00:5e:77:00:20")
        stable = lab.client(router, "r30", "02:00:5e:77:00:30")
        netlab.sysctl_set(stable, "net.ipv6.conf.eth0.addr_gen_mode", 3)
        netlab.run(["ip", "-n", stable, "link", "set", "eth0", "down"])
        netlab.link_up(stable, "eth0")
        for vid, dev in ((20, "r20"), (30, "r30")):
            gateway = vlans[vid].gateway6
            assert gateway is not None
            netlab.run(["ip", "-n", router, "addr", "add", f"{gateway}/64", "dev", dev, "nodad"])
            netlab.wait_for_address(router, dev, IPv6Network("fe80::/64"), timeout=TIMEOUT)
        # VLAN 40: DHCPv6 from the kit's Kea, the planned printer and a client nobody planned
        netlab.add_bridge(router, "r40")
        printer = netlab.bridged_client(lab, router, "r40", "p1", "02:00:5e:77:00:40")
        stranger = netlab.bridged_client(lab, router, "r40", "p2", "02:00:5e:77:09:99")
        netlab.wait_for_address(router, "r40", IPv6Network("fe80::/64"), timeout=TIMEOUT)
        lab.radvd(router, kit / "radvd" / "radvd.conf", tmp_path)
        lab.kea_dhcp6(router, kit / "kea" / "kea-dhcp6.conf", tmp_path)
        records = [lab.dhclient(c, tmp_path) for c in (printer, stranger)]
        for record in records:
            netlab.poll_until(
                lambda r=record: netlab.learned(r, "new_ip6_address"),
                what="a DHCPv6 lease",
                timeout=TIMEOUT,
            )
        for client, vid in ((eui, 20), (stable, 30)):
            prefix = vlans[vid].ipv6
            assert prefix is not None
            netlab.wait_for_address(client, "eth0", prefix, timeout=TIMEOUT)
            # traffic from the global address puts it in the router's neighbour table
            gateway = str(vlans[vid].gateway6)
            netlab.run([sys.executable, "-c", ECHO, gateway], ns=client, timeout=30)
        dump = tmp_path / "neigh.json"
        dump.write_text(netlab.run(["ip", "-n", router, "-j", "-6", "neigh"]).stdout)
        formed = {
            c: [a["local"] for a in netlab.ipv6_addresses(c, "eth0") if a["scope"] == "global"]
            for c in (eui, stable)
        }
    observed = ["--neigh", str(dump), "--leases", str(tmp_path / "leases6.csv")]
    done = reconciled(tmp_path, *observed)
    assert done.returncode == 1, done.stderr  # one client differs from the plan
    rows = {r["host"]: r for r in json.loads(done.stdout)["hosts"]}
    planned_eui = next(n.ipv6 for n in plan.interfaces if n.host.name == "pc-eui")
    assert formed[eui] == [str(planned_eui)]
    assert rows["pc-eui"]["formed"] is True
    assert rows["pc-eui"]["unplanned"] == []
    assert rows["pc-stable"]["formed"] is False
    assert rows["pc-stable"]["unplanned"] == formed[stable]
    assert IPv6Address(formed[stable][0]) != next(
        n.ipv6 for n in plan.interfaces if n.host.name == "pc-stable"
    )
    assert rows["ns1"]["formed"] is None  # never seen: no traffic from it here
    # the printer's reserved lease is its planned address; the stranger's is an unknown client
    assert rows["prn"]["formed"] is True
    unknown = json.loads(done.stdout)["unknown_leases"]
    assert [(u["mac"], u["address"].startswith("2001:db8:77:40:")) for u in unknown] == [
        ("02:00:5e:77:09:99", True)
    ]
    # every address the router saw belongs to a planned NIC or to that unknown lease
    assert json.loads(done.stdout)["unattributed"] == []

    # DNS: a real BIND serving the kit's zones without pc-eui's records; --fix dns sends them
    with running_bind(tmp_path / "bind", kit_zones(kit, leave_out="pc-eui")) as bind:
        key = bind.write_key(tmp_path / "key.conf")
        server = ["--axfr", bind.address, "--port", str(bind.port), "--key-file", str(key)]
        before = reconciled(tmp_path, *observed, *server)
        fixed = reconciled(tmp_path, *observed, *server, "--fix", "dns")
        audit = subprocess.run(
            [sys.executable, "-m", "dualstack", "dns", "audit", "--site",
             str(tmp_path / "site.toml"), "--server", bind.address, "--port", str(bind.port),
             "--key-file", str(key), "--json"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    missing = {r["host"]: r["dns_missing"] for r in json.loads(before.stdout)["hosts"]}
    assert missing["pc-eui"] == [f"pc-eui.lab.example. AAAA {planned_eui}"]
    assert [h for h, m in missing.items() if m] == ["pc-eui"]
    after = {r["host"]: r for r in json.loads(fixed.stdout)["hosts"]}
    assert after["pc-eui"]["dns_missing"] == []
    assert after["pc-eui"]["formed"] is True
    assert audit.returncode == 0, audit.stdout + audit.stderr


def reconciled(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dualstack", "reconcile", str(tmp_path / "site.toml"), *args,
         "--json"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
