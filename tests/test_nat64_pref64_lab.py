"""PREF64 on the wire: in a namespace, router advertisements carrying the planned NAT64 prefix
in an RFC 8781 option (sent by a scapy sender: radvd 2.19 cannot send it) are read back by
``dualstack probe nat64 --interface``, prefix and lifetime, and compared with the site file;
and the option parser on hand-made bytes."""

from __future__ import annotations

import json
import subprocess
import sys
from ipaddress import IPv6Address, IPv6Network
from pathlib import Path

import pytest

from dualstack.nat64.pref64 import pref64_options
from tests import netlab
from tests.testdata import LAB_HEADER

SENDER = r"""
import sys, time
from scapy.all import sendp, Ether
from scapy.layers.inet6 import IPv6, ICMPv6ND_RA, ICMPv6NDOptPREF64
prefix, plc, lifetime, iface = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ra = (Ether(dst="33:33:00:00:00:01") / IPv6(dst="ff02::1", hlim=255) / ICMPv6ND_RA(routerlifetime=0)
      / ICMPv6NDOptPREF64(prefix=prefix, plc=plc, scaledlifetime=lifetime // 8))
for _ in range(60):  # 30 s at most; the test stops it by its PID sooner
    sendp(ra, iface=iface, verbose=False)
    time.sleep(0.5)
"""

SITE = (
    LAB_HEADER
    + """
[nat64]
prefix = "{prefix}"

[[vlan]]
id = 20
name = "servers"
ipv4 = "10.0.20.0/24"
gateway = "10.0.20.1"
ipv6 = "static"

[[host]]
name = "ns1"
vlan = 20
ipv4 = "10.0.20.53"
ipv6 = "static"
"""
)


@pytest.mark.netns
@pytest.mark.parametrize(("prefix", "plc"), [("64:ff9b::/96", 0), ("2001:db8:122::/48", 3)])
def test_probe_reads_pref64_from_router_advertisements(
    tmp_path: Path, prefix: str, plc: int
) -> None:
    netlab.require_lab()
    pytest.importorskip("scapy", reason="scapy is in the dev extra (make test installs it; CI)")
    site = tmp_path / "site.toml"
    site.write_text(SITE.format(prefix=prefix))
    other = tmp_path / "other.toml"
    other.write_text(SITE.format(prefix="2001:db8:77:64::/96"))
    network = str(IPv6Network(prefix).network_address)
    with netlab.NetLab() as lab:
        router, client = lab.netns(), lab.netns()
        lab.veth(router, "r0", client, "eth0")
        netlab.link_up(router, "r0")
        netlab.link_up(client, "eth0")
        netlab.wait_for_address(router, "r0", IPv6Network("fe80::/64"))
        netlab.wait_for_address(client, "eth0", IPv6Network("fe80::/64"))
        sender = [sys.executable, "-c", SENDER, network, str(plc), "1800", "r0"]
        lab.start(router, sender, tmp_path / "sender.log", name="pref64-sender")

        def probe(path: Path) -> subprocess.CompletedProcess[str]:
            argv = [sys.executable, "-m", "dualstack", "probe", "nat64", "--interface", "eth0"]
            argv += ["--wait", "3", "--site", str(path), "--json"]
            return netlab.run(argv, ns=client, check=False, timeout=60)

        done, mismatch = probe(site), probe(other)
    assert done.returncode == 0, done.stdout + done.stderr
    doc = json.loads(done.stdout)
    assert doc["prefixes"] is None  # no DNS asked
    assert {(p["prefix"], p["lifetime"]) for p in doc["pref64"]} == {(prefix, 1800)}
    assert IPv6Address(doc["pref64"][0]["router"]).is_link_local
    assert doc["matches"] is True
    assert mismatch.returncode == 1
    assert json.loads(mismatch.stdout)["matches"] is False


def _ra(*options: bytes) -> bytes:
    return bytes([134, 0, 0, 0, 64, 0, 7, 8]) + bytes(8) + b"".join(options)


def _pref64(prefix: str, plc: int, lifetime: int) -> bytes:
    bits = int(IPv6Network(prefix).network_address) >> 32
    return (
        bytes([38, 2]) + ((lifetime // 8) << 3 | plc).to_bytes(2, "big") + bits.to_bytes(12, "big")
    )


def test_the_option_parser_on_hand_made_advertisements() -> None:
    mtu = bytes([5, 1, 0, 0]) + (1480).to_bytes(4, "big")
    found = pref64_options(_ra(mtu, _pref64("2001:db8:100::/40", 4, 65528)))
    assert [(str(p.prefix), p.lifetime) for p in found] == [("2001:db8:100::/40", 65528)]
    assert pref64_options(_ra(_pref64("64:ff9b::/96", 7, 600))) == ()  # unknown code: ignored
    assert pref64_options(_ra(bytes([38, 0]) + bytes(14))) == ()  # zero length: stop
    assert pref64_options(_ra(_pref64("64:ff9b::/96", 0, 600))[:-3]) == ()  # cut short
    assert pref64_options(bytes([135]) + bytes(31)) == ()  # not an RA
