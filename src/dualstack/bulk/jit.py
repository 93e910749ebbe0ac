"""Whether the compiled kernels are used: numba installed (the ``fast`` extra) and not switched
off with ``DUALSTACK_NO_JIT=1``. Without them every path runs on numpy alone, same output."""

from __future__ import annotations

import os
from functools import cache
from typing import Any


@cache
def compiled(name: str) -> Any:
    """The kernel ``name`` of :mod:`dualstack.bulk.kernels`, or None (no numba, or disabled).
    numba compiles a kernel on its first call, or loads it from its on-disk cache."""
    if os.environ.get("DUALSTACK_NO_JIT"):
        return None
    try:
        from dualstack.bulk import kernels
    except ImportError:
        return None
    return getattr(kernels, name)
