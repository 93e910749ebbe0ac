"""Windows event log records that explain failed live migrations and dual-stack trouble.

Two ways in, one :class:`Event` out: a saved ``.evtx`` file (read with python-evtx, an optional
dependency: ``pip install 'dualstack[hyperv]'``) or the ``Events`` list of the collector JSON
(what ``Get-WinEvent | ConvertTo-Json`` writes). A damaged log is the normal case on a node
that crashed, so :func:`read_evtx` keeps every record it can and names the ones it cannot.

The catalogue holds only the ids an admin needs while moving a Hyper-V cluster to IPv6: live
migration failures, cluster membership and cluster network state, the DHCP clients and DNS
name resolution timeouts. :func:`explain` turns one of those into plain words, with the error
codes in its text decoded.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address, IPv6Address
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from dualstack.errors import DualstackError, InputError, quote

EVENT_NS: Final = "http://schemas.microsoft.com/win/2004/08/events/event"
_NS = f"{{{EVENT_NS}}}"
_EVTX_SIGNATURE: Final = b"ElfFile\x00"
_EVTX_HEADER_SIZE: Final = 0x1000
_MAX_REASON = 200

HYPERV_HA: Final = "Microsoft-Windows-Hyper-V-High-Availability"
CLUSTERING: Final = "Microsoft-Windows-FailoverClustering"
DHCPV6_CLIENT: Final = "Microsoft-Windows-DHCPv6-Client"
DHCP_CLIENT: Final = "Microsoft-Windows-Dhcp-Client"
DNS_CLIENT: Final = "Microsoft-Windows-DNS-Client"

# System/Level as Event Viewer names it. 0 is LogAlways, which Windows shows as Information
# (the Security log's audit events all carry it).
LEVELS: Final[Mapping[int, str]] = MappingProxyType(
    {0: "Information", 1: "Critical", 2: "Error", 3: "Warning", 4: "Information", 5: "Verbose"}
)


# ---- the event ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One event log record, whichever way it was read.

    ``data`` keeps the EventData (or UserData) fields in document order, so ``%n`` in a message
    template is the n-th pair whatever its name; unnamed insertion strings are named "1", "2"...
    ``message`` is the rendered text only when the source had one (the collector always does, a
    bare .evtx never does): it is kept as exported, in the exporting machine's language.
    """

    log: str
    provider: str
    event_id: int
    time: datetime
    computer: str
    level: str | None
    message: str | None
    data: tuple[tuple[str, str], ...] = ()
    record: int | None = None

    def field(self, name: str) -> str | None:
        """The first field called ``name`` (case-insensitive, as XPath filters on Windows are)."""
        wanted = name.casefold()
        return next((value for key, value in self.data if key.casefold() == wanted), None)

    def insertion(self, number: int) -> str | None:
        """Insertion string ``%number`` of the message template (1-based), named or not."""
        return self.data[number - 1][1] if 1 <= number <= len(self.data) else None


@dataclass(frozen=True)
class EvtxReading:
    """What one .evtx file gave: the records that parsed, and one line per thing that did not."""

    path: str
    events: tuple[Event, ...]
    problems: tuple[str, ...]
    total: int  # records found, readable or not
    chunks: int  # 64 KiB chunks looked at

    @property
    def unreadable(self) -> int:
        """Records that were found but could not be turned into an :class:`Event`."""
        return self.total - len(self.events)


# ---- timestamps ----------------------------------------------------------------------------------

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_MS_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


def parse_time(text: str) -> datetime | None:
    """An aware UTC datetime from the ISO 8601 forms Windows and python-evtx write, else None.

    Windows writes 7 fractional digits ("...32.8645740Z"), python-evtx a space and "+00:00";
    both are cut to microseconds. A time without an offset is UTC: SystemTime always is.
    """
    match = _ISO.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        naive = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro
        )
    except ValueError:
        return None
    return (naive - _offset(zone)).replace(tzinfo=UTC)


