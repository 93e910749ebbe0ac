"""The doctor on realistic variations of the HEALTHY cluster that real collector output contains
(loopback, the hidden cluster adapter, IPv6 everywhere, PowerShell 7 output, unwrapped arrays,
null and missing sources, Windows Server 2012 R2, three nodes, localised adapter names): no
false positives, no crash, and the rules still fire through them.

Every variant is built in code from tests/fixtures/hyperv/healthy (deepcopy + edits)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from dualstack.findings import Finding, Severity
from dualstack.hyperv.model import read_host
from dualstack.hyperv.report import build_report, html_page
from dualstack.hyperv.rules import check

HEALTHY = Path(__file__).parent / "fixtures" / "hyperv" / "healthy"
Raw = dict[str, Any]
_CACHE = {p.stem: json.loads(p.read_text()) for p in sorted(HEALTHY.glob("*.json"))}


def healthy() -> dict[str, Raw]:
    return copy.deepcopy(_CACHE)


def where(items: list[Raw], **match: Any) -> list[Raw]:
    return [i for i in items if all(i.get(k) == v for k, v in match.items())]


def findings(cluster: dict[str, Raw]) -> list[Finding]:
    return check(read_host(raw, f"{name}.json") for name, raw in cluster.items())


def problems(cluster: dict[str, Raw]) -> list[str]:
    """Rule ids of the warnings and errors (info left out), sorted and unique."""
    return sorted({f.rule for f in findings(cluster) if f.severity is not Severity.INFO})


def suffix(raw: Raw) -> str:
    """The last octet of a node's addresses: HV01 -> "11"."""
    return str(int(raw["ComputerName"][2:]) + 10)


# ---- 1. the loopback interface -------------------------------------------------------------


def add_loopback(raw: Raw) -> None:
    for family in (2, 23):
        raw["NetIPInterface"].append(
            {
                "InterfaceAlias": "Loopback Pseudo-Interface 1",
                "InterfaceIndex": 1,
                "AddressFamily": family,
                "InterfaceMetric": 75,
                "AutomaticMetric": 1,
                "Dhcp": 0,
                "NlMtu": 4294967295,
                "ConnectionState": 1,
                "RouterDiscovery": 0,
            }
        )
    for address, length, family in (("127.0.0.1", 8, 2), ("::1", 128, 23)):
        raw["NetIPAddress"].append(
            {
                "InterfaceAlias": "Loopback Pseudo-Interface 1",
                "InterfaceIndex": 1,
                "IPAddress": address,
                "PrefixLength": length,
                "AddressFamily": family,
                "PrefixOrigin": 2,
                "SuffixOrigin": 2,
                "AddressState": 4,
                "SkipAsSource": False,
            }
        )
    raw["DnsClient"].append(
        {
            "InterfaceAlias": "Loopback Pseudo-Interface 1",
            "InterfaceIndex": 1,
            "ConnectionSpecificSuffix": "",
            "RegisterThisConnectionsAddress": True,
            "UseSuffixWhenRegistering": False,
        }
    )


def test_loopback_interface_is_clean() -> None:
    cluster = healthy()
    for raw in cluster.values():
        add_loopback(raw)
    assert problems(cluster) == []


def test_loopback_interface_on_2012r2_is_clean() -> None:
    cluster = healthy()
    for raw in cluster.values():
        add_loopback(raw)
        raw["OSVersion"] = "6.3.9600"
    assert problems(cluster) == []


# ---- 2. the hidden Microsoft Failover Cluster Virtual Adapter (NetFT) ----------------------

NETFT = "Local Area Connection* 12"


