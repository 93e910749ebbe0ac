"""Windows' ``DisabledComponents`` registry value (``HKLM\\SYSTEM\\CurrentControlSet\\Services\\
Tcpip6\\Parameters``, REG_DWORD): what a value turns off, what it risks, and the value for an
outcome, from Microsoft's "Guidance for configuring IPv6 in Windows for advanced users"
(KB 929852, learn.microsoft.com/troubleshoot/windows-server/networking/configure-ipv6-in-windows).

The value is absent by default (0: every component on). Bits 0-7 have a documented meaning;
a change takes effect after a restart. Microsoft does not recommend disabling IPv6 or its
components and suggests preferring IPv4 (0x20) instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from dualstack.errors import InputError, quote

KEY = r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters"
NAME = "DisabledComponents"
MAX = 0xFFFFFFFF  # a REG_DWORD


@dataclass(frozen=True, slots=True)
class Bit:
    """One documented bit: its mask, a short name, and what setting it does."""

    mask: int
    name: str
    meaning: str


BITS = (
    Bit(0x01, "tunnels", "IPv6 off on every tunnel interface (ISATAP, 6to4, Teredo)"),
    Bit(0x02, "6to4", "the 6to4 interface off"),
    Bit(0x04, "isatap", "ISATAP interfaces off"),
    Bit(0x08, "teredo", "the Teredo interface off"),
    Bit(0x10, "native", "IPv6 off on every non-tunnel interface (LAN and PPP); loopback stays"),
    Bit(0x20, "prefer-ipv4", "IPv4 preferred over IPv6 in the default prefix policies"),
    Bit(0x40, "cp", "CP interfaces off (TunnelCp)"),
    Bit(0x80, "ip-tls", "IP-TLS interfaces off (TunnelIpTls)"),
)

# --want outcomes -> (bits to set, bits to clear)
WANTS = {
    "tunnels-off": (0x01, 0),
    "6to4-off": (0x02, 0),
    "isatap-off": (0x04, 0),
    "teredo-off": (0x08, 0),
    "prefer-ipv4": (0x20, 0),
    "prefer-ipv6": (0, 0x20),
    "native-off": (0x10, 0),
    "all-off": (0xFF, 0),
    "all-on": (0, MAX),
}


@dataclass(frozen=True, slots=True)
class Components:
    """A ``DisabledComponents`` value read bit by bit."""

    value: int
    bits: tuple[tuple[Bit, bool], ...]
    warnings: tuple[str, ...]

    @property
    def hex(self) -> str:
        return f"0x{self.value:02x}" if self.value <= 0xFF else f"0x{self.value:08x}"

    @property
    def reg_add(self) -> str:
        """The command Microsoft gives (cmd.exe)."""
        return f'reg add "{KEY}" /v {NAME} /t REG_DWORD /d {self.hex} /f'

    @property
    def powershell(self) -> str:
        """The same in PowerShell (creates the value where it does not exist yet)."""
        path = KEY.replace("HKLM\\", "HKLM:\\")
        return f"Set-ItemProperty -Path '{path}' -Name {NAME} -Type DWord -Value {self.hex}"


def parse_value(text: str) -> int:
    """A value as ``reg query`` shows it (``0x20``) or as a decimal (``32``)."""
    body = text.strip().lower()
    try:
        value = int(body, 16) if body.startswith("0x") else int(body, 10)
    except ValueError:
        raise InputError(
            f"DisabledComponents {quote(text)}: expected a number, decimal (32) or hex (0x20)"
        ) from None
    if not 0 <= value <= MAX:
        raise InputError(f"DisabledComponents {quote(text)}: a REG_DWORD is 0 to 0xffffffff")
    return value


def decode(value: int) -> Components:
    """What ``value`` turns off, and the warnings an admin should read before setting it."""
    if not 0 <= value <= MAX:
        raise InputError(f"DisabledComponents {value}: a REG_DWORD is 0 to 0xffffffff")
    bits = tuple((bit, bool(value & bit.mask)) for bit in BITS)
    return Components(value, bits, _warnings(value))


def want(outcomes: list[str], start: int = 0) -> Components:
    """The value giving ``outcomes`` (applied in order to ``start``, the value now)."""
    value = start
    for outcome in outcomes:
        if outcome not in WANTS:
            raise InputError(f"--want {outcome!r} is not one of {', '.join(WANTS)}")
        on, off = WANTS[outcome]
        value = (value | on) & ~off & MAX
    return decode(value)


def _warnings(value: int) -> tuple[str, ...]:
    out = []
    if value == MAX:
        out.append(
            "0xffffffff delays every start-up by five seconds; to turn off all IPv6 components "
            "the documented value is 0xff"
        )
    elif value > 0xFF:
        out.append(
            f"bits above 0xff ({value & ~0xFF:#x}) have no documented meaning; Windows reads "
            "the low eight"
        )
    low = value & 0xFF
    if low & 0x10:
        out.append(
            "0x10 turns IPv6 off on every LAN and PPP interface: the host keeps IPv6 only on "
            "loopback (and tunnels unless 0x01); Microsoft does not recommend disabling IPv6 "
            "(some Windows components may not work) and suggests 0x20, prefer IPv4, instead"
        )
    if low & 0x01 and low & 0x0E and low != 0xFF:
        out.append("0x01 already turns every tunnel off: 0x02, 0x04 and 0x08 add nothing")
    if value not in (0, 0x20):
        out.append(
            "any value but 0 or 0x20 makes the Routing and Remote Access service fail to start"
        )
    return tuple(out)
