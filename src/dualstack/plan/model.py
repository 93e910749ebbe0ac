"""The site as described (Site) and as planned (Plan): immutable values every later layer reads."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from typing import Literal, get_args

from dualstack.addr.mac import Mac
from dualstack.findings import Finding

# How a VLAN's hosts get IPv6 (what the router advertises).
VlanMode = Literal["static", "slaac", "dhcpv6", "slaac+dhcpv6", "none"]
# How an interface gets its IPv6 address. "slaac": whatever interface ID the OS picks by itself
# (Windows randomises it by default): nobody can predict it, so nothing is published for it.
HostMode = Literal["static", "eui64", "stable", "dhcpv6", "slaac", "none"]
Scheme = Literal["vlan", "ipv4", "sequential"]
Os = Literal["windows", "linux", "other"]
# What a NIC is for; only management interfaces are in DNS unless the site says otherwise.
Role = Literal["management", "live-migration", "cluster", "iscsi", "storage", "client"]
ReverseLayout = Literal["site", "vlan"]
# RFC 4191 default router preference, as a VLAN's router advertisements state it.
RouterPreference = Literal["low", "medium", "high"]

VLAN_MODES: tuple[VlanMode, ...] = get_args(VlanMode)
HOST_MODES: tuple[HostMode, ...] = get_args(HostMode)
SCHEMES: tuple[Scheme, ...] = get_args(Scheme)
OSES: tuple[Os, ...] = get_args(Os)
ROLES: tuple[Role, ...] = get_args(Role)
REVERSE_LAYOUTS: tuple[ReverseLayout, ...] = get_args(ReverseLayout)
ROUTER_PREFERENCES: tuple[RouterPreference, ...] = get_args(RouterPreference)
# The kit's MaxRtrAdvInterval (RFC 4861 allows 4..1800 s); a router lifetime must be 0 or at
# least this.
RA_MAX_INTERVAL = 200


@dataclass(frozen=True, slots=True)
class SiteInfo:
    name: str
    domain: str
    ipv6_prefix: IPv6Network
    subnet_scheme: Scheme
    ula_prefix: IPv6Network | None = None
    stable_secret: IPv6Address | None = None  # default for hosts in `stable` mode


@dataclass(frozen=True, slots=True)
class DnsInfo:
    ttl: int = 3600
    primary: str | None = None
    contact: str | None = None
    nameservers: tuple[str, ...] = ()
    # "site": ip6.arpa zone(s) for the site prefix; "vlan": one per /64
    reverse_zones: ReverseLayout = "site"
    ddns: bool = True  # Kea DHCPv6 leases update DNS (a TSIG key the kit keeps)


@dataclass(frozen=True, slots=True)
class RaSettings:
    """A VLAN's ``[vlan.ra]`` table: what its router advertisements say beyond the flags its
    mode sets. None means the kit's default, so only what the site chose is written."""

    router_lifetime: int | None = None  # seconds; default 1800 with a router, 0 without
    preference: RouterPreference = "medium"
    mtu: int | None = None  # AdvLinkMTU; not advertised by default
    valid_lifetime: int | None = None  # of the prefixes; radvd's default is 86400
    preferred_lifetime: int | None = None  # radvd's default is 14400
    rdnss: bool = True  # name servers in RAs (RDNSS, DNSSL) and in DHCPv6 options


@dataclass(frozen=True, slots=True)
class DhcpSettings:
    """A VLAN's ``[vlan.dhcp]`` table: DHCPv6 lease times; None keeps the server's default."""

    valid_lifetime: int | None = None
    preferred_lifetime: int | None = None


@dataclass(frozen=True, slots=True)
class Vlan:
    """One ``[[vlan]]`` entry. ``index`` is its position in the file, for messages."""

    index: int
    id: int
    name: str
    ipv4: IPv4Network
    ipv6: VlanMode
    gateway: IPv4Address | None = None
    ipv6_subnet: IPv6Network | None = None  # explicit override of the scheme
    interface: str | None = None  # router interface name, for the RA/DHCPv6 emitters
    gateway6: IPv6Address | None = None  # explicit IPv6 router address (else from gateway)
    ula: bool = True  # False: no ULA /64 here even when the site has a ula_prefix
    ra: RaSettings = RaSettings()
    dhcp: DhcpSettings = DhcpSettings()

    @property
    def label(self) -> str:
        return f"vlan[{self.index}] ({self.name})"


