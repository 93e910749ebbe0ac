"""`make bench`: the bulk commands against the peers an admin would otherwise reach for.

Peers: ``addr6`` (SI6 Networks' IPv6 toolkit: statistics, de-duplication), ``ipv6calc`` (pipe
mode: anonymization, ``-i -m`` annotation, format conversion) and ``ipv6loganon`` /
``ipv6logconv`` (web-server logs). Missing peers are installed from Debian's packages
``ipv6calc`` and ``ipv6toolkit``; a peer that cannot be had leaves its rows with our figures
only. Same run, same files, one process at a time: wall time around the child process, best of
two for runs under 10 s (the first doubles as the warm-up); ratios are peer time over ours.

The input is made here, seeded, so every run measures the same bytes. One million lines, one
address per line, IPv6 in RFC 5952 text as ``inet_ntop`` writes it (which is what a server's
log holds: dotted quad only for ``::ffff:a.b.c.d``), except NAT64, written ``64:ff9b::a.b.c.d``
as RFC 6052 shows it. The mix, by share of lines:

====================  =====  ==========================================================
kind                  share  what
====================  =====  ==========================================================
ipv4-public            22 %  random public IPv4 (reserved and private space rejected)
ipv4-private            8 %  10/8, 192.168/16, 172.16/12, 100.64/10 (CGN)
global-random          34 %  ISP /64s (real RIR blocks), privacy IIDs (u bit clear)
global-eui64            7 %  ISP /64s, EUI-64 IIDs from real OUIs (Intel, VMware, Pi, ...)
global-low-byte         7 %  servers: ``::1``, ``::a``, ``::2:1``
global-ipv4-iid         2 %  ``::c000:201`` (IPv4 in the low 32 bits), ``::192:168:1:10``
global-port             1.5  service-port IIDs: ``::80``, ``::443``, ``::53``, ``::8080``
global-zero             0.5  subnet-router anycast, IID zero
link-local              5 %  ``fe80::`` with EUI-64 (60 %) or random IIDs
unique-local            4 %  ``fdXX:`` from 200 sites; random, low-byte or EUI-64 IIDs
teredo                  2 %  ``2001:0::/32``: real server, cone/0/RFC 5991 random flags,
                             obfuscated port and client
6to4                    2 %  ``2002:V4::/48``: ``::1``, Microsoft's ``::V4``, EUI-64
isatap                  1 %  ``fe80::5efe:V4`` (private V4), ``PREFIX::200:5efe:V4`` (public)
nat64                   1.5  ``64:ff9b::a.b.c.d``
ipv4-mapped             2 %  ``::ffff:a.b.c.d``
multicast               0.4  ``ff02::1``, ``ff02::1:ffXX:XXXX``, ``ff05::1:3``, ...
loopback                0.1  ``::1``
====================  =====  ==========================================================

A web log repeats its clients: 35 % of the lines repeat an address seen in the last 500 lines
(so ``uniq`` has work). The same addresses also become an Apache combined log (paths, status
and sizes vary) and, for peak memory, a 10,000,000-line list: the million lines ten times over,
each copy shuffled (streamed to disk, never held ten times in memory).

ipv6calc's pipe mode fixes the input type from the first line and stops, exit 1, at the first
line of another type (an IPv4 line in an IPv6 stream, or the reverse): on the mixed list it
stops within the first lines. Its rows therefore run on the IPv6 lines only, ours on the same
file, and the output records each peer produced are counted and shown.

Peak memory is each child's own maximum RSS, read through GNU ``time -f %M`` (a child forked
straight from this process would report this process's peak: see ``run_once``). Our ``stats``
and ``anonymize`` run on the 1M and the 10M list; the two figures should be the same.

``BENCH_JSON=path`` also writes the results as JSON.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from addrmix import SEED, generate  # bench/ is the script's own folder on sys.path

ROOT = Path(__file__).resolve().parent.parent
DUALSTACK = str(ROOT / ".venv" / "bin" / "dualstack")
LINES = 1_000_000
BIG_COPIES = 10
BEST_OF_TWO_UNDER = 10.0  # seconds: shorter runs are measured twice, the best one kept
UNIQ_LIMIT = 300.0  # seconds: addr6 -q projected past this runs on a prefix and is scaled
TIMEOUT = 300.0  # seconds: a child still running then is stopped and reported as timed out
MEMORY_GROWTH_TARGET = 1.25  # 10M-line RSS over 1M-line RSS: flat, with room for noise

# ---------------------------------------------------------------- peers


# Debian package -> the tools it gives; ``time`` measures each child's peak RSS (see run_once)
PACKAGES = {
    "ipv6calc": ("ipv6calc", "ipv6loganon", "ipv6logconv"),
    "ipv6toolkit": ("addr6",),
    "time": ("time",),
}


def apt_get(*args: str, tries: int = 3) -> bool:
    """apt-get, quiet, retried: the package registry is sometimes briefly away."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for attempt in range(1, tries + 1):
        done = subprocess.run(
            ["apt-get", "-qq", *args], env=env, capture_output=True, text=True, check=False
        )
        if done.returncode == 0:
            return True
        if attempt < tries:
            time.sleep(attempt * 5)
    return False


