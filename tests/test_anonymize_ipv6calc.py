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
from tests.testdata import IPV6CALC_ZERO_ROWS

ROWS = IPV6CALC_ZERO_ROWS

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
