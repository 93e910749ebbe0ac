"""The SLAAC predictions in dualstack.addr.slaac against the running Linux kernel.

A "router" namespace runs radvd advertising 2001:db8:1200:20::/64 (autonomous) on one end of a
veth pair; the "host" namespace holds the other end with a known MAC and lets the kernel form
its addresses. Each test then compares what the kernel chose with what we predict:

* addr_gen_mode 0: modified EUI-64 from the configured MAC, for the global and link-local address;
* addr_gen_mode 2 with a stable_secret: RFC 7217 as ``ipv6_generate_stable_address`` computes
  it, hashing the device's *permanent* address (all zeros for veth, not the configured MAC).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import IPv6Address, IPv6Network
from pathlib import Path
from typing import Any

import pytest

from dualstack.addr.mac import Mac
from dualstack.addr.slaac import eui64_address, stable_address
from tests import netlab

pytestmark = pytest.mark.netns

PREFIX = IPv6Network("2001:db8:1200:20::/64")
LINK_LOCAL = IPv6Network("fe80::/64")
HOST_MAC = Mac.parse("00:15:5d:01:14:0b")
SECRET = IPv6Address("2001:db8:dead:beef:1:2:3:4")
OTHER_SECRET = IPv6Address("2001:db8:f00d:cafe:5:6:7:8")
ROUTER_DEV = "ds-rtr0"
HOST_DEV = "ds-host0"
ADDRESS_TIMEOUT = 30.0

RADVD_CONF = """\
interface {dev} {{
    AdvSendAdvert on;
    MinRtrAdvInterval 3;
    MaxRtrAdvInterval 4;
    prefix {prefix} {{
        AdvOnLink on;
        AdvAutonomous on;
        AdvValidLifetime 600;
        AdvPreferredLifetime 300;
    }};
}};
"""


@dataclass(frozen=True)
class SlaacHost:
    """The host side of a lab once the kernel has formed its addresses."""

    ns: str
    dev: str
    global_addr: dict[str, Any]
    link_local: dict[str, Any]

    @property
    def global_ip(self) -> IPv6Address:
        return IPv6Address(self.global_addr["local"])

    @property
    def link_local_ip(self) -> IPv6Address:
        return IPv6Address(self.link_local["local"])


@pytest.fixture
def lab() -> Iterator[netlab.NetLab]:
    netlab.require_lab(tools=("radvd", "ethtool", "sysctl"))
    with netlab.NetLab() as the_lab:
        yield the_lab


def start_router(lab: netlab.NetLab) -> str:
    """A router namespace (forwarding on) whose veth end will carry radvd's adverts."""
    router = lab.netns()
    netlab.sysctl_set(router, "net.ipv6.conf.all.forwarding", 1)
    return router


def run_radvd(lab: netlab.NetLab, router: str, tmp_path: Path) -> netlab.Daemon:
    """radvd in the foreground on the router's veth end, its config and log under tmp_path."""
    conf = tmp_path / "radvd.conf"
    conf.write_text(RADVD_CONF.format(dev=ROUTER_DEV, prefix=PREFIX))
    return lab.radvd(router, conf, tmp_path)


def bring_up_slaac_host(
    lab: netlab.NetLab, tmp_path: Path, host_sysctls: dict[str, object]
) -> SlaacHost:
    """Build router + host, apply ``host_sysctls`` before the link comes up, wait for SLAAC."""
    router = start_router(lab)
    host = lab.netns()
    lab.veth(router, ROUTER_DEV, host, HOST_DEV)
    netlab.set_mac(host, HOST_DEV, HOST_MAC)
    base = {
        f"net.ipv6.conf.{HOST_DEV}.accept_ra": 1,  # forwarding is off in the host namespace
        f"net.ipv6.conf.{HOST_DEV}.autoconf": 1,
    }
    netlab.sysctls_set(host, {**base, **host_sysctls})

    netlab.link_up(router, ROUTER_DEV)
    netlab.link_up(host, HOST_DEV)
    # radvd needs the router's own link-local address (the RA source) to have passed DAD.
    netlab.wait_for_address(router, ROUTER_DEV, LINK_LOCAL, timeout=ADDRESS_TIMEOUT)
    radvd = run_radvd(lab, router, tmp_path)

    try:
        global_addr = netlab.wait_for_address(host, HOST_DEV, PREFIX, timeout=ADDRESS_TIMEOUT)
    except netlab.PollTimeout as exc:
        radvd.ensure_alive()
        raise AssertionError(f"{exc}\nradvd log:\n{radvd.log_text()}") from exc
    link_local = netlab.wait_for_address(host, HOST_DEV, LINK_LOCAL, timeout=ADDRESS_TIMEOUT)
    return SlaacHost(host, HOST_DEV, global_addr, link_local)


