"""The TOML site file: read it, validate every entry, and build a Site from what is valid.

Validation reports every problem at once, each naming the entry (``vlan[2] (clients)``) and
what is wrong; entries with errors are left out of the Site so later checks still run.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Network, IPv6Address, IPv6Network
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

from dualstack.addr.embedded import NAT64_LENGTHS, NAT64_WELL_KNOWN
from dualstack.addr.mac import Mac
from dualstack.addr.parse import parse_address, parse_ipv4, parse_network
from dualstack.errors import DualstackError, InputError, quote
from dualstack.findings import Finding, Rule, Severity
from dualstack.plan import rules
from dualstack.plan.model import (
    HOST_MODES,
    OSES,
    RA_MAX_INTERVAL,
    REVERSE_LAYOUTS,
    REVERSE_PARENTS,
    ROLES,
    ROUTER_PREFERENCES,
    SCHEMES,
    VLAN_MODES,
    WINDOWS_ZONES,
    DhcpInfo,
    DhcpSettings,
    DnsInfo,
    Host,
    HostMode,
    Interface,
    Nat64Info,
    Os,
    RaSettings,
    Site,
    SiteInfo,
    Vlan,
    WindowsInfo,
)

T = TypeVar("T")
C = TypeVar("C", bound=str)

# what a NIC says about itself; a host with one NIC may say it on the host table (shorthand)
NIC_KEYS = ("vlan", "ipv4", "mac", "ipv6", "ipv6_address", "stable_secret", "duid", "iaid")
KEYS: dict[str, tuple[str, ...]] = {
    "": ("site", "dns", "dhcp", "windows", "nat64", "vlan", "host"),
    "windows": ("transition_tunnels",),
    "nat64": ("prefix", "radvd_pref64"),
    "site": ("name", "domain", "ipv6_prefix", "ula_prefix", "subnet_scheme", "stable_secret"),
    "dns": (
        *("ttl", "primary", "contact", "nameservers", "reverse_zones", "ddns", "reverse_parent"),
        "windows_zones",
    ),
    "vlan": (
        *("id", "name", "ipv4", "gateway", "ipv6", "ipv6_subnet", "interface", "gateway6"),
        *("ula", "ra", "dhcp", "reverse_parent", "ipv6_only_preferred", "v6only_wait"),
    ),
    "dhcp": ("server", "server_interface"),
    "vlan.ra": (
        *("router_lifetime", "preference", "mtu", "valid_lifetime", "preferred_lifetime"),
        "rdnss",
    ),
    "vlan.dhcp": ("valid_lifetime", "preferred_lifetime"),
    "host": ("name", "os", "aliases", "interface", *NIC_KEYS),
    "interface": ("name", "role", "dns", *NIC_KEYS),
}
_TABLE = re.compile(
    r"^\s*(\[\[?)\s*(site|dns|dhcp|windows|nat64|vlan|vlan\.ra|vlan\.dhcp|host|host\.interface)\s*\]\]?\s*(?:#.*)?$"
)
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_IFNAME = re.compile(r"[A-Za-z0-9_.\-]{1,15}")
DUID_TEXT = re.compile(r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){1,129}")  # what `duid` accepts


@dataclass(frozen=True, slots=True)
class Checked:
    """The outcome of reading a site file: the Site built from valid entries, findings placed
    on their lines, and the line of each table (so later checks can place theirs too)."""

    site: Site | None
    findings: tuple[Finding, ...]
    lines: Mapping[str, int] = field(default_factory=dict)

    def place(self, findings: Iterable[Finding]) -> tuple[Finding, ...]:
        """``findings`` placed on the lines of this file's tables."""
        return place(findings, self.lines)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)


def table_lines(text: str) -> dict[str, int]:
    """Line number of each table header: ``[site]``, ``vlan[2]`` for the third ``[[vlan]]``
    and ``host[2].interface[1]`` for that host's second NIC (0-based, as findings name
    entries)."""
    lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _TABLE.match(line)
        if match is None:
            continue
        brackets, kind = match.groups()
        if kind in ("vlan.ra", "vlan.dhcp"):  # belongs to the latest [[vlan]]
            lines.setdefault(f"vlan[{counts.get('vlan', 0) - 1}].{kind[5:]}", number)
        elif kind == "host.interface":  # belongs to the latest [[host]]
            host = counts.get("host", 0) - 1
            index = counts.get(f"host[{host}].interface", 0)
            counts[f"host[{host}].interface"] = index + 1
            lines.setdefault(f"host[{host}].interface[{index}]", number)
        elif brackets == "[[":
            index = counts.get(kind, 0)
            counts[kind] = index + 1
            lines.setdefault(f"{kind}[{index}]", number)
        else:
            lines.setdefault(f"[{kind}]", number)
    return lines


def place(findings: Iterable[Finding], lines: Mapping[str, int]) -> tuple[Finding, ...]:
    """``findings`` with the line of the table their subject names (``vlan[2] (clients)`` is
    on the line of the third ``[[vlan]]``; ``vlan[2].ra`` on its ``[vlan.ra]`` line, or the
    VLAN's when it was written inline)."""

    def line(subject: str) -> int | None:
        key = subject.split(" ", 1)[0]
        return lines.get(key) or lines.get(key.rsplit(".", 1)[0]) if "." in key else lines.get(key)

    return tuple(f.at_line(line(f.subject)) for f in findings)


def is_hostname(name: str) -> bool:
    """A DNS host name of RFC 1123 labels, at most 253 characters."""
    return len(name) <= 253 and all(_LABEL.fullmatch(part) for part in name.split("."))


def _ipv4_network(text: str) -> IPv4Network:
    network = parse_network(text, 4)
    assert isinstance(network, IPv4Network)
    return network


def _ipv6_network(text: str) -> IPv6Network:
    network = parse_network(text, 6)
    assert isinstance(network, IPv6Network)
    return network