def add_netft(raw: Raw, metric: int = 75, dns: bool | None = None) -> None:
    """NetFT: in NetIPInterface/NetIPAddress (169.254.x.x/16 and fe80::) but hidden, so not in
    Get-NetAdapter; in Get-DnsClient when ``dns`` is not None."""
    n = int(suffix(raw))
    for family in (2, 23):
        raw["NetIPInterface"].append(
            {
                "InterfaceAlias": NETFT,
                "InterfaceIndex": 20,
                "AddressFamily": family,
                "InterfaceMetric": metric,
                "AutomaticMetric": 1,
                "Dhcp": 0,
                "NlMtu": 1300,
                "ConnectionState": 1,
                "RouterDiscovery": 1,
            }
        )
    for address, length, family in (
        (f"169.254.{n}.{200 + n}", 16, 2),
        (f"fe80::80ac:e638:2e8d:9c{n:02x}%20", 64, 23),
    ):
        raw["NetIPAddress"].append(
            {
                "InterfaceAlias": NETFT,
                "InterfaceIndex": 20,
                "IPAddress": address,
                "PrefixLength": length,
                "AddressFamily": family,
                "PrefixOrigin": 4,
                "SuffixOrigin": 4,
                "AddressState": 4,
                "SkipAsSource": False,
            }
        )
    if dns is not None:
        raw["DnsClient"].append(
            {
                "InterfaceAlias": NETFT,
                "InterfaceIndex": 20,
                "ConnectionSpecificSuffix": "",
                "RegisterThisConnectionsAddress": dns,
                "UseSuffixWhenRegistering": False,
            }
        )


def test_cluster_virtual_adapter_is_clean() -> None:
    cluster = healthy()
    for raw in cluster.values():
        add_netft(raw, metric=75, dns=False)
    assert problems(cluster) == []


def test_cluster_virtual_adapter_with_loopback_on_2012r2_is_clean() -> None:
    cluster = healthy()
    for raw in cluster.values():
        add_netft(raw)
        add_loopback(raw)
        raw["OSVersion"] = "6.3.9600"
    assert problems(cluster) == []


def test_cluster_virtual_adapter_with_default_dns_registration_is_clean() -> None:
    # Get-DnsClient lists every interface, hidden ones included, and
    # RegisterThisConnectionsAddress is True by default. Windows never registers link-local
    # (APIPA, fe80::) addresses in DNS, so there is nothing to warn about.
    cluster = healthy()
    for raw in cluster.values():
        add_netft(raw, dns=True)
    assert problems(cluster) == []


def test_cluster_virtual_adapter_with_a_low_automatic_metric_is_clean() -> None:
    # Whether the metric the stack gives NetFT is below the management adapter's depends on
    # the speed it reports; an interface holding only 169.254/16 and fe80:: cannot carry the
    # node's name or client traffic, so it must not count as "before" management.
    cluster = healthy()
    for raw in cluster.values():
        add_netft(raw, metric=5)
    assert problems(cluster) == []


def test_rules_still_fire_with_loopback_and_cluster_adapter() -> None:
    cluster = healthy()
    for raw in cluster.values():
        add_loopback(raw)
        add_netft(raw, dns=False)
    for i in where(cluster["HV01"]["NetIPInterface"], InterfaceAlias="Management"):
        i["InterfaceMetric"] = 50
    assert problems(cluster) == ["HV-BIND-001"]
    [bind] = [f for f in findings(cluster) if f.rule == "HV-BIND-001"]
    assert "LiveMigration (20)" in bind.message


# ---- 3. IPv6 everywhere --------------------------------------------------------------------

V6_NETWORKS = {"LiveMigration": 20, "CSV-Heartbeat": 30, "iSCSI-A": 40, "iSCSI-B": 41}


def ipv6_everywhere(cluster: dict[str, Raw]) -> None:
    """Global 2001:db8:N::/64 addresses on every IP adapter, the cluster networks listing those
    subnets, IPv6 live migration next to IPv4. Management already has 2001:db8:10::/64 and the
    ::/0 route via fe80::1."""
    for raw in cluster.values():
        node = suffix(raw)
        for alias, n in V6_NETWORKS.items():
            template = where(raw["NetIPAddress"], InterfaceAlias=alias, AddressFamily=23)[0]
            raw["NetIPAddress"].append(
                {**template, "IPAddress": f"2001:db8:{n}::{node}", "PrefixOrigin": 1}
            )
            net = where(raw["ClusterNetwork"], Name=alias)[0]
            net["Ipv6Addresses"], net["Ipv6PrefixLengths"] = [f"2001:db8:{n}::"], ["64"]
        for interface in raw["ClusterNetworkInterface"]:
            n = V6_NETWORKS.get(interface["Network"])
            if n is not None:
                last = interface["Address"].rsplit(".", 1)[1]
                interface["Ipv6Addresses"] = [f"2001:db8:{n}::{last}"]
        raw["VMMigrationNetwork"].append({"Subnet": "2001:db8:20::/64", "Priority": 1})


