"""The compiled classifier and counter (``dualstack.bulk._classify``) and the ranking of the
compiled tables (``Counter64.top``): against the numpy rules and plain Python on random rows,
arbitrary versions and bad buffers. The fuzz tests run again under AddressSanitizer in CI
(scripts/asan.sh)."""

from __future__ import annotations

import io
from array import array
from collections import Counter
from ipaddress import IPv6Network

import pytest

np = pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dualstack.addr.embedded import NAT64_WELL_KNOWN, SixRd  # noqa: E402
from dualstack.addr.vendor import subdivided  # noqa: E402
from dualstack.bulk import classify as vc  # noqa: E402
from dualstack.bulk import compiled, compiled_tally, hashing  # noqa: E402
from dualstack.bulk.facts import IID_CLASSES, ROLES, SCOPES, TOKENS  # noqa: E402
from dualstack.bulk.numpy_tally import Tally  # noqa: E402
from dualstack.bulk.parse import Parsed  # noqa: E402
from dualstack.bulk.pipeline import batches  # noqa: E402
from dualstack.bulk.source import extractor  # noqa: E402
from tests.bulklab import require_scanner  # noqa: E402

require_scanner()

_word = st.one_of(
    st.integers(0, 3),
    st.integers(0, (1 << 64) - 1),
    st.sampled_from([0x2002 << 48, 0x20010000 << 32, 0xFF02 << 48, 0xFE80 << 48, 0x5EFE << 32]),
    # EUI-64 IIDs: an OUI IEEE kept whole (Intel 00:1b:21) and one it split (00:1b:c5)
    st.sampled_from([0x021B21FFFE000001, 0x021BC5FFFE000010, 0x021BC5FFFE00F000]),
)
_version = st.one_of(st.sampled_from((4, 6)), st.integers(0, 255))
_rows = st.lists(st.tuples(_word, _word, _version), max_size=400)


def _network(lengths: tuple[int, ...]) -> st.SearchStrategy[IPv6Network]:
    return st.builds(
        lambda value, length: IPv6Network((value << 96, length), strict=False),
        st.integers(0, (1 << 32) - 1),
        st.sampled_from(lengths),
    )


def _columns(rows: list[tuple[int, int, int]]) -> tuple[object, object, object]:
    hi = np.array([r[0] for r in rows], dtype=object).astype(np.uint64)
    lo = np.array([r[1] for r in rows], dtype=object).astype(np.uint64)
    version = np.array([r[2] for r in rows], dtype=np.uint8)
    return hi, lo, version


@pytest.mark.fuzz
@settings(max_examples=300, deadline=None)
@given(
    rows=_rows,
    nat64=st.lists(_network((32, 40, 48, 56, 64, 96)), max_size=3),
    sixrd=st.lists(_network((16, 24, 32)), max_size=2),
)
def test_fuzz_compiled_columns_equal_the_numpy_rules(rows, nat64, sixrd) -> None:
    """Any rows, any version byte (the rules ignore all but 4 and 6), extra NAT64 prefixes and
    6rd domains: every column equal."""
    hi, lo, version = _columns(rows)
    prefixes = (NAT64_WELL_KNOWN, *nat64)
    domains = tuple(SixRd(p) for p in sixrd)
    want = vc.classify_numpy(Parsed(hi, lo, version, {}, ()), prefixes, domains)
    table = compiled.tables(prefixes, domains)
    got = compiled.classify(hi, lo, version, table)
    assert got is not None
    for name in ("types", "scope", "iid", "subtype", "iid_ipv4", "iid_port", "roles"):
        assert np.asarray(getattr(got, name)).tolist() == getattr(want, name).tolist(), name
    for name in ("nat64", "sixrd", "registry"):
        assert np.asarray(getattr(got, name)).tolist() == getattr(want, name).tolist(), name