def _ipv6_plain(text: str) -> IPv6Address:
    parsed = parse_address(text)
    if not isinstance(parsed.address, IPv6Address) or parsed.prefixlen is not None:
        raise InputError(f"{quote(text)} is not a plain IPv6 address")
    return parsed.address


@dataclass(frozen=True, slots=True)
class _Claim:
    """A value an entry claims (a VLAN id, a host name, a MAC...) that no other entry may
    claim. Recorded whether or not the rest of the entry is valid, so a duplicate is reported
    together with the entry's other errors rather than after they are fixed."""

    kind: str
    key: object
    label: str
    rule: Rule
    what: str


class _Reader:
    """Collects findings while turning TOML tables into values."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.claims: list[_Claim] = []
        self.subnets: list[tuple[IPv4Network, str]] = []  # every VLAN's IPv4 subnet that parsed
        self.broken_vlans: dict[int, str] = {}  # VLAN id -> label of an entry with errors
        self.ipv6_only: list[str] = []  # labels of the VLANs with ipv6_only_preferred

    def claim(self, kind: str, key: object, label: str, rule: Rule, what: str) -> None:
        if key is not None:
            self.claims.append(_Claim(kind, key, label, rule, what))

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def errors_since(self, count: int) -> bool:
        """Whether an error was found after the first ``count`` findings."""
        return any(f.severity is Severity.ERROR for f in self.findings[count:])

    def unknown_keys(self, table: dict[str, Any], kind: str, subject: str) -> None:
        allowed = KEYS[kind]
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.add(
                    rules.UNKNOWN_KEY(
                        subject,
                        f"unknown key {key!r}{hint}",
                        fix=f"known keys: {', '.join(allowed)}",
                    )
                )

    def value(
        self,
        table: dict[str, Any],
        key: str,
        subject: str,
        convert: Callable[[Any], T],
        *,
        required: bool = False,
        expect: type | tuple[type, ...] = str,
    ) -> T | None:
        """``convert(table[key])``, or None with a finding when missing, mistyped or invalid."""
        if key not in table:
            if required:
                self.add(rules.MISSING_KEY(subject, f"missing required key {key!r}"))
            return None
        raw = table[key]
        if not isinstance(raw, expect) or (isinstance(raw, bool) and expect is not bool):
            names = " or ".join(
                t.__name__ for t in (expect if isinstance(expect, tuple) else (expect,))
            )
            self.add(rules.TYPE(subject, f"{key} must be {names}, got {raw!r}"))
            return None
        try:
            return convert(raw)
        except (DualstackError, ValueError) as exc:
            self.add(rules.INVALID_VALUE(subject, f"{key}: {exc}"))
            return None


def _choice(options: tuple[C, ...]) -> Callable[[str], C]:
    """A converter to one of ``options`` (typed as they are: Literal modes stay Literal)."""

    def check(text: str) -> C:
        if text not in options:
            close = [text.lower()] if text.lower() in options else []
            close = close or difflib.get_close_matches(text, options, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise InputError(f"{text!r} is not one of {', '.join(options)}{hint}")
        return options[options.index(text)]  # the option itself, typed as the options are

    return check


def _name(text: str) -> str:
    """A DNS name, lowercased; an internationalised name becomes its punycode (IDNA) form."""
    ascii_name = text
    if not text.isascii():
        try:
            ascii_name = text.encode("idna").decode("ascii")
        except UnicodeError:
            raise InputError(f"{quote(text)} is not a valid internationalised name") from None
    if not is_hostname(ascii_name):
        raise InputError(f"{quote(text)} is not a valid DNS name (RFC 1123 labels)")
    return ascii_name.lower()


def _fqdn(text: str) -> str:
    return _name(text.rstrip(".")) + "."


def _vlan_id(value: int) -> int:
    if not 1 <= value <= 4094:
        raise InputError(f"VLAN id {value} is outside 1..4094 (IEEE 802.1Q)")
    return value


def _ifname(text: str) -> str:
    if not _IFNAME.fullmatch(text):
        raise InputError(f"{quote(text)} is not an interface name (1-15 of A-Z a-z 0-9 _ . -)")
    return text


def _duid(text: str) -> str:
    if not DUID_TEXT.fullmatch(text):
        raise InputError(f"{quote(text)} is not a DUID (hex octets separated by ':')")
    return text.lower()


def _router_lifetime(value: int) -> int:
    if value != 0 and not RA_MAX_INTERVAL <= value <= 9000:
        raise InputError(
            f"{value} s is neither 0 (not a default router) nor within {RA_MAX_INTERVAL}..9000 "
            f"(RFC 4861 6.2.1: at least the RA interval, {RA_MAX_INTERVAL} s in the kit)"
        )
    return value


def _mtu(value: int) -> int:
    if not 1280 <= value <= 65535:
        raise InputError(f"MTU {value} is outside 1280..65535 (IPv6 needs at least 1280)")
    return value


def _lifetime(value: int) -> int:
    if not 0 <= value <= 0xFFFFFFFF:
        raise InputError(f"{value} s is outside 0..4294967295 (4294967295 is infinity)")
    return value


def _iaid(value: int) -> int:
    if not 0 <= value <= 0xFFFFFFFF:
        raise InputError(f"IAID {value} is outside 0..4294967295 (a 32-bit number, RFC 8415)")
    return value


def _ttl(value: int) -> int:
    if not 0 <= value <= 2**31 - 1:
        raise InputError(f"TTL {value} is outside 0..2147483647 (RFC 2181)")
    return value


def _strings(convert: Callable[[str], str]) -> Callable[[list[Any]], tuple[str, ...]]:
    def check(items: list[Any]) -> tuple[str, ...]:
        if not all(isinstance(i, str) for i in items):
            raise InputError("expected a list of strings")
        return tuple(convert(i) for i in items)

    return check


def _read_site_table(r: _Reader, doc: dict[str, Any]) -> SiteInfo | None:
    table = doc.get("site")
    if not isinstance(table, dict):
        r.add(rules.MISSING_KEY("[site]", "missing [site] table"))
        return None
    r.unknown_keys(table, "site", "[site]")
    name = r.value(table, "name", "[site]", str, required=True)
    domain = r.value(table, "domain", "[site]", _name, required=True)
    prefix = r.value(table, "ipv6_prefix", "[site]", _ipv6_network, required=True)
    scheme = r.value(table, "subnet_scheme", "[site]", _choice(SCHEMES)) or "vlan"
    ula = r.value(table, "ula_prefix", "[site]", _ipv6_network)
    secret = r.value(table, "stable_secret", "[site]", _ipv6_plain)
    if prefix is not None and prefix.prefixlen > 64:
        r.add(
            rules.PREFIX_TOO_SMALL(
                "[site]",
                f"ipv6_prefix {prefix.with_prefixlen} is longer than /64: "
                "no room for one /64 per VLAN",
                fix="ask the ISP or RIR for a /48 or /56",
            )
        )
        prefix = None
    if ula is not None and not (ula.subnet_of(IPv6Network("fc00::/7")) and ula.prefixlen <= 64):
        r.add(
            rules.INVALID_VALUE(
                "[site]",
                f"ula_prefix {ula.with_prefixlen} is not a ULA prefix of /64 or shorter "
                "inside fc00::/7 (RFC 4193)",
                fix="generate one with `dualstack calc ula`",
            )
        )
        ula = None
    if name is None or domain is None or prefix is None:
        return None
    return SiteInfo(name, domain, prefix, scheme, ula, secret)


def _read_dns(r: _Reader, doc: dict[str, Any]) -> DnsInfo:
    table = doc.get("dns", {})
    if not isinstance(table, dict):
        r.add(rules.TYPE("[dns]", "[dns] must be a table"))
        return DnsInfo()
    r.unknown_keys(table, "dns", "[dns]")
    return DnsInfo(
        ttl=r.value(table, "ttl", "[dns]", _ttl, expect=int) or 3600,
        primary=r.value(table, "primary", "[dns]", _fqdn),
        contact=r.value(table, "contact", "[dns]", _fqdn),
        nameservers=r.value(table, "nameservers", "[dns]", _strings(_fqdn), expect=list) or (),
        reverse_zones=r.value(table, "reverse_zones", "[dns]", _choice(REVERSE_LAYOUTS)) or "site",
        ddns=r.value(table, "ddns", "[dns]", bool, expect=bool) is not False,
        reverse_parent=r.value(table, "reverse_parent", "[dns]", _choice(REVERSE_PARENTS))
        or "site",
        windows_zones=r.value(table, "windows_zones", "[dns]", _choice(WINDOWS_ZONES)) or "ad",
    )


MIN_V6ONLY_WAIT = 300  # RFC 8925 section 3.4


def _read_nat64(r: _Reader, doc: dict[str, Any]) -> Nat64Info | None:
    """The ``[nat64]`` table (None when absent)."""
    if "nat64" not in doc:
        return None
    table = doc["nat64"]
    if not isinstance(table, dict):
        r.add(rules.TYPE("[nat64]", "[nat64] must be a table"))
        return None
    r.unknown_keys(table, "nat64", "[nat64]")
    prefix = r.value(table, "prefix", "[nat64]", _ipv6_network, required=True)
    pref64 = r.value(table, "radvd_pref64", "[nat64]", bool, expect=bool) is True
    if prefix is None:
        return None
    problem = nat64_prefix_problem(prefix)
    if problem is not None:
        r.add(
            rules.NAT64_PREFIX(
                "[nat64]",
                problem,
                fix="use 64:ff9b::/96 or a /32-/96 prefix of your own with bits 64-71 zero",
            )
        )
        return None
    return Nat64Info(prefix, pref64)


def nat64_prefix_problem(prefix: IPv6Network) -> str | None:
    """Why ``prefix`` cannot be a NAT64 prefix (RFC 6052 section 2.2), or None: the lengths
    are 32, 40, 48, 56, 64 and 96, and bits 64-71 (the "u" octet) of every address are zero,
    so a /96 must have them zero in the prefix itself."""
    if prefix.prefixlen not in NAT64_LENGTHS:
        return f"prefix {prefix} must be /32, /40, /48, /56, /64 or /96 (RFC 6052 section 2.2)"
    if (int(prefix.network_address) >> 56) & 0xFF:
        return f"prefix {prefix}: bits 64-71 must be zero (RFC 6052 section 2.2)"
    return None


TUNNEL_CHOICES = ("leave", "disable")


def _read_windows(r: _Reader, doc: dict[str, Any]) -> WindowsInfo:
    """The ``[windows]`` table."""
    table = doc.get("windows", {})
    if not isinstance(table, dict):
        r.add(rules.TYPE("[windows]", "[windows] must be a table"))
        return WindowsInfo()
    r.unknown_keys(table, "windows", "[windows]")
    tunnels = r.value(table, "transition_tunnels", "[windows]", _choice(TUNNEL_CHOICES))
    return WindowsInfo(tunnels or "leave")


def _read_dhcp_service(r: _Reader, doc: dict[str, Any]) -> DhcpInfo:
    """The ``[dhcp]`` table: where the DHCPv6 service runs."""
    table = doc.get("dhcp", {})
    if not isinstance(table, dict):
        r.add(rules.TYPE("[dhcp]", "[dhcp] must be a table"))
        return DhcpInfo()
    r.unknown_keys(table, "dhcp", "[dhcp]")
    server = r.value(table, "server", "[dhcp]", _ipv6_plain)
    interface = r.value(table, "server_interface", "[dhcp]", _ifname)
    if server is not None and interface is None and "server_interface" not in table:
        r.add(
            rules.MISSING_KEY(
                "[dhcp]",
                "server given without server_interface: Kea on that server must listen on "
                "the server address, which it binds per interface",
                fix='add server_interface = "eth0" (the server\'s interface holding it)',
            )
        )
    if interface is not None and server is None and "server" not in table:
        r.add(rules.MISSING_KEY("[dhcp]", "server_interface given without server"))
    if server is not None and (
        server.is_link_local or server.is_multicast or server.is_loopback or server.is_unspecified
    ):
        r.add(
            rules.INVALID_VALUE(
                "[dhcp]",
                f"server {server} is not a global or ULA unicast address: relays forward to "
                "it across routers",
            )
        )
        server = None
    return DhcpInfo(server, interface)


def _entries(r: _Reader, doc: dict[str, Any], kind: str) -> list[tuple[int, dict[str, Any]]]:
    tables = doc.get(kind, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        r.add(rules.TYPE(f"[[{kind}]]", f"{kind} entries must be written as [[{kind}]] tables"))
        return []
    return list(enumerate(tables))


def _read_vlan(r: _Reader, index: int, table: dict[str, Any]) -> Vlan | None:
    raw_name = table.get("name")
    subject = f"vlan[{index}]" + (f" ({raw_name})" if isinstance(raw_name, str) else "")
    r.unknown_keys(table, "vlan", subject)
    before = len(r.findings)
    vid = r.value(table, "id", subject, _vlan_id, required=True, expect=int)
    name = r.value(table, "name", subject, _ifname, required=True)
    ipv4 = r.value(table, "ipv4", subject, _ipv4_network, required=True)
    mode = r.value(table, "ipv6", subject, _choice(VLAN_MODES), required=True)
    gateway = r.value(table, "gateway", subject, parse_ipv4)
    subnet = r.value(table, "ipv6_subnet", subject, _ipv6_network)
    interface = r.value(table, "interface", subject, _ifname)
    r.claim("vlan-id", vid, subject, rules.VLAN_DUPLICATE_ID, "VLAN id")
    r.claim("vlan-name", name, subject, rules.VLAN_DUPLICATE_NAME, "VLAN name")
    if ipv4 is not None:
        r.subnets.append((ipv4, subject))
    gateway6 = r.value(table, "gateway6", subject, _ipv6_plain)  # the planner checks its /64
    reverse_parent = r.value(table, "reverse_parent", subject, _choice(REVERSE_PARENTS))
    if reverse_parent is not None and ipv4 is not None and not 24 < ipv4.prefixlen < 32:
        r.add(
            rules.VLAN_REVERSE_PARENT(
                subject,
                f"reverse_parent is for subnets of /25 to /31, which live inside a /24 "
                f"reverse zone (RFC 2317); {ipv4} "
                + ("is a whole zone of its own" if ipv4.prefixlen <= 24 else "is one address"),
                fix="drop reverse_parent from this VLAN",
            )
        )
    if (
        ipv4 is not None
        and gateway is not None
        and (
            gateway not in ipv4
            or (ipv4.prefixlen < 31 and gateway in (ipv4.network_address, ipv4.broadcast_address))
        )
    ):
        r.add(
            rules.VLAN_GATEWAY_OUTSIDE(
                subject, f"gateway {gateway} is not a usable address in {ipv4}"
            )
        )
    if subnet is not None and subnet.prefixlen != 64:
        r.add(rules.VLAN_SUBNET_SIZE(subject, f"ipv6_subnet {subnet.with_prefixlen} must be a /64"))
    ula = r.value(table, "ula", subject, bool, expect=bool) is not False
    ra = _read_ra(r, table, subject, routed=gateway is not None or gateway6 is not None)
    dhcp = _read_dhcp(r, table, subject, mode)
    only = r.value(table, "ipv6_only_preferred", subject, bool, expect=bool) is True
    wait = r.value(table, "v6only_wait", subject, int, expect=int)
    if wait is not None and wait < MIN_V6ONLY_WAIT:
        r.add(
            rules.NAT64_V6ONLY_WAIT(
                subject,
                f"v6only_wait {wait} is below RFC 8925's minimum of {MIN_V6ONLY_WAIT} seconds "
                "(clients would use the minimum anyway)",
                fix=f"v6only_wait = {MIN_V6ONLY_WAIT} or more (1800 is the RFC's default)",
            )
        )
    if only:
        why = _ipv6_only_problem(mode, gateway is not None or gateway6 is not None, ra.rdnss)
        if why is not None:
            r.add(
                rules.NAT64_OPTION108_NO_IPV6(
                    subject,
                    f"ipv6_only_preferred asks clients to give up IPv4 (DHCPv4 option 108), "
                    f"but {why}: they would be left without a working network",
                    fix="give the VLAN a router and a SLAAC or DHCPv6 mode with RDNSS, or drop "
                    "ipv6_only_preferred",
                )
            )
        r.ipv6_only.append(subject)
    if r.errors_since(before) or vid is None or name is None or ipv4 is None or mode is None:
        if vid is not None:
            r.broken_vlans.setdefault(vid, subject)
        return None
    return Vlan(
        index,
        vid,
        name,
        ipv4,
        mode,
        gateway,
        subnet,
        interface,
        gateway6,
        ula,
        ra,
        dhcp,
        reverse_parent,
        only,
        wait if wait is not None else 1800,
    )


def _ipv6_only_problem(mode: str | None, routed: bool, rdnss: bool) -> str | None:
    """Why a VLAN's hosts would not get working IPv6 from router advertisements alone."""
    if mode in (None, "none", "static"):
        return f"its ipv6 mode is {mode!r}: hosts form no address from RAs"
    if not routed:
        return "it has no router (no gateway or gateway6): no IPv6 default route"
    if not rdnss:
        return "its RAs carry no DNS server ([vlan.ra] rdnss = false)"
    return None


