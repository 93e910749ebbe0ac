"""Seeded address generators shared by `make bench` and the test suite (stdlib only).

Two mixes, for two jobs:

- :func:`generate` is a realistic traffic mix (the shares are below): the /64s of real ISPs,
  privacy and EUI-64 IIDs from real vendors, Teredo through real servers, repeats as a web log
  has them; :func:`log_lines` turns its addresses into an Apache combined log. The bench
  measures on them; tests use them where realism matters (tests/test_bench_inputs.py).
- :func:`sample` is an adversarial mix: random IIDs of every shape under prefixes that hold every
  kind the address core tells apart (Teredo, 6to4, NAT64 well-known and local-use, 6rd under
  ``2a01::/20``, ORCHID, site-local, multicast scopes, IPv4 special blocks), so a vectorised path
  compared with the core meets each rule.

The input is made here, seeded, so every run measures the same bytes. One million lines, one
address per line, IPv6 in RFC 5952 text as ``inet_ntop`` writes it (which is what a server's
log holds: dotted quad only for ``::ffff:a.b.c.d``), except NAT64, written ``64:ff9b::a.b.c.d``
as RFC 6052 shows it. The mix, by share of lines:

====================  =====  ==========================================================
kind                  share  what
====================  =====  ==========================================================
ipv4-public            22 %  random public IPv4 (reserved and private space rejected)
ipv4-private            8 %  10/8, 192.168/16, 172.16/12, 100.64/10 (CGN)
global-random          34 %  ISP /64s (real RIR blocks), privacy IIDs (u bit clear)
global-eui64            7 %  ISP /64s, EUI-64 IIDs from real OUIs (Intel, VMware, Pi, ...)
global-low-byte         7 %  servers: ``::1``, ``::a``, ``::2:1``
global-ipv4-iid         2 %  ``::c000:201`` (IPv4 in the low 32 bits), ``::192:168:1:10``
global-port             1.5  service-port IIDs: ``::80``, ``::443``, ``::53``, ``::8080``
global-zero             0.5  subnet-router anycast, IID zero
link-local              5 %  ``fe80::`` with EUI-64 (60 %) or random IIDs
unique-local            4 %  ``fdXX:`` from 200 sites; random, low-byte or EUI-64 IIDs
teredo                  2 %  ``2001:0::/32``: real server, cone/0/RFC 5991 random flags,
                             obfuscated port and client
6to4                    2 %  ``2002:V4::/48``: ``::1``, Microsoft's ``::V4``, EUI-64
isatap                  1 %  ``fe80::5efe:V4`` (private V4), ``PREFIX::200:5efe:V4`` (public)
nat64                   1.5  ``64:ff9b::a.b.c.d``
ipv4-mapped             2 %  ``::ffff:a.b.c.d``
multicast               0.4  ``ff02::1``, ``ff02::1:ffXX:XXXX``, ``ff05::1:3``, ...
loopback                0.1  ``::1``
====================  =====  ==========================================================

A web log repeats its clients: 35 % of the lines repeat an address seen in the last 500 lines
(so ``uniq`` has work). The same addresses also become an Apache combined log (paths, status
and sizes vary) and, for peak memory, a 10,000,000-line list: the million lines ten times over,
each copy shuffled (streamed to disk, never held ten times in memory).
"""

from __future__ import annotations

import random
import socket
import time
from collections import Counter
from collections.abc import Callable, Sequence
from ipaddress import IPv4Address, IPv6Address

SEED = 20261125

# Real OUIs: Intel, Intel, VMware, Raspberry Pi, Dell, Cisco, Apple, Microsoft Hyper-V,
# Super Micro, Huawei, Ubiquiti, QEMU/KVM (52:54:00 is locally administered: a real sight too)
OUIS = (
    0x001B21, 0x3CFDFE, 0x005056, 0xB827EB, 0xA4BB6D, 0x00000C, 0xF01898, 0x00155D,
    0x002590, 0x00E0FC, 0x24A43C, 0x525400,
)  # fmt: skip
# Allocations of real ISPs, hosters and clouds (first 32 bits, prefix length): the /64s that
# clients and servers sit in are drawn below them
RIR_BLOCKS = (
    (0x2A0104F8, 32), (0x2A001450, 32), (0x26001F18, 32), (0x26064700, 32), (0x20010470, 32),
    (0x2A020810, 29), (0x20030000, 19), (0x26001700, 28), (0x26010000, 20), (0x24098000, 20),
    (0x28040000, 16), (0x2C0FF000, 20), (0x240E0000, 20), (0x2A0A0000, 16),
)  # fmt: skip
TEREDO_SERVERS = (0x4136E378, 0x41379E76, 0x53AA064C, 0x5EF579FD)  # 65.54.227.120, ...
SERVICE_PORTS = (80, 443, 53, 25, 22, 8080, 3389, 123)
MULTICAST = ("ff02::1", "ff02::2", "ff02::fb", "ff02::1:2", "ff05::1:3", "ff02::16", "ff02::1:3")
_RESERVED_V4 = (
    (0x00000000, 8), (0x0A000000, 8), (0x7F000000, 8), (0x64400000, 10), (0xA9FE0000, 16),
    (0xAC100000, 12), (0xC0A80000, 16), (0xC0000000, 24), (0xC0000200, 24), (0xC6120000, 15),
    (0xC6336400, 24), (0xCB007100, 24),
)  # fmt: skip
_PRIVATE_V4 = ((0x0A000000, 8, 50), (0xC0A80000, 16, 30), (0xAC100000, 12, 15), (0x64400000, 10, 5))
_U_BIT = 0x0200_0000_0000_0000
_NTOP, _AF6 = socket.inet_ntop, socket.AF_INET6


