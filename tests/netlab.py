"""Network-namespace labs for tests that need a real kernel and real daemons.

Why: unit tests can only compare our predictions with our own idea of the kernel. A lab runs
the kernel's own SLAAC, radvd, Kea or dhclient inside throwaway namespaces joined by veth
pairs, so a test compares against the real thing without touching the machine's own network.

Everything a lab creates is recorded by :class:`NetLab` and removed when its ``with`` block
ends, whether the test passed, failed or raised. Commands that fail raise
:class:`CommandError` carrying the command's stderr. Waiting is always bounded:
:func:`poll_until` gives up after a deadline *and* a fixed number of tries.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from ipaddress import IPv6Address, IPv6Network
from pathlib import Path
from types import TracebackType
from typing import IO, Any, TypeVar

import pytest

T = TypeVar("T")

NAME_PREFIX = "ds-"
DEFAULT_TIMEOUT = 30.0  # seconds for one command, and the default for polls
_ETHTOOL_PERM = re.compile(r"Permanent address:\s*(?P<value>.+)")


class LabError(RuntimeError):
    """A lab could not be built, queried or torn down."""


class CommandError(LabError):
    """A command exited non-zero (or timed out); the message carries its stderr."""

    def __init__(self, argv: Sequence[str], returncode: int | None, stdout: str, stderr: str):
        self.argv = list(argv)
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        status = "timed out" if returncode is None else f"exited {returncode}"
        detail = stderr.strip() or stdout.strip() or "(no output)"
        super().__init__(f"`{' '.join(self.argv)}` {status}: {detail}")


class PollTimeout(LabError, TimeoutError):
    """A polled condition did not hold before the deadline or the last try."""


# --- running commands -------------------------------------------------------------------------


def in_netns(ns: str | None, argv: Sequence[str]) -> list[str]:
    """``argv`` prefixed with ``ip netns exec NS`` (unchanged when ``ns`` is None)."""
    return [*(["ip", "netns", "exec", ns] if ns else []), *argv]


def run(
    argv: Sequence[str],
    *,
    ns: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run a command (inside namespace ``ns`` if given) and capture its output as text.

    Why: one place that never hangs (``timeout``) and whose failures say what went wrong.
    """
    full = in_netns(ns, argv)
    try:
        done = subprocess.run(
            full, capture_output=True, text=True, timeout=timeout, check=False, stdin=None
        )
    except subprocess.TimeoutExpired as exc:
        raise CommandError(full, None, _text(exc.stdout), _text(exc.stderr)) from exc
    except FileNotFoundError as exc:
        raise CommandError(full, 127, "", f"{full[0]}: command not found") from exc
    if check and done.returncode != 0:
        raise CommandError(full, done.returncode, done.stdout, done.stderr)
    return done


def _text(data: str | bytes | None) -> str:
    if data is None:
        return ""
    return data.decode(errors="replace") if isinstance(data, bytes) else data


def lab_unavailable_reason(tools: Sequence[str] = ()) -> str | None:
    """Why a namespace lab cannot run here (not root, no ``ip netns``, a tool missing), or None.

    Why: tests decide between skip and fail from one honest answer instead of crashing midway.
    """
    if os.geteuid() != 0:
        return "namespace labs need root"
    for tool in ("ip", *tools):
        if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists():
            return f"{tool} is not installed"
    probe = unique_name()
    try:
        run(["ip", "netns", "add", probe], timeout=10)
    except CommandError as exc:
        return f"`ip netns add` does not work here: {exc}"
    try:
        run(["ip", "netns", "del", probe], timeout=10)
    except CommandError as exc:
        return f"`ip netns del` does not work here: {exc}"
    return None


def require_lab(tools: Sequence[str] = ()) -> None:
    """Fail (under CI) or skip (elsewhere) the calling test when a lab cannot run here.

    Why: CI must prove the kernel tests really ran, while a developer without root can still
    run the rest of the suite.
    """
    reason = lab_unavailable_reason(tools)
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"netns lab required in CI but unavailable: {reason}")
    pytest.skip(f"netns lab unavailable: {reason} (skipped outside CI only; CI fails instead)")


# --- polling ----------------------------------------------------------------------------------