def _subtable(
    r: _Reader, table: dict[str, Any], key: str, subject: str
) -> tuple[dict[str, Any], str]:
    """``[vlan.ra]``-style sub-table ``key`` of ``table`` ({} when absent), keys checked, and
    the subject its findings name (``vlan[1].ra (guest)``)."""
    index, _, rest = subject.partition(" ")
    where = f"{index}.{key}" + (f" {rest}" if rest else "")
    sub = table.get(key, {})
    if not isinstance(sub, dict):
        r.add(rules.TYPE(where, f"{key} must be a table ([vlan.{key}]), got {sub!r}"))
        return {}, where
    r.unknown_keys(sub, f"vlan.{key}", where)
    return sub, where


def _lifetimes(
    r: _Reader, table: dict[str, Any], subject: str
) -> tuple[int | None, int | None] | None:
    """(valid, preferred) lifetimes of a sub-table, given both or neither; None when wrong."""
    valid = r.value(table, "valid_lifetime", subject, _lifetime, expect=int)
    preferred = r.value(table, "preferred_lifetime", subject, _lifetime, expect=int)
    if ("valid_lifetime" in table) != ("preferred_lifetime" in table):
        r.add(
            rules.INVALID_VALUE(
                subject,
                "valid_lifetime and preferred_lifetime go together: give both",
                fix="the preferred lifetime is at most the valid one, e.g. 14400 and 86400",
            )
        )
        return None
    if valid is not None and preferred is not None and preferred > valid:
        r.add(
            rules.INVALID_VALUE(
                subject,
                f"preferred_lifetime {preferred} is longer than valid_lifetime {valid} "
                "(an address cannot stay preferred after it is invalid)",
            )
        )
        return None
    return valid, preferred