def stable_sysctls(secret: IPv6Address, mode: int = 2) -> dict[str, object]:
    """stable_secret first: the kernel rejects addr_gen_mode 2 while no secret is set (and
    writing the secret switches the interface to mode 2; mode 3 is then set explicitly)."""
    return {
        f"net.ipv6.conf.{HOST_DEV}.stable_secret": secret,
        f"net.ipv6.conf.{HOST_DEV}.addr_gen_mode": mode,
    }


def veth_permanent_address(host: SlaacHost) -> bytes:
    """The permanent address the kernel hashes; for veth it must be all zeros."""
    perm = netlab.permanent_address(host.ns, host.dev)
    assert perm == bytes(6), f"veth permanent address should be unset (zeros), got {perm.hex()}"
    return perm


def test_eui64_mode_matches_prediction(lab: netlab.NetLab, tmp_path: Path) -> None:
    host = bring_up_slaac_host(lab, tmp_path, {f"net.ipv6.conf.{HOST_DEV}.addr_gen_mode": 0})

    assert netlab.sysctl_get(host.ns, f"net.ipv6.conf.{HOST_DEV}.addr_gen_mode") == "0"
    assert host.global_ip == eui64_address(PREFIX, HOST_MAC)
    assert host.global_ip == IPv6Address("2001:db8:1200:20:215:5dff:fe01:140b")
    assert host.link_local_ip == eui64_address(LINK_LOCAL, HOST_MAC)
    assert not host.global_addr.get("stable-privacy")
    assert host.global_addr["prefixlen"] == 64


@pytest.mark.parametrize(
    "mode",
    [
        pytest.param(2, id="stable-privacy"),
        # Mode 3 ("random") only draws a random secret when none is set, so with a set
        # stable_secret it must form exactly the mode-2 addresses (ipv6_gen_mode_random_init).
        pytest.param(3, id="random-with-secret"),
    ],
)
def test_stable_privacy_matches_prediction(lab: netlab.NetLab, tmp_path: Path, mode: int) -> None:
    host = bring_up_slaac_host(lab, tmp_path, stable_sysctls(SECRET, mode))
    perm = veth_permanent_address(host)

    assert netlab.sysctl_get(host.ns, f"net.ipv6.conf.{HOST_DEV}.addr_gen_mode") == str(mode)
    # The kernel prints the secret uncompressed (2001:0db8:...), so compare as addresses.
    secret_key = f"net.ipv6.conf.{HOST_DEV}.stable_secret"
    assert IPv6Address(netlab.sysctl_get(host.ns, secret_key)) == SECRET
    assert host.global_addr.get("stable-privacy") is True
    assert host.global_ip == stable_address(PREFIX, SECRET, hwaddr=perm)
    # The kernel forms the link-local address the same way (addrconf_addr_gen).
    assert host.link_local.get("stable-privacy") is True
    assert host.link_local_ip == stable_address(LINK_LOCAL, SECRET, hwaddr=perm)
    # The configured MAC plays no part: hashing it instead would predict another address.
    assert host.global_ip != stable_address(PREFIX, SECRET, hwaddr=HOST_MAC)
    assert host.global_ip != eui64_address(PREFIX, HOST_MAC)


def test_other_secret_gives_other_matching_address(lab: netlab.NetLab, tmp_path: Path) -> None:
    host = bring_up_slaac_host(lab, tmp_path, stable_sysctls(OTHER_SECRET))
    perm = veth_permanent_address(host)

    assert host.global_ip == stable_address(PREFIX, OTHER_SECRET, hwaddr=perm)
    assert host.link_local_ip == stable_address(LINK_LOCAL, OTHER_SECRET, hwaddr=perm)
    assert host.global_ip != stable_address(PREFIX, SECRET, hwaddr=perm)
    assert host.link_local_ip != stable_address(LINK_LOCAL, SECRET, hwaddr=perm)


def _fail_inside_lab(tmp_path: Path, seen: list[netlab.Daemon], names: list[str]) -> None:
    """Build a namespace with a running process in it, then raise mid-test."""
    with netlab.NetLab() as lab:
        names.append(lab.netns())
        seen.append(lab.start(names[0], ["sleep", "300"], tmp_path / "sleep.log"))
        assert seen[0].alive()
        raise RuntimeError("boom")


def test_lab_cleans_up_after_itself(tmp_path: Path) -> None:
    """Namespaces and daemons are gone after the lab exits, even when the block raised."""
    netlab.require_lab()
    seen: list[netlab.Daemon] = []
    names: list[str] = []
    with pytest.raises(RuntimeError, match="boom"):
        _fail_inside_lab(tmp_path, seen, names)
    assert len(seen) == 1
    assert len(names) == 1
    assert not seen[0].alive()
    assert names[0] not in netlab.list_netns()
