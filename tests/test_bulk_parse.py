"""The vectorised parser gives exactly the core's answer, line for line."""

from __future__ import annotations

import random
from ipaddress import IPv4Address, IPv6Address

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

np = pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")

from dualstack.addr.parse import parse_address  # noqa: E402
from dualstack.bulk.parse import parse_many  # noqa: E402
from dualstack.errors import DualstackError  # noqa: E402


def core(line: str) -> tuple[int, int] | None:
    try:
        parsed = parse_address(line)
    except DualstackError:
        return None
    return parsed.address.version, int(parsed.address)


def check(lines: list[str]) -> None:
    result = parse_many(lines)
    for i, line in enumerate(lines):
        expected = core(line)
        version = int(result.version[i])
        if expected is None:
            assert version == 0, line
            assert i in result.errors
        else:
            assert (version, (int(result.hi[i]) << 64) | int(result.lo[i])) == expected, line


def spellings(value: int) -> list[str]:
    a = IPv6Address(value)
    return [a.compressed, a.exploded, a.compressed.upper(), a.exploded.replace(":0000", ":0")]


v6 = st.integers(min_value=0, max_value=2**128 - 1)
sparse = st.lists(st.sampled_from([0, 0, 0, 1, 0xFFFF, 0xDB8, 0x2001]), min_size=8, max_size=8)
text = st.text(alphabet="0123456789abcdefABCDEF:.x/%[] ", max_size=42)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(v6, sparse.map(lambda g: int("".join(f"{x:04x}" for x in g), 16))),
        min_size=1,
        max_size=20,
    )
)
def test_ipv6_values_in_every_spelling(values: list[int]) -> None:
    check([s for v in values for s in spellings(v)])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.integers(min_value=0, max_value=2**32 - 1).map(lambda v: str(IPv4Address(v))),
        min_size=1,
        max_size=20,
    )
)
def test_ipv4(lines: list[str]) -> None:
    check(lines)


@settings(max_examples=300, deadline=None)
@given(st.lists(text, min_size=1, max_size=20))
def test_junk_and_near_misses(lines: list[str]) -> None:
    check(lines)


def test_a_large_mixed_batch() -> None:
    rng = random.Random(7)
    lines = []
    for _ in range(5000):
        kind = rng.random()
        if kind < 0.5:
            lines.append(
                IPv6Address(rng.getrandbits(128) >> rng.choice([0, 16, 64, 100])).compressed
            )
        elif kind < 0.8:
            lines.append(str(IPv4Address(rng.getrandbits(32))))
        else:
            lines.append(
                rng.choice(
                    [
                        "::ffff:10.1.2.3",
                        "fe80::1%eth0",
                        "junk",
                        "1::2::3",
                        "2001:db8::/48",
                        "[::1]:80",
                        "010.0.0.1",
                        "",
                    ]
                )
            )
    check(lines)