def v6(value: int) -> str:
    """RFC 5952 text, as the C library (and so a server's log) writes it."""
    return _NTOP(_AF6, value.to_bytes(16, "big"))


def v4(value: int) -> str:
    """Dotted quad."""
    return f"{value >> 24}.{value >> 16 & 255}.{value >> 8 & 255}.{value & 255}"


class Mix:
    """Seeded generators, one per kind of address; each returns one line of text."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        bits = rng.getrandbits
        # the /64s that clients and servers sit in: 20,000 of them, so prefixes repeat as in a log
        self.subnets = [self.below(*rng.choice(RIR_BLOCKS)) for _ in range(20_000)]
        self.ula_sites = [0xFD << 40 | bits(40) for _ in range(200)]

    def below(self, block: int, length: int) -> int:
        """A random /64 (as its top 64 bits) inside the allocation."""
        host = 32 - length
        return (block >> host << host | self.rng.getrandbits(host)) << 32 | self.rng.getrandbits(32)

    # -- IPv4

    def public_v4(self) -> int:
        """A random public IPv4 address: reserved, private and multicast space rejected."""
        while True:
            value = self.rng.getrandbits(32)
            if value < 0xE0000000 and not any(
                value >> (32 - n) == net >> (32 - n) for net, n in _RESERVED_V4
            ):
                return value

    def private_v4(self) -> int:
        """RFC 1918 and RFC 6598 space, weighted as a network's clients would be."""
        net, length, _ = self.rng.choices(_PRIVATE_V4, [w for *_, w in _PRIVATE_V4])[0]
        return net | self.rng.getrandbits(32 - length)

    def ipv4_public(self) -> str:
        return v4(self.public_v4())

    def ipv4_private(self) -> str:
        return v4(self.private_v4())

    # -- interface identifiers

    def iid_random(self) -> int:
        """Privacy / stable-opaque IID (RFC 8981, RFC 7217): random, u bit clear."""
        return self.rng.getrandbits(64) & ~_U_BIT

    def iid_eui64(self) -> int:
        """Modified EUI-64 from a real vendor's MAC: U/L bit flipped, ff:fe in the middle."""
        oui = self.rng.choice(OUIS) ^ 0x020000
        return oui << 40 | 0xFFFE << 24 | self.rng.getrandbits(24)

    def iid_low_byte(self) -> int:
        """What admins number servers with: ::1, ::a, ::2:1."""
        rng = self.rng
        if rng.random() < 0.7:
            return rng.randrange(1, 256)
        return rng.randrange(1, 16) << 16 | rng.randrange(1, 256)

    def iid_ipv4(self) -> int:
        """The server's IPv4 address as its IID: in the low 32 bits, or octets as words."""
        address = self.private_v4() if self.rng.random() < 0.5 else self.public_v4()
        if self.rng.random() < 0.6:
            return address
        words = [int(str(address >> shift & 255), 16) for shift in (24, 16, 8, 0)]
        return words[0] << 48 | words[1] << 32 | words[2] << 16 | words[3]

    def iid_port(self) -> int:
        """The service's port as the admin reads it: ::80, ::443 (hex digits spelling it)."""
        return int(str(self.rng.choice(SERVICE_PORTS)), 16)

    # -- IPv6 kinds

    def subnet(self) -> int:
        """One of the pool's /64s, shifted into place."""
        return self.rng.choice(self.subnets) << 64

    def global_random(self) -> str:
        return v6(self.subnet() | self.iid_random())

    def global_eui64(self) -> str:
        return v6(self.subnet() | self.iid_eui64())

    def global_low_byte(self) -> str:
        return v6(self.subnet() | self.iid_low_byte())

    def global_ipv4_iid(self) -> str:
        return v6(self.subnet() | self.iid_ipv4())

    def global_port(self) -> str:
        return v6(self.subnet() | self.iid_port())

    def global_zero(self) -> str:
        return v6(self.subnet())

    def link_local(self) -> str:
        iid = self.iid_eui64() if self.rng.random() < 0.6 else self.iid_random()
        return v6(0xFE80 << 112 | iid)

    def unique_local(self) -> str:
        pick = self.rng.random()
        iid = self.iid_random() if pick < 0.5 else self.iid_low_byte()
        if pick > 0.9:
            iid = self.iid_eui64()
        site = self.rng.choice(self.ula_sites)
        return v6(site << 80 | self.rng.getrandbits(16) << 64 | iid)

    def teredo(self) -> str:
        """RFC 4380: 2001:0::/32, server IPv4, flags, port and client IPv4 both inverted."""
        rng = self.rng
        pick = rng.random()
        flags = 0x8000 if pick < 0.3 else 0 if pick < 0.6 else rng.getrandbits(16) & 0x3CFF
        port = rng.randrange(1024, 65536) ^ 0xFFFF
        client = self.public_v4() ^ 0xFFFFFFFF
        server = rng.choice(TEREDO_SERVERS)
        return v6(0x20010000 << 96 | server << 64 | flags << 48 | port << 32 | client)

    def six_to_four(self) -> str:
        """RFC 3056: 2002:V4::/48; Windows used the IPv4 address as the IID too."""
        address = self.public_v4()
        prefix = 0x2002 << 112 | address << 80
        pick = self.rng.random()
        if pick < 0.4:
            return v6(prefix | self.rng.randrange(0, 4) << 64 | 1)
        if pick < 0.7:
            return v6(prefix | address)
        return v6(prefix | self.rng.getrandbits(16) << 64 | self.iid_eui64())

    def isatap(self) -> str:
        """RFC 5214: ::0:5efe:V4 for a private IPv4 address, ::200:5efe:V4 (u bit) for a public."""
        if self.rng.random() < 0.5:
            return v6(0xFE80 << 112 | 0x5EFE << 32 | self.private_v4())
        return v6(self.subnet() | 0x02005EFE << 32 | self.public_v4())

    def nat64(self) -> str:
        return "64:ff9b::" + v4(self.public_v4())

    def ipv4_mapped(self) -> str:
        address = self.public_v4() if self.rng.random() < 0.7 else self.private_v4()
        return v6(0xFFFF << 32 | address)

    def multicast(self) -> str:
        if self.rng.random() < 0.5:
            return v6(0xFF02 << 112 | 0x1_FF00_0000 | self.rng.getrandbits(24))
        return self.rng.choice(MULTICAST)

    def loopback(self) -> str:
        return "::1"


