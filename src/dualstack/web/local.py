"""Running `dualstack web` in the background on a free loopback port: for the browser tests and
`make screenshots`. The server is stopped by its PID; the wait for it is bounded."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from dualstack.errors import DualstackError, InputError

START_TIMEOUT = 20.0  # seconds


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host`` and ``port`` and listening, for the web server to take over
    (werkzeug prints its own lines and exits 1 when it cannot bind, so we bind first). A
    port in use or an unknown host is an InputError: one line, exit 2. The family follows
    werkzeug's rule (IPv6 when the host has a colon), so it can adopt the socket."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:  # in use, no such address, no permission
        sock.close()
        raise InputError(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None
    return sock


@contextmanager
def background_server() -> Iterator[str]:
    """Start `python -m dualstack web` on a free port, yield its URL, then stop it by PID."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "dualstack", "web", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                err = process.stderr.read().decode(errors="replace") if process.stderr else ""
                raise DualstackError(f"dualstack web exited with {process.returncode}: {err}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise DualstackError(
                        f"dualstack web did not open port {port} within {START_TIMEOUT:.0f} s"
                    ) from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()