def _offset(zone: str | None) -> timedelta:
    """The UTC offset of "Z", "+01:00" or "-0500"."""
    if zone is None or zone.upper() == "Z":
        return timedelta(0)
    digits = zone[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return -delta if zone[0] == "-" else delta


def _collector_time(value: Any, where: str) -> datetime:
    """TimeCreated as ConvertTo-Json writes it: "/Date(ms)/" (5.1) or ISO 8601 (7)."""
    if isinstance(value, dict) and "value" in value:
        value = value["value"]  # a DateTime carrying DisplayHint/DateTime notes in 5.1
    if isinstance(value, str):
        match = _MS_DATE.match(value.strip())
        if match:  # milliseconds since the epoch are UTC; the optional offset only annotates
            return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=int(match.group(1)))
        parsed = parse_time(value)
        if parsed is not None:
            return parsed
    raise InputError(
        f"{where}: {quote(str(value))} is not a /Date(ms)/ or ISO 8601 timestamp"
        if value is not None
        else f"{where}: missing"
    )


# ---- .evtx files --------------------------------------------------------------------------------


def read_evtx(path: str | Path) -> EvtxReading:
    """Every record of a saved event log that can be read, and a line for each that cannot.

    Raises :class:`InputError` only when the file is not an event log at all (or cannot be
    opened); damage inside one is reported in ``problems`` so the rest is still usable.
    """
    file = Path(path)
    size = _check_signature(file)
    if size < _EVTX_HEADER_SIZE:
        problem = f"only {size} bytes, shorter than the 4096-byte file header"
        return EvtxReading(str(file), (), (problem,), 0, 0)
    evtx = _python_evtx()
    events: list[Event] = []
    problems: list[str] = []
    total = chunks = 0
    try:
        with evtx.Evtx(str(file)) as log:
            header = log.get_file_header()
            for index, chunk in enumerate(header.chunks()):
                chunks += 1
                if not chunk.check_magic():
                    problems.append(
                        f"chunk {index} at offset {chunk.offset():#x}: no chunk signature"
                    )
                    continue
                for record in _records(chunk, index, problems):
                    total += 1
                    event = _record_event(record, problems)
                    if event is not None:
                        events.append(event)
            expected = header.chunk_count()
            if chunks < expected:
                problems.append(
                    f"file ends after {chunks} of the {expected} chunks its header lists"
                )
    except OSError as exc:
        raise InputError(f"{file}: cannot read: {exc.strerror or exc}") from exc
    except Exception as exc:  # python-evtx raises anything from struct.error to IndexError
        problems.append(f"stopped reading after {total} records: {_reason(exc)}")
    return EvtxReading(str(file), tuple(events), tuple(problems), total, chunks)


def _check_signature(file: Path) -> int:
    """The file's size, after making sure it starts like an .evtx: anything else is bad input."""
    try:
        with file.open("rb") as handle:
            head = handle.read(len(_EVTX_SIGNATURE))
            size = handle.seek(0, 2)
    except OSError as exc:
        raise InputError(f"{file}: cannot read: {exc.strerror or exc}") from exc
    if head != _EVTX_SIGNATURE:
        raise InputError(f"{file} is not a Windows event log (.evtx): no 'ElfFile' signature")
    return size


def _python_evtx() -> Any:
    """The python-evtx module, imported late so the collector path works without it."""
    try:
        import Evtx.Evtx as evtx  # type: ignore[import-untyped]
    except ImportError as exc:
        raise DualstackError(
            "reading .evtx files needs python-evtx: pip install 'dualstack[hyperv]'"
        ) from exc
    return evtx


def _records(chunk: Any, index: int, problems: list[str]) -> Iterator[Any]:
    """A chunk's records, stopping with a problem line where a record header is garbage."""
    found = iter(chunk.records())
    while True:
        try:
            record = next(found)
        except StopIteration:
            return
        except Exception as exc:  # the walk itself failed: the rest of this chunk is lost
            problems.append(f"chunk {index}: stopped at a damaged record: {_reason(exc)}")
            return
        yield record


def _record_event(record: Any, problems: list[str]) -> Event | None:
    """One record as an Event, or None with a problem line saying which record and why."""
    label = _record_label(record)
    try:
        text = record.xml()
    except Exception as exc:  # python-evtx's renderer fails in many ways on bad substitutions
        problems.append(f"{label}: python-evtx could not render it: {_reason(exc)}")
        return None
    try:
        return event_from_xml(text)
    except (ET.ParseError, InputError) as exc:
        problems.append(f"{label}: {_reason(exc)}")
        return None


def _record_label(record: Any) -> str:
    """ "record 1234", or its offset when even the number cannot be read."""
    try:
        return f"record {int(record.record_num())}"
    except Exception:
        return f"record at offset {record.offset():#x}"