MIX: tuple[tuple[str, float, Callable[[Mix], str]], ...] = (
    ("ipv4-public", 22, Mix.ipv4_public),
    ("ipv4-private", 8, Mix.ipv4_private),
    ("global-random", 34, Mix.global_random),
    ("global-eui64", 7, Mix.global_eui64),
    ("global-low-byte", 7, Mix.global_low_byte),
    ("global-ipv4-iid", 2, Mix.global_ipv4_iid),
    ("global-port", 1.5, Mix.global_port),
    ("global-zero", 0.5, Mix.global_zero),
    ("link-local", 5, Mix.link_local),
    ("unique-local", 4, Mix.unique_local),
    ("teredo", 2, Mix.teredo),
    ("6to4", 2, Mix.six_to_four),
    ("isatap", 1, Mix.isatap),
    ("nat64", 1.5, Mix.nat64),
    ("ipv4-mapped", 2, Mix.ipv4_mapped),
    ("multicast", 0.4, Mix.multicast),
    ("loopback", 0.1, Mix.loopback),
)
REPEAT_SHARE = 0.35
REPEAT_WINDOW = 500


def generate(count: int, seed: int = SEED) -> tuple[list[str], Counter[str]]:
    """The address lines, and how many of each kind (repeats counted under their kind)."""
    rng = random.Random(seed)
    mix = Mix(rng)
    picks = rng.choices(range(len(MIX)), [share for _, share, _ in MIX], k=count)
    lines: list[str] = []
    kinds: list[int] = []
    for i, pick in enumerate(picks):
        if i and rng.random() < REPEAT_SHARE:
            back = i - rng.randint(1, min(i, REPEAT_WINDOW))
            lines.append(lines[back])
            kinds.append(kinds[back])
        else:
            lines.append(MIX[pick][2](mix))
            kinds.append(pick)
    return lines, Counter(MIX[k][0] for k in kinds)


