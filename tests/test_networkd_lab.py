"""The real systemd-networkd, run on the kit's ``.network`` files, configures exactly the
planned addresses on a Linux host's static NICs and leaves its kernel-SLAAC NICs alone.

One ``os = "linux"`` host with four named NICs, each on its own VLAN and veth to a router
namespace that runs the real radvd on the kit's radvd.conf:

- ``ens3`` static on a static VLAN (RA: A=0, a default router, DNS options);
- ``ens6`` static on a SLAAC VLAN without a router (RA: A=1, router lifetime 0), the case
  where only the file's ``UseAutonomousPrefix=no`` keeps a SLAAC address from forming beside
  the planned ones;
- ``ens4`` ``eui64`` and ``ens5`` ``stable``, which the kit leaves to the kernel
  (``linux/<host>.sysctl.conf``) and gives no ``.network`` file.

In the host namespace the kit's sysctl file is applied with ``sysctl -p``, then the real
systemd-networkd starts with exactly the kit's ``linux/*.network`` files
(:func:`tests.netlab.start_networkd` has the recipe). networkctl needs D-Bus in systemd 252,
so networkd's view is read from its state files (``/run/systemd/netif/links/<ifindex>``, what
networkctl reads).

networkd brings up only the links it manages: a NIC no ``.network`` matches stays down and
unmanaged, so the kit writes ``linux/<host>.slaac-up.service`` to bring the SLAAC NICs up.
The test shows they stay down, runs that unit's commands, and checks that the kernel formed
the planned addresses while networkd ran.

RFC 7217 on veth: the kernel hashes the device's permanent address, all zeros on a veth (see
tests/test_linux_agent.py), so the ``stable`` NIC is compared with ``stable_address`` over
those zeros, and the plan with the same function over the MAC.
"""

from __future__ import annotations

import json
import shlex
import shutil
from collections.abc import Iterator
from ipaddress import IPv4Interface, IPv6Address, IPv6Network, ip_interface
from pathlib import Path
from typing import Any

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
ipv6_prefix = "2001:db8:78::/48"
ula_prefix = "fd00:78:1::/48"
stable_secret = "{SECRET}"

[dns]
nameservers = ["ns1.lab.example."]
ddns = false

[[vlan]]
id = 10
name = "mgmt"
ipv4 = "10.0.10.0/24"
gateway = "10.0.10.1"
ipv6 = "static"
interface = "r10"

[[vlan]]
id = 20
name = "servers"
ipv4 = "10.0.20.0/24"
gateway = "10.0.20.1"
ipv6 = "slaac"
interface = "r20"

[[vlan]]
id = 30
name = "backup"
ipv4 = "10.0.30.0/24"
gateway = "10.0.30.1"
ipv6 = "slaac"
interface = "r30"

[[vlan]]
id = 40
name = "storage"
ipv4 = "10.0.40.0/24"
ipv6 = "slaac"
interface = "r40"

[[host]]
name = "ns1"
vlan = 10
ipv4 = "10.0.10.53"
ipv6 = "static"

[[host]]
name = "app"
os = "linux"
  [[host.interface]]
  name = "ens3"
  vlan = 10
  ipv4 = "10.0.10.31"
  mac = "00:15:5d:78:00:31"
  ipv6 = "static"
  [[host.interface]]
  name = "ens4"
  vlan = 20
  ipv4 = "10.0.20.31"
  mac = "00:15:5d:78:00:32"
  ipv6 = "eui64"
  [[host.interface]]
  name = "ens5"
  vlan = 30
  ipv4 = "10.0.30.31"
  mac = "00:15:5d:78:00:33"
  ipv6 = "stable"
  [[host.interface]]
  name = "ens6"
  role = "storage"
  vlan = 40
  ipv4 = "10.0.40.31"
  mac = "00:15:5d:78:00:34"
  ipv6 = "static"
"""
# host NIC -> router end of its veth (the VLAN's `interface`, which radvd.conf names)
NICS = {"ens3": "r10", "ens4": "r20", "ens5": "r30", "ens6": "r40"}
STATIC = ("ens3", "ens6")
KERNEL = ("ens4", "ens5")
LINK_LOCAL = IPv6Network("fe80::/10")
TIMEOUT = 40.0


@pytest.fixture
def lab() -> Iterator[netlab.NetLab]:
    netlab.require_lab(tools=("radvd", "ethtool", "sysctl", "unshare"))
    netlab.require_networkd()
    with netlab.NetLab() as the_lab:
        yield the_lab


def _kit(tmp_path: Path) -> tuple[Path, dict[str, InterfacePlan]]:
    """The kit for SITE and the plan of host app's NICs by device name."""
    kit, plan = site_kit(tmp_path, SITE)
    return kit, {h.interface.name: h for h in plan.interfaces if h.host.name == "app"}