def ensure_tools() -> dict[str, bool]:
    """Install the Debian packages whose tools are missing; say which tools can be run."""
    missing = [pkg for pkg, tools in PACKAGES.items() if not all(map(shutil.which, tools))]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"bench: installing {' '.join(missing)}", file=sys.stderr)
        if apt_get("update"):
            apt_get("install", "-y", "--no-install-recommends", *missing)
    have = {tool: shutil.which(tool) is not None for tools in PACKAGES.values() for tool in tools}
    for tool, ok in have.items():
        if not ok and tool == "time":
            print(
                "bench: /usr/bin/time unavailable; a Python wrapper measures RSS", file=sys.stderr
            )
        elif not ok:
            print(
                f"bench: peer {tool} unavailable; its rows show our figures only", file=sys.stderr
            )
    return have


# ---------------------------------------------------------------- files

PATHS = (
    "/", "/index.html", "/favicon.ico", "/robots.txt", "/static/app.js", "/static/site.css",
    "/images/logo.png", "/blog/2026/11/ipv6-rollout", "/api/v1/items?id={n}", "/search?q=ipv6",
    "/downloads/dualstack-{n}.tar.gz", "/login",
)  # fmt: skip
STATUSES = ((200, 80), (304, 8), (404, 6), (301, 3), (403, 2), (500, 1))
AGENTS = (
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15",
    "curl/8.5.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
)
LOG_START = 1795603282  # 2026-11-25 10:41:22 UTC


def log_lines(addresses: Sequence[str], seed: int = SEED) -> list[str]:
    """Apache combined log lines for the addresses: one day of traffic, in order."""
    rng = random.Random(seed + 1)
    codes = [code for code, _ in STATUSES]
    weights = [w for _, w in STATUSES]
    statuses = rng.choices(codes, weights, k=len(addresses))
    paths = rng.choices(PATHS, k=len(addresses))
    agents = rng.choices(AGENTS, [30, 35, 20, 10, 5], k=len(addresses))
    out = []
    stamp_second, stamp = -1, ""
    for i, address in enumerate(addresses):
        second = LOG_START + i * 86_400 // max(len(addresses), 1)
        if second != stamp_second:
            stamp_second = second
            stamp = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(second))
        path = paths[i].format(n=i % 997)
        status = statuses[i]
        size = 0 if status == 304 else rng.randrange(180, 60_000)
        method = "POST" if path == "/login" else "GET"
        out.append(
            f'{address} - - [{stamp}] "{method} {path} HTTP/1.1" {status} {size} "-" "{agents[i]}"'
        )
    return out


def write_lines(path: Path, lines: Sequence[str]) -> Path:
    """One line each, newline-terminated."""
    with path.open("w") as out:
        out.write("\n".join(lines))
        out.write("\n")
    return path