def test_ipv6_everywhere_is_clean() -> None:
    cluster = healthy()
    ipv6_everywhere(cluster)
    hv01 = read_host(cluster["HV01"], "HV01.json")
    assert {str(s) for s in hv01.cluster_networks[1].subnets} == {
        "10.10.20.0/24",
        "2001:db8:20::/64",
    }
    assert problems(cluster) == []


def test_ipv6_everywhere_with_loopback_netft_and_2012r2_is_clean() -> None:
    cluster = healthy()
    ipv6_everywhere(cluster)
    for raw in cluster.values():
        add_loopback(raw)
        add_netft(raw, dns=False)
        raw["OSVersion"] = "6.3.9600"
    assert problems(cluster) == []


def make_csv_ipv6_only(cluster: dict[str, Raw]) -> None:
    for raw in cluster.values():
        raw["NetIPAddress"] = [
            a
            for a in raw["NetIPAddress"]
            if not (a["InterfaceAlias"] == "CSV-Heartbeat" and a["AddressFamily"] == 2)
        ]
        net = where(raw["ClusterNetwork"], Name="CSV-Heartbeat")[0]
        net.update(
            Address="2001:db8:30::",
            AddressMask="",
            Ipv4Addresses=[],
            Ipv4PrefixLengths=[],
        )


def test_ipv6_only_network_is_clean() -> None:
    cluster = healthy()
    ipv6_everywhere(cluster)
    make_csv_ipv6_only(cluster)
    assert problems(cluster) == []


def test_ipv6_only_network_missing_on_one_node_fires_net_001() -> None:
    # On an IPv6-only cluster network the node without an address in its prefix has no path
    # at all (link-local fe80:: addresses do not make a cluster network): HV-NET-001 is right.
    cluster = healthy()
    ipv6_everywhere(cluster)
    make_csv_ipv6_only(cluster)
    hv02 = cluster["HV02"]
    hv02["NetIPAddress"] = [a for a in hv02["NetIPAddress"] if a["IPAddress"] != "2001:db8:30::12"]
    assert problems(cluster) == ["HV-NET-001"]
    [net] = [f for f in findings(cluster) if f.rule == "HV-NET-001"]
    assert net.subject == "2001:db8:30::/64"
    assert "HV02: no adapter in 2001:db8:30::/64" in net.evidence


def test_ipv6_everywhere_still_fires_gateway_and_iscsi_rules() -> None:
    cluster = healthy()
    ipv6_everywhere(cluster)
    hv01 = cluster["HV01"]
    route = copy.deepcopy(where(hv01["NetRoute"], DestinationPrefix="::/0")[0])
    route.update(InterfaceAlias="CSV-Heartbeat", InterfaceIndex=8)  # a stray router advert
    hv01["NetRoute"].append(route)
    assert problems(cluster) == ["HV-GW-001"]
    cluster = healthy()
    ipv6_everywhere(cluster)
    cluster["HV01"]["IscsiSession"] = cluster["HV01"]["IscsiSession"][:1]
    assert problems(cluster) == ["HV-ISCSI-003"]


# ---- 4. PowerShell 7 output ----------------------------------------------------------------

FAMILY = {2: "IPv4", 23: "IPv6"}
ROLE = {0: "None", 1: "Cluster", 3: "ClusterAndClient"}
BOOLEANS = {
    "Enabled",
    "Virtual",
    "RegisterThisConnectionsAddress",
    "UseSuffixWhenRegistering",
    "SkipAsSource",
    "VirtualMachineMigrationEnabled",
    "UseAnyNetworkForMigration",
    "AllowManagementOS",
    "EmbeddedTeamingEnabled",
    "IsConnected",
    "IsPersistent",
    "IsMultipathEnabled",
}