@pytest.mark.fuzz
@settings(max_examples=300, deadline=None)
@given(rows=_rows)
def test_fuzz_tally_counts_what_the_columns_say(rows) -> None:
    """The fused classify-and-count: per family, type, scope, IID class and role, the counts
    the numpy columns give; the kept rows, /64 keys and vendor keys row for row."""
    hi, lo, version = _columns(rows)
    cls = vc.classify_numpy(Parsed(hi, lo, version, {}, ()))
    counts = array("q", bytes(8 * compiled.COUNTS))
    kept = compiled.tally(hi, lo, version, compiled.tables((NAT64_WELL_KNOWN,), ()), counts)
    valid = [i for i, r in enumerate(rows) if r[2] in (4, 6)]
    want = Counter[int]()
    for i in valid:
        family = int(version[i] == 6)
        want[compiled.COUNT_FAMILY + family] += 1
        for bit in range(len(TOKENS)):
            if int(cls.types[i]) >> bit & 1:
                want[compiled.COUNT_TYPES + family * len(TOKENS) + bit] += 1
        want[compiled.COUNT_SCOPES + family * len(SCOPES) + int(cls.scope[i])] += 1
        if family and cls.iid[i] >= 0:
            want[compiled.COUNT_IID + int(cls.iid[i])] += 1
        for bit in range(len(ROLES)):
            if family and int(cls.roles[i]) >> bit & 1:
                want[compiled.COUNT_ROLES + bit] += 1
    assert {i: c for i, c in enumerate(counts) if c} == dict(want)
    assert [int(x) for x in kept.hi] == [int(hi[i]) for i in valid]
    assert [int(x) for x in kept.version] == [int(version[i]) for i in valid]
    v6 = [i for i in valid if version[i] == 6]
    assert list(kept.prefixes) == [
        int(hi[i]) for i in v6 if int(hi[i]) >> 56 != 0xFF and int(hi[i]) != 0
    ]
    eui = [i for i in v6 if cls.iid[i] == IID_CLASSES.index("ieee-derived")]
    macs = [((int(lo[i]) >> 40 ^ 0x020000) << 24) | (int(lo[i]) & 0xFFFFFF) for i in eui]
    assert list(kept.vendors) == [m >> 24 << 12 for m in macs if not subdivided(m >> 24)]
    assert list(kept.split_vendors) == [m >> 12 for m in macs if subdivided(m >> 24)]


@pytest.mark.fuzz
@settings(max_examples=200, deadline=None)
@given(
    keys=st.lists(st.one_of(st.integers(0, 50), st.integers(0, (1 << 64) - 1)), max_size=3000),
    k=st.integers(0, 40),
    shift=st.sampled_from((0, 1, 8, 16, 63)),
)
def test_fuzz_top_ranks_folded_counts_as_python_does(keys, k, shift) -> None:
    ext = hashing.extension()
    assert ext is not None
    table = ext.Counter64(max(1, len(keys)))
    table.add(array("Q", keys))
    folded = Counter(key >> shift for key in keys)
    expected = sorted(folded.items(), key=lambda item: (-item[1], item[0]))[:k]
    assert table.top(k, shift) == expected


@pytest.mark.fuzz
@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=3000), mode=st.sampled_from(("list", "combined", "any")))
def test_fuzz_stats_end_to_end_equal_the_numpy_report(data, mode) -> None:
    """Random bytes through the scanner, classifier and tables: the numpy report."""
    quick = compiled_tally.CompiledTally()
    for block in compiled_tally.blocks(io.BytesIO(data), mode, size=256):
        quick.add(block)
    slow = Tally()
    for batch in batches(io.BytesIO(data), extractor(mode), size=256):
        slow.add(batch)
    assert quick.result() == slow.result()