def write_big(path: Path, lines: list[str], copies: int, seed: int = SEED) -> Path:
    """``copies`` shuffled copies of the lines, one after the other, streamed to disk."""
    rng = random.Random(seed + 2)
    order = list(lines)
    with path.open("w") as out:
        for copy in range(copies):
            if copy:
                rng.shuffle(order)
            out.write("\n".join(order))
            out.write("\n")
    return path


@dataclass(frozen=True)
class Inputs:
    """The files every row reads."""

    mixed: Path
    v6only: Path
    log: Path
    big: Path
    v6_lines: int
    log_lines: int


def make_inputs(tmp: Path, lines: list[str]) -> Inputs:
    """Write the list, its IPv6 subset, the log and the 10M list."""
    v6_subset = [line for line in lines if ":" in line]
    log = log_lines(lines)
    return Inputs(
        mixed=write_lines(tmp / "mixed.txt", lines),
        v6only=write_lines(tmp / "v6only.txt", v6_subset),
        log=write_lines(tmp / "access.log", log),
        big=write_big(tmp / "mixed-10m.txt", lines, BIG_COPIES),
        v6_lines=len(v6_subset),
        log_lines=len(log),
    )


# ---------------------------------------------------------------- running


@dataclass
class Run:
    """One child process: wall seconds, exit code, peak RSS (KiB), stderr head, lines out."""

    seconds: float
    code: int
    max_rss_kib: int
    stderr: str
    out_lines: int | None = None
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        """Exited 0 in time (a peer that stops early exits non-zero and still has a time)."""
        return self.code == 0 and not self.timed_out

    def error_line(self) -> str:
        """The line that says what went wrong: click's ``Error:``, a traceback's last line,
        else the first line (the brief's 'first stderr line', made useful for those two)."""
        lines = [line.strip() for line in self.stderr.splitlines() if line.strip()]
        if self.timed_out:
            return f"timed out after {self.seconds:.0f} s"
        for line in lines:
            if line.startswith("Error"):
                return line
        if lines and lines[0].startswith("Traceback"):
            return lines[-1]
        return lines[0] if lines else f"exit {self.code}"


def count_lines(path: Path, prefix: tuple[bytes, ...] = ()) -> int:
    """Lines in a file, or only those starting with one of ``prefix`` (ipv6calc -m records)."""
    total = 0
    with path.open("rb") as data:
        if not prefix:
            while chunk := data.read(1 << 22):
                total += chunk.count(b"\n")
            return total
        for line in data:
            total += line.startswith(prefix)
    return total


