"""A real BIND for tests: ``named -g`` on 127.0.0.1 and a free high port, stopped by its PID.

Each server gets its own temp directory with fresh zone copies (updates persist in ``.jnl``
files), a TSIG key allowed to update and transfer, and no rndc control channel.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import dns.message
import dns.query
import dns.rdatatype
import pytest

KEY_NAME = "dualstack-test."
KEY_ALGORITHM = "hmac-sha256"


@dataclass(frozen=True)
class Bind:
    port: int
    directory: Path
    key_name: str
    key_secret: str
    pid: int

    @property
    def address(self) -> str:
        return "127.0.0.1"

    def write_key(self, path: Path) -> Path:
        """The server's TSIG key as a BIND ``key`` clause, where ``--key-file`` reads it."""
        path.write_text(
            f'key "{self.key_name}" {{ algorithm hmac-sha256; secret "{self.key_secret}"; }};\n'
        )
        return path


def kit_zones(kit: Path, leave_out: str = "") -> dict[str, str]:
    """The kit's zone files by origin, as :func:`running_bind` serves them; records naming
    ``leave_out`` (its AAAA, A and PTR) taken out, as DNS that lacks a host."""
    zones = {}
    for path in (kit / "dns").glob("*.zone"):
        text = path.read_text()
        origin = next(line.split()[1] for line in text.splitlines() if line.startswith("$ORIGIN"))
        kept = [line for line in text.splitlines() if not line.startswith("$ORIGIN")]
        if leave_out:
            kept = [line for line in kept if leave_out not in line.split(";")[0]]
        zones[origin] = "\n".join([f"$ORIGIN {origin}", *kept]) + "\n"
    return zones


def require_named() -> str:
    """The named binary; in CI its absence fails the test, elsewhere it skips."""
    named = shutil.which("named") or (
        "/usr/sbin/named" if Path("/usr/sbin/named").exists() else None
    )
    if named is None:
        if os.environ.get("CI"):
            pytest.fail("named is missing: .ci/run must install bind9")
        pytest.skip("named not installed (outside CI only)")
    return named


def free_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 right now."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = int(tcp.getsockname()[1])
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free port pair found in 50 tries")


def _config(
    directory: Path, port: int, secret: str, zones: dict[str, Path], key_name: str = KEY_NAME
) -> str:
    lines = [
        f'key "{key_name}" {{ algorithm {KEY_ALGORITHM}; secret "{secret}"; }};',
        "controls { };",
        "options {",
        f'    directory "{directory}";',
        f'    pid-file "{directory}/named.pid";',
        f"    listen-on port {port} {{ 127.0.0.1; }};",
        "    listen-on-v6 { none; };",
        "    recursion no;",
        "    dnssec-validation no;",
        f'    allow-transfer {{ key "{key_name}"; }};',
        "};",
    ]
    for origin, path in zones.items():
        lines.append(
            f'zone "{origin.rstrip(".")}" {{ type primary; file "{path}"; '
            f'allow-update {{ key "{key_name}"; }}; }};'
        )
    return "\n".join(lines) + "\n"


def _answers(port: int, origin: str) -> bool:
    query = dns.message.make_query(origin, dns.rdatatype.SOA)
    try:
        response = dns.query.udp(query, "127.0.0.1", port=port, timeout=0.5)
    except (OSError, dns.exception.Timeout):
        return False
    return bool(response.answer)


