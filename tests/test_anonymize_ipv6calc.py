"""``--method zero`` held to ipv6calc's ``zeroize`` method, address kind by address kind.

Each row pins ipv6calc 1.0's answer (so the table runs without ipv6calc) and ours; where they
differ, ``DIFFERENCES`` says why ours is right, and docs/bulk.md says the same. One test runs
ipv6calc live and checks its answers are still the pinned ones (it fails in CI when ipv6calc is
missing: scripts/sysdeps.sh installs it). Values are compared, not text: ipv6calc writes ISATAP
and 6to4-router IIDs in dotted form and a single zero group as ``::``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from ipaddress import ip_address

import pytest

from dualstack.addr.anonymize import Policy, anonymize

# (input, --mask-ipv4, --mask-ipv6, ipv6calc zeroize, ours with method zero)
ROWS = [
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

# where ours differs from ipv6calc, and why ours is the right answer
RANDOM_TAG = "ipv6calc keeps 40 bits of any IID: a per-host tag linking a host's lines"
WHOLE = (
    "ipv6calc returns whole an address it has no type for (outside the blocks it knows, or an "
    "IPv4 in 240/4); an anonymiser must not pass on what it does not recognise"
)
DIFFERENCES = {
    "2001:db8:2280:6901:1234:5678:9abc:def0": RANDOM_TAG,
    "fd00:1:2:3:4:5:6:7": "an embedded-ipv4-64 IID (4.5.6.7) is an IPv4: cut to --mask-ipv4",
    "2001:db8:1:2::c000:221": "an embedded-ipv4 IID is an IPv4 wherever it sits (ipv6calc: "
    "only behind 2002::/16), cut to --mask-ipv4, not to 40 IID bits",
    "2001:db8:1:2:192:0:2:33": "an embedded-ipv4-64 IID is an IPv4: cut to --mask-ipv4",
    "ff02::2": "a multicast group names a service, not a host: kept",
    "ff05::1:3": "a multicast group names a service, not a host: kept",
    "ff02::1:2": "a multicast group names a service, not a host: kept",
    "fe80::9a:1bb": "ipv6calc keeps the leading bits of a link-local IID (56 here): part of the "
    "host's number; ours become zero like every other IID",
    "2001:0:4136:e378::": "ipv6calc keeps a Teredo client of 255.255.255.255 (240/4) whole; "
    "ours cuts it to --mask-ipv4 like any client",
    "4000::be4a:c1ff:fe89:86a7": WHOLE,
    "100::1234:5678:9abc:def0": WHOLE,
    "64:ff9b:1::1234:5678:9abc:def0": WHOLE,
    "::ffeb:8e4": WHOLE,
    "2001:0:4136:e378:8000:ffff:ca06:6fe0": "port 0 (ffff): ipv6calc takes it for its own output "
    "and leaves it whole; no real client has port 0, and cutting our output again changes nothing",
}


@pytest.mark.parametrize(("raw", "v4", "v6", "theirs", "ours"), ROWS)
def test_zero_method_against_ipv6calc(raw: str, v4: int, v6: int, theirs: str, ours: str) -> None:
    got = anonymize(ip_address(raw), Policy("zero", ipv4_bits=v4, ipv6_bits=v6))
    assert got == ip_address(ours)
    if raw in DIFFERENCES:
        assert ip_address(theirs) != got, f"{raw} is listed as a difference but agrees"
    else:
        assert ip_address(theirs) == got, f"{raw}: ipv6calc {theirs}, ours {got}, not explained"


def test_keep_type_differs_from_zero_only_in_the_6to4_subnet() -> None:
    for raw, v4, v6, _theirs, ours in ROWS:
        got = anonymize(ip_address(raw), Policy("keep-type", ipv4_bits=v4, ipv6_bits=v6))
        if raw == "2002:c000:22d:ff01::1":
            assert got == ip_address("2002:c000:200::")  # keep-type stops at the 6to4 /48
        else:
            assert got == ip_address(ours), raw


def require_ipv6calc() -> str:
    """The ipv6calc binary; in CI its absence fails the test, elsewhere it skips."""
    found = shutil.which("ipv6calc")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("ipv6calc is missing: scripts/sysdeps.sh must install it")
        pytest.skip("ipv6calc not installed (outside CI only)")
    return found


def test_pinned_answers_are_ipv6calcs() -> None:
    ipv6calc = require_ipv6calc()
    for raw, v4, v6, theirs, _ours in ROWS:
        command = [ipv6calc, "-q", "-A", "anonymize", "--anonymize-preset", "zeroize-standard"]
        command += ["--mask-ipv4", str(v4), "--mask-ipv6", str(v6), raw]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
        assert ip_address(out) == ip_address(theirs), (raw, v4, v6, out)
