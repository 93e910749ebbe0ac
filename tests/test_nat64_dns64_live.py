"""DNS64 from the kit, served by a real BIND: a resolver with the kit's ``dns/dns64.conf``
included in its options synthesises AAAA records under the planned NAT64 prefix (seen with the
real ``dig``), answers ``ipv4only.arpa`` with it (RFC 7050), and ``dualstack probe nat64
--server`` finds it and compares it with the site file. Authoritative data stays as it is."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bindlab import running_bind, running_resolver
from tests.testdata import LAB_HEADER, site_kit

ZONE = """$TTL 300
@ IN SOA ns1.lab.test. admin.lab.test. 1 3600 600 86400 300
@ IN NS ns1.lab.test.
ns1 IN A 127.0.0.1
v4only IN A 198.51.100.44
private IN A 10.1.2.3
dual IN A 198.51.100.45
dual IN AAAA 2001:db8:45::45
"""

# ipv4only.arpa as the global DNS has it (RFC 7050 section 8.2, RFC 8880): the resolver in
# the test forwards to this server only, as a site resolver forwards to its upstream
IPV4ONLY = """$TTL 300
@ IN SOA ns1.lab.test. admin.lab.test. 1 3600 600 86400 300
@ IN NS ns1.lab.test.
@ IN A 192.0.0.170
@ IN A 192.0.0.171
"""

SITE = (
    LAB_HEADER
    + """
[nat64]
prefix = "{prefix}"

[[vlan]]
id = 20
name = "clients"
ipv4 = "10.0.20.0/24"
gateway = "10.0.20.1"
ipv6 = "slaac"
ipv6_only_preferred = true

[[host]]
name = "ns1"
vlan = 20
ipv4 = "10.0.20.53"
ipv6 = "static"
"""
)


def dig(port: int, name: str) -> list[str]:
    dig_bin = shutil.which("dig")
    if dig_bin is None:
        pytest.fail("dig is missing: .ci/run installs bind9-dnsutils")
    done = subprocess.run(
        [dig_bin, "@127.0.0.1", "-p", str(port), "+short", "+time=2", "+tries=1", "AAAA", name],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return sorted(done.stdout.split())


def probe(port: int, site: Path) -> tuple[int, dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "dualstack", "probe", "nat64", "--server", "127.0.0.1",
         "--port", str(port), "--site", str(site), "--json"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return done.returncode, json.loads(done.stdout)


@pytest.mark.parametrize(
    ("prefix", "v4only", "private", "wka"),
    [
        ("64:ff9b::/96", ["64:ff9b::c633:642c"], [], ["64:ff9b::c000:aa", "64:ff9b::c000:ab"]),
        (
            "2001:db8:77:64::/96",
            ["2001:db8:77:64::c633:642c"],
            ["2001:db8:77:64::a01:203"],  # a network-specific prefix may carry private IPv4
            ["2001:db8:77:64::c000:aa", "2001:db8:77:64::c000:ab"],
        ),
        (
            "2001:db8:122::/48",
            ["2001:db8:122:c633:64:2c00::"],
            ["2001:db8:122:a01:2:300::"],
            ["2001:db8:122:c000:0:aa00::", "2001:db8:122:c000:0:ab00::"],
        ),
    ],
)
def test_bind_synthesises_under_the_planned_prefix(
    tmp_path: Path, prefix: str, v4only: list[str], private: list[str], wka: list[str]
) -> None:
    kit, _ = site_kit(tmp_path, SITE.format(prefix=prefix))
    fragment = kit / "dns" / "dns64.conf"
    assert fragment.is_file()
    with (
        running_bind(tmp_path / "auth", {"lab.test.": ZONE, "ipv4only.arpa.": IPV4ONLY}) as auth,
        running_resolver(
            tmp_path / "resolver", auth.port, "lab.test.", [f'include "{fragment}";']
        ) as resolver,
    ):
        assert dig(resolver.port, "v4only.lab.test") == v4only
        assert dig(resolver.port, "dual.lab.test") == ["2001:db8:45::45"]  # its own AAAA
        assert dig(resolver.port, "private.lab.test") == private
        assert dig(resolver.port, "ipv4only.arpa") == sorted(wka)
        assert dig(auth.port, "v4only.lab.test") == []  # the authoritative data is unchanged
        code, found = probe(resolver.port, tmp_path / "site.toml")
        other = tmp_path / "other.toml"
        other.write_text(SITE.format(prefix="64:ff9b::/96" if prefix != "64:ff9b::/96" else
                                     "2001:db8:77:64::/96"))  # fmt: skip
        mismatch, wrong = probe(resolver.port, other)
    assert code == 0
    assert found["prefixes"] == [prefix]
    assert found["matches"] is True
    assert mismatch == 1
    assert wrong["matches"] is False