@contextmanager
def running_bind(
    tmp: Path,
    zones: dict[str, str],
    *,
    key: tuple[str, str] | None = None,
    netns: str | None = None,
) -> Iterator[Bind]:
    """Start named serving ``zones`` ({origin: zone text}); stop it by PID on exit.

    ``key`` is (name, base64 secret) to use instead of a fresh one (e.g. the kit's DDNS key);
    ``netns`` runs named inside that network namespace, ready when its log says "running".
    """
    named = require_named()
    tmp.mkdir(parents=True, exist_ok=True)
    paths = {}
    for origin, text in zones.items():
        path = tmp / (origin.rstrip(".").replace("/", "-") + ".zone")
        path.write_text(text)
        paths[origin] = path
    port = free_port()
    name, secret = key or (KEY_NAME, base64.b64encode(os.urandom(32)).decode())
    conf = tmp / "named.conf"
    conf.write_text(_config(tmp, port, secret, paths, name))
    log = (tmp / "named.log").open("w")
    prefix = ["ip", "netns", "exec", netns] if netns else []
    proc = subprocess.Popen(
        [*prefix, named, "-g", "-4", "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        first = next(iter(zones))
        deadline = time.monotonic() + 20
        for _ in range(200):  # bounded: 200 tries or 20 s, whichever first
            ready = "running" in (tmp / "named.log").read_text() if netns else _answers(port, first)
            if ready:
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"named did not start:\n{(tmp / 'named.log').read_text()[-2000:]}"
                )
            time.sleep(0.1)
        yield Bind(port, tmp, name, secret, proc.pid)
    finally:
        _stop(proc, log)


@dataclass(frozen=True)
class KitBind:
    port: int
    pid: int


def kit_named_conf(
    kit: Path,
    port: int,
    extra_zones: dict[str, Path] | None = None,
    *,
    workdir: Path | None = None,
    listen6: Sequence[str] = (),
) -> str:
    """A whole named.conf that serves a kit as its README says: ``directory`` is the kit
    folder and the kit's ``dns/named.conf`` fragment (zones, ``allow-update``, the
    ``ddns.key`` include) is included unchanged; ``extra_zones`` ({origin: file}) are served
    beside it (a parent /24 zone, say). Only what a lab must set is ours: the pid file and
    key files in ``workdir`` (default: the kit folder), ``port`` on 127.0.0.1 and on the IPv6
    addresses ``listen6`` (a lab's name server addresses), no recursion, no control channel."""
    work = workdir or kit
    listen = " ".join(f"{a};" for a in listen6) or "none;"
    lines = [
        "controls { };",
        "options {",
        f'    directory "{kit}";',
        f'    pid-file "{work}/named.pid";',
        f'    managed-keys-directory "{work}";',
        f'    session-keyfile "{work}/session.key";',
        f"    listen-on port {port} {{ 127.0.0.1; }};",
        f"    listen-on-v6 port {port} {{ {listen} }};",
        "    recursion no;",
        "    dnssec-validation no;",
        "};",
        f'include "{kit}/dns/named.conf";',
    ]
    for origin, path in (extra_zones or {}).items():
        lines.append(f'zone "{origin.rstrip(".")}" {{ type primary; file "{path}"; }};')
    return "\n".join(lines) + "\n"


@contextmanager
def running_kit_bind(
    kit: Path, probe: str, extra_zones: dict[str, Path] | None = None
) -> Iterator[KitBind]:
    """Start named on a kit folder (:func:`kit_named_conf`, run from the kit folder so the
    fragment's relative ``include``/``file`` paths resolve as they would for an admin) and
    wait until zone ``probe`` answers; stop it by PID on exit."""
    port = free_port()
    conf = kit / "named-test.conf"
    conf.write_text(kit_named_conf(kit, port, extra_zones))
    with _serve(conf, kit, port, probe) as bind:
        yield bind


@contextmanager
def running_resolver(
    tmp: Path, upstream: int, probe: str, options: Sequence[str] = ()
) -> Iterator[KitBind]:
    """A recursive named on 127.0.0.1 that resolves through the named on port ``upstream``
    only (``forward only``: it never sends a packet anywhere else), as a site's resolver
    does for its clients: it follows CNAMEs (RFC 2317) and its answers are what ``dig -x``
    shows a client. Built-in empty zones are off, or it would answer 10.in-addr.arpa itself.
    ``options`` are more lines for its options block (a kit's ``include "dns/dns64.conf";``)."""
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = tmp / "resolver.conf"
    conf.write_text(
        "\n".join(
            [
                "controls { };",
                "options {",
                f'    directory "{tmp}";',
                f'    pid-file "{tmp}/named.pid";',
                f"    listen-on port {port} {{ 127.0.0.1; }};",
                "    listen-on-v6 { none; };",
                "    recursion yes;",
                "    allow-recursion { 127.0.0.1; };",
                "    dnssec-validation no;",
                "    empty-zones-enable no;",
                "    forward only;",
                f"    forwarders {{ 127.0.0.1 port {upstream}; }};",
                *(f"    {line}" for line in options),
                "};",
            ]
        )
        + "\n"
    )
    with _serve(conf, tmp, port, probe) as bind:
        yield bind


@contextmanager
def _serve(conf: Path, cwd: Path, port: int, probe: str) -> Iterator[KitBind]:
    """Run ``named -g -c conf`` from ``cwd`` until zone ``probe`` answers on ``port``; stop it
    by its PID on exit."""
    named = require_named()
    log_path = conf.with_suffix(".log")
    log = log_path.open("w")
    proc = subprocess.Popen(
        [named, "-g", "-4", "-c", str(conf)], cwd=cwd, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 20
        for _ in range(200):  # bounded: 200 tries or 20 s, whichever first
            if _answers(port, probe):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"named did not start:\n{log_path.read_text()[-2000:]}")
            time.sleep(0.1)
        yield KitBind(port, proc.pid)
    finally:
        _stop(proc, log)


def _stop(proc: subprocess.Popen[bytes], log: IO[str]) -> None:
    """Stop a named this module started, by its PID (SIGTERM, then SIGKILL), and close its log."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    log.close()
