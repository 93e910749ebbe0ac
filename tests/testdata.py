"""Where the suite's data lives: inside the repository, so a fresh clone runs the whole suite.

``tests/data/contracts`` holds copies of the input contracts and ``tests/data/evtx`` real
Windows event logs; tests/test_testdata.py compares the copies with ``../shared`` when a
checkout has that folder beside it.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
CONTRACTS = DATA / "contracts"
CONTRACT = CONTRACTS / "site.toml"
INTERFACES_CONTRACT = CONTRACTS / "site-interfaces.toml"
EVTX = DATA / "evtx"
