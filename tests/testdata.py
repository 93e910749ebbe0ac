"""Where the suite's data lives: inside the repository, so a fresh clone runs the whole suite.

``tests/data/contracts`` holds copies of the input contracts and ``tests/data/evtx`` real
Windows event logs; tests/test_testdata.py compares the copies with the project's shared
originals when a checkout has them beside it.
"""

from __future__ import annotations

from ipaddress import IPv6Network
from pathlib import Path

from dualstack.addr.embedded import NAT64_WELL_KNOWN, SixRd
from dualstack.addr.inspect import Options
from dualstack.kit import build_kit
from dualstack.plan import Plan, check

DATA = Path(__file__).resolve().parent / "data"
CONTRACTS = DATA / "contracts"
CONTRACT = CONTRACTS / "site.toml"
INTERFACES_CONTRACT = CONTRACTS / "site-interfaces.toml"
EVTX = DATA / "evtx"


def site_kit(tmp_path: Path, text: str) -> tuple[Path, Plan]:
    """Write ``text`` as ``tmp_path/site.toml``, build its kit in ``tmp_path/kit`` and return
    the kit folder and the plan: how every lab test starts from a site of its own."""
    site = tmp_path / "site.toml"
    site.write_text(text)
    kit = tmp_path / "kit"
    build_kit(site, kit)
    plan = check(site).plan
    assert plan is not None
    return kit, plan


# How the custom prefixes in bench/addrmix.py's edge sample are to be read: a local-use NAT64
# /48 beside the well-known prefix, and 6rd under 2a01::/20 (no IPv4 bits cut).
OPTIONS = Options(
    nat64_prefixes=(NAT64_WELL_KNOWN, IPv6Network("64:ff9b:1::/48")),
    sixrd=(SixRd(IPv6Network("2a01::/20"), 0),),
)

# A site with every per-VLAN setting: a guest VLAN ([vlan.ra], ula = false), DHCPv6 lease
# times, a stateless VLAN, reservations with and without an iaid. Interfaces r20/r90/r110/r130.
SETTINGS_SITE = """
[site]
name = "lab"
domain = "lab.example"
ipv6_prefix = "2001:db8:77::/48"
ula_prefix = "fd00:77::/48"

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
id = 90
name = "guest"
ipv4 = "10.0.90.0/24"
gateway = "10.0.90.1"
ipv6 = "slaac"
interface = "r90"
ula = false

[vlan.ra]
router_lifetime = 600
preference = "high"
mtu = 1400
valid_lifetime = 7200
preferred_lifetime = 3600
rdnss = false

[[vlan]]
id = 130
name = "desktops"
ipv4 = "10.0.130.0/24"
gateway = "10.0.130.1"
ipv6 = "dhcpv6"
interface = "r130"
dhcp = { valid_lifetime = 86400, preferred_lifetime = 43200 }

[[vlan]]
id = 110
name = "printers"
ipv4 = "10.0.110.0/24"
gateway = "10.0.110.1"
ipv6 = "slaac+dhcpv6"
interface = "r110"

[[host]]
name = "ns1"
vlan = 20
ipv4 = "10.0.20.53"
ipv6 = "static"

[[host]]
name = "kiosk"
vlan = 90
ipv4 = "10.0.90.20"
mac = "00:15:5d:77:00:90"

[[host]]
name = "desk1"
vlan = 130
ipv4 = "10.0.130.21"
mac = "00:15:5d:77:01:30"
iaid = 302580997

[[host]]
name = "desk2"
vlan = 130
ipv4 = "10.0.130.22"
mac = "00:15:5d:77:01:31"
"""