def _addresses(ns: str, dev: str) -> list[dict[str, Any]]:
    """Every address of ``dev`` (both families), as ``ip -j addr`` gives them."""
    out = netlab.run(["ip", "-n", ns, "-j", "addr", "show", "dev", dev]).stdout
    links: list[dict[str, Any]] = json.loads(out or "[]")
    return [info for link in links for info in link.get("addr_info", [])]


def _ipv6_beyond_link_local(ns: str, dev: str) -> set[IPv6Address] | None:
    """The IPv6 addresses of ``dev`` outside fe80::/10, or None while any is still in DAD."""
    found = [a for a in _addresses(ns, dev) if a["family"] == "inet6"]
    if any(a.get("tentative") for a in found):
        return None
    assert not any(a.get("dadfailed") for a in found), found
    addresses = {IPv6Address(a["local"]) for a in found}
    return {a for a in addresses if a not in LINK_LOCAL}


def _link_locals(ns: str, dev: str) -> list[str]:
    return [
        a["local"]
        for a in _addresses(ns, dev)
        if a["family"] == "inet6" and IPv6Address(a["local"]) in LINK_LOCAL
    ]


def _admin_state(workdir: Path, ns: str, dev: str) -> str | None:
    ifindex = int(netlab.link_info(ns, dev)["ifindex"])
    return netlab.networkd_link_state(workdir, ifindex).get("ADMIN_STATE")


def _kit_sysctls(conf: Path) -> dict[str, str]:
    """The ``key = value`` lines of the kit's sysctl file."""
    pairs = (
        line.split("=", 1)
        for line in conf.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )
    return {key.strip(): value.strip() for key, value in pairs}


