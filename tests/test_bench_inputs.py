"""The bench's input generator (bench/addrmix.py) is the one the tests use: its traffic mix
has the documented shares, and its web log holds the same clients, found by
``--extract combined``."""

from __future__ import annotations

from bench.addrmix import MIX, generate, log_lines

from dualstack.bulk.source import extractor


def test_the_mix_has_the_documented_shares() -> None:
    lines, mix = generate(20_000)
    assert len(lines) == 20_000
    assert sum(mix.values()) == 20_000
    for kind, share, _make in MIX:
        assert abs(mix[kind] / 20_000 - share / 100) < 0.01 + share / 400, kind


def test_the_log_holds_the_same_clients() -> None:
    lines, _ = generate(3000)
    log = log_lines(lines)
    assert len(log) == len(lines)
    chunk = extractor("combined")("\n".join(log) + "\n", 1)
    assert chunk.candidates == lines
    assert generate(3000)[0] == lines  # seeded: every run measures the same bytes
