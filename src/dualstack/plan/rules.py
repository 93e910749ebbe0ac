"""The site checker's rules: each id and severity declared once, here.

The site reader and the allocator report them from many places (a rule such as
``host.outside-vlan`` is found both reading the file and placing the host), so they are declared
as values rather than registered as one function each.
"""

from __future__ import annotations

from dualstack.findings import RuleBook, Severity

RULES: RuleBook[object] = RuleBook("site rule")
_E, _W = Severity.ERROR, Severity.WARNING

# the file as a whole and its [site] / [dns] tables
UNKNOWN_KEY = RULES.define("site.unknown-key", _E, "a key the schema does not have")
MISSING_KEY = RULES.define("site.missing-key", _E, "a required key or table is missing")
TYPE = RULES.define("site.type", _E, "a value of the wrong TOML type")
INVALID_VALUE = RULES.define("site.invalid-value", _E, "a value that does not parse")
PREFIX_TOO_SMALL = RULES.define("site.prefix-too-small", _E, "no /64 left for a VLAN")
NO_NAMESERVERS = RULES.define("dns.no-nameservers", _E, "zones would have no NS records")
NAMESERVER_WITHOUT_ADDRESS = RULES.define(
    "dns.nameserver-without-address", _E, "an in-zone name server needs glue"
)

DHCP_SERVER_OUTSIDE = RULES.define(
    "dhcp.server-outside", _E, "the central DHCPv6 server is in none of the VLANs"
)

# [nat64] and IPv6-mostly VLANs
NAT64_PREFIX = RULES.define("nat64.prefix", _E, "a NAT64 prefix RFC 6052 does not allow")
NAT64_MISSING = RULES.define(
    "nat64.missing", _E, "IPv6-only preferred VLANs without a NAT64 prefix"
)
NAT64_OPTION108_NO_IPV6 = RULES.define(
    "nat64.option108-without-ipv6", _E, "option 108 where RAs give hosts no IPv6 or no DNS"
)
NAT64_V6ONLY_WAIT = RULES.define("nat64.v6only-wait", _W, "V6ONLY_WAIT below RFC 8925's 300 s")
NAT64_WKP_PRIVATE = RULES.define(
    "nat64.wkp-private", _W, "IPv4-only hosts of the site unreachable through the well-known prefix"
)

# [[vlan]] entries
VLAN_GATEWAY_OUTSIDE = RULES.define("vlan.gateway-outside", _E, "gateway not usable in the subnet")
VLAN_SUBNET_SIZE = RULES.define("vlan.subnet-size", _E, "ipv6_subnet is not a /64")
VLAN_DUPLICATE_ID = RULES.define("vlan.duplicate-id", _E, "two VLANs with one id")
VLAN_DUPLICATE_NAME = RULES.define("vlan.duplicate-name", _E, "two VLANs with one name")
VLAN_OVERLAP = RULES.define("vlan.overlap", _E, "IPv4 subnets that overlap")
VLAN_SUBNET_OUTSIDE = RULES.define("vlan.subnet-outside", _E, "ipv6_subnet outside the site")
VLAN_UNENCODABLE = RULES.define("vlan.unencodable", _E, "the subnet scheme cannot encode it")
VLAN_SUBNET_COLLISION = RULES.define("vlan.subnet-collision", _E, "two VLANs on one /64")
VLAN_GATEWAY6_OUTSIDE = RULES.define("vlan.gateway6-outside", _E, "gateway6 not in the VLAN's /64")
VLAN_RA_NO_ROUTER = RULES.define(
    "vlan.ra-no-router", _E, "a router lifetime on a VLAN without a router"
)
VLAN_SETTING_UNUSED = RULES.define("vlan.setting-unused", _W, "a setting the VLAN's mode ignores")
VLAN_GATEWAY6_RESERVED = RULES.define(
    "vlan.gateway6-reserved", _E, "gateway6 on an anycast or DHCPv6 address"
)
VLAN_REVERSE_PARENT = RULES.define(
    "vlan.reverse-parent", _E, "reverse_parent on a VLAN RFC 2317 does not apply to"
)
VLAN_REVERSE_PARENT_CONFLICT = RULES.define(
    "vlan.reverse-parent-conflict", _E, "VLANs in one /24 disagree on who holds its zone"
)

# [[host]] entries
HOST_UNKNOWN_VLAN = RULES.define("host.unknown-vlan", _E, "the host's VLAN is not defined")
HOST_OUTSIDE_VLAN = RULES.define("host.outside-vlan", _E, "an address outside the VLAN")
HOST_IPV6_ON_IPV4_ONLY_VLAN = RULES.define(
    "host.ipv6-on-ipv4-only-vlan", _E, "IPv6 asked for on a VLAN without IPv6"
)
HOST_NEEDS_MAC = RULES.define("host.needs-mac", _E, "a MAC-derived mode without a MAC")
HOST_CONFLICT = RULES.define("host.conflict", _E, "keys that contradict each other")
HOST_NEEDS_SECRET = RULES.define("host.needs-secret", _E, "stable mode without a secret")
HOST_NEEDS_IPV4 = RULES.define("host.needs-ipv4", _E, "nothing to derive the address from")
HOST_DHCPV6_WITHOUT_M_FLAG = RULES.define(
    "host.dhcpv6-without-m-flag", _W, "a reservation on a VLAN whose RAs do not ask for it"
)
HOST_RESERVATION_RANGE = RULES.define(
    "host.reservation-range", _E, "the IPv4 offset does not fit the reservation range"
)
HOST_DUPLICATE_NAME = RULES.define("host.duplicate-name", _E, "one name on two hosts")
HOST_DUPLICATE_ADDRESS = RULES.define("host.duplicate-address", _E, "one address on two hosts")
HOST_DUPLICATE_MAC = RULES.define("host.duplicate-mac", _E, "one MAC on two hosts")
HOST_DUPLICATE_DUID = RULES.define("host.duplicate-duid", _E, "one DUID on two hosts")
HOST_NAME_IN_DOMAIN = RULES.define(
    "host.name-in-domain", _E, "a name written with the site domain, which would be doubled"
)
HOST_MAC_NOT_UNICAST = RULES.define(
    "host.mac-not-unicast", _E, "a broadcast, multicast or all-zero MAC no NIC has"
)
HOST_STABLE_ON_WINDOWS = RULES.define(
    "host.stable-on-windows", _E, "RFC 7217 asked of Windows, which does not implement it"
)
HOST_INTERFACE_NEEDS_NAME = RULES.define(
    "host.interface-needs-name", _E, "a NIC of a multi-NIC Linux host without its device name"
)
HOST_NO_IAID = RULES.define(
    "host.no-iaid", Severity.INFO, "a DHCPv6 reservation Windows DHCP cannot match"
)
HOST_UNPREDICTABLE = RULES.define(
    "host.unpredictable", _W, "an autoconfigured host whose address cannot be predicted"
)