def _read_ra(r: _Reader, table: dict[str, Any], subject: str, routed: bool) -> RaSettings:
    """The VLAN's ``[vlan.ra]`` table; ``routed`` is whether it has a router at all."""
    ra, where = _subtable(r, table, "ra", subject)
    lifetime = r.value(ra, "router_lifetime", where, _router_lifetime, expect=int)
    if lifetime and not routed:
        r.add(
            rules.VLAN_RA_NO_ROUTER(
                where,
                f"router_lifetime {lifetime} on a VLAN without a router (no gateway, no "
                "gateway6): hosts would send off-link traffic to a router that is not there",
                fix="remove router_lifetime, or give the VLAN its gateway6",
            )
        )
    lifetimes = _lifetimes(r, ra, where) or (None, None)
    return RaSettings(
        router_lifetime=lifetime,
        preference=r.value(ra, "preference", where, _choice(ROUTER_PREFERENCES)) or "medium",
        mtu=r.value(ra, "mtu", where, _mtu, expect=int),
        valid_lifetime=lifetimes[0],
        preferred_lifetime=lifetimes[1],
        rdnss=r.value(ra, "rdnss", where, bool, expect=bool) is not False,
    )


def _read_dhcp(r: _Reader, table: dict[str, Any], subject: str, mode: str | None) -> DhcpSettings:
    """The VLAN's ``[vlan.dhcp]`` table: lease times, which only a ``dhcpv6`` VLAN leases."""
    dhcp, where = _subtable(r, table, "dhcp", subject)
    if dhcp and mode is not None and mode != "dhcpv6":
        r.add(
            rules.VLAN_SETTING_UNUSED(
                where,
                f'lease times on a VLAN with ipv6 = "{mode}": it leases no addresses, '
                "so they change nothing",
            )
        )
    valid, preferred = _lifetimes(r, dhcp, where) or (None, None)
    return DhcpSettings(valid_lifetime=valid, preferred_lifetime=preferred)


