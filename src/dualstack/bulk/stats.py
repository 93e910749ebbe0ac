"""Statistics over an address population, gathered chunk by chunk in bounded memory.

Every count is exact while its table fits the memory bound (``distinct_memory``, default
:data:`DISTINCT_MEMORY` per table; :mod:`dualstack.bulk.agg` keeps the tables). Unique
addresses are distinct (family, 128-bit value) pairs, compared whole; past the bound they are
estimated with a HyperLogLog sketch (about 0.8% standard error) and ``unique_estimated`` says
so. Top prefixes count every /64 of unicast IPv6 exactly, and the /56 and /48 lists are those
counts summed; top vendors count every IEEE block. Past the bound a table keeps its most
frequent half, and ``top_exact`` turns false (the counts become lower bounds).
"""

from __future__ import annotations

from dualstack._value import field, value

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks
if TYPE_CHECKING:
    from typing import Any

DISTINCT_MEMORY = 64 << 20  # bytes per table: 2.96 million keys at 17 bytes a slot, 3/4 full
TOP = 10


@value
class Stats:
    """The finished report (``bulk.present.stats`` gives its JSON shape)."""

    lines: int
    candidates: int
    addresses: int
    invalid: int  # list mode: lines that are not addresses
    skipped: int  # other modes: fields or matches that turned out not to be addresses
    ipv4: int
    ipv6: int
    unique: int
    unique_estimated: bool
    types: dict[str, dict[str, int]]
    scopes: dict[str, dict[str, int]]
    iid: dict[str, int]
    embedded: dict[str, int]
    prefixes: dict[str, list[tuple[str, int]]]
    vendors: list[tuple[str, int]]
    top_exact: bool
    errors: list[tuple[int, str, str]] = field(default_factory=list)


class Lines:
    """What every tally counts alike: lines, candidates, the ones that are not addresses, and
    the first errors. :meth:`report` gives a :class:`Stats` with these filled in."""

    def __init__(self) -> None:
        self.lines = self.candidates = self.invalid = self.skipped = 0
        self.errors: list[tuple[int, str, str]] = []

    def count(self, batch: Any) -> None:
        """A batch's lines and candidates (a pipeline ``Batch`` or a compiled ``Block``)."""
        self.lines += batch.lines
        self.candidates += batch.candidates
        self.invalid += batch.invalid
        self.skipped += batch.skipped
        self.errors.extend(batch.errors(max(0, 10 - len(self.errors))))

    def report(self, **counts: Any) -> Stats:
        return Stats(
            lines=self.lines,
            candidates=self.candidates,
            addresses=self.candidates - self.invalid - self.skipped,
            invalid=self.invalid,
            skipped=self.skipped,
            errors=list(self.errors),
            **counts,
        )


def empty() -> Stats:
    """The report of an input with no lines."""
    return Stats(
        lines=0,
        candidates=0,
        addresses=0,
        invalid=0,
        skipped=0,
        ipv4=0,
        ipv6=0,
        unique=0,
        unique_estimated=False,
        types={"ipv4": {}, "ipv6": {}},
        scopes={"ipv4": {}, "ipv6": {}},
        iid={},
        embedded={},
        prefixes={f"/{length}": [] for length in (48, 56, 64)},
        vendors=[],
        top_exact=True,
    )


def vendor_label(key: int) -> str:
    """``Intel Corporate [001b21]``: the name and the IEEE block (/24, /28 or /36 in hex)."""
    from dualstack.addr.mac import Mac
    from dualstack.bulk.vendors import vendor_of

    if Mac(key << 12).is_local:
        return f"(locally administered) [{key >> 12:06x}]"
    found = vendor_of(key)
    if found is None:
        return f"(unregistered) [{key >> 12:06x}]"
    return f"{found.name} [{found.block}]"


def prefix_text(key: int, length: int) -> str:
    from ipaddress import IPv6Network

    from dualstack.addr.text import compressed

    network = IPv6Network((key << (128 - length), length))
    return f"{compressed(network.network_address)}/{length}"
