"""The suite's copies of the input contracts must match ``../shared/contracts`` where it exists.

A user's clone has no ``../shared``; there the copies are the data and this comparison has
nothing to compare with. Beside the shared folder (a developer's checkout, CI), a contract that
changed there and not here fails, so the change is noticed and the copy refreshed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.testdata import CONTRACTS, EVTX

SHARED = Path(__file__).resolve().parents[2] / "shared"
COPIES = sorted(CONTRACTS.glob("*.toml"))


def test_the_suite_has_its_own_copies() -> None:
    assert {p.name for p in COPIES} >= {"site.toml", "site-interfaces.toml"}
    assert {p.name for p in EVTX.glob("*.evtx")} == {"system.evtx", "dns_log_malformed.evtx"}


@pytest.mark.parametrize("copy", COPIES, ids=lambda p: p.name)
def test_contract_copy_matches_shared(copy: Path) -> None:
    original = SHARED / "contracts" / copy.name
    if not SHARED.is_dir():
        return  # a user's clone: the copy is the contract
    assert original.is_file(), f"{copy.name} is no longer in ../shared/contracts"
    assert copy.read_bytes() == original.read_bytes(), (
        f"../shared/contracts/{copy.name} changed: copy it to tests/data/contracts/"
    )


def test_every_shared_contract_is_copied() -> None:
    if not SHARED.is_dir():
        return
    shared = {p.name for p in (SHARED / "contracts").glob("*.toml")}
    assert shared <= {p.name for p in COPIES}