def test_bad_buffers_and_tables_are_refused_not_read() -> None:
    ext = compiled.extension()
    assert ext is not None
    table = compiled.tables((NAT64_WELL_KNOWN,), ())
    hi = np.zeros(4, dtype=np.uint64)
    version = np.full(4, 6, np.uint8)
    out = [np.zeros(4, d) for d in ("u8", "i1", "i1", "i1", "u4", "i4", "u1", "u1", "u1", "i2")]
    ext.classify(table, hi, hi, version, *out)
    with pytest.raises(ValueError, match="length"):
        ext.classify(table, hi, hi[:3], version, *out)
    with pytest.raises(ValueError, match="types"):
        ext.classify(table, hi, hi, version, np.zeros(3, np.uint64), *out[1:])
    with pytest.raises(TypeError, match="scope"):
        ext.classify(table, hi, hi, version, out[0], np.zeros(4, np.int16), *out[2:])
    with pytest.raises((ValueError, BufferError)):
        ext.classify(table, np.zeros(8, np.uint64)[::2], hi, version, *out)
    with pytest.raises(TypeError, match="tables"):
        ext.classify(table[:-1], hi, hi, version, *out)
    with pytest.raises(ValueError, match="scope"):
        ext.classify((*table[:-1], array("b", [99] * 16)), hi, hi, version, *out)
    with pytest.raises(ValueError, match="quadruples"):
        ext.classify((array("Q", [1, 2, 3]), *table[1:]), hi, hi, version, *out)
    with pytest.raises(ValueError, match="counts"):
        ext.tally(table, hi, hi, version, array("I"), array("q", [0] * 3))
    with pytest.raises(TypeError, match="split_ouis"):
        ext.tally(table, hi, hi, version, array("Q"), array("q", [0] * compiled.COUNTS))
    with pytest.raises(ValueError, match="top"):
        hashing.extension().Counter64(4).top(-1)


def test_split_ouis_are_the_subdivided_ones() -> None:
    """The compiled path's list of split /24s, against the lookup's own answer."""
    split = compiled.split_ouis().tolist()
    assert len(split) > 100
    assert split == sorted(set(split))
    assert all(subdivided(oui) for oui in split)
    assert [o for o in range(0, 1 << 24, 4099) if subdivided(o)] == [
        o for o in split if o % 4099 == 0
    ]


def _split_rows(text: bytes) -> list[int]:
    """The rule restated: a row ``HH:HH:HH:`` whose first field (to a tab) has a ``/``."""
    found = set()
    for row in text.split(b"\n"):
        field = row.split(b"\t", 1)[0]
        head = field[:9]
        digits = head[0:2] + head[3:5] + head[6:8]
        if (
            len(head) == 9
            and head[2::3] == b":::"
            and all(chr(c) in "0123456789abcdefABCDEF" for c in digits)
            and b"/" in field[9:]
        ):
            found.add(int(digits, 16))
    return sorted(found)


_manuf_row = st.one_of(
    st.binary(max_size=40),
    st.builds(
        lambda oui, tail, name: (
            b"%02X:%02x:%02X:" % (oui >> 16, oui >> 8 & 255, oui & 255) + tail + name
        ),
        st.integers(0, (1 << 24) - 1),
        st.sampled_from([b"10/28", b"00:10/36", b"", b"10", b"\t/28", b"1/"]),
        st.sampled_from([b"", b"\tShort\tLong name", b"\ta/b"]),
    ),
)


@pytest.mark.fuzz
@settings(max_examples=300, deadline=None)
@given(rows=st.lists(_manuf_row, max_size=30), end=st.booleans())
def test_fuzz_split_ouis_reads_rows_as_the_rule_says(rows, end) -> None:
    text = b"\n".join(rows) + (b"\n" if end else b"")
    ext = compiled.extension()
    assert ext is not None
    found = array("I")
    found.frombytes(ext.split_ouis(text))
    assert found.tolist() == _split_rows(text)


def test_the_compiled_names_are_pythons() -> None:
    ext = compiled.extension()
    assert ext is not None
    assert (ext.TOKENS, ext.SCOPES, ext.IID_CLASSES, ext.ROLES) == (
        TOKENS,
        SCOPES,
        IID_CLASSES,
        ROLES,
    )
    assert ext.N_COUNTS == compiled.COUNTS
