"""PREF64 (RFC 8781): the NAT64 prefix routers put in their advertisements, read back from
the wire. :func:`pref64_options` reads a Router Advertisement's bytes (pure); :func:`listen`
waits on an interface for advertisements (asking for one first) and reads each."""

from __future__ import annotations

import contextlib
import socket
import time
from dataclasses import dataclass
from ipaddress import IPv6Address, IPv6Network

RA = 134  # ICMPv6 Router Advertisement
RS = 133  # Router Solicitation
PREF64 = 38  # the option type (RFC 8781 section 4)
PLC_LENGTHS = {0: 96, 1: 64, 2: 56, 3: 48, 4: 40, 5: 32}  # Prefix Length Code -> length


@dataclass(frozen=True, slots=True)
class Pref64:
    """One PREF64 option: the prefix, its lifetime in seconds, and the router that sent it."""

    prefix: IPv6Network
    lifetime: int
    router: IPv6Address | None = None


def pref64_options(message: bytes, router: IPv6Address | None = None) -> tuple[Pref64, ...]:
    """The PREF64 options of an ICMPv6 Router Advertisement (``message`` from its ICMPv6
    type on); nothing for another message, a truncated one, or an option with an unknown
    prefix length code (RFC 8781: such an option is ignored)."""
    if len(message) < 16 or message[0] != RA:
        return ()
    found: list[Pref64] = []
    at = 16  # type, code, checksum, hop limit, flags, router lifetime, reachable, retrans
    while at + 2 <= len(message):
        kind, units = message[at], message[at + 1]
        if units == 0 or at + 8 * units > len(message):
            break  # a zero length would loop forever; a long one runs past the message
        if kind == PREF64 and units == 2:
            word = int.from_bytes(message[at + 2 : at + 4], "big")
            length = PLC_LENGTHS.get(word & 0x7)
            if length is not None:
                bits = int.from_bytes(message[at + 4 : at + 16], "big") << 32
                network = IPv6Network((bits >> (128 - length) << (128 - length), length))
                found.append(Pref64(network, (word >> 3) * 8, router))
        at += 8 * units
    return tuple(found)


def listen(interface: str, seconds: float = 5.0) -> tuple[Pref64, ...]:
    """The PREF64 options of the Router Advertisements seen on ``interface`` within
    ``seconds`` (a Router Solicitation is sent first where the link already has a usable
    address); needs the right to open raw sockets."""
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, interface.encode())
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
        index = socket.if_nametoindex(interface)
        # ask for an advertisement (routers send them unasked too); with no usable source
        # address yet (the link-local still tentative) this fails, and we just listen
        with contextlib.suppress(OSError):
            sock.sendto(bytes([RS, 0, 0, 0, 0, 0, 0, 0]), ("ff02::2", 0, 0, index))
        found: list[Pref64] = []
        deadline = time.monotonic() + seconds
        for _ in range(10_000):  # bounded however busy the link is
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            try:
                message, sender = sock.recvfrom(65535)
            except TimeoutError:
                break
            router = IPv6Address(str(sender[0]).partition("%")[0])
            for option in pref64_options(message, router):
                if option not in found:
                    found.append(option)
        return tuple(found)
    finally:
        sock.close()
