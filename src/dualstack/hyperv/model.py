"""One Hyper-V node as the collector saw it, read into typed values.

The collector's JSON is what ``ConvertTo-Json`` makes of the cmdlets' objects, so the reader
accepts every shape PowerShell really writes: enum values as integers (Windows PowerShell 5.1)
or names (PowerShell 7), ``/Date(ms)/`` or ISO timestamps, a single object where a one-item
array was unwrapped, ``null`` for an empty source, and the string ``System.Object[]`` where a
value was cut off by ``-Depth`` (recorded in :attr:`Host.truncated`, so the doctor can ask for
a re-run instead of guessing).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from pathlib import Path
from typing import Any

from dualstack.errors import InputError
from dualstack.hyperv.events import Event, events_from_collector

SCHEMA = "dualstack-hyperv/1"
IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network

ADDRESS_FAMILY = {2: 4, 23: 6, "IPv4": 4, "IPv6": 6, "InterNetwork": 4, "InterNetworkV6": 6}
CLUSTER_ROLE = {
    0: 0,
    1: 1,
    2: 2,
    3: 3,
    "None": 0,
    "Cluster": 1,
    "ClusterOnly": 1,
    "Client": 2,
    "ClientOnly": 2,
    "ClusterAndClient": 3,
}
MIGRATION_AUTH = {0: "CredSSP", 1: "Kerberos", "CredSSP": "CredSSP", "Kerberos": "Kerberos"}
MIGRATION_PERFORMANCE = {
    0: "TCPIP",
    1: "Compression",
    2: "SMB",
    "TCPIP": "TCPIP",
    "Compression": "Compression",
    "SMB": "SMB",
}
TRUNCATED = "System.Object[]"
_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
_SPEED = re.compile(r"^\s*([\d.]+)\s*([KMGT]?)bps\s*$", re.IGNORECASE)
_UNITS = {"": 1, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}


@dataclass(frozen=True)
class Adapter:
    name: str
    description: str
    index: int | None
    guid: str | None
    mac: str | None
    speed: int | None  # bits per second
    status: str | None
    mtu: int | None
    virtual: bool


@dataclass(frozen=True)
class IpInterface:
    alias: str
    family: int
    metric: int | None
    automatic_metric: bool | None


@dataclass(frozen=True)
class IpAddress:
    alias: str
    address: IPAddress
    prefixlen: int

    @property
    def network(self) -> IPNetwork:
        return ip_network((self.address, self.prefixlen), strict=False)


@dataclass(frozen=True)
class Route:
    alias: str
    destination: str
    next_hop: str


@dataclass(frozen=True)
class Binding:
    adapter: str
    component: str
    enabled: bool


@dataclass(frozen=True)
class ClusterNetwork:
    name: str
    id: str
    role: int | None
    subnets: tuple[IPNetwork, ...]
    metric: int | None


@dataclass(frozen=True)
class ClusterInterface:
    name: str
    node: str
    network: str
    adapter: str


@dataclass(frozen=True)
class MigrationSettings:
    enabled: bool | None
    authentication: str | None
    performance: str | None
    any_network: bool | None
    networks: tuple[tuple[IPNetwork, int], ...]  # (subnet, priority)


@dataclass(frozen=True)
class Switch:
    name: str
    kind: str | None
    adapter_descriptions: tuple[str, ...]
    management_os: bool | None


@dataclass(frozen=True)
class IscsiConnection:
    initiator: IPAddress | None
    target: IPAddress | None
    target_port: int | None


@dataclass(frozen=True)
class IscsiSession:
    id: str
    target: str
    connections: tuple[IscsiConnection, ...]


# NetworkTransition / NetTCPIP enums as integers (Windows PowerShell 5.1) or names
TRANSITION_STATE = {0: "Default", 1: "Automatic", 2: "Enabled", 3: "Disabled"}
TEREDO_TYPE = {
    0: "Default",
    1: "Relay",
    2: "Client",
    3: "Server",
    4: "Disabled",
    5: "Automatic",
    6: "Enterpriseclient",
    7: "Natawareclient",
}
ENABLED = {0: "Disabled", 1: "Enabled"}
TEMPORARY = {0: "Disabled", 1: "Enabled", 2: "Always", 3: "Counter"}


@dataclass(frozen=True)
class PrefixPolicy:
    prefix: IPv6Network
    precedence: int
    label: int


@dataclass(frozen=True)
class Ipv6Posture:
    """The host's IPv6 settings beyond addresses: transition tunnels, how interface IDs are
    formed, the prefix policies (address selection) and ``DisabledComponents``. A field is
    None where the collector did not gather it (older collector, module missing)."""

    sixtofour: str | None = None  # State: Default, Automatic, Enabled, Disabled
    isatap: str | None = None
    teredo: str | None = None  # Type: Default, Client, Enterpriseclient, Disabled, ...
    randomize_identifiers: str | None = None  # Enabled / Disabled
    temporary_addresses: str | None = None  # Disabled / Enabled / Always / Counter
    prefix_policies: tuple[PrefixPolicy, ...] = ()
    disabled_components: int | None = None  # None: not collected; 0: absent (the default)


@dataclass(frozen=True)
class Host:
    """Everything the doctor knows about one node."""

    source: str  # the file it came from
    name: str
    collected_at: datetime | None
    os_version: tuple[int, ...]
    adapters: tuple[Adapter, ...]
    interfaces: tuple[IpInterface, ...]
    addresses: tuple[IpAddress, ...]
    default_routes: tuple[Route, ...]
    bindings: tuple[Binding, ...]
    jumbo: tuple[tuple[str, int | None], ...]  # adapter, *JumboPacket in bytes
    dns_register: tuple[tuple[str, bool], ...]  # adapter, registers its addresses
    cluster_networks: tuple[ClusterNetwork, ...]
    cluster_interfaces: tuple[ClusterInterface, ...]
    cluster_parameters: tuple[tuple[str, str], ...]
    migration: MigrationSettings
    switches: tuple[Switch, ...]
    iscsi_sessions: tuple[IscsiSession, ...]
    binding_order: tuple[str, ...]
    events: tuple[Event, ...]
    truncated: tuple[str, ...]  # "Source.Property" values cut off by ConvertTo-Json -Depth
    notes: tuple[str, ...]
    posture: Ipv6Posture = Ipv6Posture()

    @property
    def modern(self) -> bool:
        """Windows Server 2016 or later (10.0): no binding order, interface metrics instead,
        several adapters per subnet supported."""
        return self.os_version[:1] >= (10,)

    def parameter(self, name: str) -> str | None:
        return next((v for n, v in self.cluster_parameters if n == name), None)

    def adapter_addresses(self, alias: str) -> tuple[IpAddress, ...]:
        return tuple(a for a in self.addresses if a.alias == alias)


# ---- tolerant readers for what ConvertTo-Json writes -------------------------------------


def items(value: Any) -> list[dict[str, Any]]:
    """A source as a list of objects: null -> [], one unwrapped object -> [it]."""
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []


def strings(value: Any) -> tuple[str, ...]:
    """A list of strings that may arrive as one string, null, or a list."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(v) for v in value if v is not None)
    return (str(value),)


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _enum(value: Any, table: dict[Any, Any]) -> Any:
    if isinstance(value, bool | list | dict):
        return None
    if value in table:
        return table[value]
    if isinstance(value, str) and value.strip().isdigit():
        return table.get(int(value))
    return None


