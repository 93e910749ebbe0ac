"""dualstack: plan, configure and verify the move from IPv4 to dual-stack IPv6.

The public API is small and loaded lazily, so ``import dualstack`` stays cheap:

>>> import dualstack
>>> dualstack.inspect("2001:0:4136:e378:8000:63bf:3fff:fdd2").teredo.server
IPv4Address('65.54.227.120')
"""

from __future__ import annotations

TYPE_CHECKING = False  # importing typing costs start-up time; mypy still reads these blocks

__version__ = "0.1.0"

_EXPORTS = {
    "inspect": "dualstack.addr.inspect",
    "Inspection": "dualstack.addr.inspect",
    "Options": "dualstack.addr.inspect",
    "Mac": "dualstack.addr.mac",
    "Eui64": "dualstack.addr.mac",
    "parse_address": "dualstack.addr.parse",
    "parse_any": "dualstack.addr.parse",
    "convert": "dualstack.addr.convert",
    "eui64_address": "dualstack.addr.slaac",
    "stable_address": "dualstack.addr.slaac",
    "nat64_synthesize": "dualstack.addr.embedded",
    "nat64_extract": "dualstack.addr.embedded",
    "anonymize": "dualstack.addr.anonymize",
    "DualstackError": "dualstack.errors",
    "InputError": "dualstack.errors",
    "AddressError": "dualstack.errors",
    "Finding": "dualstack.findings",
    "load_site": "dualstack.plan",
    "check": "dualstack.plan",
    "Outcome": "dualstack.plan",
    "Plan": "dualstack.plan",
    "build_kit": "dualstack.kit",
    "read_previous": "dualstack.kit",
    "render_kit": "dualstack.kit",
    "write_kit": "dualstack.kit",
    "Previous": "dualstack.kit",
    "KitWrite": "dualstack.kit",
    "PlanError": "dualstack.kit",
}

__all__ = [
    "AddressError",
    "DualstackError",
    "Eui64",
    "Finding",
    "InputError",
    "Inspection",
    "KitWrite",
    "Mac",
    "Options",
    "Outcome",
    "Plan",
    "PlanError",
    "Previous",
    "anonymize",
    "build_kit",
    "check",
    "convert",
    "eui64_address",
    "inspect",
    "load_site",
    "nat64_extract",
    "nat64_synthesize",
    "parse_address",
    "parse_any",
    "read_previous",
    "render_kit",
    "stable_address",
    "write_kit",
]

if TYPE_CHECKING:
    from typing import Any

    from dualstack.addr.anonymize import anonymize
    from dualstack.addr.convert import convert
    from dualstack.addr.embedded import nat64_extract, nat64_synthesize
    from dualstack.addr.inspect import Inspection, Options, inspect
    from dualstack.addr.mac import Eui64, Mac
    from dualstack.addr.parse import parse_address, parse_any
    from dualstack.addr.slaac import eui64_address, stable_address
    from dualstack.errors import AddressError, DualstackError, InputError
    from dualstack.findings import Finding
    from dualstack.kit import (
        KitWrite,
        PlanError,
        Previous,
        build_kit,
        read_previous,
        render_kit,
        write_kit,
    )
    from dualstack.plan import Outcome, Plan, check, load_site


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dualstack' has no attribute {name!r}")
    import importlib  # here: ``import dualstack`` alone should cost next to nothing

    return getattr(importlib.import_module(module), name)
