"""Column anonymisation gives the core's answer for every address and policy."""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy", reason="numpy is the bulk extra (installed by make test; CI)")

from bench.addrmix import sample  # noqa: E402

from dualstack.addr.anonymize import Policy, anonymize  # noqa: E402
from dualstack.addr.parse import parse_address  # noqa: E402
from dualstack.bulk.anonymize import anonymize as anonymize_columns  # noqa: E402
from dualstack.bulk.classify import classify  # noqa: E402
from dualstack.bulk.parse import parse_many  # noqa: E402
from tests.testdata import IPV6CALC_ZERO_ROWS as ROWS  # noqa: E402


@pytest.mark.parametrize(
    "policy",
    [
        Policy(),
        Policy("zero"),
        Policy("zero", ipv4_bits=16, ipv6_bits=60),
        Policy(ipv4_bits=16, ipv6_bits=48),
        Policy(ipv4_bits=0, ipv6_bits=0),
        Policy(ipv4_bits=32, ipv6_bits=128),
        Policy(ipv4_bits=20, ipv6_bits=60),
    ],
)
def test_matches_the_core(policy: Policy) -> None:
    lines = sample(4000, 11) + [row[0] for row in ROWS]
    parsed = parse_many(lines)
    hi, lo = anonymize_columns(parsed, classify(parsed), policy)
    for i, line in enumerate(lines):
        expected = anonymize(parse_address(line).address, policy)
        got = int(hi[i]) << 64 | int(lo[i])
        assert got == int(expected), (line, policy)


def test_compiled_and_numpy_texts_agree() -> None:
    from dualstack.bulk import anonymize as columns
    from dualstack.bulk import kernels  # numba: in the dev extra, so this runs in CI

    parsed = parse_many([*sample(6000, 12), "junk", "::ffff:10.0.0.1", "::", "0.0.0.0"])
    hi, lo, version = parsed.hi, parsed.lo, parsed.version
    by_kernel = columns.texts_compiled(hi, lo, version, kernels.write_texts)
    assert by_kernel == columns.texts_columns(hi, lo, version)