# ---------------------------------------------------------------- the edge mix

# Prefixes that hold every kind the core tells apart, so random IIDs under them hit each rule.
PREFIXES6 = [
    0x20010DB8_00000000,
    0x20010000_4136E378,  # Teredo
    0x2002C000_02010000,  # 6to4
    0xFE800000_00000000,
    0xFEC00000_00000000,
    0xFD000000_00000000,
    0x0064FF9B_00000000,  # NAT64 well-known (a /96)
    0x0064FF9B_00010000,  # RFC 8215 local-use, a /48
    0x2A010000_00000000,
    0x3FFF0000_00000000,
    0x01000000_00000000,
    0x20010002_00000000,
    0x20010020_00000000,
    0x5F000000_00000000,
    0x40000000_00000000,
    0xFF020000_00000000,
    0xFF3E0000_00000000,
    0xFF7E0240_20010DB8,
    0xFF350040_20010DB8,
    0x00000000_00000000,
]


def iids(rng: random.Random) -> int:
    port = rng.choice([80, 0x80, 443, 0x443, 53, 0x53])
    return rng.choice(
        [
            rng.getrandbits(64),
            0,
            rng.getrandbits(16),
            rng.getrandbits(8) << 16 | port,
            port << 16 | rng.getrandbits(8),
            port,
            rng.getrandbits(48) >> 24 << 40 | 0xFFFE << 24 | rng.getrandbits(24),
            rng.choice([0, 0x0200_0000]) << 32 | 0x5EFE << 32 | rng.getrandbits(32),
            rng.getrandbits(32) | rng.choice([0xFF, 0x1, 0xC0]) << 24,
            int(f"{rng.randrange(1, 256)}{rng.randrange(256):04d}", 16) << 32
            | int(f"{rng.randrange(256)}", 16) << 16
            | int(f"{rng.randrange(256)}", 16),
            0xFFFF_0000_0000 | rng.getrandbits(32),
            rng.getrandbits(8) << 56 | rng.getrandbits(8),
            0x0001_FF00_0000 | rng.getrandbits(24),
        ]
    )


def sample(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.25:
            out.append(str(IPv4Address(rng.getrandbits(32))))
        elif roll < 0.35:
            out.append(
                str(
                    IPv4Address(
                        rng.choice([0, 10, 100, 127, 169, 172, 192, 198, 203, 224, 239, 255]) << 24
                        | rng.choice([0, 0xA8_00_00, 0xFE_00_00, 0x00_02_00, 0x58_63_00])
                        | rng.getrandbits(rng.choice([0, 8, 16]))
                    )
                )
            )
        elif roll < 0.45:
            out.append(str(IPv6Address(rng.getrandbits(128))))
        else:
            out.append(str(IPv6Address(rng.choice(PREFIXES6) << 64 | iids(rng))))
    return [*out, "::", "::1", "::2", "::ffff:127.0.0.1", "ff02::1", "255.255.255.255", "0.0.0.0"]


# ---------------------------------------------------------------- the web log

PATHS = (
    "/", "/index.html", "/favicon.ico", "/robots.txt", "/static/app.js", "/static/site.css",
    "/images/logo.png", "/blog/2026/11/ipv6-rollout", "/api/v1/items?id={n}", "/search?q=ipv6",
    "/downloads/dualstack-{n}.tar.gz", "/login",
)  # fmt: skip
STATUSES = ((200, 80), (304, 8), (404, 6), (301, 3), (403, 2), (500, 1))
AGENTS = (
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15",
    "curl/8.5.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
)
LOG_START = 1795603282  # 2026-11-25 10:41:22 UTC


def log_lines(addresses: Sequence[str], seed: int = SEED) -> list[str]:
    """Apache combined log lines for the addresses: one day of traffic, in order."""
    rng = random.Random(seed + 1)
    codes = [code for code, _ in STATUSES]
    weights = [w for _, w in STATUSES]
    statuses = rng.choices(codes, weights, k=len(addresses))
    paths = rng.choices(PATHS, k=len(addresses))
    agents = rng.choices(AGENTS, [30, 35, 20, 10, 5], k=len(addresses))
    out = []
    stamp_second, stamp = -1, ""
    for i, address in enumerate(addresses):
        second = LOG_START + i * 86_400 // max(len(addresses), 1)
        if second != stamp_second:
            stamp_second = second
            stamp = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(second))
        path = paths[i].format(n=i % 997)
        status = statuses[i]
        size = 0 if status == 304 else rng.randrange(180, 60_000)
        method = "POST" if path == "/login" else "GET"
        out.append(
            f'{address} - - [{stamp}] "{method} {path} HTTP/1.1" {status} {size} "-" "{agents[i]}"'
        )
    return out