def test_networkd_configures_static_nics_and_leaves_kernel_nics_alone(
    lab: netlab.NetLab, tmp_path: Path
) -> None:
    kit, nics = _kit(tmp_path)
    network_files = sorted((kit / "linux").glob("*.network"))
    assert [p.name for p in network_files] == ["app-ens3.network", "app-ens6.network"]
    sysctl_conf = kit / "linux" / "app.sysctl.conf"
    assert "UseAutonomousPrefix=no" in network_files[1].read_text()

    router = lab.netns()
    netlab.sysctl_set(router, "net.ipv6.conf.all.forwarding", 1)
    host = lab.netns()
    for dev, router_dev in NICS.items():
        lab.veth(router, router_dev, host, dev)
        netlab.set_mac(host, dev, nics[dev].interface.mac)
        netlab.link_up(router, router_dev)
    # What a user does: the kit's sysctl file (systemd-sysctl applies it at boot, before the
    # network comes up), then networkd with the kit's .network files, nothing else.
    netlab.run(["sysctl", "-p", str(sysctl_conf)], ns=host)
    # The host's NICs are still down, so the router's ends have no carrier and no link-local
    # address yet: radvd starts anyway and advertises on each once its link comes up.
    radvd = lab.radvd(router, kit / "radvd" / "radvd.conf", tmp_path)
    network_dir = tmp_path / "network"
    network_dir.mkdir()
    for path in network_files:
        shutil.copyfile(path, network_dir / path.name)
    workdir = tmp_path / "networkd"
    networkd = netlab.start_networkd(lab, host, network_dir, workdir)

    def logs() -> str:
        return f"\nnetworkd log:\n{networkd.log_text()}\nradvd log:\n{radvd.log_text()}"

    def poll(check: Any, what: str) -> Any:
        try:
            return netlab.poll_until(check, what=what, timeout=TIMEOUT)
        except netlab.PollTimeout as exc:
            networkd.ensure_alive()
            radvd.ensure_alive()
            raise AssertionError(f"{exc}{logs()}") from exc

    # --- static NICs: networkd brings them up and configures exactly the plan ---------------
    for dev in STATIC:
        h = nics[dev]
        poll(lambda dev=dev: _admin_state(workdir, host, dev) == "configured", f"{dev} configured")
        state = netlab.networkd_link_state(workdir, int(netlab.link_info(host, dev)["ifindex"]))
        assert state["NETWORK_FILE"] == f"/etc/systemd/network/app-{dev}.network"
        # the name servers it hands on (to resolved): ns1's, both families, on the management
        # NIC (the RA's RDNSS repeats the IPv6 one); none on the storage one
        servers = {"2001:db8:78:10::53", "10.0.10.53"} if dev == "ens3" else set()
        assert set(state.get("DNS", "").split()) == servers
        got = poll(lambda dev=dev: _ipv6_beyond_link_local(host, dev), f"{dev} past DAD")
        assert got == {h.ipv6, h.ula}, logs()
        ipv4 = [
            ip_interface(f"{a['local']}/{a['prefixlen']}")
            for a in _addresses(host, dev)
            if a["family"] == "inet"
        ]
        assert h.interface.ipv4 is not None
        assert ipv4 == [IPv4Interface(f"{h.interface.ipv4}/24")]
        # networkd took the RA (it installs the advertised on-link prefixes as proto ra) ...
        ra_routes = netlab.run(["ip", "-6", "route", "show", "dev", dev, "proto", "ra"], ns=host)
        assert h.vlan.ipv6 is not None
        assert str(h.vlan.ipv6) in ra_routes.stdout, logs()
    # ... and on ens6 that RA said A=1: still no address beside the planned ones (above), and
    # no default route from a VLAN whose RA says it has no router (lifetime 0).
    radvd_conf = (kit / "radvd" / "radvd.conf").read_text()
    assert "AdvAutonomous on" in radvd_conf.split("interface r40 {")[1].split("\n};")[0]
    default_ra = netlab.run(["ip", "-6", "route", "show", "default", "proto", "ra"], ns=host)
    assert "dev ens3" in default_ra.stdout
    assert "dev ens6" not in default_ra.stdout
    # networkd took every line of the kit's files: it reports each line it rejects or ignores
    # as FILE:LINE (an unknown key or a bad value would otherwise pass unnoticed)
    rejected = [
        line
        for line in networkd.log_text().splitlines()
        if line.startswith("/etc/systemd/network/")
    ]
    assert rejected == []

    # --- kernel NICs: networkd does not manage them, so it does not even bring them up -----
    for dev in KERNEL:
        poll(lambda dev=dev: _admin_state(workdir, host, dev) == "unmanaged", f"{dev} unmanaged")
        assert "UP" not in netlab.link_info(host, dev)["flags"]
    # the kit's unit brings them up: run its ExecStart lines as systemd would
    unit = (kit / "linux" / "app.slaac-up.service").read_text().splitlines()
    commands = [
        shlex.split(line.removeprefix("ExecStart="))
        for line in unit
        if line.startswith("ExecStart=")
    ]
    assert [c[-2] for c in commands] == ["ens4", "ens5"]
    assert (
        "Requires=sys-subsystem-net-devices-ens4.device sys-subsystem-net-devices-ens5.device"
        in unit
    )
    for command in commands:
        netlab.run(command, ns=host)

    def formed(dev: str) -> set[IPv6Address] | None:
        found = _ipv6_beyond_link_local(host, dev)
        return found if found is not None and len(found) >= 2 else None

    eui = nics["ens4"]
    assert eui.interface.mac is not None
    assert eui.vlan.ipv6 is not None
    assert poll(lambda: formed("ens4"), "ens4's SLAAC addresses") == {eui.ipv6, eui.ula}
    assert eui.ipv6 == eui64_address(eui.vlan.ipv6, eui.interface.mac)

    stable = nics["ens5"]
    perm = netlab.permanent_address(host, "ens5")
    assert perm == bytes(6), "a veth's perm_addr is unset: the kernel hashes zeros"
    secret = IPv6Address(SECRET)
    assert stable.interface.mac is not None
    assert stable.vlan.ipv6 is not None
    assert stable.vlan.ula is not None
    assert poll(lambda: formed("ens5"), "ens5's SLAAC addresses") == {
        stable_address(stable.vlan.ipv6, secret, hwaddr=perm),
        stable_address(stable.vlan.ula, secret, hwaddr=perm),
    }
    assert stable.ipv6 == stable_address(stable.vlan.ipv6, secret, hwaddr=stable.interface.mac)
    assert stable.ula == stable_address(stable.vlan.ula, secret, hwaddr=stable.interface.mac)

    # networkd still leaves them alone: unmanaged, one (kernel) link-local address each, and
    # every setting of the kit's sysctl file as the file set it.
    for dev in KERNEL:
        assert _admin_state(workdir, host, dev) == "unmanaged"
        assert len(_link_locals(host, dev)) == 1
        # the default route the kernel learned from the RA stays too (no foreign-route cleanup)
        routes = netlab.run(["ip", "-6", "route", "show", "default", "dev", dev], ns=host)
        assert "proto ra" in routes.stdout, routes.stdout + logs()
    for key, value in _kit_sysctls(sysctl_conf).items():
        now = netlab.sysctl_get(host, key)
        if key.endswith(".stable_secret"):  # the kernel prints it uncompressed
            assert IPv6Address(now) == IPv6Address(value), key
        else:
            assert now == value, key
    networkd.ensure_alive()
    radvd.ensure_alive()
