"""Column text forms equal the core's text functions, and both gather kernels write the same
bytes."""

from __future__ import annotations

import random
from ipaddress import IPv4Address, IPv6Address

import pytest

np = pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")

from dualstack.addr import text  # noqa: E402
from dualstack.bulk import assemble, render  # noqa: E402


def values6(count: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    out = [0, 1, 2**128 - 1, 0xFFFF_0000_0000 | 0x7F000001, 0xC000_0201]
    for _ in range(count):
        roll = rng.random()
        if roll < 0.4:  # sparse groups: every zero-run shape RFC 5952 distinguishes
            groups = [rng.choice([0, 0, 0, 1, 0xF, 0xF0, 0xABC, 0xFFFF]) for _ in range(8)]
            out.append(int("".join(f"{g:04x}" for g in groups), 16))
        elif roll < 0.5:
            out.append(0xFFFF << 32 | rng.getrandbits(32))
        else:
            out.append(rng.getrandbits(128) >> rng.choice([0, 0, 32, 64, 100]))
    return out


def columns(values: list[int]) -> tuple[np.ndarray, np.ndarray]:
    hi = np.array([v >> 64 for v in values], dtype=np.uint64)
    lo = np.array([v & (2**64 - 1) for v in values], dtype=np.uint64)
    return hi, lo


@pytest.mark.parametrize(
    ("vector", "scalar"),
    [
        (render.compressed6, text.compressed),
        (render.exploded, text.exploded),
        (render.reverse6, text.reverse_pointer),
        (render.hex128, text.hexadecimal),
        (render.decimal128, text.integer),
    ],
)
def test_ipv6_text_forms(vector, scalar) -> None:
    values = values6(3000, 1)
    hi, lo = columns(values)
    assert assemble.lines(vector(hi, lo)) == [scalar(IPv6Address(v)) for v in values]


@pytest.mark.parametrize(
    ("vector", "scalar"),
    [
        (render.dotted, text.compressed),
        (render.reverse4, text.reverse_pointer),
        (render.hex32, text.hexadecimal),
    ],
)
def test_ipv4_text_forms(vector, scalar) -> None:
    rng = random.Random(2)
    values = [0, 2**32 - 1, 0x0A000001] + [rng.getrandbits(32) for _ in range(3000)]
    column = np.array(values, dtype=np.uint32)
    assert assemble.lines(vector(column)) == [scalar(IPv4Address(v)) for v in values]


def test_mac_from_interface_id() -> None:
    from dualstack.addr.mac import mac_from_interface_id

    rng = random.Random(3)
    iids = [rng.getrandbits(24) << 40 | 0xFFFE << 24 | rng.getrandbits(24) for _ in range(500)]
    got = assemble.lines(render.mac_from_iid(np.array(iids, dtype=np.uint64)))
    assert got == [str(mac_from_interface_id(i)) for i in iids]


def test_numpy_and_jit_gather_write_the_same_bytes() -> None:
    from dualstack.bulk import kernels  # numba: in the dev extra, so this runs in CI

    hi, lo = columns(values6(2000, 4))
    parts = [
        render.compressed6(hi, lo),
        assemble.constant(b" -> ", len(hi)),
        assemble.table([b"a", b"bcd", b""], (lo % np.uint64(3)).astype(np.intp)),
        render.decimal128(hi, lo),  # right-aligned: exercises the per-row skip
        assemble.only(lo % np.uint64(3) == 0, render.exploded(hi, lo)),
        assemble.constant(b"\n", len(hi)),
    ]
    total = int(assemble._total(parts).sum())
    by_numpy = np.zeros(total, dtype=np.uint8)
    by_jit = np.zeros_like(by_numpy)
    for kernel, out in ((assemble.place_numpy, by_numpy), (kernels.place, by_jit)):
        cursor = np.concatenate([[0], np.cumsum(assemble._total(parts))[:-1]]).astype(np.int64)
        for p in parts:
            kernel(
                np.ascontiguousarray(p.data),
                np.arange(len(hi)) if p.row is None else p.row,
                p.length,
                np.zeros(len(hi), np.int64) if p.skip is None else np.ascontiguousarray(p.skip),
                out,
                cursor,
            )
    assert by_numpy.tobytes() == by_jit.tobytes()
    assert by_numpy.tobytes().count(b"\n") == len(hi)
