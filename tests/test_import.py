"""``dualstack import``'s readers and the conflicts it reports: each format from a small file
written from its documentation, junk lines as findings (fuzzed), and the command's exits."""

from __future__ import annotations

import json
import subprocess
import sys
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from dualstack.inventory import build
from dualstack.inventory.observe import (
    Observation,
    arp_an,
    ios_arp,
    ip_neigh_json,
    ip_neigh_text,
    isc_dhcpd,
    kea_leases4,
    read_source,
)

ZONE = """$ORIGIN corp.test.
$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 86400 300
@ IN NS ns1
@ IN A 10.1.20.1
ns1 IN A 10.1.20.53
web IN A 10.1.20.80
web IN A 10.1.20.81
db IN A 10.1.20.90
odd.sub IN A 10.1.20.91
far IN A 192.0.2.9
www IN CNAME web
old IN CNAME gone
"""
LEASES = (
    "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,"
    "user_context,pool_id\n"
    "10.1.20.90,02:00:5e:00:00:90,,3600,1795603282,1,0,0,db.corp.test.,0,,0\n"
    "10.1.20.90,02:00:5e:00:00:99,,3600,1795603282,1,0,0,,0,,0\n"
    "10.1.20.53,02:00:5e:00:00:53,,3600,1795603282,1,0,0,,0,,0\n"
    "10.1.20.77,02:00:5e:00:00:53,,3600,1795603282,1,0,0,laptop,0,,0\n"
    "10.1.20.66,02:00:5e:00:00:66,,3600,1795603282,1,0,0,gone-lease,2,,0\n"
    "not,a,lease\n"
)
NEIGH_TEXT = (
    "10.1.20.80 dev eth0 lladdr 02:00:5e:00:00:80 REACHABLE\n"
    "10.1.20.99 dev eth0  FAILED\n"
    "fe80::1 dev eth0 lladdr 02:00:5e:00:00:01 router STALE\n"
    "garbage here\n"
)
VLANS = {20: (IPv4Network("10.1.20.0/24"), IPv4Address("10.1.20.1"))}


def _inventory(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "corp.test.zone").write_text(ZONE)
    (tmp_path / "leases4.csv").write_text(LEASES)
    (tmp_path / "neigh.txt").write_text(NEIGH_TEXT)
    seen = [
        o
        for f in ("corp.test.zone", "leases4.csv", "neigh.txt")
        for o in read_source(str(tmp_path / f))
    ]
    return build(seen, "corp.test.", VLANS)


def test_each_conflict_is_a_finding_not_a_choice(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path)
    rules = sorted((f.rule, f.subject) for f in inventory.findings)
    assert ("import.several-addresses", "web") in rules
    assert ("import.several-macs", "db") in rules
    assert ("import.shared-mac", "02:00:5e:00:00:53") in rules  # ns1 and the laptop
    assert ("import.outside-vlans", "far") in rules
    assert ("import.bad-name", "odd.sub") in rules
    assert ("import.dangling-alias", "old") in rules
    assert any(r == "import.junk" and s.endswith("leases4.csv:7") for r, s in rules)
    assert any(r == "import.junk" and s.endswith("neigh.txt:4") for r, s in rules)
    hosts = {h.name: h for h in inventory.hosts}
    assert set(hosts) == {"ns1", "web", "db", "laptop"}  # gone-lease: state 2, not a host
    assert (str(hosts["web"].ipv4), hosts["web"].mac) == ("10.1.20.80", "02:00:5e:00:00:80")
    assert hosts["web"].aliases == ("www",)
    assert hosts["db"].mac is None
    assert hosts["laptop"].sources[0].endswith("leases4.csv:5")
    assert inventory.nameservers == ("ns1.corp.test.",)


def test_without_vlans_one_per_slash_24_is_guessed() -> None:
    seen = [Observation("address", "z", None, "a", IPv4Address("10.9.44.5"))]
    inventory = build(seen, "corp.test.")
    assert [(v.id, str(v.network), v.guessed) for v in inventory.vlans] == [
        (44, "10.9.44.0/24", True)
    ]
    assert [f.rule for f in inventory.findings] == ["import.guessed-vlan"]