def to_ps7(raw: Raw) -> None:
    """Enums as their names, booleans as "True"/"False" strings, ISO timestamps with 7 digits
    and an offset, as PowerShell 7 (ConvertTo-Json -EnumsAsStrings, Select-Object text) gives."""
    raw["CollectedAt"] = "2025-11-25T11:41:22.8645740+01:00"
    for value in raw.values():
        for obj in value if isinstance(value, list) else []:
            if not isinstance(obj, dict):
                continue
            if obj.get("AddressFamily") in FAMILY:
                obj["AddressFamily"] = FAMILY[obj["AddressFamily"]]
            for key in BOOLEANS & obj.keys():
                if isinstance(obj[key], bool):
                    obj[key] = str(obj[key])
            for key in ("AutomaticMetric", "Dhcp"):
                if key in obj:
                    obj[key] = "Enabled" if obj[key] else "Disabled"
    for net in raw["ClusterNetwork"]:
        net["Role"], net["State"] = ROLE[net["Role"]], "Up"
    vmhost = raw["VMHost"][0]
    vmhost["VirtualMachineMigrationAuthenticationType"] = "Kerberos"
    vmhost["VirtualMachineMigrationPerformanceOption"] = "SMB"
    for switch in raw["VMSwitch"]:
        switch["SwitchType"] = "External"


def test_powershell7_output_is_clean() -> None:
    cluster = healthy()
    for raw in cluster.values():
        to_ps7(raw)
    hv01 = read_host(cluster["HV01"], "HV01.json")
    assert hv01.collected_at is not None
    assert hv01.collected_at.isoformat() == "2025-11-25T11:41:22.864574+01:00"
    assert {i.family for i in hv01.interfaces} == {4, 6}
    assert [n.role for n in hv01.cluster_networks] == [3, 1, 1, 0, 0]
    assert (hv01.migration.authentication, hv01.migration.performance) == ("Kerberos", "SMB")
    assert problems(cluster) == []
    assert [f.rule for f in findings(cluster)] == ["HV-LM-005"]  # the info line


def test_powershell7_mixed_with_windows_powershell_is_clean() -> None:
    cluster = healthy()
    to_ps7(cluster["HV02"])  # one node collected with pwsh, the other with powershell.exe
    assert problems(cluster) == []


def test_powershell7_iscsi_role_cluster_fires_role_001() -> None:
    cluster = healthy()
    for raw in cluster.values():
        to_ps7(raw)
        where(raw["ClusterNetwork"], Name="iSCSI-A")[0]["Role"] = "Cluster"
    assert problems(cluster) == ["HV-ROLE-001"]
    [role] = [f for f in findings(cluster) if f.rule == "HV-ROLE-001"]
    assert role.subject == "iSCSI-A"
    assert "None (0)" in role.message


@pytest.mark.parametrize("role", [2, "Client"])
def test_client_only_role_on_management_fires_role_001(role: int | str) -> None:
    # ClusterNetworkRole 2 (Client; MSCluster_Network ClientAccess) is a real value: the
    # management network set to client-only carries no heartbeats; expected role 3.
    cluster = healthy()
    for raw in cluster.values():
        where(raw["ClusterNetwork"], Name="Management")[0]["Role"] = role
    assert problems(cluster) == ["HV-ROLE-001"]


def test_powershell7_other_faults_fire() -> None:
    cluster = healthy()
    for raw in cluster.values():
        to_ps7(raw)
    cluster["HV02"]["VMHost"][0]["VirtualMachineMigrationAuthenticationType"] = "CredSSP"
    where(cluster["HV02"]["NetAdapterBinding"], Name="LiveMigration", ComponentID="ms_tcpip6")[0][
        "Enabled"
    ] = "False"
    where(cluster["HV01"]["DnsClient"], InterfaceAlias="CSV-Heartbeat")[0][
        "RegisterThisConnectionsAddress"
    ] = "True"
    assert problems(cluster) == ["HV-DNS-001", "HV-IPV6-001", "HV-LM-005"]


