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
    hi: Any,
    lo: Any,
    version: Any,
    types: Any,
    scope: Any,
    iid: Any,
    roles: Any,
    split_ouis: Any,
    counts: Any,
) -> tuple[bytes, bytes, bytes, bytes, bytes, bytes]: ...
