"""Unique Local IPv6 prefixes (RFC 4193): a random-looking /48 under fd00::/8.

The Global ID comes from RFC 4193 section 3.2.2: the time of day as a 64-bit NTP timestamp and
an EUI-64 of the machine, concatenated (16 bytes), hashed with SHA-1, and the least significant
40 bits kept. A MAC becomes the 64 bits the way RFC 4291 Appendix A turns one into an interface
identifier (``ff:fe`` inserted, universal/local bit inverted), as the classic
``generate-rfc4193-addr`` scripts do. Given the time and the MAC, the result is reproducible.
"""

from __future__ import annotations

import hashlib
import re
import time as _time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from ipaddress import IPv6Network

from dualstack.addr.mac import Eui64, Mac
from dualstack.addr.parse import looks_like_mac
from dualstack.errors import InputError, quote

ULA_BLOCK = IPv6Network("fd00::/8")  # fc00::/7 with the L bit set: locally assigned
NTP_UNIX_OFFSET = 2_208_988_800  # seconds from 1900-01-01 (NTP era 0) to 1970-01-01
_GLOBAL_ID_BITS = 40
_NTP_HEX = re.compile(r"0[xX]([0-9a-fA-F]{8})([0-9a-fA-F]{8})|([0-9a-fA-F]{8})\.([0-9a-fA-F]{8})")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@dataclass(frozen=True, slots=True)
class Ula:
    """A ULA /48 and what it was made from (no time or identifier when the ID was given)."""

    prefix: IPv6Network
    global_id: int
    ntp_time: int | None = None  # the 64-bit NTP timestamp that was hashed
    eui64: Eui64 | None = None  # the 64-bit identifier that was hashed
    mac: Mac | None = None  # the MAC it was formed from, if one was given

    @property
    def method(self) -> str:
        return "given" if self.ntp_time is None else "rfc4193"

    @property
    def global_id_text(self) -> str:
        return f"{self.global_id:010x}"


def ntp_timestamp(when: datetime | float) -> int:
    """The 64-bit NTP timestamp (RFC 5905: seconds since 1900 and a 32-bit fraction) of a
    datetime (naive means UTC) or a Unix time in seconds."""
    if isinstance(when, datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        whole = int(when.timestamp())
        micro = when.microsecond
        seconds, fraction = whole + NTP_UNIX_OFFSET, (micro << 32) // 1_000_000
    else:
        whole = int(when // 1)
        seconds, fraction = whole + NTP_UNIX_OFFSET, int((when - whole) * (1 << 32))
    if not 0 <= seconds < 1 << 32:
        raise InputError(f"time {when!r} is outside NTP era 0 (1900 to 2036)")
    return seconds << 32 | fraction


def parse_time(text: str) -> int:
    """A 64-bit NTP timestamp from ``0xdcf4268b208dd000`` / ``dcf4268b.208dd000`` (as ``ntpq``
    prints it), Unix seconds (``1700000000.5``) or ISO 8601 (``2024-05-01T12:00:00Z``)."""
    body = text.strip()
    match = _NTP_HEX.fullmatch(body)
    if match:
        return int("".join(g for g in match.groups() if g), 16)
    if _NUMBER.fullmatch(body):
        return ntp_timestamp(float(body))
    try:
        when = datetime.fromisoformat(body.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise InputError(
            f"{quote(text)} is not a time: expected ISO 8601 (2024-05-01T12:00:00Z), Unix "
            "seconds, or a 64-bit NTP timestamp (0xdcf4268b208dd000 or dcf4268b.208dd000)"
        ) from None
    return ntp_timestamp(when)


def parse_identifier(text: str) -> Mac | Eui64:
    """A MAC (any common spelling) or an EUI-64 (``-``, ``.`` or bare-hex spelling)."""
    body = text.strip()
    if not looks_like_mac(body):
        raise InputError(
            f"{quote(text)} is not a MAC or EUI-64: expected e.g. 00:15:5d:01:14:0b "
            "or 02-15-5d-ff-fe-01-14-0b"
        )
    groups = len(body.replace(".", "-").split("-"))
    if len(body) == 16 or groups in (4, 8):
        return Eui64.parse(body)
    return Mac.parse(body)


def ula_identifier(value: Mac | Eui64) -> Eui64:
    """The 64 bits RFC 4193 hashes: an EUI-64 as it is, a MAC via RFC 4291 Appendix A."""
    if isinstance(value, Eui64):
        return value
    return Eui64(value.modified_eui64())


def rfc4193_global_id(ntp_time: int, identifier: Eui64) -> int:
    """RFC 4193 3.2.2 steps 3-5: SHA-1 of time then EUI-64, least significant 40 bits."""
    key = ntp_time.to_bytes(8, "big") + identifier.value.to_bytes(8, "big")
    digest = hashlib.sha1(key, usedforsecurity=False).digest()
    return int.from_bytes(digest[-5:], "big")


def ula_prefix(global_id: int) -> IPv6Network:
    """fd00::/8 and the 40-bit Global ID: the site's /48 (RFC 4193 3.2.2 step 6)."""
    if not 0 <= global_id < 1 << _GLOBAL_ID_BITS:
        raise InputError(f"Global ID {global_id:#x} does not fit in 40 bits")
    return IPv6Network((int(ULA_BLOCK.network_address) | global_id << 80, 48))


def parse_global_id(text: str) -> int:
    """Ten hex digits (``3c7a2b91e0``), colons allowed (``3c:7a2b:91e0``)."""
    body = text.strip().lower().removeprefix("0x").replace(":", "")
    if len(body) != 10 or not all(c in "0123456789abcdef" for c in body):
        raise InputError(f"{quote(text)} is not a Global ID: expected 40 bits as 10 hex digits")
    return int(body, 16)


def _system_mac() -> Mac:
    """This machine's MAC as the stdlib finds it (a random one, flagged multicast, if none)."""
    return Mac(uuid.getnode())


def ula(
    global_id: int | str | None = None,
    *,
    time: datetime | float | str | None = None,
    mac: Mac | Eui64 | str | None = None,
) -> Ula:
    """A ULA /48. With ``global_id`` (an int or 10 hex digits) that is the prefix; otherwise the
    RFC 4193 3.2.2 algorithm over ``time`` (now if None) and ``mac`` (this machine's if None).

    >>> str(ula(time="0xdcf4268b208dd000", mac="00:15:5d:01:14:0b").prefix)
    'fd9f:f126:7b88::/48'
    """
    if global_id is not None:
        if time is not None or mac is not None:
            raise InputError("a given Global ID takes no seed time or MAC")
        gid = parse_global_id(global_id) if isinstance(global_id, str) else global_id
        return Ula(ula_prefix(gid), gid)
    if isinstance(time, str):
        ntp = parse_time(time)
    else:
        ntp = ntp_timestamp(_time.time() if time is None else time)
    source = parse_identifier(mac) if isinstance(mac, str) else mac
    if source is None:
        source = _system_mac()
    identifier = ula_identifier(source)
    gid = rfc4193_global_id(ntp, identifier)
    return Ula(
        ula_prefix(gid),
        gid,
        ntp,
        identifier,
        source if isinstance(source, Mac) else None,
    )