def test_neighbour_json_skips_failed_entries() -> None:
    data = [
        {"dst": "10.1.20.5", "lladdr": "02:00:5e:00:00:05", "state": ["STALE"]},
        {"dst": "10.1.20.6", "state": ["FAILED"]},
        {"dst": "2001:db8::1", "lladdr": "02:00:5e:00:00:07", "state": ["REACHABLE"]},
        "junk",
    ]
    found = ip_neigh_json(data, "n.json")
    assert [(o.kind, str(o.ipv4)) for o in found] == [("mac", "10.1.20.5"), ("junk", "None")]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_fuzz_readers_never_raise_on_junk(text: str) -> None:
    for observation in [
        *kea_leases4("address,hwaddr,client_id,valid_lifetime,expire,subnet_id\n" + text, "k"),
        *ip_neigh_text(text, "n"),
        *arp_an(text, "a"),
        *ios_arp(text, "i"),
        *isc_dhcpd(text, "d"),
    ]:
        assert observation.kind in ("mac", "junk")
        if observation.kind == "junk":
            assert observation.line is not None


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dualstack", "import", *args], capture_output=True, text=True
    )


def test_cli_exit_codes_and_report(tmp_path: Path) -> None:
    _inventory(tmp_path)
    files = [str(tmp_path / f) for f in ("corp.test.zone", "leases4.csv", "neigh.txt")]
    done = run("--prefix", "2001:db8:c0::/48", "--vlan", "20=10.1.20.0/24,10.1.20.1",
               "--json", *files)  # fmt: skip
    assert done.returncode == 1  # it ran, and found conflicts
    report = json.loads(done.stdout)
    assert report["schema"] == "dualstack-import/1"
    assert report["hosts"] == 4
    for args, message in (
        ([], "give the files to read"),
        (["--vlan", "20=10.1.20.0/33", "x"], "expected ID=IPV4/LEN"),
        (["--vlan", "20=10.1.20.0/24,10.9.9.9", "x"], "the gateway is outside"),
        ([str(tmp_path / "nope.txt")], "cannot read"),
    ):
        bad = run("--prefix", "2001:db8:c0::/48", *args)
        assert bad.returncode == 2, args
        assert message in bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1


FORMATS = {
    "arp.txt": (
        "? (10.1.20.5) at 02:00:5e:00:00:05 [ether] on eth0\n"
        "? (10.1.20.6) at <incomplete> on eth0\n"
        "gw.corp.test (10.1.20.1) at 00:50:56:bf:1a:2b [ether] on eth0\n",
        [("10.1.20.5", "02:00:5e:00:00:05"), ("10.1.20.1", "00:50:56:bf:1a:2b")],
    ),
    "ios-arp.txt": (
        "Protocol  Address          Age (min)  Hardware Addr   Type   Interface\n"
        "Internet  10.1.20.1               -   0050.56bf.1a2b  ARPA   Vlan20\n"
        "Internet  10.1.20.5              12   0200.5e00.0005  ARPA   Vlan20\n"
        "Internet  10.1.20.9               0   Incomplete      ARPA\n",
        [("10.1.20.1", "00:50:56:bf:1a:2b"), ("10.1.20.5", "02:00:5e:00:00:05")],
    ),
    "neighbors.json": (
        json.dumps(
            [
                {"IPAddress": "10.1.20.5", "LinkLayerAddress": "02-00-5E-00-00-05", "State": 5},
                {"IPAddress": "10.1.20.6", "LinkLayerAddress": "00-00-00-00-00-00", "State": 0},
                {
                    "IPAddress": "10.1.20.255",
                    "LinkLayerAddress": "FF-FF-FF-FF-FF-FF",
                    "State": "Permanent",
                },
                {
                    "IPAddress": "10.1.20.7",
                    "LinkLayerAddress": "02-00-5E-00-00-07",
                    "State": "Stale",
                },
            ]
        ),
        [("10.1.20.5", "02:00:5e:00:00:05"), ("10.1.20.7", "02:00:5e:00:00:07")],
    ),
    "dhcpd.conf": (
        "subnet 10.1.20.0 netmask 255.255.255.0 {\n  range 10.1.20.100 10.1.20.200;\n}\n"
        "host web01 {\n  hardware ethernet 02:00:5e:00:00:10;\n  fixed-address 10.1.20.10;\n}\n",
        [("10.1.20.10", "02:00:5e:00:00:10")],
    ),
    "dhcpd.leases": (
        "lease 10.1.20.150 {\n  starts 4 2026/12/03 10:00:00;\n  binding state active;\n"
        '  hardware ethernet 02:00:5e:00:01:50;\n  client-hostname "laptop7";\n}\n'
        "lease 10.1.20.151 {\n  binding state free;\n  hardware ethernet 02:00:5e:00:01:51;\n}\n",
        [("10.1.20.150", "02:00:5e:00:01:50")],
    ),
    "kea-dhcp4.conf": (
        json.dumps(
            {
                "Dhcp4": {
                    "subnet4": [
                        {
                            "subnet": "10.1.20.0/24",
                            "reservations": [
                                {
                                    "hw-address": "02:00:5e:00:00:20",
                                    "ip-address": "10.1.20.20",
                                    "hostname": "printer1",
                                }
                            ],
                        }
                    ]
                }
            }
        ),
        [("10.1.20.20", "02:00:5e:00:00:20")],
    ),
}