def test_powershell7_event_with_iso_time_is_read() -> None:
    cluster = healthy()
    for raw in cluster.values():
        to_ps7(raw)
    cluster["HV02"]["VMMigrationNetwork"] = []
    cluster["HV02"]["Events"] = {  # one event: unwrapped, ISO time with 7 digits and offset
        "Id": 21126,
        "TimeCreated": "2025-11-25T11:41:22.1234567+01:00",
        "ProviderName": "Microsoft-Windows-Hyper-V-High-Availability",
        "LogName": "Microsoft-Windows-Hyper-V-High-Availability-Admin",
        "MachineName": "HV02",
        "LevelDisplayName": "Error",
        "Message": "Failed to get the network address for the destination node 'HV01'.",
        "Properties": ["HV01", "A cluster network is not available.", "0x000013AB"],
    }
    hosts = tuple(read_host(raw, f"{n}.json") for n, raw in cluster.items())
    [note] = build_report(hosts).events
    assert note.event.time.isoformat() == "2025-11-25T10:41:22.123456+00:00"
    assert "HV-LM-002" in note.related


# ---- 5. unwrapped one-item arrays, null sources, missing keys -------------------------------


def unwrap_singletons(raw: Raw) -> None:
    """What ConvertTo-Json writes when a source is not wrapped in @(): one object, not a list."""
    for key, value in list(raw.items()):
        if isinstance(value, list) and len(value) == 1:
            raw[key] = value[0]
    for session in raw["IscsiSession"]:
        session["Connections"] = session["Connections"][0]
    raw["NetAdapterAdvancedProperty"][1]["RegistryValue"] = "9014"  # a bare string
    for net in raw["ClusterNetwork"]:
        net["Ipv4Addresses"] = net["Ipv4Addresses"][0]  # one string
        net["Ipv4PrefixLengths"] = int(net["Ipv4PrefixLengths"][0])  # one number


def test_unwrapped_one_item_arrays_are_clean() -> None:
    cluster = healthy()
    for raw in cluster.values():
        unwrap_singletons(raw)
    assert isinstance(cluster["HV01"]["VMHost"], dict)
    assert isinstance(cluster["HV01"]["VMMigrationNetwork"], dict)
    assert problems(cluster) == []


def test_one_cluster_parameter_and_one_session_unwrapped() -> None:
    cluster = healthy()
    for raw in cluster.values():
        raw["ClusterParameter"] = where(raw["ClusterParameter"], Name="MigrationExcludeNetworks")[0]
    assert problems(cluster) == []
    hv01 = cluster["HV01"]
    hv01["IscsiSession"] = hv01["IscsiSession"][0]  # one session left: one path, as a dict
    hv01["IscsiSession"]["Connections"] = hv01["IscsiSession"]["Connections"][0]
    assert problems(cluster) == ["HV-ISCSI-003"]


def test_unwrapped_vmhost_still_fires_lm_001() -> None:
    cluster = healthy()
    for raw in cluster.values():
        unwrap_singletons(raw)
    cluster["HV02"]["VMHost"]["VirtualMachineMigrationEnabled"] = False
    assert problems(cluster) == ["HV-LM-001"]


NULLABLE = [
    "Net6to4Configuration",
    "NetIsatapConfiguration",
    "NetTeredoConfiguration",
    "NetIPv6Protocol",
    "NetPrefixPolicy",
    "Tcpip6Parameters",
    "Notes",
    "CollectorErrors",
    "Events",
    "NetAdapterAdvancedProperty",
    "MPIOSetting",
    "MSDSMGlobalDefaultLoadBalancePolicy",
    "IscsiTarget",
    "VMSwitch",
    "ClusterParameter",
]


@pytest.mark.parametrize("key", NULLABLE)
def test_null_or_missing_source_is_clean(key: str) -> None:
    for how in ("null", "missing"):
        cluster = healthy()
        for raw in cluster.values():
            if how == "null":
                raw[key] = None
            else:
                del raw[key]
        assert problems(cluster) == [], how


