"""The ``--json`` object and text lines of ``dualstack windows components``."""

from __future__ import annotations

from typing import Any

from dualstack.windows.components import Components

SCHEMA = "dualstack-windows-components/1"


def components(found: Components) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "value": found.value,
        "hex": found.hex,
        "bits": [
            {"bit": bit.mask, "name": bit.name, "set": is_set, "meaning": bit.meaning}
            for bit, is_set in found.bits
        ],
        "warnings": list(found.warnings),
        "commands": {"reg": found.reg_add, "powershell": found.powershell},
    }


def lines(found: Components) -> list[str]:
    out = [f"DisabledComponents {found.hex} ({found.value})"]
    for bit, is_set in found.bits:
        out.append(f"  [{'x' if is_set else ' '}] 0x{bit.mask:02x} {bit.name:<12} {bit.meaning}")
    if not found.value:
        out.append("  every IPv6 component on (the default: the value absent or 0)")
    out.extend(f"warning: {w}" for w in found.warnings)
    out.append("Windows reads the value at start-up: restart for a change to take effect.")
    out.append(f"cmd:        {found.reg_add}")
    out.append(f"PowerShell: {found.powershell}")
    return out
