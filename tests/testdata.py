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


# `--method zero` against ipv6calc's zeroize (tests/test_anonymize_ipv6calc.py):
# (input, --mask-ipv4, --mask-ipv6, ipv6calc zeroize, ours with method zero)
IPV6CALC_ZERO_ROWS = [
    ("192.0.2.33", 24, 56, "192.0.2.0", "192.0.2.0"),
    ("192.0.2.33", 16, 56, "192.0.0.0", "192.0.0.0"),
    # EUI-64: the OUI and ff:fe stay (mask-eui64 40)
    ("2001:db8:2280:6901:224:21ff:fe01:2345", 24, 56, "2001:db8:2280:6900:224:21ff:fe00:0",
     "2001:db8:2280:6900:224:21ff:fe00:0"),
    ("2001:db8:2280:6901:224:21ff:fe01:2345", 24, 48, "2001:db8:2280::224:21ff:fe00:0",
     "2001:db8:2280::224:21ff:fe00:0"),
    ("fe80::224:21ff:fe01:2345", 24, 56, "fe80::224:21ff:fe00:0", "fe80::224:21ff:fe00:0"),
    # other IIDs
    ("2001:db8:2280:6901:1234:5678:9abc:def0", 24, 56, "2001:db8:2280:6900:1234:5678:9a00:0",
     "2001:db8:2280:6900::"),
    ("fd00:1:2:3:4:5:6:7", 24, 56, "fd00:1:2:0:4:5::", "fd00:1:2:0:4:5:6:0"),
    ("fe80::9a:1bb", 24, 56, "fe80::9a:100", "fe80::"),
    ("2001:db8:2280:6901::1", 24, 56, "2001:db8:2280:6900::", "2001:db8:2280:6900::"),
    ("2001:db8:1:2::c000:221", 24, 56, "2001:db8:1::c000:0", "2001:db8:1::c000:200"),
    ("2001:db8:1:2:192:0:2:33", 24, 56, "2001:db8:1:0:192::", "2001:db8:1:0:192:0:2:0"),
    # 6to4: the site's IPv4 cut to --mask-ipv4, the subnet bits to --mask-ipv6
    ("2002:c000:22d:1::1", 24, 56, "2002:c000:200::", "2002:c000:200::"),
    ("2002:c000:22d:1::1", 16, 56, "2002:c000::", "2002:c000::"),
    ("2002:c000:22d:ff01::1", 24, 56, "2002:c000:200:ff00::", "2002:c000:200:ff00::"),
    ("2002:c000:22d:1:224:21ff:fe01:2345", 24, 56, "2002:c000:200::224:21ff:fe00:0",
     "2002:c000:200::224:21ff:fe00:0"),
    ("2002:c000:22d::c000:22d", 24, 56, "2002:c000:200::c000:200", "2002:c000:200::c000:200"),
    # Teredo: server and flags kept, port 0 (ffff obfuscated), client cut
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", 24, 56, "2001::4136:e378:8000:ffff:3fff:fdff",
     "2001::4136:e378:8000:ffff:3fff:fdff"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", 16, 56, "2001::4136:e378:8000:ffff:3fff:ffff",
     "2001::4136:e378:8000:ffff:3fff:ffff"),
    # NAT64
    ("64:ff9b::c000:221", 24, 56, "64:ff9b::c000:200", "64:ff9b::c000:200"),
    ("64:ff9b::c000:221", 16, 56, "64:ff9b::c000:0", "64:ff9b::c000:0"),
    # ISATAP (local and universal)
    ("2001:db8:1:2:0:5efe:c000:221", 24, 56, "2001:db8:1::5efe:c000:200",
     "2001:db8:1::5efe:c000:200"),
    ("2001:db8:1:2:200:5efe:c000:221", 16, 56, "2001:db8:1::200:5efe:c000:0",
     "2001:db8:1::200:5efe:c000:0"),
    ("fe80::200:5efe:c000:221", 24, 56, "fe80::200:5efe:c000:200", "fe80::200:5efe:c000:200"),
    # IPv4-mapped and -compatible; unspecified and loopback
    ("::ffff:192.0.2.33", 24, 56, "::ffff:192.0.2.0", "::ffff:192.0.2.0"),
    ("::ffff:192.0.2.33", 16, 56, "::ffff:192.0.0.0", "::ffff:192.0.0.0"),
    ("::192.0.2.33", 24, 56, "::192.0.2.0", "::192.0.2.0"),
    ("::1", 24, 56, "::1", "::1"),
    ("::", 24, 56, "::", "::"),
    # multicast
    ("ff02::1:ff01:2345", 24, 56, "ff02::1:ff00:0", "ff02::1:ff00:0"),
    ("ff02::2", 24, 56, "ff02::", "ff02::2"),
    ("ff05::1:3", 24, 56, "ff05::", "ff05::1:3"),
    ("ff3e:40:2001:db8::1234", 24, 56, "ff3e:40:2001:db8::1234", "ff3e:40:2001:db8::1234"),
    ("ff02::1:2", 24, 56, "ff02::1:0", "ff02::1:2"),
    # what ipv6calc has no type for, or takes for its own output, it returns whole
    ("4000::be4a:c1ff:fe89:86a7", 24, 56, "4000::be4a:c1ff:fe89:86a7", "4000::be4a:c1ff:fe00:0"),
    ("100::1234:5678:9abc:def0", 24, 56, "100::1234:5678:9abc:def0", "100::"),
    ("64:ff9b:1::1234:5678:9abc:def0", 24, 56, "64:ff9b:1::1234:5678:9abc:def0", "64:ff9b:1::"),
    ("::ffeb:8e4", 24, 56, "::255.235.8.228", "::255.235.8.0"),
    ("2001:0:4136:e378::", 24, 56, "2001:0:4136:e378:0:ffff::", "2001:0:4136:e378:0:ffff:0:ff"),
    ("2001:0:4136:e378:8000:ffff:ca06:6fe0", 24, 56, "2001:0:4136:e378:8000:ffff:ca06:6fe0",
     "2001:0:4136:e378:8000:ffff:ca06:6fff"),
]  # fmt: skip


# The [site] and [dns] tables of the small lab sites the NAT64 and DHCPv4 tests build on (a
# name server "ns1" host must follow, with an IPv6 address).
LAB_HEADER = """
[site]
name = "lab"
domain = "lab.example"
ipv6_prefix = "2001:db8:77::/48"

[dns]
nameservers = ["ns1.lab.example."]
ddns = false
"""