def test_every_source_null_or_missing_does_not_crash() -> None:
    cluster = healthy()
    keep = {"schema", "ComputerName"}
    for key in list(cluster["HV01"]):
        if key not in keep:
            cluster["HV01"][key] = None
            del cluster["HV02"][key]
    hosts = [read_host(raw, f"{n}.json") for n, raw in cluster.items()]
    assert [h.name for h in hosts] == ["HV01", "HV02"]
    report = build_report(tuple(hosts))
    assert "<!doctype html>" in html_page(report)
    # Nothing is known about HV01, so no rule may claim anything about it.
    assert problems(cluster) == []


def no_iscsi_module(cluster: dict[str, Raw]) -> None:
    for raw in cluster.values():
        raw["IscsiSession"], raw["IscsiTarget"] = [], []
        raw["Notes"] = [
            "Microsoft iSCSI Initiator service (MSiSCSI) not running: IscsiSession and "
            "IscsiTarget not collected"
        ]


def test_iscsi_not_collected_does_not_ask_to_put_cluster_traffic_on_storage() -> None:
    # With no iSCSI session on any node the doctor cannot know iSCSI-A/B are storage networks;
    # role None (0) is a deliberate choice there and must not be "fixed" to Cluster only (1),
    # which would send heartbeats and CSV redirection over the storage paths.
    cluster = healthy()
    no_iscsi_module(cluster)
    assert problems(cluster) == []


def test_iscsi_not_collected_reports_no_iscsi_rules() -> None:
    # Without iSCSI data the storage networks are unknown: no role advice, no HV-ISCSI findings.
    cluster = healthy()
    no_iscsi_module(cluster)
    got = [(f.rule, f.subject) for f in findings(cluster) if f.severity is not Severity.INFO]
    assert got == []


def test_vmhost_not_collected_on_one_node_is_not_a_settings_mismatch() -> None:
    # Get-VMHost failed on HV02 (a line in CollectorErrors, VMHost null): its authentication and
    # performance option are unknown, not different.
    cluster = healthy()
    cluster["HV02"]["VMHost"] = None
    cluster["HV02"]["CollectorErrors"] = ["Get-VMHost: The operation on computer 'HV02' failed"]
    assert problems(cluster) == []


def test_hyperv_not_collected_on_one_node_is_not_a_missing_migration_network() -> None:
    # vmms not running on HV02 when the collector ran: VMHost, VMMigrationNetwork, VMSwitch
    # empty with a note. Its migration networks are unknown, not "none".
    cluster = healthy()
    hv02 = cluster["HV02"]
    hv02["VMHost"], hv02["VMMigrationNetwork"], hv02["VMSwitch"] = None, None, None
    hv02["Notes"] = [
        "Hyper-V Virtual Machine Management service (vmms) not installed or not running: "
        "VMHost, VMMigrationNetwork and VMSwitch not collected"
    ]
    assert "HV-LM-002" not in problems(cluster)


def test_depth_truncated_cluster_network_is_reported_not_a_crash() -> None:
    # The file re-exported with a smaller -Depth: every array property of ClusterNetwork reads
    # 'System.Object[]'. The docs promise HV-DATA-001 and a request to re-run, never a guess.
    cluster = healthy()
    for net in cluster["HV02"]["ClusterNetwork"]:
        for key in ("Ipv4Addresses", "Ipv4PrefixLengths", "Ipv6Addresses", "Ipv6PrefixLengths"):
            net[key] = "System.Object[]"
    assert "HV-DATA-001" in problems(cluster)


def test_depth_truncated_unwrapped_values_are_reported() -> None:
    cluster = healthy()
    for raw in cluster.values():
        unwrap_singletons(raw)
    cluster["HV02"]["IscsiSession"][0]["Connections"] = "System.Object[]"
    cluster["HV02"]["NetAdapterAdvancedProperty"][2]["RegistryValue"] = "System.Object[]"
    assert "HV-DATA-001" in problems(cluster)


# ---- 6. Windows Server 2012 R2, three nodes ------------------------------------------------


def as_2012r2(cluster: dict[str, Raw]) -> None:
    for raw in cluster.values():
        raw["OSVersion"] = "6.3.9600"
        raw["OSCaption"] = "Microsoft Windows Server 2012 R2 Datacenter"


