"""The tunnel's systemd-networkd files (``dualstack tunnel ... --target networkd``) read by the
real systemd-networkd: it must take every line (it reports a line it rejects or ignores as
FILE:LINE) and load the netdev as a sit tunnel. This kernel has no sit devices, so networkd
then fails to create it ("Operation not supported"): the test checks the files, not the tunnel,
and says so. A file with a wrong key shows the check can fail."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, IPv6Interface, IPv6Network
from pathlib import Path

import pytest

from dualstack.addr.embedded import SixRd
from dualstack.tunnel import render, six_in_four, six_rd
from tests import netlab

pytestmark = pytest.mark.netns

BROKEN = "[NetDev]\nName=broken0\nKind=sit\n\n[Tunnel]\nLocal=192.0.2.10\nRemoteAddr=1.2.3.4\n"


def _networkd_reads(files: dict[str, str], tunnels: list[str], tmp_path: Path) -> str:
    """networkd's log after it has loaded ``files`` and tried to create ``tunnels``."""
    network, work = tmp_path / "network", tmp_path / "work"
    network.mkdir()
    work.mkdir()
    for name, text in files.items():
        (network / name).write_text(text)
    with netlab.NetLab() as lab:
        ns = lab.netns()
        daemon = netlab.start_networkd(lab, ns, network, work)

        def settled() -> bool:
            log = daemon.log_text()
            return all(
                f"{name}: netdev could not be created" in log or f"{name}: netdev ready" in log
                for name in tunnels
            )

        netlab.poll_until(settled, what="networkd to try each tunnel", timeout=20)
        return daemon.log_text()


def _rejected(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("/etc/systemd/network/")]


def test_networkd_takes_every_line_of_the_tunnel_files(tmp_path: Path) -> None:
    netlab.require_lab()
    netlab.require_networkd()
    manual = six_in_four(
        IPv4Address("192.0.2.10"),
        IPv4Address("198.51.100.1"),
        IPv6Interface("2001:db8:ff::2/64"),
        IPv6Address("2001:db8:ff::1"),
        (IPv6Network("::/0"), IPv6Network("2001:db8:200::/48")),
    )
    sixrd = six_rd(
        SixRd(IPv6Network("2001:db8::/32")), IPv4Address("203.0.113.45"), IPv4Address("203.0.113.1")
    )
    files = {**render(manual, "networkd"), **render(sixrd, "networkd"), "broken.netdev": BROKEN}
    log = _networkd_reads(files, ["sit6in4", "sit6rd"], tmp_path)
    for name in ("sit6in4", "sit6rd"):
        assert f'{name}: loaded "sit"' in log, log
    # a kernel without sit devices (this one) refuses them; nothing else may go wrong
    for line in log.splitlines():
        if "netdev could not be created" in line:
            assert line.endswith("Operation not supported"), line
    assert _rejected(log) == [
        "/etc/systemd/network/broken.netdev:7: Unknown key 'RemoteAddr' in section [Tunnel], "
        "ignoring."
    ]
