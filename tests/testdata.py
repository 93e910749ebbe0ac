"""Where the suite's data lives: inside the repository, so a fresh clone runs the whole suite.

``tests/data/contracts`` holds copies of the input contracts and ``tests/data/evtx`` real
Windows event logs; tests/test_testdata.py compares the copies with the project's shared
originals when a checkout has them beside it.
"""

from __future__ import annotations

from ipaddress import IPv6Network
from pathlib import Path

from dualstack.addr.embedded import NAT64_WELL_KNOWN, SixRd
from dualstack.addr.inspect import Options

DATA = Path(__file__).resolve().parent / "data"
CONTRACTS = DATA / "contracts"
CONTRACT = CONTRACTS / "site.toml"
INTERFACES_CONTRACT = CONTRACTS / "site-interfaces.toml"
EVTX = DATA / "evtx"

# How the custom prefixes in bench/addrmix.py's edge sample are to be read: a local-use NAT64
# /48 beside the well-known prefix, and 6rd under 2a01::/20 (no IPv4 bits cut).
OPTIONS = Options(
    nat64_prefixes=(NAT64_WELL_KNOWN, IPv6Network("64:ff9b:1::/48")),
    sixrd=(SixRd(IPv6Network("2a01::/20"), 0),),
)