def speed(value: Any) -> int | None:
    """Link speed in bits per second from ``"10 Gbps"`` or a number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        match = _SPEED.match(value)
        if match:
            return int(float(match.group(1)) * _UNITS[match.group(2).upper()])
    return None


def timestamp(value: Any, where: str) -> datetime | None:
    """``/Date(ms)/`` (PowerShell 5.1) or ISO 8601 (PowerShell 7), as aware UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        match = _DATE.match(value.strip())
        if match:
            return datetime.fromtimestamp(int(match.group(1)) / 1000, tz=UTC)
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise InputError(f"{where}: {value!r} is not a /Date(...)/ or ISO 8601 timestamp")


def _address(value: Any) -> IPAddress | None:
    if not isinstance(value, str):
        return None
    try:
        return ip_address(value.split("%")[0].strip())
    except ValueError:
        return None


def _jumbo(obj: dict[str, Any]) -> int | None:
    """*JumboPacket in bytes: RegistryValue is a string array (``["9014"]``)."""
    value = strings(obj.get("RegistryValue"))
    return _int(value[0]) if value else _int(obj.get("DisplayValue"))


def _truncated(raw: dict[str, Any]) -> tuple[str, ...]:
    found = []
    for source, value in raw.items():
        for obj in items(value):
            found += [f"{source}.{k}" for k, v in obj.items() if v == TRUNCATED]
    return tuple(sorted(set(found)))


# ---- one host ------------------------------------------------------------------------------


def _subnet(address: object, length: object) -> IPNetwork | None:
    """A subnet, or None for a value cut off by -Depth or otherwise unreadable (the doctor
    reports cut-off values as HV-DATA-001; it never guesses)."""
    try:
        return ip_network(f"{address}/{length}", strict=False)
    except ValueError:
        return None