@dataclass(frozen=True, slots=True)
class Interface:
    """One NIC of a host: a ``[[host.interface]]`` table, or the host-level keys of a host
    written with one NIC. ``ipv6`` is the mode after defaults were applied."""

    index: int  # position among the host's interfaces (0 for the one-NIC shorthand)
    label: str  # ``host[2] (hv01)`` or ``host[2].interface[1] (hv01/LiveMigration)``
    vlan: int
    ipv6: HostMode
    name: str | None = None  # the adapter name as the OS shows it
    role: Role = "management"
    dns: bool = True  # publish this interface's addresses under the host's names
    ipv4: IPv4Address | None = None
    mac: Mac | None = None
    ipv6_address: IPv6Address | None = None
    stable_secret: IPv6Address | None = None
    duid: str | None = None
    iaid: int | None = None  # the DHCPv6 IA_NA's IAID; Windows DHCP reservations need it


@dataclass(frozen=True, slots=True)
class Host:
    """One ``[[host]]`` entry: a device with an operating system and one or more NICs."""

    index: int
    name: str
    interfaces: tuple[Interface, ...]
    os: Os = "other"  # "other": the kit predicts, but configures nothing on it
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"host[{self.index}] ({self.name})"


@dataclass(frozen=True, slots=True)
class DhcpInfo:
    """The ``[dhcp]`` table. With ``server`` the site's DHCPv6 service is central (a Kea or
    Windows server behind relays); without it, Kea runs on the router, bound to each VLAN."""

    server: IPv6Address | None = None  # the address the routers relay to
    server_interface: str | None = None  # where Kea listens on that server

    @property
    def central(self) -> bool:
        return self.server is not None


@dataclass(frozen=True, slots=True)
class Site:
    """A validated site file."""

    source: str  # the file it came from, for messages
    info: SiteInfo
    dns: DnsInfo
    vlans: tuple[Vlan, ...]
    hosts: tuple[Host, ...]
    dhcp: DhcpInfo = DhcpInfo()


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

    @property
    def announces_dns(self) -> bool:
        """Whether RAs and DHCPv6 hand this VLAN's hosts the name servers: only where a router
        leads to them and the site did not turn it off (``[vlan.ra] rdnss = false``)."""
        return self.routed and self.vlan.ra.rdnss


@dataclass(frozen=True, slots=True)
class InterfacePlan:
    """One NIC's addresses in both families, and how its IPv6 address was derived; ``ipv6`` is
    None where the NIC has no IPv6 the plan can know (none, or an OS-chosen address)."""

    host: Host
    interface: Interface
    vlan: VlanPlan
    ipv6: IPv6Address | None
    ula: IPv6Address | None
    derivation: str  # human-readable rule that produced ipv6

    @property
    def label(self) -> str:
        return self.interface.label

    @property
    def in_dns(self) -> bool:
        """Whether DNS holds this NIC's addresses under the host's names."""
        return self.interface.dns


@dataclass(frozen=True, slots=True)
class Plan:
    """The site laid out in both families, with the facts every renderer asks of it computed
    once here rather than at each call site."""

    site: Site
    vlans: tuple[VlanPlan, ...]
    interfaces: tuple[InterfacePlan, ...]  # every planned NIC of every host, in file order
    notes: tuple[Finding, ...] = ()  # warnings the planner raised; errors stop planning
    # addresses of the [dns] name servers that are hosts of the site, in [dns] order
    name_servers6: tuple[IPv6Address, ...] = ()
    name_servers4: tuple[IPv4Address, ...] = ()
    # the VLAN whose /64 holds the central DHCPv6 server: where the relays forward to
    dhcp_server_vlan: VlanPlan | None = None

    @property
    def origin(self) -> str:
        """The forward zone, as an absolute name (``corp.example.net.``)."""
        return self.site.info.domain.rstrip(".") + "."

    def fqdn(self, name: str) -> str:
        """A host name or alias as the absolute name DNS holds."""
        return f"{name}.{self.origin}"