def poll_until(
    check: Callable[[], T | None],
    *,
    what: str,
    timeout: float = DEFAULT_TIMEOUT,
    interval: float = 0.25,
    max_tries: int | None = None,
) -> T:
    """Call ``check`` until it returns something other than None (or False), and return that.

    Why: kernel and daemon state settles asynchronously; this waits for it without ever
    looping unboundedly: it stops at ``timeout`` seconds or after ``max_tries`` calls
    (by default just enough tries to cover the timeout), whichever comes first.
    """
    if timeout <= 0 or interval <= 0:
        raise ValueError("timeout and interval must be positive")
    tries = max_tries if max_tries is not None else math.ceil(timeout / interval) + 1
    deadline = time.monotonic() + timeout
    last: object = None
    for attempt in range(1, tries + 1):
        result = check()
        if result is not None and result is not False:
            return result
        last = result
        remaining = deadline - time.monotonic()
        if remaining <= 0 or attempt == tries:
            break
        time.sleep(min(interval, remaining))
    raise PollTimeout(f"gave up waiting for {what} after {timeout:g} s (last result: {last!r})")


# --- namespaces, links, sysctls ---------------------------------------------------------------


def unique_name(prefix: str = NAME_PREFIX) -> str:
    """A namespace name unlikely to collide with parallel runs: ``ds-`` + 8 random hex digits."""
    return f"{prefix}{secrets.token_hex(4)}"


def create_netns(prefix: str = NAME_PREFIX) -> str:
    """Create a uniquely named namespace with ``lo`` up, and return its name."""
    name = unique_name(prefix)
    run(["ip", "netns", "add", name])
    try:
        run(["ip", "-n", name, "link", "set", "dev", "lo", "up"])
    except CommandError:
        delete_netns(name)
        raise
    return name


def delete_netns(name: str) -> None:
    """Delete a namespace (its veth ends go with it); a namespace already gone is fine."""
    done = run(["ip", "netns", "del", name], check=False)
    if done.returncode != 0 and name in list_netns():
        raise CommandError(["ip", "netns", "del", name], done.returncode, done.stdout, done.stderr)


def list_netns() -> list[str]:
    """Names of the namespaces ``ip netns`` knows."""
    out = run(["ip", "-j", "netns", "list"]).stdout.strip()
    return [entry["name"] for entry in json.loads(out or "[]")]


@contextmanager
def netns(prefix: str = NAME_PREFIX) -> Iterator[str]:
    """A namespace that exists for the ``with`` block only."""
    name = create_netns(prefix)
    try:
        yield name
    finally:
        delete_netns(name)


def add_veth(ns_a: str, dev_a: str, ns_b: str, dev_b: str) -> None:
    """Join two namespaces with a veth pair, creating each end directly inside its namespace.

    Why directly: the names never exist in the root namespace, so parallel labs cannot clash.
    """
    peer = ["peer", "name", dev_b, "netns", ns_b]
    run(["ip", "link", "add", dev_a, "netns", ns_a, "type", "veth", *peer])


def set_mac(ns: str, dev: str, mac: object) -> None:
    """Set the (current, not permanent) MAC of ``dev``; ``mac`` is anything whose str() is one."""
    run(["ip", "-n", ns, "link", "set", "dev", dev, "address", str(mac)])


def link_up(ns: str, dev: str) -> None:
    """Bring ``dev`` up (this is what starts the kernel's IPv6 autoconfiguration)."""
    run(["ip", "-n", ns, "link", "set", "dev", dev, "up"])


def link_info(ns: str, dev: str) -> dict[str, Any]:
    """``ip -j link show dev DEV`` as a dict."""
    out = run(["ip", "-n", ns, "-j", "link", "show", "dev", dev]).stdout
    entries: list[dict[str, Any]] = json.loads(out)
    if len(entries) != 1:
        raise LabError(f"expected one link named {dev} in {ns}, got {entries!r}")
    return entries[0]


def sysctl_set(ns: str, key: str, value: object) -> None:
    """``sysctl -w key=value`` inside ``ns`` (net.* sysctls are per namespace)."""
    run(["sysctl", "-w", f"{key}={value}"], ns=ns)


def sysctl_get(ns: str, key: str) -> str:
    """The value of one sysctl inside ``ns``."""
    return run(["sysctl", "-n", key], ns=ns).stdout.strip()


def sysctls_set(ns: str, settings: Mapping[str, object]) -> None:
    """Set several sysctls in order (order matters, e.g. stable_secret before addr_gen_mode)."""
    for key, value in settings.items():
        sysctl_set(ns, key, value)


