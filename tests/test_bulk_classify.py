"""The vectorised classification gives the address core's answers, address for address."""

from __future__ import annotations

import random
from ipaddress import IPv4Address, IPv6Address, IPv6Network

import pytest

np = pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")

from dualstack.addr.embedded import NAT64_WELL_KNOWN, SixRd  # noqa: E402
from dualstack.addr.inspect import Options, inspect  # noqa: E402
from dualstack.addr.registry import registry  # noqa: E402
from dualstack.bulk import classify as vc  # noqa: E402
from dualstack.bulk.parse import parse_many  # noqa: E402

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


OPTIONS = Options(
    nat64_prefixes=(NAT64_WELL_KNOWN, IPv6Network("64:ff9b:1::/48")),
    sixrd=(SixRd(IPv6Network("2a01::/20"), 0),),
)


@pytest.mark.parametrize("seed", range(4))
def test_every_column_matches_the_core(seed: int) -> None:
    lines = sample(4000, seed)
    parsed = parse_many(lines)
    got = vc.classify(parsed, OPTIONS.nat64_prefixes, OPTIONS.sixrd)
    for i, line in enumerate(lines):
        ins = inspect(line, OPTIONS)
        assert vc.type_names(int(got.types[i])) == ins.types, line
        assert vc.SCOPES[got.scope[i]] == ins.scope, line
        entries = registry(ins.address.version).entries
        expected = entries.index(ins.registry) if ins.registry is not None else -1
        assert int(got.registry[i]) == expected, line
        klass = ins.interface_id
        assert (vc.IID_CLASSES[got.iid[i]] if got.iid[i] >= 0 else None) == (
            klass.type if klass else None
        ), line
        if klass is not None:
            assert (vc.SUBTYPES[got.subtype[i]] if got.subtype[i] >= 0 else None) == klass.subtype
            assert (int(got.iid_port[i]) if got.iid_port[i] >= 0 else None) == klass.port, line
            if klass.ipv4 is not None:
                assert IPv4Address(int(got.iid_ipv4[i])) == klass.ipv4, line
        roles = {e.role for e in ins.embedded_ipv4}
        names = {r for r in vc.ROLES if got.role(r)[i]}
        assert names == {"teredo" if r.startswith("teredo") else r for r in roles}, line


def test_every_ipv4_registry_block_is_typed_as_the_core_types_it() -> None:
    """Both ends of each IANA IPv4 block (and the addresses beside it): bulk equals inspect,
    and a block marked not globally reachable is never global-unicast."""
    lines = []
    for entry in registry(4).entries:
        first, last = int(entry.network.network_address), int(entry.network.broadcast_address)
        lines += [
            str(IPv4Address(v)) for v in (first - 1, first, last, last + 1) if 0 <= v < 1 << 32
        ]
    parsed = parse_many(lines)
    got = vc.classify(parsed)
    for i, line in enumerate(lines):
        ins = inspect(line)
        assert vc.type_names(int(got.types[i])) == ins.types, line
        if ins.registry is not None and ins.registry.globally_reachable is False:
            assert "global-unicast" not in ins.types, line
    assert inspect("198.18.0.0").types == ("unicast", "special-purpose", "benchmarking")
