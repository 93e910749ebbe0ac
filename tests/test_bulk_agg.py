"""Exact aggregation for ``bulk stats``: the compiled tables (``dualstack.bulk._agg``) and the
numpy path give the same results, both exact until the memory bound, and the same estimate and
lower bounds past it."""

from __future__ import annotations

import io
import os
import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from ipaddress import IPv6Address, IPv6Network
from itertools import pairwise
from types import ModuleType

import pytest

np = pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")

from bench.addrmix import generate, sample  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dualstack.bulk import agg, compiled_tally, stats  # noqa: E402
from dualstack.bulk.numpy_tally import Tally  # noqa: E402
from dualstack.bulk.pipeline import Batch, batches  # noqa: E402
from dualstack.bulk.source import extractor  # noqa: E402

U64 = np.uint64


def _compiled_module() -> ModuleType:
    try:
        from dualstack.bulk import _agg
    except ImportError:
        if os.environ.get("CI") or os.environ.get("DUALSTACK_REQUIRE_EXT"):
            pytest.fail("dualstack.bulk._agg is not built: the install must compile it")
        pytest.skip("dualstack.bulk._agg is not built (outside CI only; setup.py build_ext)")
    module: ModuleType = _agg
    return module


@pytest.fixture
def ext() -> ModuleType:
    return _compiled_module()


@contextmanager
def path(module: ModuleType | None) -> Iterator[None]:
    """Run the wrapper on the compiled tables (``module``) or on numpy (None)."""
    saved = agg._ext
    agg._ext = module
    try:
        yield
    finally:
        agg._ext = saved


def read(text: str, size: int = 1 << 16) -> list[Batch]:
    return list(batches(io.BytesIO(text.encode()), extractor("list"), size=size))


def tally(read_batches: list[Batch], module: ModuleType | None, memory: int) -> stats.Stats:
    with path(module):
        t = Tally(distinct_memory=memory)
        for batch in read_batches:
            t.add(batch)
        return t.result()


def end_to_end(text: str, memory: int, size: int = 1 << 16) -> stats.Stats:
    """The report of the compiled path end to end (scanner, classifier, tables)."""
    if not compiled_tally.available():
        from tests.bulklab import require_scanner

        require_scanner()
    t = compiled_tally.CompiledTally(distinct_memory=memory)
    for block in compiled_tally.blocks(io.BytesIO(text.encode()), "list", size=size):
        t.add(block)
    return t.result()


def both(text: str, ext: ModuleType, memory: int = stats.DISTINCT_MEMORY) -> stats.Stats:
    """The report on the numpy tally with and without the compiled tables, and through the
    compiled kernels end to end; all three must be equal."""
    read_batches = read(text)
    compiled = tally(read_batches, ext, memory)
    assert tally(read_batches, None, memory) == compiled
    assert end_to_end(text, memory) == compiled
    return compiled


# ---------------------------------------------------------------- the report, both paths


def test_realistic_mix_is_exact_and_the_same_on_both_paths(ext: ModuleType) -> None:
    lines, _ = generate(60_000, seed=7)
    result = both("\n".join(lines) + "\n", ext)
    assert not result.unique_estimated
    assert result.top_exact
    assert result.unique == len(set(lines))  # the mix writes each address one way
    his = [int(IPv6Address(line)) >> 64 for line in lines if ":" in line]
    per64 = Counter(hi for hi in his if hi and hi >> 56 != 0xFF)
    expected = sorted(per64.items(), key=lambda item: (-item[1], item[0]))[:10]
    got = [(int(IPv6Network(p).network_address) >> 64, n) for p, n in result.prefixes["/64"]]
    assert got == expected
    assert sum(n for _, n in result.vendors) <= result.iid["ieee-derived"]
    assert len(result.vendors) == 10


def test_edge_mix_is_the_same_on_both_paths(ext: ModuleType) -> None:
    lines = sample(20_000, seed=3)
    result = both("\n".join(lines) + "\n", ext)
    assert not result.unique_estimated
    assert result.top_exact