def permanent_address(ns: str, dev: str) -> bytes:
    """The permanent hardware address of ``dev`` per ``ethtool -P``, as raw bytes.

    ethtool prints "not set" when the kernel's perm_addr is all zeros (veth, bridges, ...);
    that is returned as ``addr_len`` zero bytes, which is exactly what the kernel hashes.
    """
    out = run(["ethtool", "-P", dev], ns=ns).stdout
    match = _ETHTOOL_PERM.search(out)
    if match is None:
        raise LabError(f"cannot parse `ethtool -P {dev}` output: {out!r}")
    value = match.group("value").strip()
    if value.lower() == "not set":
        address = str(link_info(ns, dev).get("address", ""))
        return bytes(len(address.split(":")) if address else 0)
    return bytes(int(part, 16) for part in value.split(":"))


# --- addresses --------------------------------------------------------------------------------


def ipv6_addresses(ns: str, dev: str) -> list[dict[str, Any]]:
    """The ``addr_info`` entries of ``ip -j -6 addr show dev DEV`` (flags as JSON booleans)."""
    out = run(["ip", "-n", ns, "-j", "-6", "addr", "show", "dev", dev]).stdout.strip()
    links: list[dict[str, Any]] = json.loads(out or "[]")
    return [info for link in links for info in link.get("addr_info", [])]


def usable_addresses_in(ns: str, dev: str, network: IPv6Network) -> list[dict[str, Any]]:
    """Addresses of ``dev`` inside ``network`` that finished DAD (not tentative, not failed)."""
    return [
        info
        for info in ipv6_addresses(ns, dev)
        if IPv6Address(info["local"]) in network
        and not info.get("tentative")
        and not info.get("dadfailed")
    ]


def wait_for_address(
    ns: str, dev: str, network: IPv6Network, *, timeout: float = DEFAULT_TIMEOUT
) -> dict[str, Any]:
    """Wait (bounded) until ``dev`` has exactly one usable address in ``network``; return it."""

    def one() -> dict[str, Any] | None:
        found = usable_addresses_in(ns, dev, network)
        if len(found) > 1:
            raise LabError(f"{dev} in {ns} has several addresses in {network}: {found!r}")
        return found[0] if found else None

    return poll_until(one, what=f"an address in {network} on {dev} ({ns})", timeout=timeout)


# --- daemons ----------------------------------------------------------------------------------


@dataclass
class Daemon:
    """A process started inside a namespace, stopped by its own PID (never by name)."""

    name: str
    argv: list[str]
    proc: subprocess.Popen[bytes]
    log_path: Path
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def log_text(self) -> str:
        """Everything the daemon wrote to stdout/stderr so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def ensure_alive(self) -> None:
        """Raise with the daemon's log if it has exited (e.g. rejected its configuration)."""
        if not self.alive():
            raise LabError(
                f"{self.name} (pid {self.pid}) exited with {self.proc.returncode}; "
                f"log:\n{self.log_text()}"
            )

    def stop(self, timeout: float = 5.0) -> int:
        """SIGTERM, wait up to ``timeout`` seconds, then SIGKILL; returns the exit status."""
        try:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=timeout)
            return self.proc.returncode
        finally:
            if self._log is not None:
                self._log.close()
                self._log = None