def _reason(exc: BaseException) -> str:
    """An exception as one short line, for problem lists people read."""
    text = " ".join(str(exc).split()) or "no detail"
    if len(text) > _MAX_REASON:
        text = text[: _MAX_REASON - 3] + "..."
    return f"{type(exc).__name__}: {text}"


# ---- event XML ----------------------------------------------------------------------------------

# Characters XML 1.0 forbids: python-evtx copies them from damaged strings into its output.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# python-evtx renders a string-array substitution as escaped <string> items in one Data.
_STRING_ITEM = re.compile(r"<string>(.*?)</string>", re.DOTALL)
_STRING_ARRAY = re.compile(r"\s*(?:<string>.*?</string>\s*)+", re.DOTALL)


def event_from_xml(text: str) -> Event:
    """An Event from one record's XML (the <Event> element Windows and python-evtx write)."""
    root = ET.fromstring(_XML_INVALID.sub("\ufffd", text))
    system = root.find(f"{_NS}System")
    if system is None:
        raise InputError("the record has no <System> element")
    provider = system.find(f"{_NS}Provider")
    event_id = _int_text(system.find(f"{_NS}EventID"))
    if event_id is None:
        raise InputError("the record has no numeric <EventID>")
    created = system.find(f"{_NS}TimeCreated")
    stamp = created.get("SystemTime", "") if created is not None else ""
    time = parse_time(stamp)
    if time is None:
        raise InputError(f"TimeCreated {quote(stamp)} is not a timestamp")
    level = _int_text(system.find(f"{_NS}Level"))
    return Event(
        log=_text(system.find(f"{_NS}Channel")),
        provider=_provider_name(provider),
        event_id=event_id,
        time=time,
        computer=_text(system.find(f"{_NS}Computer")),
        level=LEVELS.get(level) if level is not None else None,
        message=_text(root.find(f"{_NS}RenderingInfo/{_NS}Message")) or None,
        data=_event_data(root),
        record=_int_text(system.find(f"{_NS}EventRecordID")),
    )


def _text(element: ET.Element | None) -> str:
    """All text inside an element (nested markup included), or "" when it is absent."""
    return "".join(element.itertext()) if element is not None else ""


def _int_text(element: ET.Element | None) -> int | None:
    text = _text(element).strip()
    return int(text) if text.isdigit() else None


def _provider_name(provider: ET.Element | None) -> str:
    """Provider/@Name, or @EventSourceName for classic sources that only have that."""
    if provider is None:
        return ""
    return provider.get("Name") or provider.get("EventSourceName") or ""


def _event_data(root: ET.Element) -> tuple[tuple[str, str], ...]:
    """EventData/Data in order (unnamed ones numbered), else UserData's leaf elements."""
    event_data = root.find(f"{_NS}EventData")
    if event_data is not None:
        values: list[tuple[str | None, str]] = []
        for item in event_data.findall(f"{_NS}Data"):
            name, text = item.get("Name") or None, _text(item)
            if name is None and _STRING_ARRAY.fullmatch(text):
                values.extend((None, part) for part in _STRING_ITEM.findall(text))
            else:
                values.append((name, text))
        return tuple((name or str(n), text) for n, (name, text) in enumerate(values, start=1))
    user_data = root.find(f"{_NS}UserData")
    if user_data is None:
        return ()
    leaves = (e for e in user_data.iter() if e is not user_data and len(e) == 0)
    return tuple((e.tag.rpartition("}")[2], e.text or "") for e in leaves)


# ---- the collector's JSON ----------------------------------------------------------------------


def events_from_collector(objects: Any) -> tuple[Event, ...]:
    """The collector's ``Events`` value: a list, one unwrapped object, or null.

    Missing keys become None or empty; an event without a usable Id or TimeCreated is an
    :class:`InputError` naming the field, since an event cannot be placed without them.
    """
    return tuple(
        _collector_event(obj, f"Events[{index}]") for index, obj in enumerate(_as_objects(objects))
    )