def _default_mode(vlan: Vlan | None, has_mac: bool, has_address: bool) -> HostMode:
    """The host mode when the file gives none: what the VLAN's addressing implies."""
    if has_address:
        return "static"
    if vlan is None:
        return "none"
    return {
        "static": "static",
        "dhcpv6": "dhcpv6",
        "slaac": "eui64" if has_mac else "none",
        "slaac+dhcpv6": "eui64" if has_mac else "none",
        "none": "none",
    }[vlan.ipv6]


def _in_domain(name: str, domain: str | None) -> bool:
    """True when ``name`` already ends with the site domain (``h2.corp.example`` in
    ``corp.example``): host names are relative to the domain, so it would be doubled."""
    return domain is not None and (name == domain or name.endswith("." + domain))


def _label(kind: str, index: int, table: dict[str, Any], parent: str = "") -> str:
    """How findings name an entry: ``host[2] (hv01)``, ``host[2].interface[1] (hv01/LM)``."""
    raw = table.get("name")
    return f"{kind}[{index}]" + (f" ({parent}{raw})" if isinstance(raw, str) else "")


def _read_host(
    r: _Reader,
    index: int,
    table: dict[str, Any],
    vlans: dict[int, Vlan],
    info: SiteInfo | None,
) -> Host | None:
    """One ``[[host]]``: the device (name, os, aliases) and its NICs, written either as
    ``[[host.interface]]`` tables or, for one NIC, as keys of the host table itself."""
    subject = _label("host", index, table)
    r.unknown_keys(table, "host", subject)
    before = len(r.findings)
    name = r.value(table, "name", subject, _name, required=True)
    os_name = r.value(table, "os", subject, _choice(OSES)) or "other"
    aliases = r.value(table, "aliases", subject, _strings(_name), expect=list) or ()
    domain = info.domain.rstrip(".") if info else None
    for claimed in (name, *aliases):
        r.claim("name", claimed, subject, rules.HOST_DUPLICATE_NAME, "name")
        if claimed is not None and _in_domain(claimed, domain):
            label = claimed[: -len(domain) - 1] if domain and claimed != domain else claimed
            r.add(
                rules.HOST_NAME_IN_DOMAIN(
                    subject,
                    f"{claimed!r} already ends with the site domain {domain}: names are "
                    f"relative to it, so it would be published as {claimed}.{domain}.",
                    fix=f"write {label!r}",
                )
            )
    tables = table.get("interface")
    if tables is None:
        nics = [(subject, 0, {k: v for k, v in table.items() if k in NIC_KEYS})]
    elif not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables) or not tables:
        r.add(rules.TYPE(subject, "interfaces must be written as [[host.interface]] tables"))
        nics = []
    else:
        if shorthand := [k for k in NIC_KEYS if k in table]:
            r.add(
                rules.HOST_CONFLICT(
                    subject,
                    f"{', '.join(shorthand)} on the host beside [[host.interface]] tables",
                    fix="move these keys into the interface they belong to",
                )
            )
        parent = f"{name}/" if name else ""
        nics = [
            (_label(f"host[{index}].interface", j, t, parent), j, t) for j, t in enumerate(tables)
        ]
        for label, _, t in nics:
            r.unknown_keys(t, "interface", label)
    interfaces = [
        nic
        for label, j, t in nics
        if (nic := _read_interface(r, label, j, t, vlans, info, os_name)) is not None
    ]
    if os_name == "linux" and len(nics) > 1:
        for nic in interfaces:
            if nic.name is None:
                r.add(
                    rules.HOST_INTERFACE_NEEDS_NAME(
                        nic.label,
                        "a Linux host with several NICs needs each one's name: the kit's "
                        "files (sysctl keys, .network matches) are written per device",
                        fix='add name = "<the device as `ip link` shows it>"',
                    )
                )
    errors = any(f.severity is Severity.ERROR for f in r.findings[before:])
    if errors or name is None or len(interfaces) != len(nics) or not nics:
        return None
    return Host(index, name, tuple(interfaces), os_name, aliases)