def _cluster_network(obj: dict[str, Any]) -> ClusterNetwork:
    pairs = [
        *zip(
            strings(obj.get("Ipv4Addresses")), strings(obj.get("Ipv4PrefixLengths")), strict=False
        ),
        *zip(
            strings(obj.get("Ipv6Addresses")), strings(obj.get("Ipv6PrefixLengths")), strict=False
        ),
    ]
    subnets = [s for s in (_subnet(a, n) for a, n in pairs) if s is not None]
    if not subnets and obj.get("Address") and obj.get("AddressMask"):
        fallback = _subnet(obj["Address"], obj["AddressMask"])
        subnets += [fallback] if fallback is not None else []
    return ClusterNetwork(
        name=str(obj.get("Name", "")),
        id=str(obj.get("Id", "")).strip("{}").lower(),
        role=_enum(obj.get("Role"), CLUSTER_ROLE),
        subnets=tuple(subnets),
        metric=_int(obj.get("Metric")),
    )


def _session(obj: dict[str, Any]) -> IscsiSession:
    connections = tuple(
        IscsiConnection(
            initiator=_address(c.get("InitiatorAddress")),
            target=_address(c.get("TargetAddress")),
            target_port=_int(c.get("TargetPortNumber")),
        )
        for c in items(obj.get("Connections"))
    )
    return IscsiSession(
        id=str(obj.get("SessionIdentifier", "")),
        target=str(obj.get("TargetNodeAddress", "")),
        connections=connections,
    )


def _migration(raw: dict[str, Any]) -> MigrationSettings:
    host = (items(raw.get("VMHost")) or [{}])[0]
    networks = []
    for obj in items(raw.get("VMMigrationNetwork")):
        try:
            subnet = ip_network(str(obj.get("Subnet", "")).strip(), strict=False)
        except ValueError:
            continue
        networks.append((subnet, _int(obj.get("Priority")) or 0))
    return MigrationSettings(
        enabled=_bool(host.get("VirtualMachineMigrationEnabled")),
        authentication=_enum(host.get("VirtualMachineMigrationAuthenticationType"), MIGRATION_AUTH),
        performance=_enum(
            host.get("VirtualMachineMigrationPerformanceOption"), MIGRATION_PERFORMANCE
        ),
        any_network=_bool(host.get("UseAnyNetworkForMigration")),
        networks=tuple(networks),
    )


def _name(value: Any, table: dict[int, str]) -> str | None:
    """An enum as its name, from the integer (5.1) or the name itself (7, or deserialized)."""
    if isinstance(value, bool) or value is None:
        return None
    number = _int(value)
    if number is not None:
        return table.get(number)
    text = str(value).strip()
    return next((name for name in table.values() if name.lower() == text.lower()), None)


def _dword(value: Any) -> int | None:
    """A REG_DWORD as read by PowerShell (an Int32: 0xffffffff arrives as -1)."""
    number = _int(value)
    if number is None:
        return None
    return number + (1 << 32) if -(1 << 31) <= number < 0 else number


def _posture(raw: dict[str, Any]) -> Ipv6Posture:
    def first(key: str) -> dict[str, Any] | None:
        found = items(raw.get(key))
        return found[0] if found else None

    sixtofour, isatap = first("Net6to4Configuration"), first("NetIsatapConfiguration")
    teredo, protocol = first("NetTeredoConfiguration"), first("NetIPv6Protocol")
    tcpip6 = first("Tcpip6Parameters")
    policies = []
    for obj in items(raw.get("NetPrefixPolicy")):
        prefix = _subnet(*str(obj.get("Prefix", "")).partition("/")[::2])
        precedence, label = _int(obj.get("Precedence")), _int(obj.get("Label"))
        if isinstance(prefix, IPv6Network) and precedence is not None and label is not None:
            policies.append(PrefixPolicy(prefix, precedence, label))
    return Ipv6Posture(
        sixtofour=None if sixtofour is None else _name(sixtofour.get("State"), TRANSITION_STATE),
        isatap=None if isatap is None else _name(isatap.get("State"), TRANSITION_STATE),
        teredo=None if teredo is None else _name(teredo.get("Type"), TEREDO_TYPE),
        randomize_identifiers=None
        if protocol is None
        else _name(protocol.get("RandomizeIdentifiers"), ENABLED),
        temporary_addresses=None
        if protocol is None
        else _name(protocol.get("UseTemporaryAddresses"), TEMPORARY),
        prefix_policies=tuple(policies),
        disabled_components=None
        if tcpip6 is None
        else (_dword(tcpip6.get("DisabledComponents")) or 0),
    )