# A child's ru_maxrss keeps the high-water mark of the memory it was forked from (Linux carries
# it across exec), so a child forked straight from this process, which holds the million lines,
# would report this process's peak. Each child is therefore started by a small one, GNU time,
# or failing that this wrapper, and its own peak is read from the file they write.
RSS_WRAPPER = """
import os, sys
out, cmd = sys.argv[1], sys.argv[2:]
try:
    pid = os.posix_spawnp(cmd[0], cmd, os.environ)
except OSError as exc:
    print(f"{cmd[0]}: {exc.strerror}", file=sys.stderr)
    sys.exit(127)
_, status, usage = os.wait4(pid, 0)
with open(out, "w") as f:
    f.write(f"{usage.ru_maxrss}\\n")
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def rss_prefix(rss_file: Path) -> list[str]:
    """The small parent that runs the child and writes its peak RSS (KiB) to ``rss_file``."""
    tool = shutil.which("time")
    if tool:
        return [tool, "-f", "%M", "-o", str(rss_file)]
    return [sys.executable, "-c", RSS_WRAPPER, str(rss_file)]


def read_rss(rss_file: Path) -> int:
    """The last line of what time (or the wrapper) wrote; 0 when it wrote nothing usable."""
    try:
        last = rss_file.read_text().split()[-1]
    except (OSError, IndexError):
        return 0
    return int(last) if last.isdigit() else 0


def run_once(
    cmd: Sequence[str],
    stdin: Path | None = None,
    stdout: Path | None = None,
    timeout: float = TIMEOUT,
) -> Run:
    """Run a child with its stdin/stdout on files: wall time, exit code, peak RSS, stderr."""
    with (
        open(stdin or os.devnull, "rb") as inp,
        open(stdout or os.devnull, "wb") as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile(suffix=".rss") as rss,
    ):
        rss_file = Path(rss.name)
        argv = [*rss_prefix(rss_file), *cmd]
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=inp, stdout=out, stderr=err, start_new_session=True)
        killed = threading.Event()
        timer = threading.Timer(timeout, kill_group, (proc, killed))
        timer.start()
        code = proc.wait()
        seconds = time.perf_counter() - start
        timer.cancel()
        err.seek(0)
        text = err.read(64 * 1024).decode(errors="replace")
        peak = read_rss(rss_file)
    return Run(seconds, code, peak, text, timed_out=killed.is_set())


def kill_group(proc: subprocess.Popen[bytes], killed: threading.Event) -> None:
    """Stop a child that ran past its time, with the process time started for it."""
    killed.set()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def measure(
    cmd: Sequence[str],
    stdin: Path | None,
    out: Path,
    *,
    is_ours: bool,
    count_prefix: tuple[bytes, ...] = (),
) -> Run:
    """Best of two under 10 s (the first run is the warm-up), else the one run; lines out are
    counted from the output file, which is then removed."""
    best = run_once(cmd, stdin, out)
    failed = is_ours and not best.ok
    if not failed and not best.timed_out and best.seconds < BEST_OF_TWO_UNDER:
        again = run_once(cmd, stdin, out)
        if again.seconds < best.seconds and again.code == best.code:
            best = again
    if out.exists():
        best.out_lines = count_lines(out, count_prefix)
        out.unlink()
    return best


# ---------------------------------------------------------------- rows


@dataclass
class Row:
    """One line of the table: our run against the peer's, and the ratio's target."""

    task: str
    target: float | None
    ours: Run | None = None
    peer: Run | None = None
    peer_name: str = ""
    notes: list[str] = field(default_factory=list)
    ours_seconds: float | None = None  # in-process rows (parse) set these directly
    peer_seconds: float | None = None
    ours_failed: bool = False  # an in-process row of ours that raised

    def times(self) -> tuple[float | None, float | None]:
        """Our seconds and the peer's, None where a run failed, timed out or could not start."""
        mine = self.ours_seconds if self.ours is None else self.ours.seconds
        theirs = self.peer_seconds if self.peer is None else self.peer.seconds
        if self.ours is not None and not self.ours.ok:
            mine = None
        if self.peer is not None and (self.peer.timed_out or self.peer.code == 127):
            theirs = None
        return mine, theirs

    def ratio(self) -> float | None:
        """Peer time over ours: above 1 means we are faster."""
        mine, theirs = self.times()
        if mine is None or theirs is None or mine <= 0:
            return None
        return theirs / mine


def ours(*args: str) -> list[str]:
    """Our command line, as an admin types it (the venv's entry point, not ``python -m``)."""
    return [DUALSTACK, "bulk", *args]


def our_notes(row: Row, lines_out: bool = True) -> None:
    """A failing command of ours fills its row with why (never stops the bench); a working
    one says how many lines it wrote, to set beside the peer's."""
    if row.ours is None:
        return
    if not row.ours.ok:
        row.notes.insert(0, f"failed: {row.ours.error_line()}")
    elif lines_out and row.ours.out_lines is not None:
        row.notes.insert(0, f"ours wrote {row.ours.out_lines:,} lines")


def peer_missing(row: Row, tool: str) -> None:
    """Our figure still stands without the peer's; the row says why it has no ratio."""
    row.notes.append(f"{tool} unavailable")


def stats_row(inputs: Inputs, tmp: Path, have: dict[str, bool]) -> Row:
    """The whole mixed list: addr6 reads it all, skipping what is not IPv6."""
    row = Row("stats, 1M mixed  vs addr6 -i -s", 1.0, peer_name="addr6 -i -s < FILE")
    row.ours = measure(ours("stats", str(inputs.mixed)), None, tmp / "out", is_ours=True)
    our_notes(row, lines_out=False)
    if not have["addr6"]:
        peer_missing(row, "addr6")
        return row
    row.peer = measure(["addr6", "-i", "-s"], inputs.mixed, tmp / "out", is_ours=False)
    row.notes.append("addr6 silently skips the IPv4 lines (counts IPv6 only)")
    return row