def _read_interface(
    r: _Reader,
    subject: str,
    index: int,
    table: dict[str, Any],
    vlans: dict[int, Vlan],
    info: SiteInfo | None,
    os_name: Os,
) -> Interface | None:
    """One NIC: its VLAN, addresses and how it gets IPv6, checked against its VLAN and the
    host's operating system."""
    before = len(r.findings)
    nic_name = r.value(table, "name", subject, _ifname)
    role = r.value(table, "role", subject, _choice(ROLES)) or "management"
    in_dns = r.value(table, "dns", subject, bool, expect=bool)
    vid = r.value(table, "vlan", subject, int, required=True, expect=int)
    ipv4 = r.value(table, "ipv4", subject, parse_ipv4)
    mac = r.value(table, "mac", subject, Mac.parse)
    mode = r.value(table, "ipv6", subject, _choice(HOST_MODES))
    address = r.value(table, "ipv6_address", subject, _ipv6_plain)
    secret = r.value(table, "stable_secret", subject, _ipv6_plain)
    duid = r.value(table, "duid", subject, _duid)
    iaid = r.value(table, "iaid", subject, _iaid, expect=int)
    default_secret = info.stable_secret if info else None
    r.claim("ipv4", ipv4, subject, rules.HOST_DUPLICATE_ADDRESS, "ipv4")
    r.claim("mac", mac, subject, rules.HOST_DUPLICATE_MAC, "mac")
    r.claim("ipv6", address, subject, rules.HOST_DUPLICATE_ADDRESS, "ipv6_address")
    r.claim("duid", duid, subject, rules.HOST_DUPLICATE_DUID, "duid")
    if mac is not None and (mac.is_multicast or mac.value == 0):
        kind = "the broadcast" if mac.value == (1 << 48) - 1 else "a group (multicast)"
        kind = "the all-zero" if mac.value == 0 else kind
        r.add(
            rules.HOST_MAC_NOT_UNICAST(
                subject,
                f"mac {mac} is {kind} address: no network card has it, and nothing "
                "derived from it (EUI-64, DHCPv6 reservations) would ever match",
                fix="copy the adapter's own MAC (Get-NetAdapter, ip link)",
            )
        )
    vlan = vlans.get(vid) if vid is not None else None
    if vid is not None and vlan is None:
        broken = r.broken_vlans.get(vid)
        r.add(
            rules.HOST_UNKNOWN_VLAN(
                subject,
                f"vlan {vid} is {broken}, which has errors: the host is checked against it "
                "once they are fixed"
                if broken
                else f"vlan {vid} is not defined by any [[vlan]] entry",
            )
        )
    given_mode = mode
    mode = mode or _default_mode(vlan, mac is not None, address is not None)
    if (
        given_mode is None
        and mode == "none"
        and vlan is not None
        and vlan.ipv6 in ("slaac", "slaac+dhcpv6")
    ):
        r.add(
            rules.HOST_UNPREDICTABLE(
                subject,
                f"{vlan.label} autoconfigures addresses ({vlan.ipv6}) but the host has no mac: "
                "its address cannot be predicted, so the plan publishes none",
                fix='add the mac, or write ipv6 = "none" to say the host has no planned IPv6',
            )
        )
    if vlan is not None and ipv4 is not None:
        net = vlan.ipv4
        if ipv4 not in net:
            r.add(
                rules.HOST_OUTSIDE_VLAN(
                    subject, f"ipv4 {ipv4} is outside {vlan.label}'s subnet {net}"
                )
            )
        elif net.prefixlen < 31 and ipv4 in (net.network_address, net.broadcast_address):
            r.add(
                rules.HOST_OUTSIDE_VLAN(
                    subject, f"ipv4 {ipv4} is the network or broadcast address of {net}"
                )
            )
    if vlan is not None and vlan.ipv6 == "none" and (mode != "none" or address is not None):
        r.add(
            rules.HOST_IPV6_ON_IPV4_ONLY_VLAN(
                subject,
                f'{vlan.label} has ipv6 = "none" but the host asks for IPv6 ({mode})',
                fix='set ipv6 = "none" on the host or enable IPv6 on the VLAN',
            )
        )
    if mode in ("eui64", "stable") and mac is None:
        r.add(rules.HOST_NEEDS_MAC(subject, f"ipv6 = {mode!r} needs the host's mac"))
    if mode == "dhcpv6" and mac is None and duid is None:
        r.add(
            rules.HOST_NEEDS_MAC(
                subject,
                'ipv6 = "dhcpv6" needs the NIC\'s mac or duid: the DHCPv6 server matches the '
                "reservation by one of them, or the client leases from the pool and the "
                "planned address never exists",
                fix="add the adapter's mac (or its DUID, from `ipconfig /all` on Windows)",
            )
        )
    if mode in ("eui64", "stable") and address is not None:
        r.add(
            rules.HOST_CONFLICT(
                subject,
                f"ipv6_address conflicts with ipv6 = {mode!r} (the address is derived)",
                fix='drop ipv6_address, or set ipv6 = "static"',
            )
        )
    if mode == "stable" and secret is None and default_secret is None:
        r.add(
            rules.HOST_NEEDS_SECRET(
                subject, 'ipv6 = "stable" needs stable_secret (on the host or in [site])'
            )
        )
    if mode in ("static", "dhcpv6") and ipv4 is None and address is None:
        r.add(
            rules.HOST_NEEDS_IPV4(
                subject, f"ipv6 = {mode!r} derives the address from ipv4; give ipv4 or ipv6_address"
            )
        )
    if mode == "none" and address is not None:
        r.add(rules.HOST_CONFLICT(subject, 'ipv6_address given but ipv6 = "none"'))
    if vlan is not None and mode == "dhcpv6" and vlan.ipv6 == "slaac+dhcpv6":
        r.add(
            rules.HOST_DHCPV6_WITHOUT_M_FLAG(
                subject,
                f"{vlan.label} sends RAs with only the O flag (stateless DHCPv6); "
                "a client asks for this reservation only if told to use stateful DHCPv6",
                fix=f'set ipv6 = "dhcpv6" on {vlan.label}, or configure the client explicitly',
            )
        )
    if mode == "dhcpv6" and iaid is None and (duid is not None or mac is not None):
        r.add(
            rules.HOST_NO_IAID(
                subject,
                "no iaid: Windows DHCP matches a reservation by DUID and IAID, so "
                "windows/dhcp.ps1 leaves this one out (Kea matches without it)",
                fix="copy it from `ipconfig /all` on the client (DHCPv6 IAID) or from "
                "Get-DhcpServerv6Lease on the server",
            )
        )
    if mode == "stable" and os_name == "windows":
        r.add(
            rules.HOST_STABLE_ON_WINDOWS(
                subject,
                'ipv6 = "stable" on a Windows host: Windows does not form RFC 7217 addresses, '
                "so the planned address would never exist",
                fix='use "eui64" (the kit turns RandomizeIdentifiers off), "static" or "dhcpv6"',
            )
        )
    if mode == "slaac":
        r.add(
            rules.HOST_UNPREDICTABLE(
                subject,
                'the OS picks this interface\'s IPv6 address itself (ipv6 = "slaac"), so the '
                "plan cannot know it and publishes no AAAA or PTR; the host registers itself "
                "through dynamic DNS if it does at all",
                severity=Severity.INFO,
            )
        )
    if any(f.severity is Severity.ERROR for f in r.findings[before:]) or vid is None:
        return None
    return Interface(
        index,
        subject,
        vid,
        mode,
        nic_name,
        role,
        in_dns if in_dns is not None else role == "management",
        ipv4,
        mac,
        address,
        secret or default_secret,
        duid,
        iaid,
    )