def test_the_family_is_part_of_the_key(ext: ModuleType) -> None:
    # 1.2.3.4 and ::102:304 hold the same 128-bit value; :: is the all-zero key
    text = "1.2.3.4\n::102:304\n::\n::\n0.0.0.0\n1.2.3.4\n::1.2.3.4\n"
    result = both(text, ext)
    assert (result.unique, result.unique_estimated) == (4, False)


def test_empty_input(ext: ModuleType) -> None:
    result = both("", ext)
    assert (result.unique, result.prefixes, result.vendors) == (
        0,
        {"/48": [], "/56": [], "/64": []},
        [],
    )
    assert result.top_exact


def test_past_the_bound_both_paths_estimate_alike(ext: ModuleType) -> None:
    lines = [f"2001:db8:{i % 3000:x}::{i:x}" for i in range(20_000)]
    result = both("\n".join(lines) + "\n", ext, memory=17 * 1000)  # 750 keys per table
    assert result.unique_estimated
    assert not result.top_exact
    assert abs(result.unique - 20_000) < 20_000 * 0.05


def test_a_zero_bound_estimates_from_the_first_address(ext: ModuleType) -> None:
    result = both("2001:db8::1\n2001:db8::2\n10.0.0.1\n", ext, memory=0)
    assert (result.unique, result.unique_estimated) == (3, True)


def test_top_lists_are_exact_where_pruning_lost_the_winner(ext: ModuleType) -> None:
    """The old tally pruned its counter to the 65,536 most common keys past 131,072 (ties by
    arrival, here by key): 2001:db8:ffff:ffff::/64, once in each of four chunks of 140,000 new
    /64s, was dropped every time, and the ten /64s seen twice took the whole top ten."""
    parts = []
    for chunk in range(4):
        rows = [f"2001:db8:{chunk:x}{i >> 16:x}:{i & 0xFFFF:x}::1" for i in range(140_000)]
        if chunk == 0:
            rows += [f"2001:db9:0:{k:x}::1" for k in range(10)] * 2
        rows.append("2001:db8:ffff:ffff::1")
        parts.append("\n".join(rows) + "\n")
    read_batches = [b for part in parts for b in read(part, size=1 << 23)]
    ends = end_to_end("".join(parts), stats.DISTINCT_MEMORY, size=1 << 23)
    for module in (ext, None, "end to end"):
        result = (
            ends if module == "end to end" else tally(read_batches, module, stats.DISTINCT_MEMORY)
        )
        assert result.prefixes["/64"][0] == ("2001:db8:ffff:ffff::/64", 4)
        doubles = [(str(IPv6Network(f"2001:db9:0:{k:x}::/64")), 2) for k in range(9)]
        assert result.prefixes["/64"][1:] == doubles
        assert (result.addresses, result.invalid, result.unique) == (560_024, 0, 560_011)
        assert result.top_exact
        assert not result.unique_estimated


def test_ties_are_broken_by_prefix() -> None:
    keys = np.array([5, 3, 9, 1, 7], dtype=U64)
    counts = np.array([2, 4, 2, 4, 1], dtype=np.int64)
    assert agg.top(keys, counts, 3).tolist() == [3, 1, 0]  # 4 (key 1), 4 (key 3), 2 (key 5)
    assert agg.top(keys, counts, 10).tolist() == [3, 1, 0, 2, 4]


def test_fold_sums_longer_prefixes_into_shorter() -> None:
    keys = np.array([0x100, 0x1FF, 0x200, 0x2FF], dtype=U64)
    counts = np.array([1, 2, 3, 4], dtype=np.int64)
    shorter, summed = agg.fold(keys, counts, 8)
    assert (shorter.tolist(), summed.tolist()) == ([1, 2], [3, 7])


# ---------------------------------------------------------------- the compiled tables


