"""Vendor of a MAC from the IEEE registries, offline.

The data is the IEEE MA-L (OUI) and IAB listings that the maintained ``netaddr`` package ships
(``netaddr/eui/oui.txt`` and ``iab.txt`` with their offset indexes). Only those files are read:
netaddr itself is never imported, so a lookup costs one index load and one seek.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from dualstack.addr.mac import Mac

SOURCE = "IEEE MA-L and IAB registries, as shipped in the netaddr package's netaddr/eui/ data"


@cache
def _data_dir() -> Path | None:
    spec = importlib.util.find_spec("netaddr")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "eui"


@cache
def _index(name: str) -> dict[int, tuple[int, int]]:
    """``{registry key: (offset, size)}`` from netaddr's ``.idx`` file (key,offset,size lines)."""
    base = _data_dir()
    if base is None:
        return {}
    entries: dict[int, tuple[int, int]] = {}
    with (base / f"{name}.idx").open(encoding="ascii") as handle:
        for line in handle:
            key, offset, size = line.split(",")
            entries.setdefault(int(key), (int(offset), int(size)))
    return entries


def _organisation(name: str, offset: int, size: int) -> str | None:
    base = _data_dir()
    assert base is not None
    with (base / f"{name}.txt").open("rb") as handle:
        handle.seek(offset)
        record = handle.read(size).decode("utf-8", "replace")
    for line in record.splitlines():
        if "(base 16)" in line:
            return line.split("(base 16)", 1)[1].strip() or None
    return None


def vendor(mac: Mac) -> str | None:
    """The organisation the MAC's block is registered to, or None (unknown or locally
    administered: a local MAC carries no vendor even if its first octets match one)."""
    if mac.is_local:
        return None
    iab = _index("iab").get(mac.value >> 12)  # IAB blocks are 36-bit prefixes
    if iab is not None:
        return _organisation("iab", *iab)
    oui = _index("oui").get(mac.oui)
    return _organisation("oui", *oui) if oui is not None else None