def test_every_format_read_from_a_file_written_from_its_documentation(tmp_path: Path) -> None:
    for name, (text, expected) in FORMATS.items():
        path = tmp_path / name
        path.write_text(text)
        found = read_source(str(path))
        assert [(str(o.ipv4), o.mac) for o in found if o.kind == "mac"] == expected, name
        assert [o for o in found if o.kind == "junk"] == [], name
    names = {o.name for o in read_source(str(tmp_path / "dhcpd.conf"))}
    assert names == {"web01"}
    assert {o.name for o in read_source(str(tmp_path / "dhcpd.leases"))} == {"laptop7"}
    assert {o.name for o in read_source(str(tmp_path / "kea-dhcp4.conf"))} == {"printer1"}


EXISTING = """# kept by hand
[site]
name = "corp"
domain = "corp.test"
ipv6_prefix = "2001:db8:c0::/48"

[dns]
nameservers = ["ns1.corp.test."]

[[vlan]]
id = 20
name = "servers"
ipv4 = "10.1.20.0/24"
gateway = "10.1.20.1"
ipv6 = "static"

[[host]]
name = "ns1"  # the name server
vlan = 20
ipv4 = "10.1.20.53"
ipv6 = "static"

[[host]]
name = "web"
vlan = 20
ipv4 = "10.1.20.80"
mac = "02:00:5e:00:00:8f"
ipv6 = "static"

[[host]]
name = "handmade"
vlan = 20
ipv4 = "10.1.20.44"
ipv6 = "static"
"""


def test_merge_adds_new_hosts_and_never_touches_the_persons(tmp_path: Path) -> None:
    from dualstack.plan import check

    _inventory(tmp_path)
    site = tmp_path / "site.toml"
    site.write_text(EXISTING)
    files = [str(tmp_path / f) for f in ("corp.test.zone", "leases4.csv", "neigh.txt")]
    done = run("--merge", str(site), "-o", str(tmp_path / "merged.toml"), *files)
    assert done.returncode == 1  # the sources have conflicts (see the test above)
    merged = (tmp_path / "merged.toml").read_text()
    assert merged.startswith(EXISTING.rstrip("\n"))  # every line a person wrote, unchanged
    added = merged[len(EXISTING.rstrip("\n")) :]
    assert 'name = "db"' in added
    assert 'name = "laptop"' in added
    assert 'name = "web"' not in added
    assert 'name = "ns1"' not in added
    assert "web MAC 02:00:5e:00:00:80; the site file has 02:00:5e:00:00:8f" in done.stderr
    assert "handmade" not in done.stderr  # a host no source knows is simply kept
    assert check(tmp_path / "merged.toml").ok
    again = run("--merge", str(tmp_path / "merged.toml"), "-o", str(tmp_path / "twice.toml"),
                *files)  # fmt: skip
    assert (tmp_path / "twice.toml").read_text() == merged  # nothing new the second time
    assert again.returncode == 1