def test_bad_arrays_are_refused_not_read(ext: ModuleType) -> None:
    table = ext.Set128(10)
    hi = np.zeros(4, dtype=U64)
    with pytest.raises(TypeError, match="hi"):
        table.add(np.zeros(4, dtype=np.int32), hi, np.full(4, 6, np.uint8))
    with pytest.raises(ValueError, match="length"):
        table.add(hi, hi[:3], np.full(4, 6, np.uint8))
    with pytest.raises(ValueError, match="version"):
        table.add(hi, hi, np.array([6, 6, 5, 6], np.uint8))
    with pytest.raises((ValueError, BufferError)):
        table.add(np.zeros(8, dtype=U64)[::2], hi, np.full(4, 6, np.uint8))
    with pytest.raises(TypeError, match="registers"):
        ext.hll_add(np.zeros(1 << 14, np.int8), hi, hi, np.full(4, 6, np.uint8))
    with pytest.raises(ValueError, match="registers"):
        ext.hll_add(np.zeros(100, np.uint8), hi, hi, np.full(4, 6, np.uint8))
    counter = ext.Counter64(10)
    counter.add(np.arange(3, dtype=U64))
    with pytest.raises(ValueError, match="len"):
        counter.export(np.zeros(2, U64), np.zeros(2, np.int64))
    with pytest.raises(TypeError):
        counter.export(np.zeros(3, U64), np.zeros(3, U64))  # counts are signed
    with pytest.raises(RuntimeError, match="initialised"):
        ext.Set128.__new__(ext.Set128).add(hi, hi, np.full(4, 6, np.uint8))


def _keys(draw_pool: list[tuple[int, int, int]], picks: list[int]) -> tuple:
    rows = [draw_pool[i] for i in picks]
    hi = np.array([r[0] for r in rows], dtype=U64)
    lo = np.array([r[1] for r in rows], dtype=U64)
    version = np.array([r[2] for r in rows], dtype=np.uint8)
    return hi, lo, version


_word = st.one_of(st.integers(0, 3), st.integers(0, (1 << 64) - 1), st.just((1 << 64) - 1))
_row = st.tuples(_word, _word, st.sampled_from((4, 6)))


