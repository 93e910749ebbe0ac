"""Event log reading and explanations, on real .evtx files and collector-shaped JSON."""

from __future__ import annotations

import base64
import json
import struct
from collections import Counter
from datetime import UTC, datetime
from ipaddress import IPv6Address
from pathlib import Path
from typing import Any

import pytest

from dualstack.errors import InputError
from dualstack.hyperv.events import (
    CATALOGUE,
    CLUSTERING,
    DNS_CLIENT,
    HYPERV_HA,
    Event,
    EvtxReading,
    codes_in,
    decode_sockaddr,
    event_from_xml,
    events_from_collector,
    explain,
    read_evtx,
    relevant,
)
from tests.testdata import EVTX


def _real(name: str) -> Path:
    path = EVTX / name
    assert path.is_file(), f"test data {path} is missing from the repository"
    return path


@pytest.fixture(scope="module")
def system_log() -> EvtxReading:
    """The 1,601-record Windows 7 System log, read once: it takes a few seconds."""
    return read_evtx(_real("system.evtx"))


def _event(provider: str, event_id: int, *values: str, message: str | None = None) -> Event:
    return Event(
        log="Microsoft-Windows-Hyper-V-High-Availability-Admin",
        provider=provider,
        event_id=event_id,
        time=datetime(2025, 11, 25, 10, 41, 22, tzinfo=UTC),
        computer="HV01.example.test",
        level="Error",
        message=message,
        data=tuple((str(n), v) for n, v in enumerate(values, start=1)),
    )


# ---- real .evtx files ------------------------------------------------------------------------


def test_system_log_reads_every_record(system_log):
    assert system_log.problems == ()
    assert system_log.total == len(system_log.events) == 1601
    assert system_log.chunks == 9
    assert all(e.time.tzinfo is UTC for e in system_log.events)


def test_system_log_client_events(system_log):
    found = Counter((e.provider, e.event_id) for e in relevant(system_log.events))
    assert found == {
        ("Microsoft-Windows-DHCPv6-Client", 51046): 5,
        ("Microsoft-Windows-DHCPv6-Client", 51047): 3,
        ("Microsoft-Windows-Dhcp-Client", 50036): 5,
        ("Microsoft-Windows-Dhcp-Client", 50037): 3,
        ("Microsoft-Windows-DNS-Client", 1014): 1,
    }


def test_system_log_dns_timeout(system_log):
    (timeout,) = [e for e in system_log.events if e.provider == DNS_CLIENT and e.event_id == 1014]
    assert timeout.record == 12113
    assert timeout.level == "Warning"
    assert timeout.time == datetime(2012, 3, 15, 3, 7, 32, 864574, tzinfo=UTC)
    assert timeout.field("QueryName") == "Controller.shieldbase.local"
    assert timeout.field("address") == "AgAANQoDOgQAAAAAAAAAAA=="
    assert decode_sockaddr(timeout.field("Address") or "") == "server 10.3.58.4 port 53"
    explanation = explain(timeout)
    assert explanation is not None
    assert "Controller.shieldbase.local" in explanation.title
    assert "server 10.3.58.4 port 53" in explanation.detail


def test_system_log_dhcpv6_stop_keeps_its_flag(system_log):
    stop = next(e for e in system_log.events if e.event_id == 51047)
    assert stop.data == (("DwordVal", "1"),)
    explanation = explain(stop)
    assert explanation is not None
    assert explanation.title == "DHCPv6 client service is stopped. ShutDown Flag value is 1"


def test_classic_string_array_becomes_numbered_insertion_strings(system_log):
    uptime = next(e for e in system_log.events if e.provider == "EventLog" and e.event_id == 6013)
    assert uptime.data[:2] == (("1", "1039089"), ("2", "089"))
    assert uptime.insertion(4) == "300 Eastern Standard Time"


def test_malformed_log_keeps_what_it_can():
    reading = read_evtx(_real("dns_log_malformed.evtx"))
    assert reading.total == 5
    assert len(reading.events) == 1
    assert reading.unreadable == 4
    assert len(reading.problems) == 4
    assert reading.problems[0].startswith("record 2: python-evtx could not render it: ")
    (good,) = reading.events
    assert good.provider == "Microsoft-Windows-DNSServer"
    assert good.field("QNAME") == "appexneuprodweather.blob.core.windows.net."


def test_not_an_evtx_is_input_error(tmp_path):
    text = tmp_path / "notes.evtx"
    text.write_text("this is not an event log\n" * 400)
    with pytest.raises(InputError, match=r"notes\.evtx is not a Windows event log"):
        read_evtx(text)
    empty = tmp_path / "empty.evtx"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.evtx"):
        read_evtx(empty)
    with pytest.raises(InputError, match="cannot read"):
        read_evtx(tmp_path / "absent.evtx")


def test_truncated_header_is_a_problem_not_an_error(tmp_path):
    short = tmp_path / "short.evtx"
    short.write_bytes(_real("system.evtx").read_bytes()[:100])
    reading = read_evtx(short)
    assert reading.events == ()
    assert "shorter than the 4096-byte file header" in reading.problems[0]