def ipv6calc_stop_note(
    inputs: Inputs, tmp: Path, cmd: list[str], prefix: tuple[bytes, ...] = ()
) -> str:
    """How far ipv6calc's pipe mode gets through the mixed list before it stops."""
    run = run_once(cmd, inputs.mixed, tmp / "probe", TIMEOUT)
    got = count_lines(tmp / "probe", prefix)
    (tmp / "probe").unlink()
    reason = run.error_line() if run.code else "end of input"
    return (
        f"on the mixed list it stops after {got:,} of {LINES:,} lines (exit {run.code}: {reason})"
    )


def anonymize_row(inputs: Inputs, tmp: Path, have: dict[str, bool]) -> Row:
    """The IPv6 lines only: ipv6calc's pipe mode cannot get past the first IPv4 line."""
    cmd = ["ipv6calc", "-q", "-A", "anonymize", "-I", "ipv6addr", "-O", "ipv6addr"]
    row = Row("anonymize, IPv6 lines  vs ipv6calc", 5.0, peer_name=" ".join(cmd) + " < FILE")
    row.ours = measure(
        ours("anonymize", "--extract", "list", str(inputs.v6only)), None, tmp / "out", is_ours=True
    )
    our_notes(row)
    if not have["ipv6calc"]:
        peer_missing(row, "ipv6calc")
        return row
    row.peer = measure(cmd, inputs.v6only, tmp / "out", is_ours=False)
    row.notes.append(
        f"both on the {inputs.v6_lines:,} IPv6 lines; peer wrote {row.peer.out_lines:,} lines"
    )
    row.notes.append(ipv6calc_stop_note(inputs, tmp, cmd))
    return row


def log_row(inputs: Inputs, tmp: Path, have: dict[str, bool]) -> Row:
    """The whole log: ipv6loganon takes IPv4 and IPv6 clients alike."""
    row = Row("anonymize, 1M log  vs ipv6loganon", 5.0, peer_name="ipv6loganon < LOG")
    cmd = ours("anonymize", "--extract", "combined", str(inputs.log))
    row.ours = measure(cmd, None, tmp / "out", is_ours=True)
    our_notes(row)
    if not have["ipv6loganon"]:
        peer_missing(row, "ipv6loganon")
        return row
    row.peer = measure(["ipv6loganon"], inputs.log, tmp / "out", is_ours=False)
    row.notes.append(
        f"peer wrote {row.peer.out_lines:,} of {inputs.log_lines:,} lines "
        "(anonymize-standard, its default cache of 20)"
    )
    return row


RECORDS = (b"IPV6=", b"IPV4=")  # the first line of each of ipv6calc -m's records


def annotate_rows(inputs: Inputs, tmp: Path, have: dict[str, bool]) -> list[Row]:
    """Our annotation once, against ipv6calc's like-for-like -i -m and its cheapest mode."""
    cmd = ours("annotate", "--format", "jsonl", str(inputs.v6only))
    run = measure(cmd, None, tmp / "out", is_ours=True)
    info_cmd = ["ipv6calc", "-q", "-i", "-m"]
    fast_cmd = ["ipv6calc", "-q", "-I", "ipv6addr", "-O", "ipv6addr", "--printfulluncompressed"]
    info = Row("annotate jsonl, IPv6  vs ipv6calc -i -m", 20.0, ours=run)
    fast = Row("annotate jsonl, IPv6  vs ipv6calc -O fulluncomp", 1.0, ours=run)
    info.peer_name = " ".join(info_cmd) + " < FILE"
    fast.peer_name = " ".join(fast_cmd) + " < FILE"
    for row in (info, fast):
        our_notes(row)
    if not have["ipv6calc"]:
        for row in (info, fast):
            peer_missing(row, "ipv6calc")
        return [info, fast]
    info.peer = measure(info_cmd, inputs.v6only, tmp / "out", is_ours=False, count_prefix=RECORDS)
    fast.peer = measure(fast_cmd, inputs.v6only, tmp / "out", is_ours=False)
    lines = inputs.v6_lines
    info.notes.append(
        f"both on the {lines:,} IPv6 lines; peer wrote {info.peer.out_lines:,} records"
    )
    info.notes.append(ipv6calc_stop_note(inputs, tmp, info_cmd, RECORDS))
    fast.notes.append(f"both on the {lines:,} IPv6 lines; peer wrote {fast.peer.out_lines:,} lines")
    fast.notes.append(ipv6calc_stop_note(inputs, tmp, fast_cmd))
    return [info, fast]