def _as_objects(value: Any) -> list[dict[str, Any]]:
    """null -> [], one object -> [it]: PowerShell unwraps one-item arrays."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def _collector_event(obj: dict[str, Any], where: str) -> Event:
    raw_id = obj.get("Id")
    event_id = _plain_int(raw_id)
    if event_id is None:
        raise InputError(f"{where}.Id: {quote(str(raw_id))} is not an event id")
    level = obj.get("LevelDisplayName")
    number = _plain_int(obj.get("Level"))
    if not level and number is not None:
        level = LEVELS.get(number)
    message = obj.get("Message")
    values = _properties(obj.get("Properties"))
    return Event(
        log=str(obj.get("LogName") or ""),
        provider=str(obj.get("ProviderName") or ""),
        event_id=event_id,
        time=_collector_time(obj.get("TimeCreated"), f"{where}.TimeCreated"),
        computer=str(obj.get("MachineName") or ""),
        level=str(level) if level else None,
        message=str(message) if message else None,
        data=tuple((str(n), value) for n, value in enumerate(values, start=1)),
        record=_plain_int(obj.get("RecordId")),
    )


def _plain_int(value: Any) -> int | None:
    """An integer from a JSON number or a digit string; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _properties(value: Any) -> tuple[str, ...]:
    """Insertion strings from Properties: values, {"Value": v} objects, or one bare string."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(_property_text(item) for item in items)


def _property_text(item: Any) -> str:
    if isinstance(item, dict) and "Value" in item:
        item = item["Value"]
    if item is None:
        return ""
    if isinstance(item, str):
        return item
    if isinstance(item, dict | list):
        return json.dumps(item, sort_keys=True)
    return str(item)


# ---- the catalogue -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EventInfo:
    """What one event id says (English template, %n = n-th insertion string) and means."""

    provider: str
    event_id: int
    template: str
    meaning: str


# Templates are the providers' English message strings (their first sentence where the rest is
# generic advice), from a dump of the installed manifests: scheatkode/brain,
# knowledgebase/systems/windows/event-logs/<provider>.md. The meanings for 2150x and the error
# codes follow Microsoft's "Troubleshoot live migration issues" (KB 4558514).
_EVENTS: tuple[EventInfo, ...] = (
    EventInfo(
        HYPERV_HA,
        21111,
        "Live migration of '%1' failed.",
        "A live migration of this clustered VM failed. This event only says that it failed: "
        "the reason is in the 21502 or 21126 event logged with it, or in Hyper-V-VMMS-Admin "
        "on the source and destination nodes.",
    ),
    EventInfo(
        HYPERV_HA,
        21126,
        "Failed to get the network address for the destination node '%1': %2 (%3).",
        "The cluster found no address on the destination node to send live migration traffic "
        "to, usually because no cluster network that carries cluster traffic and is enabled for "
        "live migration joins the two nodes.",
    ),
    # 21500-21503 are the whole message in insertion string 3 ("%3") in current manifests; the
    # text names the VM and the reason. 21502 is the one the KB lists for failed migrations,
    # 21501 the one it shows for "migration limit reached". 21500 and 21503 are not described
    # by any source found: they get the same reading.
    EventInfo(
        HYPERV_HA,
        21500,
        "%3",
        "A Hyper-V high-availability (clustered VM) message; its text says what happened.",
    ),
    EventInfo(
        HYPERV_HA,
        21501,
        "%3",
        "A clustered VM migration problem (Microsoft shows it for 'virtual machine migration "
        "limit reached'); its text says what happened.",
    ),
    EventInfo(
        HYPERV_HA,
        21502,
        "%3",
        "A live or quick migration of a clustered VM failed; the text gives the VM, the node "
        "where it failed and the error.",
    ),
    EventInfo(
        HYPERV_HA,
        21503,
        "%3",
        "A Hyper-V high-availability (clustered VM) message; its text says what happened.",
    ),
    EventInfo(
        CLUSTERING,
        1135,
        "Cluster node '%1' was removed from the active failover cluster membership.",
        "The node dropped out of the cluster: its Cluster service stopped, or it lost contact "
        "with the other nodes over every cluster network (cluster traffic uses port 3343).",
    ),
    # The ask listed 1127 as "interface unreachable"; 1126 is unreachable, 1127 is failed.
    EventInfo(
        CLUSTERING,
        1126,
        "Cluster network interface '%1' for cluster node '%2' on network '%3' is unreachable "
        "by at least one other cluster node attached to the network.",
        "Some other node cannot reach this node's adapter on that cluster network; the cluster "
        "cannot tell where the fault is.",
    ),
    EventInfo(
        CLUSTERING,
        1127,
        "Cluster network interface '%1' for cluster node '%2' on network '%3' failed.",
        "The cluster marked this node's adapter on that cluster network as failed.",
    ),
    EventInfo(
        CLUSTERING,
        1129,
        "Cluster network '%1' is partitioned.",
        "Some nodes on this cluster network cannot reach each other over it.",
    ),
    EventInfo(
        CLUSTERING,
        1130,
        "Cluster network '%1' is down.",
        "No node can communicate over this cluster network.",
    ),
    EventInfo(
        DHCPV6_CLIENT,
        51046,
        "DHCPv6 client service is started",
        "The DHCPv6 client service started (boot or service restart); informational.",
    ),
    EventInfo(
        DHCPV6_CLIENT,
        51047,
        "DHCPv6 client service is stopped. ShutDown Flag value is %1",
        "The DHCPv6 client service stopped (shutdown or a service stop); informational.",
    ),
    EventInfo(
        DHCP_CLIENT,
        50036,
        "DHCPv4 client service is started",
        "The DHCPv4 client service started (boot or service restart); informational.",
    ),
    EventInfo(
        DHCP_CLIENT,
        50037,
        "DHCPv4 client service is stopped. ShutDown Flag value is %1",
        "The DHCPv4 client service stopped (shutdown or a service stop); informational.",
    ),
    EventInfo(
        DNS_CLIENT,
        1014,
        "Name resolution for the name %1 timed out after none of the configured DNS servers "
        "responded.",
        "A DNS lookup got no answer from any configured DNS server; the Address field is the "
        "server's socket address.",
    ),
)

CATALOGUE: Final[Mapping[tuple[str, int], EventInfo]] = MappingProxyType(
    {(info.provider.casefold(), info.event_id): info for info in _EVENTS}
)


@dataclass(frozen=True)
class ErrorCode:
    """A Win32 or SSPI error seen in migration events: its name, system text and what to check."""

    value: int  # the Win32 code, or the whole HRESULT for SSPI (SEC_E_*) errors
    name: str
    text: str
    hint: str

    @property
    def label(self) -> str:
        """How the code is shown: "0x13AB", "0x8009030E"."""
        return f"{self.value:#X}".replace("0X", "0x")


# All from Microsoft's "Troubleshoot live migration issues" (KB 4558514), which lists each code
# with its number, symbolic name and system message; the ports are the ones it says to check.
_CODES: tuple[ErrorCode, ...] = (
    ErrorCode(
        0x13AB,
        "ERROR_NETWORK_NOT_AVAILABLE (5035)",
        "A cluster network is not available for this operation.",
        "Get-ClusterNetwork: a network joining source and destination must allow cluster "
        "communication and be enabled for live migration.",
    ),
    ErrorCode(
        0x1398,
        "ERROR_HOST_NODE_NOT_GROUP_OWNER (5016)",
        "Either the specified cluster node is not the owner of the group, or the node is not a "
        "possible owner of the group.",
        "Get-ClusterResource 'Virtual Machine <name>' | Get-ClusterOwnerNode: every node must be "
        "a possible owner (the 'Virtual Machine Configuration' resource too).",
    ),
    ErrorCode(
        0x271D,
        "WSAEACCES (10013)",
        "An attempt was made to access a socket in a way forbidden by its access permissions.",
        "A firewall or antivirus blocks the socket: TCP 6600 (live migration) and 3343 "
        "(cluster) must be open and listening on both nodes.",
    ),
    ErrorCode(
        0x274C,
        "WSAETIMEDOUT (10060)",
        "A connection attempt failed because the connected party did not properly respond "
        "after a period of time.",
        "Nothing answered: check the route and firewall towards the destination on TCP 6600 "
        "and 3343.",
    ),
    ErrorCode(
        0x274D,
        "WSAECONNREFUSED (10061)",
        "No connection could be made because the target machine actively refused it.",
        "The destination answered but nothing listens on that port: TCP 6600 (live migration) "
        "or 3343 (cluster) on the address that was used.",
    ),
    ErrorCode(
        0x2746,
        "WSAECONNRESET (10054)",
        "An existing connection was forcibly closed by the remote host.",
        "The destination (or something between) dropped the migration connection: check both "
        "nodes' events at that time and the network path.",
    ),
    ErrorCode(
        0x8009030E,
        "SEC_E_NO_CREDENTIALS",
        "No credentials are available in the security package.",
        "With CredSSP the move must be started on the source host itself; otherwise use Kerberos "
        "with constrained delegation (cifs and Microsoft Virtual System Migration Service).",
    ),
    ErrorCode(
        0x8009030D,
        "SEC_E_UNKNOWN_CREDENTIALS",
        "The credentials supplied to the package were not recognized.",
        "Set live migration to Kerberos on both hosts and constrained delegation for cifs and "
        "Microsoft Virtual System Migration Service on each host's computer object.",
    ),
    ErrorCode(
        0x80090322,
        "SEC_E_WRONG_PRINCIPAL",
        "The target principal name is incorrect.",
        "Kerberos reached a host whose name does not match the one asked for: check the name and "
        "address the destination resolves to and the live migration network order.",
    ),
)

ERROR_CODES: Final[Mapping[int, ErrorCode]] = MappingProxyType({c.value: c for c in _CODES})

_HEX = re.compile(r"\b0x([0-9a-f]{1,8})\b", re.IGNORECASE)
_ERROR_FIELD = re.compile(r"error|code|status|result", re.IGNORECASE)


def error_code(value: int) -> ErrorCode | None:
    """The catalogue entry for a code, unwrapping HRESULT_FROM_WIN32 (0x8007xxxx)."""
    value &= 0xFFFFFFFF
    if value & 0xFFFF0000 == 0x80070000:
        value &= 0xFFFF
    return ERROR_CODES.get(value)


def codes_in(event: Event) -> tuple[ErrorCode, ...]:
    """Known error codes in the event's text and fields, first seen first, each once.

    Hex anywhere counts; a decimal number only as the whole value of an error-ish field, since
    ports and counts in other fields would otherwise be read as codes.
    """
    found: dict[int, ErrorCode] = {}
    texts = [event.message or "", *(value for _, value in event.data)]
    candidates = [int(m.group(1), 16) for text in texts for m in _HEX.finditer(text)]
    for name, value in event.data:
        number = value.strip().lstrip("-")
        if _ERROR_FIELD.search(name) and number.isdigit():
            candidates.append(int(value.strip()))
    for candidate in candidates:
        code = error_code(candidate)
        if code is not None:
            found.setdefault(code.value, code)
    return tuple(found.values())


def describe(event: Event) -> EventInfo | None:
    """The catalogue entry for an event, matched on provider and id."""
    return CATALOGUE.get((event.provider.casefold(), event.event_id))


def relevant(events: Iterable[Event]) -> tuple[Event, ...]:
    """The events the catalogue knows, in their original order."""
    return tuple(event for event in events if describe(event) is not None)


# ---- sockaddr ------------------------------------------------------------------------------------

AF_INET: Final = 2
AF_INET6: Final = 23  # Windows' value (ws2def.h); Linux uses 10


def decode_sockaddr(b64: str) -> str:
    """A base64 Windows SOCKADDR (as in DNS-Client 1014's Address) as "server A port P".

    sockaddr_in: family (u16, host order = little-endian), port (u16, network order), 4 address
    bytes, 8 zero bytes. sockaddr_in6: family, port, flowinfo (u32), 16 address bytes, scope id
    (u32, read little-endian: Windows keeps the interface index in host order). Longer buffers
    (a SOCKADDR_INET or SOCKADDR_STORAGE) are fine; shorter ones or other families are not.
    """
    try:
        raw = base64.b64decode(b64.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InputError(f"sockaddr {quote(b64)} is not base64") from exc
    if len(raw) < 2:
        raise InputError(f"sockaddr {quote(b64)} is {len(raw)} bytes: too short for a family")
    (family,) = struct.unpack_from("<H", raw)
    if family == AF_INET:
        _need(raw, 16, "AF_INET", b64)
        (port,) = struct.unpack_from(">H", raw, 2)
        return f"server {IPv4Address(raw[4:8])} port {port}"
    if family == AF_INET6:
        _need(raw, 28, "AF_INET6", b64)
        (port,) = struct.unpack_from(">H", raw, 2)
        (scope,) = struct.unpack_from("<I", raw, 24)
        return f"server {IPv6Address(raw[8:24])} port {port} (scope {scope})"
    raise InputError(
        f"sockaddr {quote(b64)} has address family {family}, "
        f"neither AF_INET ({AF_INET}) nor AF_INET6 ({AF_INET6})"
    )


def _need(raw: bytes, size: int, family: str, b64: str) -> None:
    if len(raw) < size:
        raise InputError(f"sockaddr {quote(b64)}: {family} needs {size} bytes, got {len(raw)}")


# ---- explanations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """One catalogued event in plain words: a headline, what it means and what to check."""

    title: str
    detail: str
    codes: tuple[tuple[str, str], ...]  # (code, "NAME: system text. What to check.")
    vm: str | None = None
    destination: str | None = None


_QUOTED = (
    "['\"\u2018\u2019\u201c\u201d]([^'\"\u2018\u2019\u201c\u201d]+)['\"\u2018\u2019\u201c\u201d]"
)
_VM_IN_TEXT = (
    re.compile(rf"Live migration of {_QUOTED} failed", re.IGNORECASE),
    re.compile(rf"migration operation for {_QUOTED}", re.IGNORECASE),
)
_DESTINATION_IN_TEXT = (
    re.compile(rf"destination node {_QUOTED}", re.IGNORECASE),
    re.compile(rf"migration destination {_QUOTED}", re.IGNORECASE),
    re.compile(rf"with host {_QUOTED}", re.IGNORECASE),
)
_GUID = re.compile(r"^\{?[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\}?$", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"%(\d+)")


def explain(event: Event) -> Explanation | None:
    """What a catalogued event means for the admin reading it; None for any other event."""
    info = describe(event)
    if info is None:
        return None
    codes = codes_in(event)
    special = _SPECIAL.get(info.event_id) if info.provider == HYPERV_HA else None
    vm, destination, extra = special(event) if special else (None, None, "")
    if info.provider == DNS_CLIENT:
        extra = _dns_server(event)
    title = _first_line(_fill(info.template, event)) or f"{info.provider} event {info.event_id}"
    parts = [info.meaning, extra, *(f"{c.label} {c.name}: {c.hint}" for c in codes)]
    return Explanation(
        title=title,
        detail=" ".join(part for part in parts if part),
        codes=tuple((c.label, f"{c.name}: {c.text} {c.hint}") for c in codes),
        vm=vm,
        destination=destination,
    )


def _fill(template: str, event: Event) -> str:
    """The template with %n replaced by insertion strings ("?" where one is missing)."""
    if template == "%3" and event.insertion(3) is None and event.message:
        return event.message  # a collector event whose Properties were cut off
    return _PLACEHOLDER.sub(lambda m: event.insertion(int(m.group(1))) or "?", template)


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _vm_name(resource: str | None) -> str | None:
    """A VM's name from its cluster resource name ("Virtual Machine VM01" -> "VM01")."""
    if not resource or not resource.strip():
        return None
    name = resource.strip()
    return name.removeprefix("Virtual Machine ").strip() or name


def _search(patterns: Iterable[re.Pattern[str]], text: str) -> str | None:
    return next((m.group(1) for p in patterns if (m := p.search(text))), None)


def _live_migration_failed(event: Event) -> tuple[str | None, str | None, str]:
    """21111: %1 is the VM's cluster resource."""
    return _vm_name(event.insertion(1)), None, ""


def _no_destination_address(event: Event) -> tuple[str | None, str | None, str]:
    """21126: %1 is the destination node (not the VM); %2 and %3, the error, are in the title."""
    return None, event.insertion(1), ""


def _whole_text(event: Event) -> tuple[str | None, str | None, str]:
    """2150x: the whole message is %3; the VM and destination are read out of it.

    If the text does not name the VM, %1 is used unless it is a GUID (the VM id).
    """
    text = event.insertion(3) or event.message or ""
    vm = _search(_VM_IN_TEXT, text)
    first = event.insertion(1)
    if vm is None and first and not _GUID.match(first.strip()) and first.strip() != text.strip():
        vm = first
    rest = " ".join(line.strip() for line in text.splitlines()[1:] if line.strip())
    return _vm_name(vm), _search(_DESTINATION_IN_TEXT, text), rest


_SPECIAL: Final[Mapping[int, Callable[[Event], tuple[str | None, str | None, str]]]] = (
    MappingProxyType(
        {
            21111: _live_migration_failed,
            21126: _no_destination_address,
            21500: _whole_text,
            21501: _whole_text,
            21502: _whole_text,
            21503: _whole_text,
        }
    )
)


def _dns_server(event: Event) -> str:
    """1014's Address decoded, or why it could not be."""
    address = event.field("Address") or event.insertion(3)  # the collector numbers fields
    if not address:
        return ""
    try:
        return f"DNS server: {decode_sockaddr(address)}."
    except InputError as exc:
        return f"The Address field could not be decoded: {exc}."
