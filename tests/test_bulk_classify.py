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
