"""`dualstack tunnel`: manual 6in4 (RFC 4213) and 6rd (RFC 5969) tunnels for iproute2,
systemd-networkd, Windows netsh and Cisco IOS. This kernel has no sit devices, so the configs
are held by golden files (reviewed by hand when they change) and checked by what can run here:
the 6rd arithmetic against `inspect`'s own 6rd decoding, and the networkd files by the real
networkd's parser (tests/test_tunnel_networkd_lab.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from ipaddress import IPv4Address, IPv6Address, IPv6Interface, IPv6Network
from pathlib import Path

import pytest

from dualstack.addr.embedded import SixRd
from dualstack.addr.inspect import Options, inspect
from dualstack.errors import InputError
from dualstack.tunnel import TARGETS, Tunnel, render, six_in_four, six_rd

GOLDEN = Path(__file__).parent / "fixtures" / "tunnel"


def _host_to_router() -> Tunnel:
    return six_in_four(
        IPv4Address("192.0.2.10"),
        IPv4Address("198.51.100.1"),
        IPv6Interface("2001:db8:ff::2/64"),
        IPv6Address("2001:db8:ff::1"),
    )


def _router_to_router() -> Tunnel:
    return six_in_four(
        IPv4Address("203.0.113.5"),
        IPv4Address("198.51.100.9"),
        IPv6Interface("fd00:ff::1/127"),
        IPv6Address("fd00:ff::"),
        (IPv6Network("2001:db8:200::/48"), IPv6Network("fd00:200::/48")),
        name="site-b",
        mtu=1400,
        ttl=255,
    )


def _sixrd() -> Tunnel:
    return six_rd(
        SixRd(IPv6Network("2001:db8::/32"), 8, IPv4Address("10.0.0.0")),
        IPv4Address("10.20.30.40"),
        IPv4Address("10.0.0.1"),
    )


CASES = {
    "host-to-router": _host_to_router,
    "router-to-router": _router_to_router,
    "6rd": _sixrd,
}


def files_of(case: str) -> dict[str, dict[str, str]]:
    tunnel = CASES[case]()
    out = {}
    for target in TARGETS:
        try:
            out[target] = render(tunnel, target)
        except InputError:
            continue
    return out


@pytest.mark.parametrize("case", CASES)
def test_configs_match_their_golden_files(case: str) -> None:
    on_disk = {
        path.relative_to(GOLDEN / case).as_posix(): path.read_bytes().decode()
        for path in (GOLDEN / case).glob("*/*")
    }
    written = {
        f"{t}/{name}": text for t, files in files_of(case).items() for name, text in files.items()
    }
    assert on_disk
    assert written == on_disk


def test_6rd_prefix_and_relay_agree_with_inspect() -> None:
    """The CE's address and the relay's decode, through inspect's own 6rd reading, to the
    IPv4 addresses they were built from."""
    tunnel = _sixrd()
    domain = tunnel.domain
    assert str(tunnel.delegated) == "2001:db8:141e:2800::/56"  # 32 + (32 - 8) bits
    options = Options(sixrd=(domain,))
    for address, ipv4 in ((tunnel.address.ip, tunnel.ipv4), (tunnel.br_address, tunnel.br)):
        found = inspect(str(address), options)
        roles = {(e.role, str(e.ipv4)) for e in found.embedded_ipv4}
        assert ("6rd", str(ipv4)) in roles, address


def test_6rd_without_ipv4_masklen_uses_the_whole_address() -> None:
    domain = SixRd(IPv6Network("2001:db8::/32"))
    tunnel = six_rd(domain, IPv4Address("203.0.113.45"), IPv4Address("203.0.113.1"))
    assert str(tunnel.delegated) == "2001:db8:cb00:712d::/64"
    assert str(tunnel.br_address) == "2001:db8:cb00:7101::"
    assert any("single /64" in note for note in tunnel.notes)
    assert str(tunnel.relay_prefix) == "0.0.0.0/0"


def test_mtu_defaults_to_the_path_less_the_ipv4_header() -> None:
    tunnel = _host_to_router()
    assert tunnel.mtu == 1480
    assert "RFC 4213" in tunnel.mtu_reason
    jumbo = six_in_four(
        IPv4Address("192.0.2.10"),
        IPv4Address("198.51.100.1"),
        IPv6Interface("2001:db8:ff::2/64"),
        underlay_mtu=9000,
    )
    assert jumbo.mtu == 8980


def test_endpoints_behind_nat_are_noted() -> None:
    tunnel = six_in_four(
        IPv4Address("192.168.1.20"), IPv4Address("198.51.100.1"), IPv6Interface("2001:db8::2/64")
    )
    assert any("192.168.1.20" in n and "protocol 41" in n for n in tunnel.notes)
    assert not _host_to_router().notes  # documentation space is not NAT space


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"local": "192.0.2.1", "remote": "192.0.2.1"}, "needs two ends"),
        ({"local": "224.0.0.1"}, "unicast IPv4"),
        ({"remote": "127.0.0.1"}, "unicast IPv4"),
        ({"address": "fe80::1/64"}, "global or unique-local"),
        ({"peer": "2001:db9::1"}, "outside this end's prefix"),
        ({"peer": "2001:db8:ff::2"}, "own address"),
        ({"mtu": 1500}, "at most 1480"),
        ({"mtu": 1000}, "at least 1280"),
        ({"ttl": 0}, "TTL 0"),
        ({"name": "a-name-too-long-for-linux"}, "1-15 letters"),
        ({"name": "bad name"}, "1-15 letters"),
        ({"routes": ()}, "no route"),
    ],
)
def test_bad_6in4_parameters_are_refused(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {
        "local": IPv4Address("192.0.2.10"),
        "remote": IPv4Address("198.51.100.1"),
        "address": IPv6Interface("2001:db8:ff::2/64"),
    }
    for key, value in kwargs.items():
        if key in ("local", "remote"):
            value = IPv4Address(str(value))
        elif key == "address":
            value = IPv6Interface(str(value))
        elif key == "peer":
            value = IPv6Address(str(value))
        args[key] = value
    with pytest.raises(InputError, match=message):
        six_in_four(**args)  # type: ignore[arg-type]


def test_6rd_endpoints_outside_the_domains_common_bits_are_refused() -> None:
    domain = SixRd(IPv6Network("2001:db8::/32"), 8, IPv4Address("10.0.0.0"))
    with pytest.raises(InputError, match=r"border relay 11\.0\.0\.1 does not share"):
        six_rd(domain, IPv4Address("10.1.2.3"), IPv4Address("11.0.0.1"))


def test_targets_that_cannot_express_6rd_say_so() -> None:
    with pytest.raises(InputError, match="Windows has no 6rd"):
        render(_sixrd(), "windows")
    with pytest.raises(InputError, match="networkd cannot set 6rd's IPv4 common prefix"):
        render(_sixrd(), "networkd")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dualstack", "tunnel", *args], capture_output=True, text=True
    )


def test_cli_json_gives_the_parameters_and_every_target() -> None:
    done = run(
        "6rd", "--prefix", "2001:db8::/32", "--ipv4-masklen", "8", "--common-ipv4", "10.0.0.0",
        "--ce", "10.20.30.40", "--br", "10.0.0.1", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["schema"] == "dualstack-tunnel/1"
    assert (doc["kind"], doc["delegated_prefix"]) == ("6rd", "2001:db8:141e:2800::/56")
    assert doc["br_address"] == "2001:db8:0:100::"
    assert doc["targets"]["iproute2"]["sit6rd.sh"] == files_of("6rd")["iproute2"]["sit6rd.sh"]
    assert "unsupported" in doc["targets"]["windows"]


def test_cli_writes_files_into_a_folder(tmp_path: Path) -> None:
    done = run(
        "6in4", "--local", "192.0.2.10", "--remote", "198.51.100.1",
        "--address", "2001:db8:ff::2/64", "--peer", "2001:db8:ff::1", "-o", str(tmp_path),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f for files in files_of("host-to-router").values() for f in files)
    assert (tmp_path / "sit6in4.sh").stat().st_mode & 0o111


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["6in4", "--local", "192.0.2.1", "--remote", "x", "--address", "2001:db8::1/64"], "x"),
        (["6in4", "--local", "192.0.2.1", "--remote", "192.0.2.2", "--address", "2001:db8::1"],
         "expected an IPv6 ADDRESS/LENGTH"),
        (["6rd", "--prefix", "2001:db8::/32", "--ce", "10.1.1.1", "--br", "10.0.0.1",
          "--target", "windows"], "Windows has no 6rd"),
        (["6in4", "--local", "192.0.2.1", "--remote", "192.0.2.2", "--address",
          "2001:db8::1/64", "-o", "/nonexistent/dir"], "does not exist"),
    ],
)  # fmt: skip
def test_cli_errors_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
