"""Linux NICs in ``eui64`` and ``stable`` mode form exactly the planned addresses, proven with
the real kernel configured by the kit's own files.

The agent is the kernel (see dualstack.emit.sysctl for why not systemd-networkd: networkd runs
SLAAC itself, writes ``accept_ra = 0`` on the links it manages, and its ``Token=prefixstable``
hashes other inputs than the kernel's RFC 7217, so it cannot form a ``stable_secret`` address).
systemd-networkd 252 does run in a namespace here (with a private mount namespace, a read-only
/sys so it does not wait for udev, and its own /run/systemd/netif), but it is not the agent the
kit configures for these NICs, so this test drives the kernel the way the kit's file says.

For each case a router namespace runs the real radvd on the kit's radvd/radvd.conf (which
advertises the VLAN's global and ULA /64s as autonomous) and a host namespace applies the kit's
``linux/<host>.sysctl.conf`` with ``sysctl -p`` exactly as a user would, before the link comes
up. Then the kernel's addresses in both prefixes must be the plan's.

RFC 7217 on veth: the kernel hashes the device's *permanent* address, which is the burned-in
MAC on a real NIC (what the plan hashes) but all zeros on a veth, and a veth's perm_addr cannot
be set. So for ``stable`` the test checks two things: the kernel's address equals
``stable_address`` computed with the zero perm_addr it really hashes, and the plan's address
equals ``stable_address`` with the MAC, i.e. the same function with the input a real NIC gives.
"""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv6Address, IPv6Network
from pathlib import Path

import pytest

from dualstack.addr.slaac import eui64_address, stable_address
from dualstack.plan.model import InterfacePlan
from tests import netlab
from tests.testdata import site_kit

pytestmark = pytest.mark.netns

SECRET = "2001:db8:dead:beef:1:2:3:4"
SITE = f"""
[site]
name = "lab"
domain = "lab.example"
ipv6_prefix = "2001:db8:77::/48"
ula_prefix = "fd00:77:1::/48"
stable_secret = "{SECRET}"

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

[[host]]
name = "ns1"
vlan = 20
ipv4 = "10.0.20.53"
ipv6 = "static"

[[host]]
name = "web"
os = "linux"
  [[host.interface]]
  name = "ens18"
  vlan = 20
  ipv4 = "10.0.20.21"
  mac = "00:15:5d:77:00:21"
  ipv6 = "eui64"

[[host]]
name = "db"
os = "linux"
  [[host.interface]]
  name = "ens19"
  vlan = 20
  ipv4 = "10.0.20.22"
  mac = "00:15:5d:77:00:22"
  ipv6 = "stable"

[[host]]
name = "files"
os = "linux"
vlan = 20
ipv4 = "10.0.20.23"
mac = "00:15:5d:77:00:23"
ipv6 = "stable"
"""
LINK_LOCAL = IPv6Network("fe80::/64")
ROUTER_DEV = "r20"
TIMEOUT = 40.0


@pytest.fixture
def lab() -> Iterator[netlab.NetLab]:
    netlab.require_lab(tools=("radvd", "ethtool", "sysctl"))
    with netlab.NetLab() as the_lab:
        yield the_lab


def _kit(tmp_path: Path) -> tuple[Path, dict[str, InterfacePlan]]:
    """The kit for SITE and the plan's NICs by host name."""
    kit, plan = site_kit(tmp_path, SITE)
    return kit, {h.host.name: h for h in plan.interfaces}


def _formed(
    lab: netlab.NetLab, tmp_path: Path, kit: Path, h: InterfacePlan, dev: str
) -> tuple[str, IPv6Address, IPv6Address]:
    """Bring up router + host, apply the kit's sysctl file in the host namespace, and return
    (host namespace, global address, ULA address) once the kernel formed both."""
    router = lab.netns()
    netlab.sysctl_set(router, "net.ipv6.conf.all.forwarding", 1)
    host = lab.netns()
    lab.veth(router, ROUTER_DEV, host, dev)
    assert h.interface.mac is not None
    netlab.set_mac(host, dev, h.interface.mac)
    # What a user does: sysctl -p the kit's file (systemd-sysctl at boot does the same).
    conf = kit / "linux" / f"{h.host.name}.sysctl.conf"
    netlab.run(["sysctl", "-p", str(conf)], ns=host)
    netlab.link_up(router, ROUTER_DEV)
    netlab.link_up(host, dev)
    netlab.wait_for_address(router, ROUTER_DEV, LINK_LOCAL, timeout=TIMEOUT)
    radvd = lab.radvd(router, kit / "radvd" / "radvd.conf", tmp_path)
    assert h.vlan.ipv6 is not None
    assert h.vlan.ula is not None
    try:
        got = netlab.wait_for_address(host, dev, h.vlan.ipv6, timeout=TIMEOUT)
        ula = netlab.wait_for_address(host, dev, h.vlan.ula, timeout=TIMEOUT)
    except netlab.PollTimeout as exc:
        radvd.ensure_alive()
        raise AssertionError(f"{exc}\nradvd log:\n{radvd.log_text()}") from exc
    return host, IPv6Address(got["local"]), IPv6Address(ula["local"])


def test_eui64_nic_forms_the_planned_addresses(lab: netlab.NetLab, tmp_path: Path) -> None:
    kit, hosts = _kit(tmp_path)
    h = hosts["web"]
    ns, global_ip, ula_ip = _formed(lab, tmp_path, kit, h, "ens18")

    assert netlab.sysctl_get(ns, "net.ipv6.conf.ens18.addr_gen_mode") == "0"
    assert (global_ip, ula_ip) == (h.ipv6, h.ula)
    assert h.interface.mac is not None
    assert h.vlan.ipv6 is not None
    assert global_ip == eui64_address(h.vlan.ipv6, h.interface.mac)


@pytest.mark.parametrize(
    ("host", "dev", "key"),
    [
        pytest.param("db", "ens19", "ens19", id="named-nic"),
        # The one-NIC shorthand names no NIC: the file sets `default`, and the kernel applies
        # default.stable_secret to the device that already exists (as at boot).
        pytest.param("files", "ens20", "default", id="unnamed-nic"),
    ],
)
def test_stable_nic_forms_the_planned_addresses(
    lab: netlab.NetLab, tmp_path: Path, host: str, dev: str, key: str
) -> None:
    kit, hosts = _kit(tmp_path)
    h = hosts[host]
    assert (
        f"net.ipv6.conf.{key}.stable_secret" in (kit / "linux" / f"{host}.sysctl.conf").read_text()
    )
    ns, global_ip, ula_ip = _formed(lab, tmp_path, kit, h, dev)
    perm = netlab.permanent_address(ns, dev)
    assert perm == bytes(6), "a veth's perm_addr is unset: the kernel hashes zeros"
    assert h.interface.mac is not None
    assert h.vlan.ipv6 is not None
    assert h.vlan.ula is not None
    secret = IPv6Address(SECRET)

    assert netlab.sysctl_get(ns, f"net.ipv6.conf.{dev}.addr_gen_mode") == "2"
    # The kernel formed RFC 7217 with the kit's secret in both advertised prefixes ...
    assert global_ip == stable_address(h.vlan.ipv6, secret, hwaddr=perm)
    assert ula_ip == stable_address(h.vlan.ula, secret, hwaddr=perm)
    # ... and the plan is that same function over the input a real NIC gives (perm = MAC).
    assert h.ipv6 == stable_address(h.vlan.ipv6, secret, hwaddr=h.interface.mac)
    assert h.ula == stable_address(h.vlan.ula, secret, hwaddr=h.interface.mac)
