"""``dualstack import`` from a real BIND by zone transfer: an IPv4-only zone pair (forward and
in-addr.arpa) for 50 hosts, with a Kea DHCPv4 lease CSV and an ``ip -j neigh`` dump for the
MACs, becomes a site file that ``plan check`` accepts, and the kit built from it reproduces
every name and IPv4 address of the original zones, record by record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from dualstack.kit import build_kit
from dualstack.plan import check
from dualstack.zones.source import read_zone_file
from tests.bindlab import running_bind

SOA = "@ IN SOA ns1.corp.test. hostmaster.corp.test. 1 3600 600 86400 300\n@ IN NS ns1.corp.test.\n"


def _site() -> dict[str, tuple[str, str]]:
    """50 hosts: name -> (IPv4, MAC), in two /24s; ns1 among them."""
    hosts = {"ns1": ("10.1.20.53", "02:00:5e:00:20:53")}
    for i in range(1, 25):
        hosts[f"srv{i:02d}"] = (f"10.1.20.{100 + i}", f"02:00:5e:00:20:{100 + i:02x}")
    for i in range(1, 26):
        hosts[f"pc{i:02d}"] = (f"10.1.30.{10 + i}", f"02:00:5e:00:30:{10 + i:02x}")
    return hosts


def _zones(hosts: dict[str, tuple[str, str]]) -> dict[str, str]:
    forward = ["$TTL 300", SOA]
    reverse: dict[str, list[str]] = {}
    for name, (ipv4, _) in hosts.items():
        forward.append(f"{name} IN A {ipv4}")
        a, b, c, d = ipv4.split(".")
        reverse.setdefault(f"{c}.{b}.{a}.in-addr.arpa.", ["$TTL 300", SOA]).append(
            f"{d} IN PTR {name}.corp.test."
        )
    forward += ["www IN CNAME srv01", "intranet IN CNAME srv02"]
    zones = {"corp.test.": "\n".join(forward) + "\n"}
    zones |= {origin: "\n".join(lines) + "\n" for origin, lines in reverse.items()}
    return zones


def test_import_by_axfr_reproduces_the_zones(tmp_path: Path) -> None:
    hosts = _site()
    zones = _zones(hosts)
    # the MACs: the first half from Kea's lease file, the rest from a router's neighbour table
    names = sorted(hosts)
    leases = ["address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,"
              "hostname,state,user_context,pool_id"]  # fmt: skip
    for name in names[:25]:
        ipv4, mac = hosts[name]
        leases.append(f"{ipv4},{mac},,3600,1795603282,1,0,0,{name}.corp.test.,0,,0")
    (tmp_path / "leases4.csv").write_text("\n".join(leases) + "\n")
    neigh = [
        {"dst": hosts[n][0], "dev": "vlan30", "lladdr": hosts[n][1], "state": ["REACHABLE"]}
        for n in names[25:]
    ]
    (tmp_path / "neigh.json").write_text(json.dumps(neigh))
    with running_bind(tmp_path / "bind", zones) as bind:
        key = bind.write_key(tmp_path / "transfer.key")
        argv = [sys.executable, "-m", "dualstack", "import", "--prefix", "2001:db8:c0::/48"]
        for zone in zones:
            argv += ["--axfr", bind.address, zone]
        argv += ["--port", str(bind.port), "--key-file", str(key)]
        argv += ["--vlan", "20=10.1.20.0/24,10.1.20.1", "--vlan", "30=10.1.30.0/24,10.1.30.1"]
        argv += [str(tmp_path / "leases4.csv"), str(tmp_path / "neigh.json")]
        argv += ["-o", str(tmp_path / "site.toml")]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "50 hosts in 2 VLANs" in done.stderr
    site = (tmp_path / "site.toml").read_text()
    assert site.count("[[host]]") == 50
    assert site.count("mac = ") == 50
    assert site.count("; PTR ") == 50  # each name confirmed by the transferred reverse zone
    outcome = check(tmp_path / "site.toml")
    assert outcome.ok, [f.message for f in outcome.findings]
    kit = tmp_path / "kit"
    build_kit(tmp_path / "site.toml", kit)
    # every name and IPv4 address of the original zones, record by record
    written = {}
    for path in (kit / "dns").glob("*.zone"):
        origin, rrsets = read_zone_file(path)
        written[origin] = rrsets
    forward = written["corp.test."]
    for name, (ipv4, _) in hosts.items():
        assert forward[(f"{name}.corp.test.", "A")] == frozenset({ipv4}), name
        a, b, c, _ = ipv4.split(".")
        reverse = written[f"{c}.{b}.{a}.in-addr.arpa."]
        assert reverse[(f"{ipv4_reverse(ipv4)}", "PTR")] == frozenset({f"{name}.corp.test."})
    assert forward[("www.corp.test.", "CNAME")] == frozenset({"srv01.corp.test."})
    assert forward[("intranet.corp.test.", "CNAME")] == frozenset({"srv02.corp.test."})


def ipv4_reverse(ipv4: str) -> str:
    return ".".join(reversed(ipv4.split("."))) + ".in-addr.arpa."