def test_2012r2_with_management_first_is_clean() -> None:
    cluster = healthy()
    as_2012r2(cluster)
    assert cluster["HV01"]["BindingOrder"][0] == "Management"
    assert problems(cluster) == []


def test_2012r2_binding_order_ignores_the_metric() -> None:
    cluster = healthy()
    as_2012r2(cluster)
    for i in where(cluster["HV01"]["NetIPInterface"], InterfaceAlias="Management"):
        i["InterfaceMetric"] = 50  # before 2016 the binding order, not the metric, decides
    assert problems(cluster) == []


def test_2012r2_hidden_adapter_before_management_in_binding_order_is_clean() -> None:
    # Tcpip\Linkage\Bind also lists hidden adapters (the cluster's NetFT adapter, ghosts), which
    # the collector cannot name; the NetFT adapter is commonly at the top. The binding order
    # that matters is among the visible adapters, and there Management is first.
    cluster = healthy()
    as_2012r2(cluster)
    for raw in cluster.values():
        order = raw["BindingOrder"]
        order.insert(0, order.pop())
        assert order[0].startswith("\\Device\\{")
    assert problems(cluster) == []


def add_node(cluster: dict[str, Raw], name: str = "HV03") -> None:
    """A third node copied from HV02 with its own name, addresses, ids; every node's
    ClusterNetworkInterface lists its interfaces."""
    text = json.dumps(cluster["HV02"])
    text = text.replace("HV02", name).replace("hv02", name.lower())
    text = re.sub(r"(10\.10\.\d+\.)12\b", r"\g<1>13", text)
    text = re.sub(r"(2001:db8:\d+::)12\b", r"\g<1>13", text)
    text = re.sub(r"fea1:2(0[0-9a-f])", r"fea1:3\1", text)
    text = text.replace("5E6F7A8B-0202", "9A0B1C2D-0303").replace(
        "3C-FD-FE-A1-02", "3C-FD-FE-A1-03"
    )
    text = text.replace("ffffd20e4c6b7010", "ffffe31f5d7c8010")
    raw = json.loads(text)
    new = [i for i in raw["ClusterNetworkInterface"] if i["Node"] == name]
    for other in cluster.values():
        other["ClusterNetworkInterface"] += copy.deepcopy(new)
    raw["ClusterNetworkInterface"] = copy.deepcopy(cluster["HV01"]["ClusterNetworkInterface"])
    cluster[name] = raw


def test_three_node_cluster_is_clean() -> None:
    cluster = healthy()
    add_node(cluster)
    hv03 = read_host(cluster["HV03"], "HV03.json")
    assert "10.10.20.13" in {str(a.address) for a in hv03.addresses}
    assert len(hv03.cluster_interfaces) == 15
    assert problems(cluster) == []


def test_three_node_2012r2_ipv6_cluster_is_clean() -> None:
    cluster = healthy()
    add_node(cluster)
    ipv6_everywhere(cluster)
    as_2012r2(cluster)
    for raw in cluster.values():
        add_loopback(raw)
        add_netft(raw, dns=False)
    assert problems(cluster) == []


@pytest.mark.parametrize(
    "hv03_networks",
    [[], [{"Subnet": "10.10.30.0/24", "Priority": 0}]],
    ids=["none", "another subnet"],
)
def test_three_nodes_where_only_two_share_a_migration_network_fire_lm_002(
    hv03_networks: list[Raw],
) -> None:
    cluster = healthy()
    add_node(cluster)
    cluster["HV03"]["VMMigrationNetwork"] = hv03_networks
    found = problems(cluster)
    assert "HV-LM-002" in found
    # HV03 listing only CSV-Heartbeat also contradicts its MigrationNetworkOrder (HV-LM-004).
    assert set(found) <= {"HV-LM-002", "HV-LM-004"}
    [lm] = [f for f in findings(cluster) if f.rule == "HV-LM-002"]
    assert "HV01: 10.10.20.0/24" in lm.evidence
    assert "HV02: 10.10.20.0/24" in lm.evidence