def read_host(raw: Any, source: str) -> Host:
    """A host from the collector's parsed JSON (``source`` names it in errors)."""
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA:
        raise InputError(f"{source}: not a dualstack-hyperv/1 collector file (no schema key)")
    name = str(raw.get("ComputerName") or Path(source).stem)
    version = tuple(int(p) for p in re.findall(r"\d+", str(raw.get("OSVersion", "")))[:3])
    addresses = []
    for obj in items(raw.get("NetIPAddress")):
        address = _address(obj.get("IPAddress"))
        length = _int(obj.get("PrefixLength"))
        if address is not None and length is not None and 0 <= length <= address.max_prefixlen:
            addresses.append(IpAddress(str(obj.get("InterfaceAlias", "")), address, length))
    return Host(
        source=source,
        name=name,
        collected_at=timestamp(raw.get("CollectedAt"), f"{source}: CollectedAt"),
        os_version=version,
        adapters=tuple(
            Adapter(
                name=str(o.get("Name", "")),
                description=str(o.get("InterfaceDescription", "")),
                index=_int(o.get("InterfaceIndex") or o.get("ifIndex")),
                guid=str(o.get("InterfaceGuid") or "").strip("{}").lower() or None,
                mac=o.get("MacAddress"),
                speed=speed(o.get("LinkSpeed")) or speed(o.get("ReceiveLinkSpeed")),
                status=str(o["Status"]) if o.get("Status") is not None else None,
                mtu=_int(o.get("MtuSize")),
                virtual=bool(_bool(o.get("Virtual"))),
            )
            for o in items(raw.get("NetAdapter"))
        ),
        interfaces=tuple(
            IpInterface(
                alias=str(o.get("InterfaceAlias", "")),
                family=_enum(o.get("AddressFamily"), ADDRESS_FAMILY) or 0,
                metric=_int(o.get("InterfaceMetric")),
                automatic_metric=_bool(o.get("AutomaticMetric")),
            )
            for o in items(raw.get("NetIPInterface"))
        ),
        addresses=tuple(addresses),
        default_routes=tuple(
            Route(
                str(o.get("InterfaceAlias", "")),
                str(o.get("DestinationPrefix", "")),
                str(o.get("NextHop", "")),
            )
            for o in items(raw.get("NetRoute"))
            if str(o.get("DestinationPrefix")) in ("0.0.0.0/0", "::/0")
        ),
        bindings=tuple(
            Binding(
                str(o.get("Name", "")), str(o.get("ComponentID", "")), bool(_bool(o.get("Enabled")))
            )
            for o in items(raw.get("NetAdapterBinding"))
        ),
        jumbo=tuple(
            (str(o.get("Name", "")), _jumbo(o))
            for o in items(raw.get("NetAdapterAdvancedProperty"))
            if str(o.get("RegistryKeyword", "")).lower() == "*jumbopacket"
        ),
        dns_register=tuple(
            (str(o.get("InterfaceAlias", "")), bool(_bool(o.get("RegisterThisConnectionsAddress"))))
            for o in items(raw.get("DnsClient"))
        ),
        cluster_networks=tuple(_cluster_network(o) for o in items(raw.get("ClusterNetwork"))),
        cluster_interfaces=tuple(
            ClusterInterface(
                name=str(o.get("Name", "")),
                node=str(o.get("Node", "")),
                network=str(o.get("Network", "")),
                adapter=str(o.get("Adapter", "")),
            )
            for o in items(raw.get("ClusterNetworkInterface"))
        ),
        cluster_parameters=tuple(
            (str(o.get("Name", "")), "" if o.get("Value") is None else str(o.get("Value")))
            for o in items(raw.get("ClusterParameter"))
        ),
        migration=_migration(raw),
        switches=tuple(
            Switch(
                name=str(o.get("Name", "")),
                kind=None if o.get("SwitchType") is None else str(o.get("SwitchType")),
                adapter_descriptions=strings(
                    o.get("NetAdapterInterfaceDescriptions")
                    or o.get("NetAdapterInterfaceDescription")
                ),
                management_os=_bool(o.get("AllowManagementOS")),
            )
            for o in items(raw.get("VMSwitch"))
        ),
        iscsi_sessions=tuple(_session(o) for o in items(raw.get("IscsiSession"))),
        binding_order=strings(raw.get("BindingOrder")),
        events=events_from_collector(raw.get("Events")),
        truncated=_truncated(raw),
        notes=strings(raw.get("Notes")) + strings(raw.get("CollectorErrors")),
        posture=_posture(raw),
    )


def parse_host(data: bytes, name: str) -> Host:
    """A host from a collector file's bytes (``name`` for messages): not UTF-8, not JSON or
    not a collector file are each a one-line InputError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 text (the collector writes UTF-8 JSON)") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: not JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise InputError(f"{name}: JSON nested too deeply to be a collector file") from None
    try:
        return read_host(raw, name)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"{name}: a value has a shape no collector writes ({exc})") from None


def load_host(path: str) -> Host:
    """Read one collector file; unreadable or malformed input is a one-line InputError."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_host(data, path)
