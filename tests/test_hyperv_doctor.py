"""The doctor on the healthy two-node cluster (clean) and on one fault at a time: each fault
fixture is the healthy collector output with one thing changed the way it goes wrong in the
field, and must trigger its own rule and no other warning or error."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dualstack.findings import Severity
from dualstack.hyperv import present
from dualstack.hyperv.model import read_host
from dualstack.hyperv.report import build_report, html_page, markdown, text
from dualstack.hyperv.rules import check
from tests.testdata import EVTX

HEALTHY = Path(__file__).parent / "fixtures" / "hyperv" / "healthy"
Raw = dict[str, Any]


def healthy() -> dict[str, Raw]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(HEALTHY.glob("*.json"))}


def where(items: list[Raw], **match: Any) -> list[Raw]:
    return [i for i in items if all(i.get(k) == v for k, v in match.items())]


def net_id(raw: Raw, name: str) -> str:
    return where(raw["ClusterNetwork"], Name=name)[0]["Id"]


# ---- one fault each --------------------------------------------------------------------


def no_csv_address_on_hv02(c: dict[str, Raw]) -> None:
    hv = c["HV02"]
    hv["NetIPAddress"] = [a for a in hv["NetIPAddress"] if a["InterfaceAlias"] != "CSV-Heartbeat"]


def jumbo_mismatch(c: dict[str, Raw]) -> None:
    prop = where(c["HV02"]["NetAdapterAdvancedProperty"], Name="LiveMigration")[0]
    prop["RegistryValue"], prop["DisplayValue"] = ["1514"], "Disabled"


def slow_link(c: dict[str, Raw]) -> None:
    adapter = where(c["HV02"]["NetAdapter"], Name="LiveMigration")[0]
    adapter["LinkSpeed"], adapter["ReceiveLinkSpeed"] = "1 Gbps", 1_000_000_000


def two_nics_one_subnet_2012r2(c: dict[str, Raw]) -> None:
    for raw in c.values():
        raw["OSVersion"] = "6.3.9600"
    hv = c["HV01"]
    mine = where(hv["NetIPAddress"], InterfaceAlias="LiveMigration", AddressFamily=2)
    extra = copy.deepcopy(mine[0])
    extra.update(InterfaceAlias="CSV-Heartbeat", IPAddress="10.10.20.51")
    hv["NetIPAddress"].append(extra)


def iscsi_role_cluster(c: dict[str, Raw]) -> None:
    for raw in c.values():
        where(raw["ClusterNetwork"], Name=_iscsi_a_name(raw))[0]["Role"] = 1


def _iscsi_a_name(raw: Raw) -> str:
    return next(n["Name"] for n in raw["ClusterNetwork"] if "10.10.40." in str(n["Address"]))


def management_metric_high(c: dict[str, Raw]) -> None:
    for i in where(c["HV01"]["NetIPInterface"], InterfaceAlias="Management", AddressFamily=2):
        i["InterfaceMetric"], i["AutomaticMetric"] = 50, 0


def binding_order_2012r2(c: dict[str, Raw]) -> None:
    for raw in c.values():
        raw["OSVersion"] = "6.3.9600"
    order = c["HV02"]["BindingOrder"]
    order.remove("LiveMigration")
    order.insert(0, "LiveMigration")


def migration_disabled(c: dict[str, Raw]) -> None:
    c["HV02"]["VMHost"][0]["VirtualMachineMigrationEnabled"] = False


def no_common_migration_network(c: dict[str, Raw]) -> None:
    c["HV02"]["VMMigrationNetwork"] = []


def migration_over_iscsi(c: dict[str, Raw]) -> None:
    for raw in c.values():
        raw["VMMigrationNetwork"].append({"Subnet": "10.10.40.0/24", "Priority": 1})


def migration_order_wrong(c: dict[str, Raw]) -> None:
    raw = c["HV01"]
    order = where(raw["ClusterParameter"], Name="MigrationNetworkOrder")[0]
    ids = order["Value"].split(";")
    order["Value"] = ";".join(reversed(ids))


def credssp_on_one_node(c: dict[str, Raw]) -> None:
    c["HV02"]["VMHost"][0]["VirtualMachineMigrationAuthenticationType"] = 0


def live_migration_registers_in_dns(c: dict[str, Raw]) -> None:
    dns = where(c["HV01"]["DnsClient"], InterfaceAlias="LiveMigration")[0]
    dns["RegisterThisConnectionsAddress"] = True


def second_gateway(c: dict[str, Raw]) -> None:
    route = copy.deepcopy(where(c["HV01"]["NetRoute"], DestinationPrefix="0.0.0.0/0")[0])
    route.update(InterfaceAlias="LiveMigration", NextHop="10.10.20.1")
    c["HV01"]["NetRoute"].append(route)


def mcs_mixing_families(c: dict[str, Raw]) -> None:
    hv = c["HV01"]
    first, second = hv["IscsiSession"]
    v6 = {"InterfaceAlias": "iSCSI-B", "IPAddress": "2001:db8:41::11", "PrefixLength": 64}
    hv["NetIPAddress"].append({**where(hv["NetIPAddress"], InterfaceAlias="iSCSI-B")[0], **v6})
    connection = copy.deepcopy(first["Connections"][0])
    connection.update(InitiatorAddress="2001:db8:41::11", TargetAddress="2001:db8:41::100")
    first["Connections"].append(connection)
    first["NumberOfConnections"] = 2
    hv["IscsiSession"] = [first]
    del second


def mcs_and_mpio(c: dict[str, Raw]) -> None:
    session = c["HV01"]["IscsiSession"][1]
    connection = copy.deepcopy(session["Connections"][0])
    connection.update(TargetAddress="10.10.41.101")
    session["Connections"].append(connection)
    session["NumberOfConnections"] = 2


def single_path(c: dict[str, Raw]) -> None:
    c["HV01"]["IscsiSession"] = c["HV01"]["IscsiSession"][:1]


def bind(raw: Raw, adapter: str, component: str) -> None:
    """Enable ``component`` on ``adapter`` (adding the binding row if the fixture lacks it)."""
    found = where(raw["NetAdapterBinding"], Name=adapter, ComponentID=component)
    if found:
        found[0]["Enabled"] = True
        return
    row = {"Name": adapter, "ComponentID": component, "DisplayName": component, "Enabled": True}
    raw["NetAdapterBinding"].append(row)


def iscsi_with_file_sharing(c: dict[str, Raw]) -> None:
    bind(c["HV01"], "iSCSI-A", "ms_msclient")


def ipv6_unbound(c: dict[str, Raw]) -> None:
    where(c["HV02"]["NetAdapterBinding"], Name="LiveMigration", ComponentID="ms_tcpip6")[0][
        "Enabled"
    ] = False


def host_on_vm_uplink(c: dict[str, Raw]) -> None:
    bind(c["HV01"], "VM-Trunk", "ms_msclient")


def sixtofour_enabled(c: dict[str, Raw]) -> None:
    c["HV01"]["Net6to4Configuration"][0]["State"] = 2  # Enabled


def teredo_address_on_a_2012r2_default(c: dict[str, Raw]) -> None:
    """Teredo left at Default on 2012 R2 came up: its address is on the pseudo-interface."""
    for raw in c.values():
        raw["OSVersion"] = "6.3.9600"
    hv = c["HV02"]
    hv["NetIPAddress"].append(
        {
            "InterfaceAlias": "Teredo Tunneling Pseudo-Interface",
            "InterfaceIndex": 14,
            "IPAddress": "2001:0:2851:782c:1c6e:3a5f:f5ff:fef0",
            "PrefixLength": 64,
            "AddressFamily": 23,
            "PrefixOrigin": 4,
            "SuffixOrigin": 4,
            "AddressState": 4,
            "SkipAsSource": False,
        }
    )


def ipv6_off_by_registry(c: dict[str, Raw]) -> None:
    c["HV02"]["Tcpip6Parameters"][0]["DisabledComponents"] = 255


def temporary_addresses_on(c: dict[str, Raw]) -> None:
    c["HV01"]["NetIPv6Protocol"][0]["UseTemporaryAddresses"] = 1


def truncated_by_depth(c: dict[str, Raw]) -> None:
    c["HV02"]["IscsiSession"][0]["Connections"] = "System.Object[]"
    c["HV02"]["IscsiSession"][1]["Connections"] = "System.Object[]"


FAULTS: dict[str, tuple[Callable[[dict[str, Raw]], None], str]] = {
    "csv network missing on a node": (no_csv_address_on_hv02, "HV-NET-001"),
    "jumbo frames differ": (jumbo_mismatch, "HV-NET-002"),
    "a link negotiated 1 Gbps": (slow_link, "HV-NET-003"),
    "two NICs in one subnet (2012 R2)": (two_nics_one_subnet_2012r2, "HV-NET-004"),
    "iSCSI network with a cluster role": (iscsi_role_cluster, "HV-ROLE-001"),
    "management metric not the lowest": (management_metric_high, "HV-BIND-001"),
    "binding order wrong (2012 R2)": (binding_order_2012r2, "HV-BIND-001"),
    "live migration disabled": (migration_disabled, "HV-LM-001"),
    "no common live-migration network": (no_common_migration_network, "HV-LM-002"),
    "live migration over iSCSI": (migration_over_iscsi, "HV-LM-003"),
    "migration network order wrong": (migration_order_wrong, "HV-LM-004"),
    "CredSSP on one node": (credssp_on_one_node, "HV-LM-005"),
    "cluster adapter registers in DNS": (live_migration_registers_in_dns, "HV-DNS-001"),
    "second default gateway": (second_gateway, "HV-GW-001"),
    "MCS session mixing IPv4 and IPv6": (mcs_mixing_families, "HV-ISCSI-001"),
    "MCS and MPIO on one target": (mcs_and_mpio, "HV-ISCSI-002"),
    "one iSCSI path": (single_path, "HV-ISCSI-003"),
    "iSCSI adapter with file sharing": (iscsi_with_file_sharing, "HV-ISCSI-004"),
    "IPv6 unbound": (ipv6_unbound, "HV-IPV6-001"),
    "host bindings on the VM uplink": (host_on_vm_uplink, "HV-VSW-001"),
    "values cut off by -Depth": (truncated_by_depth, "HV-DATA-001"),
    "6to4 enabled": (sixtofour_enabled, "HV-IPV6-002"),
    "Teredo up at Default on 2012 R2": (teredo_address_on_a_2012r2_default, "HV-IPV6-002"),
    "DisabledComponents 0xff": (ipv6_off_by_registry, "HV-IPV6-003"),
    "temporary addresses on a server": (temporary_addresses_on, "HV-IPV6-006"),
}


def problems(cluster: dict[str, Raw]) -> list[str]:
    hosts = [read_host(raw, f"{name}.json") for name, raw in cluster.items()]
    return sorted({f.rule for f in check(hosts) if f.severity is not Severity.INFO})


def test_healthy_cluster_is_clean() -> None:
    assert problems(healthy()) == []


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_triggers_its_rule_and_nothing_else(fault: str) -> None:
    cluster = healthy()
    mutate, rule_id = FAULTS[fault]
    mutate(cluster)
    assert problems(cluster) == [rule_id]


def test_events_are_explained_and_tied_to_their_cause() -> None:
    cluster = healthy()
    no_common_migration_network(cluster)
    cluster["HV02"]["Events"] = [
        {
            "Id": 21126,
            "TimeCreated": "/Date(1764067282000)/",
            "ProviderName": "Microsoft-Windows-Hyper-V-High-Availability",
            "LogName": "Microsoft-Windows-Hyper-V-High-Availability-Admin",
            "MachineName": "HV02.contoso.com",
            "LevelDisplayName": "Error",
            "Message": "Failed to get the network address for the destination node 'HV02': "
            "A cluster network is not available for this operation. (0x000013AB).",
            "Properties": ["HV02", "A cluster network is not available for this operation.",
                           "0x000013AB"],
        }
    ]  # fmt: skip
    hosts = tuple(read_host(raw, f"{n}.json") for n, raw in cluster.items())
    report = build_report(hosts)
    [note] = report.events
    assert note.event.event_id == 21126
    assert note.host == "HV02"
    assert "HV-LM-002" in note.related
    rendered = text(report)
    assert "21126 on HV02 at 2025-11-25 10:41" in rendered
    assert "see HV-LM-002" in rendered


def test_events_of_one_migration_on_both_nodes_form_one_incident() -> None:
    cluster = healthy()
    no_common_migration_network(cluster)
    base = {
        "ProviderName": "Microsoft-Windows-Hyper-V-High-Availability",
        "LogName": "Microsoft-Windows-Hyper-V-High-Availability-Admin",
        "LevelDisplayName": "Error",
    }
    cluster["HV02"]["Events"] = [
        {**base, "Id": 21126, "TimeCreated": "/Date(1764067282000)/", "MachineName": "HV02",
         "Message": "Failed to get the network address for the destination node 'HV02'.",
         "Properties": ["HV02", "A cluster network is not available for this operation.",
                        "0x000013AB"]},
        {**base, "Id": 21126, "TimeCreated": "/Date(1764070882000)/", "MachineName": "HV02",
         "Message": "Failed to get the network address for the destination node 'HV02'.",
         "Properties": ["HV02", "A cluster network is not available for this operation.",
                        "0x000013AB"]},
    ]  # fmt: skip
    cluster["HV01"]["Events"] = [
        {**base, "Id": 21126, "TimeCreated": "/Date(1764067290000)/", "MachineName": "HV01",
         "Message": "Failed to get the network address for the destination node 'HV02'.",
         "Properties": ["HV02", "A cluster network is not available for this operation.",
                        "0x000013AB"]},
    ]  # fmt: skip
    hosts = tuple(read_host(raw, f"{n}.json") for n, raw in cluster.items())
    found = build_report(hosts).incidents
    assert [(i.subject, i.hosts, len(i.notes)) for i in found] == [
        ("HV02", ("HV01", "HV02"), 2),
        ("HV02", ("HV02",), 1),
    ]
    assert found[0].related == ("HV-LM-002",)


def test_reports_escape_and_render() -> None:
    cluster = healthy()
    live_migration_registers_in_dns(cluster)
    cluster["HV01"]["ComputerName"] = "<script>alert(1)</script>"
    hosts = tuple(read_host(raw, f"{n}.json") for n, raw in cluster.items())
    report = build_report(hosts)
    page = html_page(report)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "HV-DNS-001" in markdown(report)
    assert present.report(report)["errors"] == 0


def test_cli_check_exit_codes_and_formats(tmp_path: Path) -> None:
    cluster = healthy()
    no_common_migration_network(cluster)
    paths = []
    for name, raw in cluster.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(raw))
        paths.append(str(path))
    run = [sys.executable, "-m", "dualstack", "hyperv", "check", *paths]
    result = subprocess.run(run, capture_output=True, text=True)
    assert result.returncode == 1
    assert "HV-LM-002 error" in result.stdout
    data = json.loads(subprocess.run([*run, "--json"], capture_output=True, text=True).stdout)
    assert data["errors"] == 1
    page = tmp_path / "report.html"
    subprocess.run([*run, "--html", "-o", str(page)], capture_output=True, text=True)
    assert page.read_text().startswith("<!doctype html>")
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    broken = subprocess.run(
        [sys.executable, "-m", "dualstack", "hyperv", "check", str(bad)],
        capture_output=True,
        text=True,
    )
    assert broken.returncode == 2
    assert broken.stderr.startswith("dualstack: error:")
    assert "Traceback" not in broken.stderr


def test_cli_collector_prints_the_script() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dualstack", "hyperv", "collector"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "dualstack-hyperv/1" in result.stdout
    assert "ConvertTo-Json" in result.stdout


def test_cli_events_decodes_the_dns_server_and_keeps_readable_records() -> None:
    run = [sys.executable, "-m", "dualstack", "hyperv", "events"]
    good = subprocess.run([*run, str(EVTX / "system.evtx")], capture_output=True, text=True)
    assert good.returncode == 0
    assert "DNS-Client 1014" in good.stdout
    assert "server 10.3.58.4 port 53" in good.stdout
    assert "Microsoft-Windows-DHCPv6-Client 51046" in good.stdout
    damaged = subprocess.run(
        [*run, "--all", str(EVTX / "dns_log_malformed.evtx")], capture_output=True, text=True
    )
    assert damaged.returncode == 1
    assert "1 of 5 records shown, 4 unreadable" in damaged.stdout
    assert damaged.stderr.count("dualstack: error:") == 4
    assert "Traceback" not in damaged.stderr
    as_json = subprocess.run(
        [*run, "--json", str(EVTX / "system.evtx")], capture_output=True, text=True
    )
    rows = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert {r["id"] for r in rows} == {51046, 51047, 50036, 50037, 1014}


def _doctor(path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dualstack", "hyperv", "check", *options, str(path)],
        capture_output=True,
        text=True,
    )


def test_a_collector_file_nested_too_deeply_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_text("[" * 100_000)  # nesting past Python's recursion limit
    result = _doctor(path)
    assert result.returncode == 2
    assert (
        result.stderr
        == f"dualstack: error: {path}: JSON nested too deeply to be a collector file\n"
    )
    assert result.stdout == ""


def test_an_odd_value_shape_is_ignored_like_a_missing_entry(tmp_path: Path) -> None:
    """An interface whose AddressFamily is a list (no collector writes that) is left out: the
    report equals the one for the same node without that interface."""
    raw = json.loads((HEALTHY / "HV01.json").read_text())
    reports = []
    for interfaces in ([{"InterfaceAlias": "x", "AddressFamily": [2]}], []):
        path = tmp_path / f"{len(interfaces)}" / "HV01.json"
        path.parent.mkdir()
        path.write_text(json.dumps({**raw, "NetIPInterface": interfaces}))
        result = _doctor(path, "--json")
        assert result.returncode == 0
        assert result.stderr == ""
        reports.append(json.loads(result.stdout.replace(str(path.parent), "")))
    assert reports[0] == reports[1]
    assert [f["rule"] for f in reports[0]["findings"]] == ["HV-LM-005"]


def test_a_bad_prefix_length_is_skipped_not_a_crash() -> None:
    """A negative PrefixLength leaves that address out; the healthy pair stays healthy."""
    cluster = healthy()
    cluster["HV01"]["NetIPAddress"][0]["PrefixLength"] = -1
    hosts = [read_host(raw, f"{n}.json") for n, raw in cluster.items()]
    before = [read_host(raw, f"{n}.json") for n, raw in healthy().items()]
    assert len(hosts[0].addresses) == len(before[0].addresses) - 1
    assert [f.rule for f in check(hosts)] == [f.rule for f in check(before)]


def test_report_to_a_folder_is_a_one_line_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dualstack", "hyperv", "check",
         str(HEALTHY / "HV01.json"), str(HEALTHY / "HV02.json"), "-o", str(tmp_path)],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith(f"dualstack: error: cannot write {tmp_path}")


def _info(cluster: dict[str, Raw], rule: str) -> list[str]:
    hosts = [read_host(raw, f"{name}.json") for name, raw in cluster.items()]
    return [f"{f.subject}: {f.message}" for f in check(hosts) if f.rule == rule]


def test_prefix_policies_preferring_ipv4_are_reported_with_the_nodes_that_differ() -> None:
    cluster = healthy()
    policies = {p["Prefix"]: p for p in cluster["HV01"]["NetPrefixPolicy"]}
    policies["::ffff:0:0/96"]["Precedence"] = 100  # netsh ... set prefixpolicy ::ffff:0:0/96 100
    found = _info(cluster, "HV-IPV6-004")
    assert len(found) == 1
    assert found[0].startswith("HV01: HV01 prefers IPv4 over IPv6")
    assert "Unlike this node, HV02 prefer(s) IPv6" in found[0]
    for raw in cluster.values():
        raw["Tcpip6Parameters"][0]["DisabledComponents"] = 32
    assert len(_info(cluster, "HV-IPV6-004")) == 2


def test_random_interface_ids_are_reported_as_unpredictable() -> None:
    cluster = healthy()
    cluster["HV02"]["NetIPv6Protocol"][0]["RandomizeIdentifiers"] = 1
    found = _info(cluster, "HV-IPV6-005")
    assert len(found) == 1
    assert found[0].startswith("HV02: HV02 forms its SLAAC addresses with random interface IDs")


def test_tunnels_off_through_disabled_components_are_not_reported() -> None:
    cluster = healthy()
    cluster["HV01"]["Net6to4Configuration"][0]["State"] = 2
    cluster["HV01"]["Tcpip6Parameters"][0]["DisabledComponents"] = 1
    assert _info(cluster, "HV-IPV6-002") == []


def test_enum_names_from_a_powershell7_compatibility_session_are_read() -> None:
    cluster = healthy()
    hv = cluster["HV01"]
    hv["Net6to4Configuration"][0]["State"] = "Enabled"
    hv["NetTeredoConfiguration"][0]["Type"] = "enterpriseclient"
    hv["NetIPv6Protocol"][0]["UseTemporaryAddresses"] = "Always"
    host = read_host(hv, "HV01.json")
    assert (host.posture.sixtofour, host.posture.teredo) == ("Enabled", "Enterpriseclient")
    assert host.posture.temporary_addresses == "Always"
    assert problems(cluster) == ["HV-IPV6-002", "HV-IPV6-006"]


def test_disabled_components_read_as_a_signed_dword() -> None:
    cluster = healthy()
    cluster["HV01"]["Tcpip6Parameters"][0]["DisabledComponents"] = -1  # 0xffffffff as Int32
    host = read_host(cluster["HV01"], "HV01.json")
    assert host.posture.disabled_components == 0xFFFFFFFF
    hosts = [read_host(raw, f"{n}.json") for n, raw in cluster.items()]
    found = [f for f in check(hosts) if f.rule == "HV-IPV6-003"]
    assert any("five seconds" in line for f in found for line in f.evidence)