def start_daemon(ns: str, argv: Sequence[str], log_path: Path, *, name: str = "") -> Daemon:
    """Start ``argv`` in the foreground inside ``ns`` with output appended to ``log_path``.

    ``ip netns exec`` execs the command in place, so the Popen PID is the daemon's own PID.
    """
    full = in_netns(ns, argv)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("ab")
    try:
        proc = subprocess.Popen(  # argv is a list built by the caller; no shell
            full, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    except OSError as exc:
        log.close()
        raise CommandError(full, 127, "", str(exc)) from exc
    return Daemon(name or Path(argv[0]).name, list(full), proc, log_path, log)


def read_pidfile(path: Path) -> int | None:
    """The PID in a daemon's pidfile, or None while it is missing or still empty."""
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        return None
    return int(text) if text.isdigit() else None


# --- the lab ----------------------------------------------------------------------------------


class NetLab:
    """Namespaces, veth pairs and daemons for one test, all torn down on exit.

    Use as ``with NetLab() as lab:`` (or through a pytest fixture that yields it). Teardown
    stops daemons first (newest first), then deletes namespaces, keeps going past individual
    failures, and reports them only if the test itself did not already fail.
    """

    def __init__(self, prefix: str = NAME_PREFIX) -> None:
        self.prefix = prefix
        self.namespaces: list[str] = []
        self.daemons: list[Daemon] = []

    def __enter__(self) -> NetLab:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        problems = self.close()
        if problems and exc is None:
            raise LabError("lab teardown failed: " + "; ".join(problems))

    def netns(self) -> str:
        """A new namespace owned by this lab."""
        name = create_netns(self.prefix)
        self.namespaces.append(name)
        return name

    def veth(self, ns_a: str, dev_a: str, ns_b: str, dev_b: str) -> None:
        """A veth pair between two namespaces (it disappears with them)."""
        add_veth(ns_a, dev_a, ns_b, dev_b)

    def start(self, ns: str, argv: Sequence[str], log_path: Path, *, name: str = "") -> Daemon:
        """A daemon owned by this lab, stopped at teardown."""
        daemon = start_daemon(ns, argv, log_path, name=name)
        self.daemons.append(daemon)
        return daemon

    def client(self, router: str, router_dev: str, mac: object, dev: str = "eth0") -> str:
        """A new namespace wired to ``router_dev`` with ``mac`` on its end, accepting router
        advertisements and autoconfiguring from them, both ends up."""
        client = self.netns()
        self.veth(router, router_dev, client, dev)
        set_mac(client, dev, mac)
        sysctls_set(
            client, {f"net.ipv6.conf.{dev}.accept_ra": 1, f"net.ipv6.conf.{dev}.autoconf": 1}
        )
        link_up(router, router_dev)
        link_up(client, dev)
        return client

    def radvd(self, router: str, conf: Path, workdir: Path) -> Daemon:
        """radvd in the foreground on ``conf`` (pidfile and log in ``workdir``); returns once
        its pidfile names the process this lab started."""
        pidfile = workdir / "radvd.pid"
        argv = ["radvd", "-n", "-C", str(conf), "-p", str(pidfile), "-m", "stderr", "-d", "1"]
        daemon = self.start(router, argv, workdir / "radvd.log", name="radvd")

        def started() -> int | None:
            daemon.ensure_alive()
            return read_pidfile(pidfile)

        pid = poll_until(started, what="radvd to write its pidfile", timeout=10)
        assert pid == daemon.pid, "radvd's pidfile names another process than the one we started"
        return daemon

    def dhclient(
        self, client: str, workdir: Path, *mode: str, fqdn: str | None = None, dev: str = "eth0"
    ) -> Path:
        """ISC dhclient -6 on ``dev`` of ``client`` (``mode``: e.g. ``-S`` for stateless),
        sending ``fqdn`` in the Client FQDN option (RFC 4704) when given, with a script of
        ours instead of dhclient-script: it records what the client learned (read it with
        :func:`learned`) and applies a leased address, so nothing outside the namespace, such
        as /etc/resolv.conf, is touched. Returns the record's path."""
        record = workdir / f"{client}.record"
        script = workdir / f"{client}.script"  # dhclient clears the environment: path baked in
        script.write_text(DHCLIENT_SCRIPT.replace("{record}", str(record)))
        script.chmod(0o755)
        conf = workdir / f"{client}.conf"
        conf.write_text(
            "request dhcp6.name-servers, dhcp6.domain-search, dhcp6.fqdn;\n"
            + (f'send fqdn.fqdn "{fqdn}";\n' if fqdn else "")
        )
        wait_for_address(client, dev, IPv6Network("fe80::/64"))
        argv = ["dhclient", "-6", *mode, "-d", "-v", "-cf", str(conf), "-sf", str(script)]
        argv += ["-lf", str(workdir / f"{client}.leases"), "-pf", str(workdir / f"{client}.pid")]
        self.start(client, [*argv, dev], workdir / f"{client}.dhclient.log", name="dhclient")
        return record

    def kea_dhcp6(self, ns: str, conf: Path, workdir: Path, *, debug: bool = False) -> Daemon:
        """kea-dhcp6 on the kit's ``conf`` with the only changes a lab must make: leases, pid
        and lock files in ``workdir`` and a server DUID that is not persisted (the kit's
        point at /var/lib/kea); with ``debug``, it logs everything (every name change request
        it sends) to its log."""
        doc = json.loads(conf.read_text())
        doc["Dhcp6"]["lease-database"]["name"] = str(workdir / "leases6.csv")
        doc["Dhcp6"]["server-id"] = {"type": "LLT", "persist": False}
        if debug:
            output = [{"output": "stdout"}]
            doc["Dhcp6"]["loggers"] = [
                {
                    "name": "kea-dhcp6",
                    "output_options": output,
                    "severity": "DEBUG",
                    "debuglevel": 99,
                }
            ]
        lab_conf = workdir / "kea-dhcp6.lab.conf"
        lab_conf.write_text(json.dumps(doc))
        env = ["env", f"KEA_PIDFILE_DIR={workdir}", f"KEA_LOCKFILE_DIR={workdir}"]
        argv = [*env, "kea-dhcp6", "-c", str(lab_conf)]
        return self.start(ns, argv, workdir / "kea-dhcp6.log", name="kea-dhcp6")

    def close(self) -> list[str]:
        """Stop every daemon and delete every namespace; return what could not be cleaned."""
        problems: list[str] = []
        while self.daemons:
            daemon = self.daemons.pop()
            try:
                daemon.stop()
            except (OSError, subprocess.SubprocessError) as exc:
                problems.append(f"stopping {daemon.name} (pid {daemon.pid}): {exc}")
        while self.namespaces:
            name = self.namespaces.pop()
            try:
                delete_netns(name)
            except LabError as exc:
                problems.append(f"deleting namespace {name}: {exc}")
        return problems


# What :meth:`NetLab.dhclient` runs instead of dhclient-script.
DHCLIENT_SCRIPT = """#!/bin/sh
env | grep -E '^(reason|interface|new_)' | sort >> '{record}'
echo --- >> '{record}'
case "$reason" in
  BOUND6|RENEW6|REBIND6|REBOOT6)
    if [ -n "$new_ip6_address" ]; then
      ip -6 addr replace "$new_ip6_address/128" dev "$interface" nodad
    fi ;;
esac
exit 0
"""


def learned(record: Path, key: str) -> str | None:
    """The last value of ``key`` (``new_ip6_address``...) a dhclient record holds, if any."""
    if not record.exists():
        return None
    found = None
    for line in record.read_text().splitlines():
        if line.startswith(f"{key}="):
            found = line.split("=", 1)[1].strip("'\"")
    return found


# --- systemd-networkd -------------------------------------------------------------------------

NETWORKD = Path("/lib/systemd/systemd-networkd")
NETWORKD_USER = "systemd-network"
# Where networkd 252 looks for .network/.netdev files besides /etc/systemd/network and
# /run/systemd/network (the lab covers /run entirely); each that exists is covered by an
# empty folder so that only the files the test gives are read.
NETWORKD_VENDOR_DIRS = (
    "/usr/local/lib/systemd/network",
    "/usr/lib/systemd/network",
    "/lib/systemd/network",
)
# Runs inside `ip netns exec NS unshare -m --propagation private`: every mount below lives
# in that private mount namespace only and disappears with the process. $1 is the networkd
# binary, $2 the lab's stand-in for /run, $3 the folder of .network files, $4 an empty
# folder, the rest the vendor folders to hide. ip netns exec, unshare (without --fork) and
# this `exec` all replace themselves, so the PID the lab started is networkd's own.
_NETWORKD_SH = r"""
set -eu
networkd=$1 run=$2 conf=$3 empty=$4
shift 4
mount --bind "$run" /run
mount --bind "$conf" /etc/systemd/network
for dir in "$@"; do mount --bind "$empty" "$dir"; done
mount -o remount,bind,ro /sys
export SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_LEVEL=debug SYSTEMD_LOG_COLOR=0
exec "$networkd"
"""


def networkd_unavailable_reason() -> str | None:
    """Why the real systemd-networkd cannot run in a lab here, or None."""
    if not NETWORKD.exists():
        return f"{NETWORKD} is not installed (Debian package systemd)"
    if not Path("/etc/systemd/network").is_dir():
        return "/etc/systemd/network is missing (it is where the lab mounts the test's files)"
    if shutil.which("unshare") is None:
        return "unshare (util-linux) is not installed"
    try:
        import pwd

        pwd.getpwnam(NETWORKD_USER)
    except KeyError:
        return f"user {NETWORKD_USER} is missing (systemd's package creates it)"
    return None


def require_networkd() -> None:
    """Like :func:`require_lab`, for the real systemd-networkd: fail under CI, else skip."""
    reason = networkd_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"systemd-networkd required in CI but unavailable: {reason}")
    pytest.skip(f"systemd-networkd unavailable: {reason} (skipped outside CI only)")


