"""The vectorised classification gives the address core's answers, address for address."""

from __future__ import annotations

from ipaddress import IPv4Address

import pytest

np = pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")

from bench.addrmix import sample  # noqa: E402

from dualstack.addr.inspect import inspect  # noqa: E402
from dualstack.addr.registry import registry  # noqa: E402
from dualstack.bulk import classify as vc  # noqa: E402
from dualstack.bulk.parse import parse_many  # noqa: E402
from tests.testdata import OPTIONS  # noqa: E402


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


# prefixes and interface identifiers each rule looks at, so random rows meet every branch
_HIGH = (
    *(p << 48 for p in (0, 0x2002, 0xFF02, 0xFF3E, 0xFF7E, 0xFE80, 0xFEC0, 0xFD00, 0x64_FF9B)),
    *(p << 48 for p in (0x2A01, 0x0100, 0x5F00, 0x3FFF)),
    0x20010000 << 32,
    0x2001_0DB8 << 32,
    0x0064_FF9B_0001 << 16,
)
_LOW = (
    *(0, 1, 0xFFFF_0000_0000, 0x0000_5EFE_0000_0000, 0x0200_5EFE_0000_0000),
    *(0x0000_00FF_FE00_0000, 0x0000_0001_FF00_0000, 0x0192_0168_0001_0001, 0x50),
)


def _u64(values: tuple[int, ...]) -> object:
    """uint64s from Python ints of up to 64 bits (numpy converts through a C long)."""
    return (np.array([v >> 32 for v in values], dtype=np.uint64) << np.uint64(32)) | np.array(
        [v & 0xFFFFFFFF for v in values], dtype=np.uint64
    )


def _rows(seed: int, count: int) -> tuple[object, object, object]:
    """Random rows near the rules' edges: a known prefix or IID pattern, some random bits."""
    rng = np.random.default_rng(seed)
    high = _u64(_HIGH)[rng.integers(0, len(_HIGH), count)]
    low = _u64(_LOW)[rng.integers(0, len(_LOW), count)]
    noise = rng.integers(0, 1 << 63, (4, count), dtype=np.uint64)
    keep = np.uint64(64) - rng.integers(0, 65, (2, count)).astype(np.uint64)
    hi = high | np.where(keep[0] < 64, noise[0] >> np.minimum(keep[0], np.uint64(63)), 0)
    lo = low | np.where(keep[1] < 64, noise[1] >> np.minimum(keep[1], np.uint64(63)), 0)
    lo = np.where(rng.random(count) < 0.2, noise[2], lo).astype(np.uint64)
    version = np.array([0, 4, 6, 6, 6], dtype=np.uint8)[rng.integers(0, 5, count)]
    v4 = version == 4
    hi = np.where(v4, 0, hi).astype(np.uint64)
    lo = np.where(v4, noise[3] & np.uint64(0xFFFFFFFF), lo).astype(np.uint64)
    return hi, lo, version


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("options", ["default", "transition"])
def test_the_compiled_rules_give_the_numpy_columns(seed: int, options: str) -> None:
    """The C classification (the default where it is built) against the numpy rules, every
    column, on 200,000 rows of both families, errors included, with and without extra NAT64
    prefixes and a 6rd domain."""
    from dualstack.addr.inspect import DEFAULT_OPTIONS
    from dualstack.bulk.parse import Parsed
    from tests.bulklab import require_scanner

    require_scanner()
    hi, lo, version = _rows(seed, 200_000)
    parsed = Parsed(hi, lo, version, {}, ())
    chosen = OPTIONS if options == "transition" else DEFAULT_OPTIONS
    got = vc.classify(parsed, chosen.nat64_prefixes, chosen.sixrd)
    want = vc.classify_numpy(parsed, chosen.nat64_prefixes, chosen.sixrd)
    for name in ("types", "scope", "iid", "subtype", "iid_ipv4", "iid_port", "roles", "nat64",
                 "sixrd", "registry"):  # fmt: skip
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype, name
        bad = np.flatnonzero(a != b)
        assert len(bad) == 0, (
            name,
            [(hex(int(hi[i])), hex(int(lo[i])), int(version[i])) for i in bad[:5]],
        )
