"""Types of the compiled module (src/dualstack/bulk/_classify.c), which bulk/compiled.py wraps."""

from typing import Any

TOKENS: tuple[str, ...]
SCOPES: tuple[str, ...]
IID_CLASSES: tuple[str, ...]
SUBTYPES: tuple[str, ...]
ROLES: tuple[str, ...]
N_COUNTS: int

def classify(tables: tuple[Any, ...], hi: Any, lo: Any, version: Any, *columns: Any) -> None: ...
def tally(
    tables: tuple[Any, ...], hi: Any, lo: Any, version: Any, split_ouis: Any, counts: Any
) -> tuple[Any, ...]: ...
def scan_tally(
    tables: tuple[Any, ...],
    data: Any,
    mode: int,
    begin: int,
    end: int,
    split_ouis: Any,
    counts: Any,
) -> tuple[tuple[Any, ...], int, tuple[Any, ...]]: ...
