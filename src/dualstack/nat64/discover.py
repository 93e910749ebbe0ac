"""NAT64 prefix discovery as RFC 7050 does it: ask for the AAAA records of ``ipv4only.arpa``,
a name that has only the A records 192.0.0.170 and 192.0.0.171 (RFC 8880); a DNS64 resolver
synthesises AAAA records for it, and the prefix is what surrounds one of those addresses at
an RFC 6052 position.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, IPv6Network

from dualstack.addr.embedded import NAT64_LENGTHS, nat64_extract
from dualstack.errors import InputError

NAME = "ipv4only.arpa"
WELL_KNOWN_IPV4 = (IPv4Address("192.0.0.170"), IPv4Address("192.0.0.171"))


@dataclass(frozen=True, slots=True)
class Discovery:
    """What asking for ``ipv4only.arpa`` gave: the AAAA answers and the prefixes in them."""

    server: str | None  # None: the system's resolver
    answers: tuple[IPv6Address, ...]
    prefixes: tuple[IPv6Network, ...]


def prefixes_in(answers: Iterable[IPv6Address]) -> tuple[IPv6Network, ...]:
    """The NAT64 prefixes the synthesised ``answers`` carry: for each, the RFC 6052 position
    (longest prefix first) where a well-known IPv4 address of ``ipv4only.arpa`` sits; answers
    with none of them at any position are not synthesised and give nothing. In answer order,
    each prefix once."""
    found: list[IPv6Network] = []
    for answer in answers:
        for length in sorted(NAT64_LENGTHS, reverse=True):
            prefix = IPv6Network((int(answer) >> (128 - length) << (128 - length), length))
            if (int(prefix.network_address) >> 56) & 0xFF:
                continue  # bits 64-71 must be zero (RFC 6052 section 2.2)
            if nat64_extract(answer, prefix) in WELL_KNOWN_IPV4:
                if prefix not in found:
                    found.append(prefix)
                break
    return tuple(found)


def discover(server: str | None = None, port: int = 53, timeout: float = 5.0) -> Discovery:
    """Ask ``server`` (else the system's resolver) for the AAAA records of ipv4only.arpa."""
    answers = _ask(server, port, timeout) if server is not None else _ask_system()
    return Discovery(server, answers, prefixes_in(answers))


def _ask_system() -> tuple[IPv6Address, ...]:
    try:
        found = socket.getaddrinfo(NAME, None, socket.AF_INET6, socket.SOCK_STREAM)
    except socket.gaierror:
        return ()  # no AAAA: no DNS64 on the path
    out: list[IPv6Address] = []
    for *_, sockaddr in found:
        address = IPv6Address(str(sockaddr[0]).partition("%")[0])
        if address not in out:
            out.append(address)
    return tuple(out)


def _ask(server: str, port: int, timeout: float) -> tuple[IPv6Address, ...]:
    import dns.exception
    import dns.resolver

    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [server]
    resolver.port = port
    resolver.lifetime = timeout
    try:
        answer = resolver.resolve(NAME, "AAAA", search=False)
    except (dns.resolver.NoAnswer, dns.resolver.NXDOMAIN):
        return ()
    except (dns.exception.DNSException, ValueError) as exc:
        raise InputError(f"{server} port {port} did not answer for {NAME}: {exc}") from None
    return tuple(IPv6Address(r.address) for r in answer)