def test_truncated_file_reports_missing_chunks(tmp_path):
    cut = tmp_path / "cut.evtx"
    cut.write_bytes(_real("dns_log_malformed.evtx").read_bytes()[:0x1000])
    reading = read_evtx(cut)
    assert reading.events == ()
    assert reading.problems == ("file ends after 0 of the 1 chunks its header lists",)


# ---- event XML -------------------------------------------------------------------------------

_HA_XML = """<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
<System><Provider Name="Microsoft-Windows-Hyper-V-High-Availability"/><EventID>21502</EventID>
<Level>2</Level><TimeCreated SystemTime="2025-11-25T10:41:22.1234567Z"/>
<EventRecordID>77</EventRecordID>
<Channel>Microsoft-Windows-Hyper-V-High-Availability-Admin</Channel><Computer>HV01</Computer>
</System>
<EventData><Data Name="VmName">Virtual Machine VM01</Data><Data>ab\x01c</Data></EventData>
<RenderingInfo Culture="en-US"><Message>Live migration failed.</Message></RenderingInfo>
</Event>"""


def test_event_from_xml_names_unnamed_data_and_keeps_the_message():
    event = event_from_xml(_HA_XML)
    assert event.time == datetime(2025, 11, 25, 10, 41, 22, 123456, tzinfo=UTC)
    assert event.level == "Error"
    assert event.record == 77
    assert event.data == (("VmName", "Virtual Machine VM01"), ("2", "ab\ufffdc"))
    assert event.message == "Live migration failed."


def test_event_from_xml_user_data_leaves():
    xml = _HA_XML.split("<EventData>")[0] + (
        '<UserData><Info xmlns="urn:x"><Node>HV02</Node><Net>LM</Net></Info></UserData></Event>'
    )
    assert event_from_xml(xml).data == (("Node", "HV02"), ("Net", "LM"))


# ---- collector JSON --------------------------------------------------------------------------


def _collector(**overrides: Any) -> dict[str, Any]:
    event = {
        "Id": 21126,
        "TimeCreated": "/Date(1764067282000)/",
        "ProviderName": HYPERV_HA,
        "LogName": "Microsoft-Windows-Hyper-V-High-Availability-Admin",
        "MachineName": "HV01.example.test",
        "LevelDisplayName": "Error",
        "Message": "Failed to get the network address for the destination node 'HV02': ...",
        "Properties": [
            {"Value": "HV02"},
            {"Value": "A cluster network is not available for this operation."},
            {"Value": "0x000013AB"},
        ],
    }
    event.update(overrides)
    return event


def test_collector_ms_date_and_properties():
    (event,) = events_from_collector([_collector()])
    assert event.time == datetime(2025, 11, 25, 10, 41, 22, tzinfo=UTC)
    assert event.event_id == 21126
    assert event.computer == "HV01.example.test"
    assert event.data == (
        ("1", "HV02"),
        ("2", "A cluster network is not available for this operation."),
        ("3", "0x000013AB"),
    )


def test_collector_iso_time_single_object_and_string_properties():
    raw = json.loads(
        json.dumps(_collector(TimeCreated="2025-11-25T11:41:22.1234567+01:00", Properties="x"))
    )
    (event,) = events_from_collector(raw)  # PowerShell unwrapped the one-item array
    assert event.time == datetime(2025, 11, 25, 10, 41, 22, 123456, tzinfo=UTC)
    assert event.data == (("1", "x"),)


def test_collector_null_and_missing_keys():
    assert events_from_collector(None) == ()
    assert events_from_collector([]) == ()
    (bare,) = events_from_collector({"Id": "1135", "TimeCreated": "2025-11-25T10:41:22Z"})
    assert (bare.event_id, bare.provider, bare.level, bare.message, bare.data) == (
        1135,
        "",
        None,
        None,
        (),
    )


def test_collector_bad_timestamp_names_field_and_value():
    with pytest.raises(InputError, match=r"Events\[1\]\.TimeCreated: 'yesterday'"):
        events_from_collector([_collector(), _collector(TimeCreated="yesterday")])
    with pytest.raises(InputError, match=r"Events\[0\]\.TimeCreated: missing"):
        events_from_collector([_collector(TimeCreated=None)])
    with pytest.raises(InputError, match=r"Events\[0\]\.Id"):
        events_from_collector([_collector(Id=None)])


# ---- sockaddr ----------------------------------------------------------------------------------


def test_decode_sockaddr_inet():
    raw = struct.pack("<H", 2) + struct.pack(">H", 53) + bytes([192, 0, 2, 53]) + bytes(8)
    assert decode_sockaddr(base64.b64encode(raw).decode()) == "server 192.0.2.53 port 53"


