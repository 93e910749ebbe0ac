"""MAC (EUI-48) and EUI-64 values, and the modified EUI-64 interface ID (RFC 4291 App. A)."""

from __future__ import annotations

from dualstack._value import ordered_value
from dualstack.errors import AddressError, quote

_HEX = "0-9A-Fa-f"
# Patterns as text: ``re`` compiles (and caches) one the first time it is used, so an inspection
# that never reads a MAC pays nothing for them at start-up.
_MAC_FORMS = (
    rf"([{_HEX}]{{1,2}})([:-])([{_HEX}]{{1,2}})" + rf"\2([{_HEX}]{{1,2}})" * 4,
    rf"([{_HEX}]{{4}})\.([{_HEX}]{{4}})\.([{_HEX}]{{4}})",
    rf"[{_HEX}]{{12}}",
)
_EUI64_FORMS = (
    rf"([{_HEX}]{{2}})([:-])([{_HEX}]{{2}})" + rf"\2([{_HEX}]{{2}})" * 6,
    rf"([{_HEX}]{{4}})\.([{_HEX}]{{4}})\.([{_HEX}]{{4}})\.([{_HEX}]{{4}})",
    rf"[{_HEX}]{{16}}",
)

UL_BIT_48 = 0x02 << 40  # universal/local bit of the first octet of a MAC
IG_BIT_48 = 0x01 << 40  # individual/group bit


def _hex_value(text: str, forms: tuple[str, ...]) -> int | None:
    """The integer behind the first spelling in ``forms`` that matches, or None.

    The first form uses 1-2 digit groups (zero-padded to 2), the others 4-digit groups.
    """
    import re  # here: the bulk engine imports this module for its values, never parses text

    stripped = text.strip()
    for number, form in enumerate(forms):
        match = re.fullmatch(form, stripped)
        if match:
            groups = [g for g in match.groups() if g not in (":", "-")] or [match.group(0)]
            return int("".join(g.zfill(2 if number == 0 else 4) for g in groups), 16)
    return None


def _check_width(value: int, bits: int, what: str) -> None:
    if not 0 <= value < 1 << bits:
        raise AddressError(f"{what} value {value!r} does not fit in {bits} bits")


@ordered_value
class Mac:
    """A 48-bit IEEE MAC address (EUI-48), held as an integer."""

    value: int

    def __post_init__(self) -> None:
        _check_width(self.value, 48, "MAC")

    @classmethod
    def parse(cls, text: str) -> Mac:
        """Parse any common spelling: ``00:15:5d:01:14:0b``, ``00-15-5D-01-14-0B``,
        ``0015.5d01.140b`` or ``00155d01140b``."""
        value = _hex_value(text, _MAC_FORMS)
        if value is not None:
            return cls(value)
        raise AddressError(
            f"{quote(text)} is not a MAC address: expected six hex octets such as "
            "00:15:5d:01:14:0b, 00-15-5D-01-14-0B, 0015.5d01.140b or 00155d01140b"
        )

    @property
    def packed(self) -> bytes:
        return self.value.to_bytes(6, "big")

    @property
    def oui(self) -> int:
        """The first 24 bits: the IEEE MA-L block the vendor was assigned."""
        return self.value >> 24

    @property
    def is_local(self) -> bool:
        """Locally administered (U/L bit set): not vendor-assigned, e.g. random or VM MACs."""
        return bool(self.value & UL_BIT_48)

    @property
    def is_multicast(self) -> bool:
        return bool(self.value & IG_BIT_48)

    def modified_eui64(self) -> int:
        """The 64-bit interface identifier SLAAC forms: ff:fe in the middle, U/L bit inverted."""
        high, low = self.value >> 24, self.value & 0xFFFFFF
        return ((high << 40) | (0xFFFE << 24) | low) ^ (0x02 << 56)

    def __str__(self) -> str:
        return ":".join(f"{b:02x}" for b in self.packed)


@ordered_value
class Eui64:
    """A 64-bit IEEE EUI-64 identifier (FireWire, ZigBee, some NICs), held as an integer."""

    value: int

    def __post_init__(self) -> None:
        _check_width(self.value, 64, "EUI-64")

    @classmethod
    def parse(cls, text: str) -> Eui64:
        """Parse ``02:15:5d:ff:fe:01:14:0b``, ``02-15-..``, ``0215.5dff.fe01.140b`` or 16 hex."""
        value = _hex_value(text, _EUI64_FORMS)
        if value is not None:
            return cls(value)
        raise AddressError(
            f"{quote(text)} is not an EUI-64: expected eight hex octets such as "
            "02:15:5d:ff:fe:01:14:0b or 16 hex digits"
        )

    @classmethod
    def from_interface_id(cls, iid: int) -> Eui64:
        """The EUI-64 behind a modified EUI-64 interface identifier (the U/L bit flipped back)."""
        return cls(iid ^ (0x02 << 56))

    @property
    def interface_id(self) -> int:
        """The modified EUI-64 interface identifier: the U/L bit inverted (RFC 4291 App. A)."""
        return self.value ^ (0x02 << 56)

    def to_mac(self) -> Mac | None:
        """The MAC an EUI-64 was expanded from (ff:fe in octets 4-5), or None if it was not."""
        if (self.value >> 24) & 0xFFFF != 0xFFFE:
            return None
        return Mac(((self.value >> 40) << 24) | (self.value & 0xFFFFFF))

    def __str__(self) -> str:
        return ":".join(f"{b:02x}" for b in self.value.to_bytes(8, "big"))


def mac_from_interface_id(iid: int) -> Mac | None:
    """The MAC inside a modified EUI-64 interface identifier, or None if there is none."""
    return Eui64.from_interface_id(iid).to_mac()