def uniq_row(inputs: Inputs, tmp: Path, have: dict[str, bool]) -> Row:
    """addr6 -q grows faster than linear (about n^2): its 1M time is projected first."""
    row = Row("uniq, 1M mixed  vs addr6 -i -q", None, peer_name="addr6 -i -q < FILE")
    row.ours = measure(ours("uniq", str(inputs.mixed)), None, tmp / "out", is_ours=True)
    our_notes(row)
    if not have["addr6"]:
        peer_missing(row, "addr6")
        return row
    row.notes.append("addr6 drops the IPv4 lines")
    projected, exponent = project_uniq(inputs, tmp)
    if projected <= UNIQ_LIMIT:
        row.peer = measure(["addr6", "-i", "-q"], inputs.mixed, tmp / "out", is_ours=False)
        row.notes.append(f"peer wrote {row.peer.out_lines:,} unique lines")
    else:
        row.peer_seconds = projected
        row.notes.append(
            f"addr6 projected {projected:,.0f} s on 1M: timed on 50k and 100k-line prefixes, "
            f"scaled by their growth (time ~ n^{exponent:.2f})"
        )
    return row


def project_uniq(inputs: Inputs, tmp: Path) -> tuple[float, float]:
    """addr6 -q's time at 1M lines, from its times at 50k and 100k (it may be quadratic)."""
    lines = inputs.mixed.read_text().splitlines()
    times = []
    for size in (50_000, 100_000):
        prefix = write_lines(tmp / f"prefix-{size}.txt", lines[:size])
        times.append(run_once(["addr6", "-i", "-q"], prefix, None).seconds)
        prefix.unlink()
    exponent = max(1.0, math.log2(times[1] / max(times[0], 1e-6)))
    return times[1] * (LINES / 100_000) ** exponent, exponent


def parse_row(lines: list[str]) -> Row:
    """In-process: ``parse_many`` over the list against ``ipaddress.ip_address`` per line."""
    row = Row("parse, 1M mixed  vs stdlib ipaddress", 10.0, peer_name="ipaddress.ip_address")
    try:
        from dualstack.bulk.parse import parse_many

        row.ours_seconds, parsed = best_of_two(lambda: parse_many(lines))
        errors = len(parsed.errors)
        if errors:
            row.notes.append(f"parse_many: {errors:,} errors on valid lines")
    except Exception as exc:  # the engine is being written: report, never stop the bench
        row.ours_failed = True
        row.notes.append(f"failed: {type(exc).__name__}: {exc}")
    row.peer_seconds, _ = best_of_two(lambda: stdlib_parse(lines))
    return row


def stdlib_parse(lines: Sequence[str]) -> None:
    """What a script does without us: one ``ip_address`` per line."""
    ip_address = ipaddress.ip_address
    for line in lines:
        ip_address(line)


def best_of_two(work: Callable[[], Any]) -> tuple[float, Any]:
    """Run twice and keep the faster time (the first run is the warm-up) and the last result."""
    best = math.inf
    result: Any = None
    for _ in range(2):
        result = None  # free the first result before the second run builds its own
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


# ---------------------------------------------------------------- memory


