"""The Hyper-V collector fixtures: valid collector output, consistent across both nodes, and
in step with what collector.ps1 writes (a static read of the script; no PowerShell here)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "hyperv" / "healthy"
COLLECTOR = ROOT / "src" / "dualstack" / "hyperv" / "collector.ps1"
NODES = ("HV01", "HV02")

HEADER_KEYS = [
    "schema",
    "ComputerName",
    "CollectedAt",
    "OSVersion",
    "OSCaption",
    "CollectorErrors",
    "Notes",
]
SOURCE_KEYS = [
    "NetAdapter",
    "NetIPInterface",
    "NetIPAddress",
    "NetRoute",
    "NetAdapterBinding",
    "NetAdapterAdvancedProperty",
    "DnsClient",
    "ClusterNetwork",
    "ClusterNetworkInterface",
    "ClusterParameter",
    "VMHost",
    "VMMigrationNetwork",
    "VMSwitch",
    "IscsiSession",
    "IscsiTarget",
    "MPIOSetting",
    "MSDSMGlobalDefaultLoadBalancePolicy",
    "BindingOrder",
    "Net6to4Configuration",
    "NetIsatapConfiguration",
    "NetTeredoConfiguration",
    "NetIPv6Protocol",
    "NetPrefixPolicy",
    "Tcpip6Parameters",
    "Events",
]


def load(node: str) -> dict[str, Any]:
    raw = (FIXTURES / f"{node}.json").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "the collector writes UTF-8 without BOM"
    data = json.loads(raw.decode("utf-8"))
    assert isinstance(data, dict)
    return data


def script() -> str:
    return COLLECTOR.read_text(encoding="utf-8")


def script_property_lists() -> dict[str, list[str]]:
    """The ``$Props = @{ Name = @('a', 'b') ... }`` table of collector.ps1."""
    block = re.search(r"^\$Props = @\{\n(.*?)^\}", script(), re.MULTILINE | re.DOTALL)
    assert block, "collector.ps1 has no $Props table"
    return {
        name: re.findall(r"'([^']+)'", body)
        for name, body in re.findall(r"^\s+(\w+)\s+=\s+@\((.*?)\)", block.group(1), re.M | re.S)
    }


@pytest.mark.parametrize("node", NODES)
def test_fixture_has_the_collector_keys(node: str) -> None:
    data = load(node)
    assert list(data) == HEADER_KEYS + SOURCE_KEYS
    assert data["schema"] == "dualstack-hyperv/1"
    assert data["ComputerName"] == node
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["CollectedAt"])
    assert data["OSVersion"] == "10.0.17763"
    assert data["CollectorErrors"] == []
    for key in ["Notes", *SOURCE_KEYS]:
        assert isinstance(data[key], list), f"{node}: {key} is not an array"


@pytest.mark.parametrize("node", NODES)
def test_fixture_objects_carry_the_collected_properties(node: str) -> None:
    props = script_property_lists()
    data = load(node)
    for key, objects in data.items():
        if key not in props:
            continue
        for obj in objects:
            expected = props[key] + (["Connections"] if key == "IscsiSession" else [])
            assert list(obj) == expected, f"{node}: {key} {obj.get('Name', '')}"
    for session in data["IscsiSession"]:
        for connection in session["Connections"]:
            assert list(connection) == props["IscsiConnection"]


def test_both_nodes_list_the_same_cluster_networks() -> None:
    def networks(node: str) -> list[tuple[str, str, int]]:
        return sorted((n["Id"], n["Name"], n["Role"]) for n in load(node)["ClusterNetwork"])

    first, *others = (networks(node) for node in NODES)
    assert first
    for other in others:
        assert other == first


@pytest.mark.parametrize("node", NODES)
def test_cluster_interfaces_name_existing_adapters_and_networks(node: str) -> None:
    data = load(node)
    adapters = {a["Name"] for a in data["NetAdapter"]}
    networks = {n["Name"] for n in data["ClusterNetwork"]}
    own = [i for i in data["ClusterNetworkInterface"] if i["Node"] == node]
    assert own
    for interface in own:
        assert interface["Adapter"] in adapters, interface["Name"]
        assert interface["Network"] in networks, interface["Name"]
    assert {i["Node"] for i in data["ClusterNetworkInterface"]} == set(NODES)


def test_collector_writes_every_key() -> None:
    text = script()
    listed = re.search(r"^\$SourceKeys = @\((.*?)^\)", text, re.MULTILINE | re.DOTALL)
    assert listed, "collector.ps1 has no $SourceKeys list"
    assert re.findall(r"'([^']+)'", listed.group(1)) == SOURCE_KEYS
    for key in SOURCE_KEYS:
        assert f"Invoke-Source -Key '{key}'" in text, key
    for key in HEADER_KEYS:
        assert f"$Result['{key}']" in text, key
    assert "ConvertTo-Json -InputObject $Result -Depth 6" in text
    assert "UTF8Encoding' -ArgumentList $false" in text
    assert "powershell -ExecutionPolicy Bypass -File collector.ps1" in text