WINDOWS_EXPORT = """<?xml version="1.0" encoding="utf-8"?>
<DHCPServer>
  <IPv4>
    <Scopes>
      <Scope>
        <ScopeId>10.1.40.0</ScopeId>
        <Name>Printers</Name>
        <SubnetMask>255.255.255.0</SubnetMask>
        <StartRange>10.1.40.100</StartRange>
        <EndRange>10.1.40.200</EndRange>
        <OptionValues>
          <OptionValue><OptionId>3</OptionId><Value>10.1.40.1</Value></OptionValue>
          <OptionValue><OptionId>6</OptionId><Value>10.1.20.53</Value></OptionValue>
        </OptionValues>
        <Reservations>
          <Reservation>
            <Name>printer2.corp.test</Name>
            <IPAddress>10.1.40.22</IPAddress>
            <ClientId>00-15-5d-01-40-22</ClientId>
            <Type>Dhcp</Type>
          </Reservation>
          <Reservation>
            <Name>broken</Name>
            <IPAddress>10.1.40.23</IPAddress>
            <ClientId>not-a-mac</ClientId>
          </Reservation>
        </Reservations>
      </Scope>
    </Scopes>
  </IPv4>
</DHCPServer>
"""


def test_windows_dhcp_export_gives_scopes_and_reservations(tmp_path: Path) -> None:
    path = tmp_path / "dhcp-export.xml"
    path.write_text(WINDOWS_EXPORT)
    seen = read_source(str(path))
    assert [(o.kind, o.target) for o in seen if o.kind == "subnet"] == [("subnet", "10.1.40.0/24")]
    macs = [(o.name, str(o.ipv4), o.mac) for o in seen if o.kind == "mac"]
    assert macs == [("printer2", "10.1.40.22", "00:15:5d:01:40:22")]
    assert [o.kind for o in seen].count("junk") == 1
    inventory = build(seen, "corp.test.")
    assert [(v.id, str(v.network), str(v.gateway)) for v in inventory.vlans] == [
        (40, "10.1.40.0/24", "10.1.40.1")
    ]
    assert [h.name for h in inventory.hosts] == ["printer2"]


NETBOX = {
    "count": 4,
    "results": [
        {"id": 1, "address": "10.1.50.10/24", "dns_name": "nas1.corp.test", "status": "active"},
        {"id": 2, "address": "2001:db8::10/64", "dns_name": "nas1.corp.test"},
        {"id": 3, "prefix": "10.1.50.0/24", "vlan": {"id": 7, "vid": 50, "name": "Storage"}},
        {"id": 4, "prefix": "2001:db8::/64", "vlan": None},
    ],
}
TABLE = "IP,Host,Hardware\n10.1.60.5,cam1.corp.test,00-15-5d-00-60-05\n10.1.60.6,,\n"


def test_netbox_export_and_a_csv_table(tmp_path: Path) -> None:
    (tmp_path / "netbox.json").write_text(json.dumps(NETBOX))
    (tmp_path / "cams.csv").write_text(TABLE)
    seen = read_source(str(tmp_path / "netbox.json"))
    seen += read_source(
        str(tmp_path / "cams.csv"), {"address": "IP", "name": "Host", "mac": "Hardware"}
    )
    inventory = build(seen, "corp.test.")
    vlans = {v.id: v for v in inventory.vlans}
    assert (str(vlans[50].network), vlans[50].guessed) == ("10.1.50.0/24", False)  # NetBox's id
    hosts = {h.name: h for h in inventory.hosts}
    assert str(hosts["nas1"].ipv4) == "10.1.50.10"
    assert (str(hosts["cam1"].ipv4), hosts["cam1"].mac) == ("10.1.60.5", "00:15:5d:00:60:05")
    assert any(f.rule == "import.junk" for f in inventory.findings)  # the row without a name
    bad = run("--prefix", "2001:db8:c0::/48", "--csv-columns", "ip=IP", str(tmp_path / "cams.csv"))
    assert bad.returncode == 2
    assert "expected address=COL,name=COL" in bad.stderr


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
KEYS = st.sampled_from(
    ["results", "address", "dns_name", "prefix", "vlan", "vid", "name", "dst", "lladdr",
     "state", "IPAddress", "LinkLayerAddress", "State", "Dhcp4", "subnet4", "reservations",
     "hw-address", "ip-address", "hostname"]
)  # fmt: skip
SHAPED = st.recursive(
    st.none() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=25,
)


