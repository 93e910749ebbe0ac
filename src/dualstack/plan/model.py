"""The site as described (Site) and as planned (Plan): immutable values every later layer reads."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

from dualstack.addr.mac import Mac
from dualstack.findings import Finding

VLAN_MODES = ("static", "slaac", "dhcpv6", "slaac+dhcpv6", "none")
HOST_MODES = ("static", "eui64", "stable", "dhcpv6", "none")
SCHEMES = ("vlan", "ipv4", "sequential")


@dataclass(frozen=True, slots=True)
class SiteInfo:
    name: str
    domain: str
    ipv6_prefix: IPv6Network
    subnet_scheme: str
    ula_prefix: IPv6Network | None = None
    stable_secret: IPv6Address | None = None  # default for hosts in `stable` mode


@dataclass(frozen=True, slots=True)
class DnsInfo:
    ttl: int = 3600
    primary: str | None = None
    contact: str | None = None
    nameservers: tuple[str, ...] = ()
    reverse_zones: str = "site"  # "site": ip6.arpa zone(s) for the site prefix; "vlan": one per /64
    ddns: bool = True  # Kea DHCPv6 leases update DNS (a TSIG key the kit keeps)


@dataclass(frozen=True, slots=True)
class Vlan:
    """One ``[[vlan]]`` entry. ``index`` is its position in the file, for messages."""

    index: int
    id: int
    name: str
    ipv4: IPv4Network
    ipv6: str  # one of VLAN_MODES
    gateway: IPv4Address | None = None
    ipv6_subnet: IPv6Network | None = None  # explicit override of the scheme
    interface: str | None = None  # router interface name, for the RA/DHCPv6 emitters
    gateway6: IPv6Address | None = None  # explicit IPv6 router address (else from gateway)

    @property
    def label(self) -> str:
        return f"vlan[{self.index}] ({self.name})"


@dataclass(frozen=True, slots=True)
class Host:
    """One ``[[host]]`` entry; ``ipv6`` is the mode after defaults were applied."""

    index: int
    name: str
    vlan: int
    ipv6: str  # one of HOST_MODES
    ipv4: IPv4Address | None = None
    mac: Mac | None = None
    ipv6_address: IPv6Address | None = None
    aliases: tuple[str, ...] = ()
    stable_secret: IPv6Address | None = None
    duid: str | None = None

    @property
    def label(self) -> str:
        return f"host[{self.index}] ({self.name})"


@dataclass(frozen=True, slots=True)
class Site:
    """A validated site file."""

    source: str  # the file it came from, for messages
    info: SiteInfo
    dns: DnsInfo
    vlans: tuple[Vlan, ...]
    hosts: tuple[Host, ...]


@dataclass(frozen=True, slots=True)
class VlanPlan:
    """Where a VLAN lands in IPv6: its /64 (and ULA /64), router address and DHCPv6 ranges.

    ``gateway6`` is None on a VLAN without a router (no IPv4 gateway, no ``gateway6``: live
    migration, cluster, storage): it gets no IPv6 default route anywhere in the kit.
    """

    vlan: Vlan
    subnet_id: int | None
    ipv6: IPv6Network | None
    ula: IPv6Network | None
    gateway6: IPv6Address | None
    reservations: IPv6Network | None  # DHCPv6 host reservations the planner hands out
    pool: IPv6Network | None  # DHCPv6 dynamic pool

    @property
    def routed(self) -> bool:
        """Whether hosts on this VLAN get an IPv6 default route (it has a router)."""
        return self.gateway6 is not None


@dataclass(frozen=True, slots=True)
class HostPlan:
    """A host's addresses in both families, and how each IPv6 address was derived."""

    host: Host
    vlan: VlanPlan
    ipv6: IPv6Address | None
    ula: IPv6Address | None
    derivation: str  # human-readable rule that produced ipv6


@dataclass(frozen=True, slots=True)
class Plan:
    site: Site
    vlans: tuple[VlanPlan, ...]
    hosts: tuple[HostPlan, ...]
    notes: tuple[Finding, ...] = ()  # warnings the planner raised; errors stop planning