@pytest.mark.fuzz
@settings(max_examples=300, deadline=None)
@given(
    pool=st.lists(_row, min_size=1, max_size=3000),
    picks=st.data(),
    max_keys=st.integers(0, 4000),
    parts=st.integers(1, 4),
)
def test_fuzz_set128_matches_a_python_set(pool, picks, max_keys, parts) -> None:
    """Random keys with many repeats, through several resizes and the bound: the table holds
    exactly Python's set of the rows before the one it stops at, and stops where the set would
    first exceed ``max_keys``."""
    ext = _compiled_module()
    index = picks.draw(st.lists(st.integers(0, len(pool) - 1), max_size=6000))
    hi, lo, version = _keys(pool, index)
    table = ext.Set128(max_keys)
    seen: set[tuple[int, int, int]] = set()
    bounds = sorted({0, len(index), *(len(index) * k // parts for k in range(parts))})
    for start, stop in pairwise(bounds):
        got = table.add(hi[start:stop], lo[start:stop], version[start:stop])
        expected = -1
        for r in range(start, stop):
            key = pool[index[r]]
            if key not in seen and len(seen) == max_keys:
                expected = r - start
                break
            seen.add(key)
        assert got == expected
        assert len(table) == len(seen)
        if got >= 0:
            break
    assert table.nbytes <= 17 * max(1, -(-max_keys * 4 // 3))  # never past the bound


@pytest.mark.fuzz
@settings(max_examples=200, deadline=None)
@given(
    keys=st.lists(st.one_of(st.integers(0, 40), st.integers(0, (1 << 64) - 1)), max_size=5000),
    max_keys=st.integers(0, 300),
    parts=st.integers(1, 5),
)
def test_fuzz_counts_agree_with_counter_and_numpy(keys, max_keys, parts) -> None:
    """Counts on both paths equal Python's Counter while under the bound, and equal each other
    (the same lower bounds) past it."""
    ext = _compiled_module()
    column = np.array(keys, dtype=U64)
    bounds = sorted({0, len(keys), *(len(keys) * k // parts for k in range(parts))})
    results = []
    for module in (ext, None):
        with path(module):
            counts = agg.Counts(max_keys)
            for start, stop in pairwise(bounds):
                counts.add(column[start:stop])
            k, c = counts.items()
            results.append((k.tolist(), c.tolist(), counts.exact))
    assert results[0] == results[1]
    if results[0][2]:
        expected = sorted(Counter(keys).items())
        assert list(zip(results[0][0], results[0][1], strict=True)) == expected


@pytest.mark.fuzz
@settings(max_examples=200, deadline=None)
@given(pool=st.lists(_row, min_size=1, max_size=2000), data=st.data(), max_keys=st.integers(0, 600))
def test_fuzz_distinct_and_sketch_agree_on_both_paths(pool, data, max_keys) -> None:
    ext = _compiled_module()
    index = data.draw(st.lists(st.integers(0, len(pool) - 1), max_size=4000))
    hi, lo, version = _keys(pool, index)
    half = len(index) // 2
    results = []
    for module in (ext, None):
        with path(module):
            distinct = agg.Distinct(max_keys)
            distinct.add(hi[:half], lo[:half], version[:half])
            distinct.add(hi[half:], lo[half:], version[half:])
            registers = None if distinct.registers is None else distinct.registers.tolist()
            results.append((distinct.count(), registers))
    assert results[0] == results[1]
    truth = len({pool[i] for i in index})
    assert results[0][0] == (truth, False) if truth <= max_keys else results[0][0][1]


def test_sketch_is_the_same_on_both_paths_at_scale(ext: ModuleType) -> None:
    rng = random.Random(5)
    n = 200_000
    hi = np.array([rng.getrandbits(64) for _ in range(n)], dtype=U64)
    lo = np.array([rng.getrandbits(64) for _ in range(n)], dtype=U64)
    version = np.array([rng.choice((4, 6)) for _ in range(n)], dtype=np.uint8)
    registers = []
    for module in (ext, None):
        with path(module):
            r = np.zeros(1 << agg.HLL_BITS, dtype=np.uint8)
            agg.hll_add(r, hi, lo, version)
            registers.append(r)
    assert registers[0].tobytes() == registers[1].tobytes()
    assert abs(agg.hll_estimate(registers[0]) - n) < n * 0.03


# ---------------------------------------------------------------- the command


@pytest.mark.parametrize("no_ext", ["", "1"])
def test_cli_distinct_memory_bounds_the_tables_and_says_so(tmp_path, no_ext: str) -> None:
    import json
    import subprocess
    import sys

    listing = tmp_path / "list.txt"
    listing.write_text("".join(f"2001:db8:{i:x}::{i:x}\n" for i in range(3000)))
    env = {**os.environ, "DUALSTACK_NO_EXT": no_ext}
    reports = {}
    for memory in ("64", "0"):
        result = subprocess.run(
            [sys.executable, "-m", "dualstack", "bulk", "stats", str(listing), "--json",
             "--distinct-memory", memory],
            capture_output=True, env=env, timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        reports[memory] = json.loads(result.stdout)
    exact, bounded = reports["64"], reports["0"]
    assert (exact["unique"], exact["unique_estimated"], exact["top_exact"]) == (3000, False, True)
    assert (bounded["unique_estimated"], bounded["top_exact"]) == (True, False)
    assert abs(bounded["unique"] - 3000) < 3000 * 0.05
    text = subprocess.run(
        [sys.executable, "-m", "dualstack", "bulk", "stats", str(listing),
         "--distinct-memory", "0"],
        capture_output=True, env=env, timeout=60, text=True,
    ).stdout  # fmt: skip
    assert "(estimated)" in text
    assert "lower bounds" in text


@pytest.mark.fuzz
@settings(max_examples=100, deadline=None)
@given(pool=st.lists(_row, min_size=1, max_size=500), data=st.data())
def test_fuzz_numpy_path_is_exact_when_fingerprints_collide(pool, data) -> None:
    """A fingerprint of two bits makes different keys collide all the time: the numpy path must
    notice and still count each key once."""
    index = data.draw(st.lists(st.integers(0, len(pool) - 1), max_size=1500))
    hi, lo, version = _keys(pool, index)
    saved = agg.fingerprint
    agg.fingerprint = lambda h, low, v: h & U64(3)  # type: ignore[assignment]
    try:
        with path(None):
            distinct = agg.Distinct(10_000)
            for part in np.array_split(np.arange(len(index)), 3):
                distinct.add(hi[part], lo[part], version[part])
            assert distinct.count() == (len({pool[i] for i in index}), False)
    finally:
        agg.fingerprint = saved
