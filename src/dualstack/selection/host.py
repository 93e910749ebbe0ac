"""A host's own addresses, as address selection needs them: read from ``--source`` arguments,
``ip -j addr`` JSON, ``ip addr`` text, or ``Get-NetIPAddress | ConvertTo-Json``.

Only what the rules read is kept: the address and its prefix length, the interface, and the
flags RFC 6724 names (deprecated, home, temporary) plus whether the interface is a tunnel
(rule 7, native transport). Addresses that cannot be a source (tentative, failed duplicate
address detection, Windows' SkipAsSource, invalid) are left out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from ipaddress import IPv4Address, IPv6Address
from typing import Any

from dualstack.addr.parse import parse_address
from dualstack.errors import InputError, quote

Address = IPv4Address | IPv6Address

# link types the kernel tunnels IPv6 (or IPv4) over IPv4/IPv6 with: glibc's rule 7 reads these
TUNNEL_LINKS = frozenset({"sit", "tunnel", "tunnel6", "ipip", "ip6tnl", "gre", "ip6gre"})
FLAGS = ("deprecated", "temporary", "home")


@dataclass(frozen=True, slots=True)
class HostAddress:
    """One address a host may send from."""

    address: Address
    prefixlen: int
    interface: str | None = None
    deprecated: bool = False
    temporary: bool = False
    home: bool = False
    tunnel: bool = False  # on a tunnel interface (sit, ISATAP, Teredo...): not native

    def __str__(self) -> str:
        flags = [name for name in (*FLAGS, "tunnel") if getattr(self, name)]
        return f"{self.address}/{self.prefixlen}" + "".join(f",{flag}" for flag in flags)


def parse_source(text: str) -> HostAddress:
    """``ADDRESS[/LENGTH][,FLAG...]``, FLAG one of deprecated, temporary, home, tunnel; without
    a length IPv6 is /64 and IPv4 /32 (no subnet assumed)."""
    head, *flags = [part.strip() for part in text.split(",")]
    parsed = parse_address(head)
    if parsed.port is not None or parsed.zone is not None:
        raise InputError(f"--source {quote(text)}: expected ADDRESS[/LENGTH][,FLAG...]")
    unknown = [flag for flag in flags if flag not in (*FLAGS, "tunnel")]
    if unknown:
        raise InputError(
            f"--source {quote(text)}: unknown flag {unknown[0]!r} "
            f"(known: {', '.join((*FLAGS, 'tunnel'))})"
        )
    length = parsed.prefixlen
    if length is None:
        length = 64 if parsed.version == 6 else 32
    return HostAddress(parsed.address, length, None, **dict.fromkeys(flags, True))


def read_host(text: str, name: str = "host file") -> tuple[HostAddress, ...]:
    """The addresses in ``ip -j addr`` JSON, ``Get-NetIPAddress | ConvertTo-Json`` JSON, or
    ``ip addr`` text (told apart by their first character and keys)."""
    body = text.lstrip("\ufeff").strip()
    if not body:
        raise InputError(f"{name}: empty; expected `ip -j addr`, `ip addr` or Get-NetIPAddress")
    if body[0] in "[{":
        try:
            data = json.loads(body)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}: not valid JSON: {exc}") from None
        items = data if isinstance(data, list) else [data]
        if all(isinstance(item, dict) and "addr_info" in item for item in items):
            found = _from_ip_json(items)
        elif all(isinstance(item, dict) and "IPAddress" in item for item in items):
            found = _from_windows(items, name)
        else:
            raise InputError(
                f"{name}: JSON that is neither `ip -j addr` (addr_info) nor Get-NetIPAddress "
                "(IPAddress) output"
            )
    else:
        found = _from_ip_text(body, name)
    if not found:
        raise InputError(f"{name}: no usable address in it")
    return found


def _from_ip_json(items: list[dict[str, Any]]) -> tuple[HostAddress, ...]:
    out = []
    for link in items:
        tunnel = link.get("link_type") in TUNNEL_LINKS
        for info in link.get("addr_info") or ():
            if info.get("family") not in ("inet", "inet6"):
                continue
            if info.get("tentative") or info.get("dadfailed"):
                continue
            address = parse_address(str(info["local"])).address
            out.append(
                HostAddress(
                    address,
                    int(info.get("prefixlen", 128 if address.version == 6 else 32)),
                    link.get("ifname"),
                    bool(info.get("deprecated")) or info.get("preferred_life_time") == 0,
                    bool(info.get("temporary")),
                    bool(info.get("home")),
                    tunnel,
                )
            )
    return tuple(out)


_LINK = re.compile(r"^\d+:\s+([^:@\s]+)(?:@\S+)?:\s")
_LINK_TYPE = re.compile(r"^\s+link/(\S+)")
_ADDR = re.compile(r"^\s+(inet6?)\s+(\S+?)(?:/(\d+))?\s(.*)$")
_LIFETIMES = re.compile(r"^\s+valid_lft\s")


def _from_ip_text(text: str, name: str) -> tuple[HostAddress, ...]:
    out: list[HostAddress] = []
    interface: str | None = None
    tunnel = False
    kept = False  # whether the last address line was kept (its lifetimes follow it)
    for number, line in enumerate(text.splitlines(), 1):
        if match := _LINK.match(line):
            interface, tunnel = match.group(1), False
        elif match := _LINK_TYPE.match(line):
            tunnel = match.group(1) in TUNNEL_LINKS
        elif match := _ADDR.match(line):
            family, local, length, rest = match.groups()
            words = rest.split()
            kept = "tentative" not in words and "dadfailed" not in words
            if not kept:
                continue
            try:
                address = parse_address(local).address
            except InputError as exc:
                raise InputError(f"{name}:{number}: {exc}") from None
            if (family == "inet6") != (address.version == 6):
                raise InputError(f"{name}:{number}: {family} line holds {quote(local)}")
            if "peer" in words:  # point-to-point: "inet A peer B/len"; A is the local end
                length = None
            prefixlen = int(length) if length else (128 if address.version == 6 else 32)
            flags = {flag: flag in words for flag in FLAGS}
            out.append(HostAddress(address, prefixlen, interface, tunnel=tunnel, **flags))
        elif _LIFETIMES.match(line):
            # "preferred_lft 0sec" is deprecated even where the flag word is not printed
            if kept and "preferred_lft 0sec" in line and not out[-1].deprecated:
                out[-1] = replace(out[-1], deprecated=True)
        elif line.strip() and not line.startswith((" ", "\t")):
            raise InputError(f"{name}:{number}: not `ip addr` output: {quote(line)}")
    return tuple(out)


# MSFT_NetIPAddress enums, as ConvertTo-Json writes them (numbers) or -EnumsAsStrings (names)
_STATES = {0: "Invalid", 1: "Tentative", 2: "Duplicate", 3: "Deprecated", 4: "Preferred"}
_SUFFIX_ORIGINS = {0: "Other", 1: "Manual", 2: "WellKnown", 3: "Dhcp", 4: "Link", 5: "Random"}


def _enum(value: Any, names: dict[int, str]) -> str:
    if isinstance(value, int):
        return names.get(value, str(value))
    return str(value)


def _from_windows(items: list[dict[str, Any]], name: str) -> tuple[HostAddress, ...]:
    out = []
    for number, item in enumerate(items, 1):
        state = _enum(item.get("AddressState", 4), _STATES)
        if state in ("Invalid", "Tentative", "Duplicate") or item.get("SkipAsSource") is True:
            continue
        text = str(item["IPAddress"])
        try:
            parsed = parse_address(text)
        except InputError as exc:
            raise InputError(f"{name}: entry {number}: {exc}") from None
        alias = item.get("InterfaceAlias")
        suffix = _enum(item.get("SuffixOrigin", 0), _SUFFIX_ORIGINS)
        out.append(
            HostAddress(
                parsed.address,
                int(item.get("PrefixLength", 64 if parsed.version == 6 else 32)),
                str(alias) if alias is not None else None,
                state == "Deprecated",
                suffix == "Random",  # RFC 4941 temporary ("Temporary IPv6 Address")
                False,
                _windows_tunnel(str(alias or "")),
            )
        )
    return tuple(out)


def _windows_tunnel(alias: str) -> bool:
    lowered = alias.lower()
    return any(word in lowered for word in ("isatap", "teredo", "6to4", "tunnel"))
