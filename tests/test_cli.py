"""The CLI contract: JSON lines, exit codes, one-line errors, help on every command."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualstack.cli import COMMANDS, main
from dualstack.cli.root import cli

TEREDO = "2001:0:4136:e378:8000:63bf:3fff:fdd2"


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_inspect_json_teredo() -> None:
    code, out, _ = run("inspect", "--json", TEREDO)
    assert code == 0
    data = json.loads(out)
    assert data["teredo"]["server"] == "65.54.227.120"


def test_inspect_streams_stdin_one_object_per_line() -> None:
    lines = [TEREDO, "bogus", "10.0.0.1", "", "00:15:5d:01:14:0b"]
    code, out, _ = run("inspect", "--json", stdin="\n".join(lines) + "\n")
    objects = [json.loads(line) for line in out.splitlines()]
    assert [o["input"] for o in objects] == [TEREDO, "bogus", "10.0.0.1", "00:15:5d:01:14:0b"]
    assert "error" in objects[1]
    assert "bogus" in objects[1]["error"]
    assert code == 1


def test_exit_codes() -> None:
    assert run("inspect", "--json", "bogus")[0] == 2  # the only argument was bad
    assert run("inspect", "--json", "bogus", "::1")[0] == 1
    assert run("inspect", "::1")[0] == 0


def test_human_output_is_readable_text_when_piped() -> None:
    code, out, _ = run("inspect", TEREDO)
    assert code == 0
    assert "server 65.54.227.120, client 192.0.2.45 port 40000" in out
    assert "\x1b[" not in out


def test_anonymize_options() -> None:
    code, out, _ = run(
        "inspect",
        "--json",
        "--anonymize-method",
        "zero",
        "--anonymize-ipv6-bits",
        "32",
        "2001:db8:1200:20:215:5dff:fe01:140b",
    )
    assert code == 0
    assert json.loads(out)["anonymized"] == "2001:db8::215:5dff:fe00:0"  # OUI kept, as zeroize


def test_terminal_output_is_a_panel(capsys: pytest.CaptureFixture[str]) -> None:
    from dualstack.addr.inspect import inspect
    from dualstack.cli.inspect_view import _print_human
    from dualstack.present import inspection

    _print_human(inspection(inspect(TEREDO)), tty=True)
    out = capsys.readouterr().out
    assert out.startswith("╭")
    assert "65.54.227.120" in out


def test_fast_path_and_click_path_agree(capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for args in (
        ["inspect", "--json", TEREDO],
        ["inspect", "--json", "--nat64-prefix", "2001:db8:122::/48", TEREDO],
    ):
        with pytest.raises(SystemExit) as info:
            main(args)
        assert info.value.code == 0
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[0] == outputs[1]


def test_convert() -> None:
    assert run("convert", "--to", "exploded", "2001:db8::1")[1].strip() == (
        "2001:0db8:0000:0000:0000:0000:0000:0001"
    )
    assert run("convert", "--to", "base85", "1080::8:800:200c:417a")[1].strip() == (
        "4)+k&C#VzJ4br>0wv%Yp"
    )
    code, out, _ = run("convert", "--from", "base85", "--to", "compressed", "4)+k&C#VzJ4br>0wv%Yp")
    assert (code, out.strip()) == (0, "1080::8:800:200c:417a")
    code, _, err = run("convert", "--to", "base85", "10.0.0.1")
    assert code == 2
    assert "IPv6 addresses only" in err


def test_slaac_and_nat64() -> None:
    code, out, _ = run(
        "slaac", "--prefix", "2001:db8:1200:20::/64", "--mac", "00-15-5D-01-14-0B", "--json"
    )
    assert code == 0
    assert json.loads(out)["address"] == "2001:db8:1200:20:215:5dff:fe01:140b"
    code, out, _ = run(
        "slaac",
        "--prefix",
        "2001:db8:1200:20::/64",
        "--mac",
        "0015.5d01.141e",
        "--method",
        "stable",
        "--stable-secret",
        "2001:db8:dead:beef:1:2:3:4",
    )
    assert code == 0
    assert out.startswith("2001:db8:1200:20:")
    code, out, _ = run("nat64", "192.0.2.33", "--prefix", "2001:db8:122:344::/64")
    assert (code, out.strip()) == (0, "2001:db8:122:344:c0:2:2100:0")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["slaac", "--prefix", "2001:db8::/48", "--mac", "00:11:22:33:44:55"], "needs a /64"),
        (["slaac", "--prefix", "2001:db8::/64", "--mac", "nope"], "is not a MAC address"),
        (
            ["slaac", "--prefix", "2001:db8::/64", "--mac", "0:1:2:3:4:5", "--method", "stable"],
            "needs --stable-secret",
        ),
        (["nat64", "192.0.2.333"], "Octet 333"),
        (["nat64", "192.0.2.1", "--prefix", "2001:db8::/36"], "must be /32, /40"),
        (["inspect", "--nat64-prefix", "2001:db8::1/64", "::1"], "host bits set"),
    ],
)
def test_errors_are_one_line_with_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert message in err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("dualstack: error: ")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["slaac"], "Missing option '--prefix'. (see 'dualstack slaac --help')"),
        (
            ["slaac", "--prefix", "2001:db8::/64", "--mac", "0:1:2:3:4:5", "--method", "stable"],
            "--method stable needs --stable-secret (see 'dualstack slaac --help')",
        ),
        (
            ["slaac", "--prefix", "2001:db8::/64", "--mac", "0:1:2:3:4:5", "--dad-counter", "1"],
            "--stable-secret and --dad-counter go with --method stable "
            "(see 'dualstack slaac --help')",
        ),
        (["nat64"], "Missing argument 'IPV4'. (see 'dualstack nat64 --help')"),
        (
            ["nat64", "192.0.2.333"],
            "Invalid value for 'IPV4': '192.0.2.333' is not an IPv4 address: Octet 333 (> 255) "
            "not permitted (see 'dualstack nat64 --help')",
        ),
        (["nat64", "--bogus"], "No such option '--bogus'. (see 'dualstack nat64 --help')"),
        (["--bogus"], "No such option '--bogus'. (see 'dualstack --help')"),
        (["calc", "--bogus"], "No such option '--bogus'. (see 'dualstack calc --help')"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], line: str) -> None:
    code, out, err = run(*args)
    assert (code, out, err) == (2, "", f"dualstack: error: {line}\n")


def test_web_with_its_port_in_use_is_a_one_line_error() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.Popen(
            [sys.executable, "-m", "dualstack", "web", "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()  # by its PID: it is this Popen's own process
                proc.wait()
    assert proc.returncode == 2
    assert out == ""
    assert (
        err == f"dualstack: error: cannot listen on 127.0.0.1 port {port}: Address already in use\n"
    )


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help(name: str) -> None:
    code, out, _ = run(name, "--help")
    assert code == 0
    command = cli.get_command(None, name)  # type: ignore[arg-type]
    assert command is not None
    assert command.help
    assert len(command.help) > 40
    assert "Usage:" in out


junk = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(junk, min_size=1, max_size=3), st.sampled_from(sorted(COMMANDS)))
def test_garbage_never_tracebacks(args: list[str], name: str) -> None:
    result = CliRunner().invoke(cli, [name, *args])
    assert result.exit_code in (0, 1, 2), result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)


def test_console_script_runs_as_a_process() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "dualstack", "inspect", "--json", TEREDO],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "65.54.227.120" in proc.stdout


def on_terminal(*args: str, columns: int = 80) -> str:
    """Run the CLI under a pseudo-terminal of the given width; its output without colour codes."""
    import fcntl
    import os
    import pty
    import re
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {**os.environ, "COLUMNS": str(columns), "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dualstack", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(follower)
    chunks = []
    try:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(leader)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    text = b"".join(chunks).decode().replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


def test_terminal_shows_brackets_as_typed_and_folds_long_values() -> None:
    out = on_terminal("inspect", "[fd00::1]:443")
    lines = out.splitlines()
    assert lines[0].startswith("╭─ [fd00::1]:443 ─")
    assert "…" not in out
    cells = "".join("".join(line.strip("╭╮╰╯│ ").split()) for line in lines[1:-1])
    reverse = "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa."
    assert f"reverse{reverse}uri[fd00::1]anonymizedfd00::" in cells
    assert all(len(line) <= 80 for line in lines)


def test_terminal_uri_of_a_link_local_address_is_shown() -> None:
    out = on_terminal("inspect", "fe80::1%eth0")
    assert "╭─ fe80::1%eth0 ─" in out
    assert "│ uri           [fe80::1%25eth0]" in out


def test_inspect_lists_the_well_known_nat64_prefix_once_when_given_again() -> None:
    args = ("inspect", "--nat64-prefix", "64:ff9b::/96", "64:ff9b::c000:221")
    code, out, _ = run(*args)
    assert code == 0
    assert [line for line in out.splitlines() if "embedded ipv4" in line] == [
        "  embedded ipv4  192.0.2.33 (nat64 via 64:ff9b::/96)"
    ]
    code, out, _ = run(*args[:1], "--json", *args[1:])
    assert json.loads(out)["embedded_ipv4"] == [
        {"role": "nat64", "ipv4": "192.0.2.33", "prefix": "64:ff9b::/96"}
    ]


def test_convert_reverse_of_a_prefix_prints_its_zone() -> None:
    code, out, _ = run("convert", "--to", "reverse", "2001:db8::/48", "10.1.0.0/16")
    assert code == 0
    assert out == "0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.\n1.10.in-addr.arpa.\n"


NAT64_PRIVATE_WARNING = (
    "64:ff9b::/96 must not carry 10.40.10.10: 10.0.0.0/8 (Private-Use) is not globally "
    "reachable, and the well-known prefix is for global IPv4 only (RFC 6052 section 3.1); use "
    "a network-specific prefix (--prefix)"
)


def test_nat64_warns_when_the_well_known_prefix_carries_private_ipv4() -> None:
    code, out, err = run("nat64", "10.40.10.10")
    assert (code, out, err) == (
        0,
        "64:ff9b::a28:a0a\n",
        f"dualstack: warning: {NAT64_PRIVATE_WARNING}\n",
    )
    code, out, _ = run("nat64", "10.40.10.10", "--json")
    assert json.loads(out) == {
        "schema": "dualstack-nat64/1",
        "address": "64:ff9b::a28:a0a",
        "ipv4": "10.40.10.10",
        "prefix": "64:ff9b::/96",
        "warnings": [NAT64_PRIVATE_WARNING],
    }
    code, out, err = run("nat64", "10.40.10.10", "--prefix", "2001:db8:64::/96", "--json")
    assert (code, json.loads(out)["warnings"], err) == (0, [], "")