def _read_or_input_error(path: Path, columns: dict[str, str] | None = None) -> None:
    from dualstack.errors import InputError

    try:
        found = read_source(str(path), columns)
    except InputError as exc:
        message = str(exc)
        found = []
    else:
        message = str(path)
    assert str(path) in message
    assert "\n" not in message
    for observation in found:
        assert isinstance(observation, Observation)


@settings(max_examples=150, deadline=None)
@given(data=SHAPED | JSON)
def test_fuzz_json_inputs_are_read_or_refused_in_one_line(tmp_path_factory, data) -> None:  # type: ignore[no-untyped-def]
    """NetBox, Kea configuration, ip -j neigh and Get-NetNeighbor shapes with junk inside:
    observations or an InputError naming the file, nothing else."""
    path = tmp_path_factory.mktemp("fuzz") / "in.json"
    for wrapped in (data, {"results": data}, {"Dhcp4": data}, [data]):
        path.write_text(json.dumps(wrapped))
        _read_or_input_error(path)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_xml_csv_and_zone_text(tmp_path_factory, text: str) -> None:  # type: ignore[no-untyped-def]
    """Junk inside a Windows DHCP export, a --csv-columns table, a zone file and a Kea
    lease6 CSV."""
    folder = tmp_path_factory.mktemp("fuzz")
    cases = [
        ("export.xml", f"<DHCPServer><IPv4><Scopes><Scope>{text}</Scope></Scopes></IPv4>"
         "</DHCPServer>", None),
        ("escaped.xml", "<DHCPServer><Scope><Reservations><Reservation><Name>"
         f"{escape(text)}</Name></Reservation></Reservations></Scope></DHCPServer>", None),
        ("table.csv", "ip,dns,mac\n" + text, {"address": "ip", "name": "dns", "mac": "mac"}),
        ("corp.zone", "$ORIGIN corp.test.\n@ IN SOA ns1 h 1 1 1 1 1\n" + text, None),
        ("leases6.csv", "address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,hostname\n"
         + text, None),
    ]  # fmt: skip
    for name, body, columns in cases:
        path = folder / name
        path.write_text(body, encoding="utf-8", errors="surrogateescape")
        _read_or_input_error(path, columns)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_fuzz_reconcile_readers_never_raise_on_junk(text: str) -> None:
    from dualstack.errors import InputError
    from dualstack.reconcile import kea_leases6, neighbours

    header = "address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,lease_type,iaid\n"
    for read, body in ((neighbours, text), (kea_leases6, header + text), (neighbours, "[" + text)):
        try:
            found = read(body, "f")
        except InputError:
            continue
        assert all(s.address.version == 6 for s in found)


# Kea's memfile lease6 columns (the Kea ARM, "Lease File Format" of the memfile backend)
LEASES6 = (
    "address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,lease_type,iaid,prefix_len,"
    "fqdn_fwd,fqdn_rev,hostname,hwaddr,state,user_context,hwtype,hwaddr_source,pool_id\n"
    "2001:db8:c0:20::1:5,00:01:00:01:2c:aa:bb:cc:02:00:5e:00:00:80,4000,1795603282,1,3000,0,"
    "1,128,0,0,web.corp.test.,02:00:5e:00:00:80,0,,1,2,0\n"
    "2001:db8:c0:20::1:6,00:03:00:01:02:00:5e:00:00:90,4000,1795603282,1,3000,0,"
    "1,128,0,0,db,,0,,1,2,0\n"
    "2001:db8:c0:20::1:7,00:03:00:01:02:00:5e:00:00:91,4000,1795603282,1,3000,0,"
    "1,128,0,0,db,,0,,1,2,0\n"
    "2001:db8:c0:20::1:8,00:03:00:01:02:00:5e:00:00:53,4000,1795603282,1,3000,0,"
    "1,128,0,0,ns1,,2,,1,2,0\n"
    "2001:db8:c0:ff00::,00:03:00:01:02:00:5e:00:00:54,4000,1795603282,1,3000,2,"
    "1,56,0,0,ns1,,0,,1,2,0\n"
    "lease,garbage\n"
)