def test_three_nodes_two_of_them_using_any_network_do_not_fire_lm_002() -> None:
    cluster = healthy()
    add_node(cluster)
    cluster["HV03"]["VMMigrationNetwork"] = []
    cluster["HV03"]["VMHost"][0]["UseAnyNetworkForMigration"] = True
    assert problems(cluster) == []


def test_three_nodes_one_missing_a_network_fires_net_001() -> None:
    cluster = healthy()
    add_node(cluster)
    hv03 = cluster["HV03"]
    hv03["NetIPAddress"] = [a for a in hv03["NetIPAddress"] if a["IPAddress"] != "10.10.30.13"]
    assert problems(cluster) == ["HV-NET-001"]
    [net] = [f for f in findings(cluster) if f.rule == "HV-NET-001"]
    assert net.evidence[-1] == "HV03: no adapter in 10.10.30.0/24"


# ---- 7. adapter names in other languages / with spaces -------------------------------------

RENAME = {"Management": "Verwaltung", "LiveMigration": "Ethernet 3", "CSV-Heartbeat": "Ethernet 4"}


def rename_adapters(raw: Raw, names: dict[str, str]) -> None:
    fields = {
        "NetAdapter": "Name",
        "NetIPInterface": "InterfaceAlias",
        "NetIPAddress": "InterfaceAlias",
        "NetRoute": "InterfaceAlias",
        "NetAdapterBinding": "Name",
        "NetAdapterAdvancedProperty": "Name",
        "DnsClient": "InterfaceAlias",
        "ClusterNetworkInterface": "Adapter",
    }
    for source, field in fields.items():
        for obj in raw[source]:
            obj[field] = names.get(obj[field], obj[field])
    raw["BindingOrder"] = [names.get(b, b) for b in raw["BindingOrder"]]


def test_localised_adapter_names_are_clean() -> None:
    cluster = healthy()
    for raw in cluster.values():
        rename_adapters(raw, RENAME)
    hosts = [read_host(raw, f"{n}.json") for n, raw in cluster.items()]
    assert "Verwaltung" in {a.name for a in hosts[0].adapters}
    assert problems(cluster) == []


def test_localised_adapter_names_on_2012r2_are_clean() -> None:
    cluster = healthy()
    as_2012r2(cluster)
    for raw in cluster.values():
        rename_adapters(raw, {**RENAME, "Management": "Ethernet 2"})
    assert problems(cluster) == []


def test_localised_management_adapter_still_found_for_bind_and_dns() -> None:
    cluster = healthy()
    for raw in cluster.values():
        rename_adapters(raw, RENAME)
    for i in where(cluster["HV02"]["NetIPInterface"], InterfaceAlias="Verwaltung"):
        i["InterfaceMetric"] = 25
    where(cluster["HV01"]["DnsClient"], InterfaceAlias="Ethernet 3")[0][
        "RegisterThisConnectionsAddress"
    ] = True
    got = {(f.rule, f.subject) for f in findings(cluster) if f.severity is not Severity.INFO}
    assert got == {("HV-BIND-001", "HV02"), ("HV-DNS-001", "HV01 Ethernet 3")}
    [bind] = [f for f in findings(cluster) if f.rule == "HV-BIND-001"]
    assert "'Verwaltung'" in bind.message


# ---- 8. HTML escaping of odd computer names ------------------------------------------------


def test_odd_computer_name_is_escaped_in_html() -> None:
    cluster = healthy()
    odd = "HV01 <b>&\"'x</b>"
    cluster["HV01"]["ComputerName"] = odd
    where(cluster["HV01"]["DnsClient"], InterfaceAlias="LiveMigration")[0][
        "RegisterThisConnectionsAddress"
    ] = True
    hosts = tuple(read_host(raw, f"{n}.json") for n, raw in cluster.items())
    page = html_page(build_report(hosts))
    assert odd not in page
    assert "<b>&" not in page
    assert "HV01 &lt;b&gt;&amp;&quot;&#x27;x&lt;/b&gt;" in page
    assert "HV-DNS-001" in page