def test_decode_sockaddr_inet6():
    address = IPv6Address("2001:db8::53").packed
    raw = struct.pack("<H", 23) + struct.pack(">HI", 53, 0) + address + struct.pack("<I", 12)
    assert (
        decode_sockaddr(base64.b64encode(raw).decode()) == "server 2001:db8::53 port 53 (scope 12)"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not base64!", "is not base64"),
        (base64.b64encode(struct.pack("<H", 2) + bytes(6)).decode(), "AF_INET needs 16 bytes"),
        (base64.b64encode(struct.pack("<H", 23) + bytes(14)).decode(), "AF_INET6 needs 28"),
        (base64.b64encode(struct.pack("<H", 10) + bytes(26)).decode(), "address family 10"),
        ("", "too short"),
    ],
)
def test_decode_sockaddr_rejects(value, message):
    with pytest.raises(InputError, match=message):
        decode_sockaddr(value)


# ---- explanations ----------------------------------------------------------------------------


def test_explain_21126_destination_and_code():
    # 21126: %1 destination node, %2 error text, %3 code (the VM is not in this event)
    event = _event(
        HYPERV_HA,
        21126,
        "HV02",
        "A cluster network is not available for this operation.",
        "0x000013AB",
    )
    explanation = explain(event)
    assert explanation is not None
    assert explanation.destination == "HV02"
    assert explanation.vm is None
    assert explanation.title == (
        "Failed to get the network address for the destination node 'HV02': "
        "A cluster network is not available for this operation. (0x000013AB)."
    )
    assert [code for code, _ in explanation.codes] == ["0x13AB"]
    assert "ERROR_NETWORK_NOT_AVAILABLE" in explanation.codes[0][1]
    assert "Get-ClusterNetwork" in explanation.detail


def test_explain_21502_reads_vm_and_destination_from_its_text():
    text = (
        "Live migration of 'Virtual Machine VM01' failed.\n\n"
        "Failed to get the network address for the destination node 'HV02': A cluster network "
        "is not available for this operation. (0x000013AB)."
    )
    event = _event(
        HYPERV_HA, 21502, "Virtual Machine VM01", "{0d7e8a5c-3f1e-4a8e-9f57-2b1c6d0e4f11}", text
    )
    explanation = explain(event)
    assert explanation is not None
    assert explanation.vm == "VM01"
    assert explanation.destination == "HV02"
    assert explanation.title == "Live migration of 'Virtual Machine VM01' failed."
    assert "A cluster network is not available" in explanation.detail
    assert [code for code, _ in explanation.codes] == ["0x13AB"]


def test_explain_21111_and_hresult_wrapped_codes():
    failed = explain(_event(HYPERV_HA, 21111, "Virtual Machine VM01"))
    assert failed is not None
    assert (failed.vm, failed.title) == ("VM01", "Live migration of 'Virtual Machine VM01' failed.")
    refused = _event(
        HYPERV_HA,
        21502,
        "x",
        "y",
        "Virtual machine migration operation for 'VM01' failed at migration source 'HV01'.\n"
        "No connection could be made because the target machine actively refused it. "
        "(0x8007274D)\nThe target principal name is incorrect. (0x80090322)",
    )
    explanation = explain(refused)
    assert explanation is not None
    assert explanation.vm == "VM01"
    assert [c for c, _ in explanation.codes] == ["0x274D", "0x80090322"]
    assert "6600" in explanation.detail


def test_explain_cluster_events_and_unknown_ids():
    removed = explain(_event(CLUSTERING, 1135, "HV02"))
    assert removed is not None
    assert removed.title == (
        "Cluster node 'HV02' was removed from the active failover cluster membership."
    )
    down = explain(_event(CLUSTERING.upper(), 1130, "LiveMigration"))
    assert down is not None
    assert "LiveMigration" in down.title
    assert explain(_event(CLUSTERING, 1069, "x")) is None
    assert explain(_event("Some-Other-Provider", 21502, "x")) is None


def test_decimal_codes_only_in_error_fields():
    event = Event(
        "System",
        HYPERV_HA,
        21502,
        datetime(2025, 1, 1, tzinfo=UTC),
        "HV01",
        None,
        None,
        (("Port", "10054"), ("ErrorCode", "5035")),
    )
    assert [c.label for c in codes_in(event)] == ["0x13AB"]


def test_relevant_keeps_order_and_catalogue_ids():
    events = [
        _event(CLUSTERING, 1129, "LM"),
        _event(CLUSTERING, 1069, "x"),
        _event(HYPERV_HA, 21111, "VM01"),
    ]
    assert [e.event_id for e in relevant(events)] == [1129, 21111]
    assert all(explain(_event(p, i, "a", "b", "c")) for (p, i) in CATALOGUE)


def test_explain_2150x_falls_back_to_a_name_in_insertion_one_but_not_a_guid():
    text = "The Virtual Machine Management Service failed the migration. (0x8007274C)"
    guid = "{0d7e8a5c-3f1e-4a8e-9f57-2b1c6d0e4f11}"
    by_id = explain(_event(HYPERV_HA, 21502, guid, "x", text))
    by_name = explain(_event(HYPERV_HA, 21502, "Virtual Machine VM02", "x", text))
    assert by_id is not None
    assert by_name is not None
    assert (by_id.vm, by_name.vm) == (None, "VM02")
    assert [c for c, _ in by_id.codes] == ["0x274C"]