def _cross_checks(r: _Reader) -> None:
    """Problems between entries, over every value that parsed (entries with other errors
    included): duplicates and overlapping subnets."""
    first: dict[tuple[str, object], str] = {}
    for c in r.claims:
        owner = first.setdefault((c.kind, c.key), c.label)
        if owner != c.label:
            r.add(c.rule(c.label, f"duplicate {c.what} {c.key} (also {owner})"))
    ordered = sorted(r.subnets, key=lambda s: (int(s[0].network_address), s[0].prefixlen))
    for (net_a, label_a), (net_b, label_b) in pairwise(ordered):
        if net_b.network_address <= net_a.broadcast_address:
            r.add(rules.VLAN_OVERLAP(label_b, f"ipv4 {net_b} overlaps {label_a}'s {net_a}"))


def _reverse_parent_checks(r: _Reader, dns: DnsInfo, vlans: list[Vlan]) -> None:
    """VLANs longer than /24 that share a /24 must agree on who holds its reverse zone: the
    site serving the /24 and someone else delegating a block of it cannot both be true."""
    by_parent: dict[IPv4Network, list[Vlan]] = {}
    for v in vlans:
        if 24 < v.ipv4.prefixlen < 32:
            by_parent.setdefault(v.ipv4.supernet(new_prefix=24), []).append(v)
    for parent, members in by_parent.items():
        first = members[0]
        for v in members[1:]:
            mine = v.reverse_parent or dns.reverse_parent
            theirs = first.reverse_parent or dns.reverse_parent
            if mine != theirs:
                r.add(
                    rules.VLAN_REVERSE_PARENT_CONFLICT(
                        v.label,
                        f"reverse_parent is {mine!r} but {first.label} in the same {parent} "
                        f"says {theirs!r}: the /24 reverse zone is either the site's or "
                        "someone else's",
                        fix=f"give every VLAN in {parent} the same reverse_parent",
                    )
                )