def start_networkd(lab: NetLab, ns: str, network_dir: Path, workdir: Path) -> Daemon:
    """The real systemd-networkd inside ``ns``, reading exactly the files in ``network_dir``.

    The recipe (systemd 252, no systemd as PID 1, no D-Bus): ``ip netns exec NS unshare -m
    --propagation private sh -c SCRIPT`` where SCRIPT, inside that private mount namespace,
    bind-mounts ``workdir/run`` over /run (networkd's state goes to
    ``workdir/run/systemd/netif``, readable from the test; the host's /run, its D-Bus socket
    and udev data are out of sight, so networkd finds no bus and runs without one),
    bind-mounts ``network_dir`` over /etc/systemd/network and an empty folder over the vendor
    folders, remounts /sys read-only (networkd then takes udev as absent, as in a container,
    and does not wait for udev to initialise links), and execs networkd as root. networkd
    creates /run/systemd/netif itself and drops to the ``systemd-network`` user, keeping
    CAP_NET_ADMIN. It logs at debug level to ``workdir/networkd.log``. Nothing outside
    ``workdir`` and ``ns`` changes: the mounts die with the process, which the lab stops by PID.
    Returns once networkd has written its manager state file.
    """
    run_dir = workdir / "run"
    empty = workdir / "empty"
    for folder in (run_dir / "systemd", empty):
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o755)
    for folder in (run_dir, network_dir):
        folder.chmod(0o755)  # networkd reads its files after dropping to systemd-network
    for path in network_dir.iterdir():
        path.chmod(0o644)
    vendor = sorted({str(Path(d).resolve()) for d in NETWORKD_VENDOR_DIRS if Path(d).is_dir()})
    argv = [
        "unshare",
        "-m",
        "--propagation",
        "private",
        "sh",
        "-c",
        _NETWORKD_SH,
        "networkd-lab",
        str(NETWORKD),
        str(run_dir),
        str(network_dir),
        str(empty),
        *vendor,
    ]
    daemon = lab.start(ns, argv, workdir / "networkd.log", name="systemd-networkd")
    state = run_dir / "systemd" / "netif" / "state"

    def started() -> bool:
        daemon.ensure_alive()
        return state.exists()

    poll_until(started, what="systemd-networkd to write its state file", timeout=15)
    return daemon


