"""The site as described (Site) and as planned (Plan): immutable values every later layer reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from typing import Literal, get_args

from dualstack.addr.mac import Mac
from dualstack.addr.text import reverse_pointer
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
# Who holds the /24 reverse zone a VLAN longer than /24 lives in: the site (the kit serves the
# /24 itself) or someone else, who delegates the VLAN's block to the site (RFC 2317).
ReverseParent = Literal["site", "delegated"]
# How windows/dns.ps1 creates zones: Active Directory-integrated (secure dynamic updates,
# replicated to every DC of the domain) or file-backed (a standalone DNS server).
WindowsZones = Literal["ad", "file"]

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
REVERSE_PARENTS: tuple[ReverseParent, ...] = get_args(ReverseParent)
WINDOWS_ZONES: tuple[WindowsZones, ...] = get_args(WindowsZones)


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
    reverse_parent: ReverseParent = "site"  # default for VLANs longer than /24
    windows_zones: WindowsZones = "ad"


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
    reverse_parent: ReverseParent | None = None  # None: the [dns] default
    ipv6_only_preferred: bool = False  # DHCPv4 option 108 (RFC 8925): IPv6-mostly
    v6only_wait: int = 1800  # seconds option 108 asks clients to leave IPv4 alone

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
class Nat64Info:
    """The ``[nat64]`` table: the prefix the site's NAT64 gateway translates (RFC 6146), which
    the DNS64 resolver synthesises with (RFC 6147) and routers advertise as PREF64 (RFC 8781)."""

    prefix: IPv6Network
    radvd_pref64: bool = False  # the routers run radvd 2.20 or later (nat64prefix)


@dataclass(frozen=True, slots=True)
class WindowsInfo:
    """The ``[windows]`` table: what the kit's Windows scripts do beyond addresses."""

    # "disable": windows/addresses.ps1 turns 6to4, ISATAP and Teredo off on the plan's
    # Windows hosts; "leave": it does not touch them (the default)
    transition_tunnels: str = "leave"


@dataclass(frozen=True, slots=True)
class Site:
    """A validated site file."""

    source: str  # the file it came from, for messages
    info: SiteInfo
    dns: DnsInfo
    vlans: tuple[Vlan, ...]
    hosts: tuple[Host, ...]
    dhcp: DhcpInfo = DhcpInfo()
    windows: WindowsInfo = WindowsInfo()
    nat64: Nat64Info | None = None

    def reverse_parent(self, vlan: Vlan) -> ReverseParent:
        """Who holds the /24 zone of ``vlan`` (meaningful for VLANs longer than /24): its own
        ``reverse_parent``, else the ``[dns]`` default."""
        return vlan.reverse_parent or self.dns.reverse_parent


@dataclass(frozen=True, slots=True)
class ReverseZone:
    """A reverse zone the kit serves: its origin, the prefix it covers, and for an RFC 2317
    classless zone (``0/26.50.1.10.in-addr.arpa.``) the /24 zone whose owner delegates it."""

    origin: str
    network: IPv4Network | IPv6Network
    parent: str | None = None  # classless zones only: the parent /24 zone (not ours)

    @property
    def classless(self) -> bool:
        return self.parent is not None

    def owner(self, address: IPv4Address | IPv6Address) -> str:
        """The PTR owner of ``address`` in this zone: its reverse name, or in a classless zone
        the last octet under the zone's name (``10.0/26.50.1.10.in-addr.arpa.``)."""
        if self.parent is None:
            return reverse_pointer(address)
        return f"{int(address) & 0xFF}.{self.origin}"


@dataclass(frozen=True, slots=True)
class ReverseMap:
    """Every reverse zone of the plan (``dualstack.plan.reverse`` lays it out once) and the
    lookup from an address to the zone that holds its PTR: the most specific one."""

    v4: tuple[ReverseZone, ...] = ()
    v6: tuple[ReverseZone, ...] = ()
    # (IP version, prefix length, the prefix's top bits) -> zone; longest lengths first
    _index: dict[tuple[int, int, int], ReverseZone] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    _lengths: dict[int, tuple[int, ...]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for z in (*self.v4, *self.v6):
            net = z.network
            top = int(net.network_address) >> (net.max_prefixlen - net.prefixlen)
            self._index[(net.version, net.prefixlen, top)] = z
        for version in (4, 6):
            lengths = {length for v, length, _ in self._index if v == version}
            self._lengths[version] = tuple(sorted(lengths, reverse=True))

    @property
    def zones(self) -> tuple[ReverseZone, ...]:
        return (*self.v4, *self.v6)

    @property
    def delegated(self) -> tuple[ReverseZone, ...]:
        """The RFC 2317 classless zones: each needs records in someone else's /24 zone."""
        return tuple(z for z in self.v4 if z.classless)

    def zone(self, address: IPv4Address | IPv6Address) -> ReverseZone | None:
        """The zone that holds the PTR of ``address``, or None when no zone covers it."""
        value, bits = int(address), address.max_prefixlen
        for length in self._lengths[address.version]:
            found = self._index.get((address.version, length, value >> (bits - length)))
            if found is not None:
                return found
        return None


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
    reverse: ReverseMap = field(default_factory=ReverseMap)  # the reverse zones (plan.reverse)
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
