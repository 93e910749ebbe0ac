"""Destinations as the user gives them: addresses (``fe80::1%eth0`` keeps its zone) or names,
resolved through the system's resolver or one DNS server.

Order matters (rule 10 keeps it where no other rule decides): a name from a DNS server gives
its A records, then its AAAA records, as glibc asks for them; the system resolver has already
sorted what it returns (by the running host's own policy), so that order is the one kept.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable

from dualstack.addr.parse import parse_address
from dualstack.errors import AddressError, InputError, quote
from dualstack.selection.order import Target


def targets(
    texts: Iterable[str], server: str | None = None, port: int = 53, timeout: float = 5.0
) -> tuple[Target, ...]:
    """Every destination of ``texts``: an address as itself, a name as its addresses."""
    out: list[Target] = []
    for text in texts:
        literal = _literal(text)
        if literal is not None:
            out.append(literal)
        elif server is not None:
            out.extend(_from_server(text, server, port, timeout))
        else:
            out.extend(_from_system(text))
    return tuple(out)


def _literal(text: str) -> Target | None:
    try:
        parsed = parse_address(text)
    except AddressError:
        if _looks_like_address(text):
            raise
        return None
    if parsed.prefixlen is not None or parsed.port is not None:
        raise InputError(f"destination {quote(text)}: expected an address or a name")
    return Target(parsed.address, parsed.zone)


def _looks_like_address(text: str) -> bool:
    """Text that fails as an address but is no host name either (``10.0.0.300``, ``2001::g``)."""
    body = text.strip()
    return ":" in body or (body.replace(".", "").isdigit() and "." in body)


def _check_name(name: str) -> None:
    labels = name.rstrip(".").split(".")
    if not name or len(name) > 253 or any(not 0 < len(label) <= 63 for label in labels):
        raise InputError(f"destination {quote(name)} is neither an address nor a host name")


def _from_system(name: str) -> list[Target]:
    _check_name(name)
    try:
        found = socket.getaddrinfo(name, None, socket.AF_UNSPEC, socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"destination {quote(name)} does not resolve: {exc}") from None
    out: list[Target] = []
    for _family, _type, _proto, _canon, sockaddr in found:
        text = str(sockaddr[0])
        address, _, zone = text.partition("%")
        target = Target(parse_address(address).address, zone or None, name)
        if target not in out:
            out.append(target)
    return out


def _from_server(name: str, server: str, port: int, timeout: float) -> list[Target]:
    _check_name(name)
    import dns.exception
    import dns.resolver

    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [server]
    resolver.port = port
    resolver.lifetime = timeout
    out: list[Target] = []
    for rdtype in ("A", "AAAA"):
        try:
            answer = resolver.resolve(name, rdtype, search=False)
        except (dns.resolver.NoAnswer, dns.resolver.NXDOMAIN):
            continue
        except dns.exception.DNSException as exc:
            raise InputError(f"destination {quote(name)}: {server} did not answer: {exc}") from None
        out.extend(Target(parse_address(r.address).address, None, name) for r in answer)
    if not out:
        raise InputError(f"destination {quote(name)}: {server} has no A or AAAA record for it")
    return out