def networkd_link_state(workdir: Path, ifindex: int) -> dict[str, str]:
    """networkd's state file for one link (``/run/systemd/netif/links/<ifindex>``, the file
    ``networkctl`` reads) as a dict, e.g. ``ADMIN_STATE``: ``configured`` or ``unmanaged``;
    empty while networkd has not written it. (networkctl itself needs D-Bus in 252.)"""
    path = workdir / "run" / "systemd" / "netif" / "links" / str(ifindex)
    try:
        text = path.read_text()
    except FileNotFoundError:
        return {}
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {key: value for key, value in pairs if not key.startswith("#")}


# --- bridged links (several clients on one router interface) -----------------------------------


def add_bridge(ns: str, bridge: str) -> None:
    """A Linux bridge named ``bridge`` inside ``ns``, up: one router "interface" that several
    client namespaces can share, as hosts share a VLAN (a veth pair joins only two ends)."""
    run(["ip", "-n", ns, "link", "add", bridge, "type", "bridge"])
    link_up(ns, bridge)


def bridged_client(
    lab: NetLab, router: str, bridge: str, port: str, mac: object, dev: str = "eth0"
) -> str:
    """A new namespace of ``lab`` whose ``dev`` (with ``mac``) is joined to ``bridge`` in
    ``router`` through a veth pair (router end ``port``), accepting router advertisements."""
    client = lab.netns()
    lab.veth(router, port, client, dev)
    run(["ip", "-n", router, "link", "set", "dev", port, "master", bridge])
    set_mac(client, dev, mac)
    sysctls_set(client, {f"net.ipv6.conf.{dev}.accept_ra": 1, f"net.ipv6.conf.{dev}.autoconf": 1})
    link_up(router, port)
    link_up(client, dev)
    return client
