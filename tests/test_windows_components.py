"""`dualstack windows components`: every value Microsoft documents for DisabledComponents
(KB 929852), decoded bit by bit, built from outcomes, with the warnings an admin needs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dualstack.errors import InputError
from dualstack.windows import decode, parse_value, want

# (value, the bits set by name) for every value in Microsoft's table
DOCUMENTED = [
    (0x00, []),
    (0x01, ["tunnels"]),
    (0x10, ["native"]),
    (0x11, ["tunnels", "native"]),
    (0x20, ["prefer-ipv4"]),
    (0xFF, ["tunnels", "6to4", "isatap", "teredo", "native", "prefer-ipv4", "cp", "ip-tls"]),
]


@pytest.mark.parametrize(("value", "names"), DOCUMENTED)
def test_documented_values_decode_to_their_bits(value: int, names: list[str]) -> None:
    found = decode(value)
    assert [bit.name for bit, is_set in found.bits if is_set] == names
    assert [bit.mask for bit, _ in found.bits] == [1 << i for i in range(8)]


@pytest.mark.parametrize("mask", [1 << i for i in range(8)])
def test_each_bit_alone(mask: int) -> None:
    found = decode(mask)
    assert [bit.mask for bit, is_set in found.bits if is_set] == [mask]


def test_warnings_say_what_each_risky_value_costs() -> None:
    assert decode(0).warnings == ()
    assert decode(0x20).warnings == ()  # what Microsoft recommends
    assert any("Routing and Remote Access" in w for w in decode(0x01).warnings)
    assert any("0x10 turns IPv6 off on every LAN" in w for w in decode(0x10).warnings)
    assert any("0x10 turns IPv6 off" in w for w in decode(0xFF).warnings)
    assert not any("add nothing" in w for w in decode(0xFF).warnings)
    assert any("add nothing" in w for w in decode(0x09).warnings)
    everything = decode(0xFFFFFFFF).warnings
    assert any("five seconds" in w and "0xff" in w for w in everything)
    assert any("no documented meaning" in w for w in decode(0x120).warnings)


def test_outcomes_build_the_value_and_the_commands() -> None:
    found = want(["tunnels-off", "prefer-ipv4"])
    assert (found.value, found.hex) == (0x21, "0x21")
    assert found.reg_add == (
        r'reg add "HKLM\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters" '
        "/v DisabledComponents /t REG_DWORD /d 0x21 /f"
    )
    assert found.powershell == (
        r"Set-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters' "
        "-Name DisabledComponents -Type DWord -Value 0x21"
    )
    assert want(["prefer-ipv6"], 0x21).value == 0x01
    assert want(["all-on"], 0xFF).value == 0
    assert want(["all-off"]).value == 0xFF


@pytest.mark.parametrize(("text", "value"), [("32", 32), ("0x20", 32), ("0X000000FF", 255)])
def test_values_as_reg_query_and_decimal(text: str, value: int) -> None:
    assert parse_value(text) == value


@pytest.mark.parametrize("text", ["", "0x1g", "-1", "0x100000000", "twenty"])
def test_bad_values_are_input_errors(text: str) -> None:
    with pytest.raises(InputError, match="DisabledComponents"):
        parse_value(text)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dualstack", "windows", "components", *args],
        capture_output=True,
        text=True,
    )


def test_cli_json_shape() -> None:
    done = run("0x11", "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["schema"] == "dualstack-windows-components/1"
    assert (doc["value"], doc["hex"]) == (17, "0x11")
    assert [b["bit"] for b in doc["bits"] if b["set"]] == [1, 16]
    assert set(doc["bits"][0]) == {"bit", "name", "set", "meaning"}
    assert doc["warnings"]
    assert doc["commands"]["reg"].endswith("/d 0x11 /f")


def test_cli_text_and_errors() -> None:
    done = run("--want", "teredo-off")
    assert done.returncode == 0
    assert "[x] 0x08 teredo" in done.stdout
    assert "restart" in done.stdout
    for args, message in (
        (["0x1g"], "expected a number"),
        ([], "give a VALUE"),
        (["--want", "fast"], "--want 'fast' is not one of"),
    ):
        bad = run(*args)
        assert bad.returncode == 2
        assert message in bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1