@dataclass
class MemoryRow:
    """Peak RSS of one command of ours at 1M and 10M lines: it must not grow with input."""

    task: str
    small: Run
    big: Run

    def growth(self) -> float | None:
        """10M-line peak over 1M-line peak; None unless both runs worked."""
        if not (self.small.ok and self.big.ok) or self.small.max_rss_kib <= 0:
            return None
        return self.big.max_rss_kib / self.small.max_rss_kib


def memory_rows(inputs: Inputs, tmp: Path) -> list[MemoryRow]:
    """One run each on the 1M and the 10M list (the 10M runs are the bench's biggest cost)."""
    out = []
    for name in ("stats", "anonymize"):
        runs = []
        for path in (inputs.mixed, inputs.big):
            run = run_once(ours(name, str(path)), None, tmp / "out", TIMEOUT)
            run.out_lines = count_lines(tmp / "out")
            (tmp / "out").unlink()
            runs.append(run)
        out.append(MemoryRow(f"dualstack bulk {name}", *runs))
    return out


# ---------------------------------------------------------------- ipv6logconv


def logconv_line(inputs: Inputs, tmp: Path, have: dict[str, bool]) -> str:
    """ipv6logconv refuses root: run it as nobody, say how far it gets through the log."""
    if not have["ipv6logconv"]:
        return "ipv6logconv: unavailable"
    cmd = ["ipv6logconv", "--out", "addrtype"]
    if os.geteuid() == 0:
        if shutil.which("runuser"):
            cmd = ["runuser", "-u", "nobody", "--", *cmd]
        elif shutil.which("setpriv"):
            cmd = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *cmd]
    run = run_once(cmd, inputs.log, tmp / "out")
    got = count_lines(tmp / "out")
    (tmp / "out").unlink()
    end = "end of input" if run.code == 0 else run.error_line()
    return (
        f"ipv6logconv --out addrtype (as nobody) on the log: {got:,} lines out of "
        f"{inputs.log_lines:,} in {run.seconds:.2f} s, exit {run.code} ({end})"
    )


# ---------------------------------------------------------------- report


def cell(seconds: float | None, run: Run | None, failed: bool) -> str:
    """Seconds, or why there are none."""
    if run is not None and run.timed_out:
        return "timeout"
    if seconds is not None:
        return f"{seconds:.2f}"
    return "failed" if failed else "n/a"


def print_table(rows: Sequence[Row]) -> None:
    """One line per row, then the peer's command and the notes indented under it."""
    head = f"{'task':<48} {'ours s':>8} {'peer s':>8} {'ratio':>7} {'target':>7}  {'met':<8}"
    print(head)
    print("-" * len(head))
    for row in rows:
        mine, theirs = row.times()
        ratio = row.ratio()
        target = f">= {row.target:g}" if row.target is not None else "-"
        if ratio is None or row.target is None:
            met = "-"
        else:
            met = "met" if ratio >= row.target else "NOT met"
        failed = row.ours_failed or (row.ours is not None and not row.ours.ok)
        ours_cell = cell(mine, row.ours, failed)
        peer_cell = cell(theirs, row.peer, False)
        ratio_cell = f"{ratio:.1f}x" if ratio is not None else "-"
        print(f"{row.task:<48} {ours_cell:>8} {peer_cell:>8} {ratio_cell:>7} {target:>7}  {met:<8}")
        print(f"    peer: {row.peer_name}")
        for note in row.notes:
            print(f"    {note}")


def print_memory(rows: Sequence[MemoryRow]) -> None:
    """Peak RSS at both sizes, their ratio against the flat-memory target."""
    head = f"{'peak RSS':<28} {'1M lines':>10} {'10M lines':>10} {'10M/1M':>7} {'target':>8}  met"
    print(head)
    print("-" * len(head))
    for row in rows:
        growth = row.growth()
        cells = [mib(row.small), mib(row.big)]
        met = "-" if growth is None else "met" if growth <= MEMORY_GROWTH_TARGET else "NOT met"
        grow = f"{growth:.2f}" if growth is not None else "-"
        target = f"<= {MEMORY_GROWTH_TARGET:g}"
        print(f"{row.task:<28} {cells[0]:>10} {cells[1]:>10} {grow:>7} {target:>8}  {met}")
        for run, size in ((row.small, "1M"), (row.big, "10M")):
            if run.ok:
                print(f"    {size}: {run.seconds:.2f} s, {run.out_lines:,} lines out")
            else:
                print(f"    {size}: failed: {run.error_line()}")