def _nameserver_checks(r: _Reader, info: SiteInfo | None, dns: DnsInfo, hosts: list[Host]) -> None:
    """Zones need NS records, and an in-zone name server needs an address (glue)."""
    if info is None:
        return
    servers = dns.nameservers or ((dns.primary,) if dns.primary else ())
    if not servers:
        r.add(
            rules.NO_NAMESERVERS(
                "[dns]",
                "no nameservers (and no primary): every zone needs NS records",
                fix='add nameservers = ["ns1.<domain>."] to [dns]',
            )
        )
    domain = info.domain.rstrip(".") + "."
    names = {
        n
        for h in hosts
        if any(
            i.dns and (i.ipv4 is not None or i.ipv6 not in ("none", "slaac")) for i in h.interfaces
        )
        for n in (h.name, *h.aliases)
    }
    for server in servers:
        label = server.removesuffix("." + domain)
        if label != server and label not in names:
            r.add(
                rules.NAMESERVER_WITHOUT_ADDRESS(
                    "[dns]",
                    f"name server {server} is inside {domain} but no host or alias "
                    f"{label!r} gives it an address",
                    fix=f"add a [[host]] named {label!r} (or an alias)",
                )
            )


def _nat64_checks(
    r: _Reader,
    doc: dict[str, Any],
    nat64: Nat64Info | None,
    hosts: list[Host],
    info: SiteInfo | None,
    dns: DnsInfo,
) -> None:
    """IPv6-mostly VLANs need the NAT64 prefix; under the well-known prefix the site's own
    IPv4-only hosts are out of their reach (RFC 6052 section 3.1: no non-global IPv4 under
    it, and the kit's DNS64 does not synthesise it)."""
    if not r.ipv6_only:
        return
    _name_servers_over_ipv6(r, hosts, info, dns)
    if nat64 is None:
        if "nat64" not in doc:
            r.add(
                rules.NAT64_MISSING(
                    r.ipv6_only[0],
                    "ipv6_only_preferred needs the NAT64 prefix the site's gateway translates: "
                    "IPv6-only clients reach the IPv4 internet only through it",
                    fix='add [nat64] prefix = "64:ff9b::/96" (or your network-specific prefix)',
                )
            )
        return
    if nat64.prefix != NAT64_WELL_KNOWN:
        return
    stranded = [
        h.name
        for h in hosts
        for nic in h.interfaces
        if nic.ipv6 == "none" and nic.ipv4 is not None and not nic.ipv4.is_global
    ]
    if stranded:
        r.add(
            rules.NAT64_WKP_PRIVATE(
                "[nat64]",
                f"IPv6-only clients cannot reach {', '.join(sorted(set(stranded)))}: IPv4-only "
                f"hosts in private space, which {NAT64_WELL_KNOWN} must not carry (RFC 6052 "
                "section 3.1)",
                fix="give them IPv6, or use a network-specific NAT64 prefix",
            )
        )


def _name_servers_over_ipv6(
    r: _Reader, hosts: list[Host], info: SiteInfo | None, dns: DnsInfo
) -> None:
    """Clients that give up IPv4 need a name server they reach over IPv6: the site's own name
    servers (hosts of the plan) must have an IPv6 address the plan publishes."""
    if info is None:
        return
    domain = "." + info.domain.rstrip(".") + "."
    labels = {s.removesuffix(domain) for s in dns.nameservers if s.endswith(domain)}
    servers = [h for h in hosts if labels & {h.name, *h.aliases}]
    if servers and not any(
        i.dns and i.ipv6 not in ("none", "slaac") for h in servers for i in h.interfaces
    ):
        r.add(
            rules.NAT64_OPTION108_NO_IPV6(
                r.ipv6_only[0],
                f"ipv6_only_preferred clients reach DNS over IPv6 only, and no name server of "
                f"the site ({', '.join(sorted(h.name for h in servers))}) has an IPv6 address "
                "the plan publishes",
                fix="give the name servers a static, eui64, stable or dhcpv6 IPv6 address",
            )
        )


def read_site(text: str, source: str) -> Checked:
    """Validate the text of a site file; ``source`` names it in messages."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: not valid TOML: {exc}") from None
    r = _Reader()
    r.unknown_keys(doc, "", "top level")
    info = _read_site_table(r, doc)
    dns = _read_dns(r, doc)
    dhcp = _read_dhcp_service(r, doc)
    windows = _read_windows(r, doc)
    nat64 = _read_nat64(r, doc)
    vlans = [v for i, t in _entries(r, doc, "vlan") if (v := _read_vlan(r, i, t)) is not None]
    by_id: dict[int, Vlan] = {}
    for v in vlans:
        by_id.setdefault(v.id, v)  # a duplicate id is reported below; the first one wins
    hosts = [
        h
        for i, t in _entries(r, doc, "host")
        if (h := _read_host(r, i, t, by_id, info)) is not None
    ]
    _cross_checks(r)
    _reverse_parent_checks(r, dns, vlans)
    _nameserver_checks(r, info, dns, hosts)
    _nat64_checks(r, doc, nat64, hosts, info, dns)
    site = (
        Site(source, info, dns, tuple(vlans), tuple(hosts), dhcp, windows, nat64)
        if info is not None
        else None
    )
    lines = table_lines(text)
    return Checked(site, place(r.findings, lines), lines)


def load_site(path: str | Path) -> Checked:
    """Read and validate a site file; an unreadable file is an InputError (exit 2)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{p}: no such site file") from None
    except (OSError, ValueError) as exc:  # ValueError: undecodable text or a NUL in the path
        raise InputError(f"{p!s:.80}: cannot read site file: {exc}") from None
    return read_site(text, str(p))
