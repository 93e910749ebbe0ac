"""The compiled hash tables (``dualstack.bulk._agg``) and the HyperLogLog estimate, without
numpy: :mod:`.agg` wraps them for numpy columns, :mod:`.compiled_tally` uses them on plain
buffers. This module is the extension's only importer."""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache
from types import ModuleType

SLOT_BYTES = 17  # a control byte and a 16-byte key (or an 8-byte key and its count)
HLL_BITS = 14


@cache
def extension() -> ModuleType | None:
    """The compiled tables, or None (not built, or ``DUALSTACK_NO_EXT=1``)."""
    from dualstack.bulk.fast import native

    return native("_agg")


def max_keys(memory: int) -> int:
    """How many keys a table of at most ``memory`` bytes holds at 3/4 load."""
    return max(0, memory) // SLOT_BYTES * 3 // 4


def hll_estimate(registers: Iterable[int]) -> int:
    """The HyperLogLog estimate over 2^14 registers, with linear counting for small
    cardinalities (the same float arithmetic for every caller, so both paths round alike)."""
    values = [int(r) for r in registers]
    m = float(len(values))
    estimate = 0.7213 / (1 + 1.079 / m) * m * m / math.fsum(2.0**-r for r in values)
    zeros = values.count(0)
    if estimate <= 2.5 * m and zeros:
        estimate = m * math.log(m / zeros)
    return round(estimate)