def test_kea_leases6_give_hosts_their_duid_by_name(tmp_path: Path) -> None:
    (tmp_path / "corp.test.zone").write_text(ZONE)
    (tmp_path / "leases6.csv").write_text(LEASES6)
    found = read_source(str(tmp_path / "leases6.csv"))
    assert [(o.kind, o.name, o.mac, o.line) for o in found] == [
        ("mac", "web", "02:00:5e:00:00:80", 2),
        ("mac", "db", None, 3),
        ("mac", "db", None, 4),
        ("junk", None, None, 7),  # ns1's expired lease (state 2) and its prefix: left out
    ]
    seen = [*read_source(str(tmp_path / "corp.test.zone")), *found]
    inventory = build(seen, "corp.test.", VLANS)
    hosts = {h.name: h for h in inventory.hosts}
    assert hosts["web"].duid == "00:01:00:01:2c:aa:bb:cc:02:00:5e:00:00:80"
    assert hosts["web"].mac == "02:00:5e:00:00:80"
    assert hosts["web"].sources[-1].endswith("leases6.csv:2")
    assert hosts["db"].duid is None  # two DUIDs for one name: a finding, not a choice
    assert ("import.several-duids", "db") in {(f.rule, f.subject) for f in inventory.findings}
    assert hosts["ns1"].duid is None
    # the site file written from them carries web's DUID and passes plan check
    done = run("--prefix", "2001:db8:c0::/48", "--vlan", "20=10.1.20.0/24,10.1.20.1",
               "-o", str(tmp_path / "site.toml"), str(tmp_path / "corp.test.zone"),
               str(tmp_path / "leases6.csv"))  # fmt: skip
    assert done.returncode == 1, done.stderr  # the zone's own conflicts, and db's DUIDs
    assert (
        'duid = "00:01:00:01:2c:aa:bb:cc:02:00:5e:00:00:80"' in (tmp_path / "site.toml").read_text()
    )
    checked = subprocess.run(
        [sys.executable, "-m", "dualstack", "plan", "check", str(tmp_path / "site.toml")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # merged into a site file a person keeps: web's DUID is reported, the file's web kept
    (tmp_path / "kept.toml").write_text(EXISTING)
    merged = run("--merge", str(tmp_path / "kept.toml"), "-o", str(tmp_path / "merged.toml"),
                 str(tmp_path / "corp.test.zone"), str(tmp_path / "leases6.csv"))  # fmt: skip
    assert "web DUID 00:01:00:01:2c:aa:bb:cc:02:00:5e:00:00:80; the site file has none" in (
        merged.stderr
    )


REVERSE = """$ORIGIN 20.1.10.in-addr.arpa.
$TTL 300
@ IN SOA ns1.corp.test. hostmaster.corp.test. 1 3600 600 86400 300
@ IN NS ns1.corp.test.
80 IN PTR web.corp.test.
90 IN PTR database.corp.test.
53 IN PTR ns1.corp.test.
53 IN PTR dns.corp.test.
"""


def test_the_reverse_zone_confirms_names_and_a_differing_ptr_is_a_finding(
    tmp_path: Path,
) -> None:
    (tmp_path / "corp.test.zone").write_text(ZONE)
    (tmp_path / "reverse.zone").write_text(REVERSE)
    seen = [o for f in ("corp.test.zone", "reverse.zone") for o in read_source(str(tmp_path / f))]
    assert sorted((str(o.ipv4), o.target) for o in seen if o.kind == "ptr") == [
        ("10.1.20.53", "dns.corp.test"),
        ("10.1.20.53", "ns1.corp.test"),
        ("10.1.20.80", "web.corp.test"),
        ("10.1.20.90", "database.corp.test"),
    ]
    inventory = build(seen, "corp.test.", VLANS)
    hosts = {h.name: h for h in inventory.hosts}
    assert any(s.startswith("PTR ") for s in hosts["web"].sources)
    assert any(s.startswith("PTR ") for s in hosts["ns1"].sources)  # one of its two PTRs
    differs = [f for f in inventory.findings if f.rule == "import.ptr-differs"]
    assert [(f.subject, "database.corp.test" in f.message) for f in differs] == [("db", True)]
