"""Types of the compiled module (src/dualstack/bulk/_jsonl.c), which bulk/annotate.py wraps."""

from typing import Any

N_FRAGMENTS: int
N_FIELDS: int

def room(rows: int, longest: int, offsets: Any, starts: Any, nat64: int) -> int: ...
def write(*columns_then_mask: Any) -> int: ...