def mib(run: Run) -> str:
    """Peak RSS in MiB, or 'failed' (a failed run's peak says nothing)."""
    return f"{run.max_rss_kib / 1024:.0f} MiB" if run.ok else "failed"


def write_json(
    path: str, rows: Sequence[Row], memory: Sequence[MemoryRow], mix: Counter[str], extra: str
) -> None:
    """The same figures for a machine: BENCH_JSON=path."""

    def run_dict(run: Run | None) -> dict[str, Any] | None:
        if run is None:
            return None
        data = asdict(run)
        data["stderr"] = run.error_line() if not run.ok else ""
        return data

    doc = {
        "lines": LINES,
        "mix": dict(mix),
        "rows": [
            {
                "task": row.task,
                "peer": row.peer_name,
                "ours_seconds": row.times()[0],
                "peer_seconds": row.times()[1],
                "ratio": row.ratio(),
                "target": row.target,
                "ours": run_dict(row.ours),
                "peer_run": run_dict(row.peer),
                "notes": row.notes,
            }
            for row in rows
        ],
        "memory": [
            {
                "task": row.task,
                "rss_kib_1m": row.small.max_rss_kib if row.small.ok else None,
                "rss_kib_10m": row.big.max_rss_kib if row.big.ok else None,
                "growth": row.growth(),
                "target": MEMORY_GROWTH_TARGET,
            }
            for row in memory
        ],
        "ipv6logconv": extra,
    }
    Path(path).write_text(json.dumps(doc, indent=2) + "\n")


def progress(step: str) -> None:
    """A line on stderr per step: the whole bench takes minutes."""
    print(f"bench: {step}", file=sys.stderr, flush=True)


def warm_up(tmp: Path) -> None:
    """Run each of our commands once on a few lines first, so numba's compile of the
    annotate writer (about 10 s, once per install: it is cached) is not timed."""
    sample = write_lines(tmp / "warm-up.txt", ["2001:db8::1", "192.0.2.1", "ff02::1"])
    for command in (["annotate"], ["anonymize"], ["uniq"], ["stats"]):
        subprocess.run(
            [*ours(*command), str(sample)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )


def main() -> int:
    """Inputs, then the timed rows, then the memory runs; the table is printed at the end."""
    started = time.perf_counter()
    have = ensure_tools()
    lines, mix = generate(LINES)
    with tempfile.TemporaryDirectory(prefix="bench-bulk-") as name:
        tmp = Path(name)
        inputs = make_inputs(tmp, lines)
        made = time.perf_counter() - started
        shares = ", ".join(f"{kind} {count / LINES:.1%}" for kind, count in mix.most_common())
        print(
            f"bulk bench: {LINES:,} lines ({inputs.v6_lines:,} IPv6), inputs made in {made:.0f} s"
        )
        print(f"  mix: {shares}")
        warm_up(tmp)
        rows: list[Row] = []
        for step, make in (
            ("stats", stats_row),
            ("anonymize", anonymize_row),
            ("anonymize a log", log_row),
            ("annotate", annotate_rows),
            ("uniq", uniq_row),
        ):
            progress(step)
            made_rows = make(inputs, tmp, have)
            rows.extend(made_rows if isinstance(made_rows, list) else [made_rows])
        progress("parse")
        rows.append(parse_row(lines))
        del lines
        progress("peak memory, 1M and 10M lines")
        memory = memory_rows(inputs, tmp)
        logconv = logconv_line(inputs, tmp, have)
    print()
    print_table(rows)
    print()
    print_memory(memory)
    print()
    print(logconv)
    print(f"bench time {time.perf_counter() - started:.0f} s")
    if path := os.environ.get("BENCH_JSON"):
        write_json(path, rows, memory, mix, logconv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
