"""Timing and peak memory of child processes for `make bench`.

Commands compared with each other run in the same rounds, one after the other (ours, then the
peer's, then ours again...), after one untimed warm-up each, so a slow minute on a shared machine
falls on both sides; each side's time is the median of its rounds. Wall time is taken around
the child process; peak memory is the child's own maximum RSS (see ``rss_prefix``).
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RUNS = max(5, int(os.environ.get("BENCH_RUNS", "5")))  # rounds per comparison: at least 5
TIMEOUT = 300.0  # seconds: a child still running then is stopped and reported as timed out


@dataclass
class Run:
    """One child process (or the median of several): wall seconds, exit code, peak RSS (KiB),
    stderr head, lines out; ``samples`` holds every round's seconds."""

    seconds: float
    code: int
    max_rss_kib: int
    stderr: str
    out_lines: int | None = None
    timed_out: bool = False
    samples: list[float] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Exited 0 in time (a peer that stops early exits non-zero and still has a time)."""
        return self.code == 0 and not self.timed_out

    def error_line(self) -> str:
        """The line that says what went wrong: click's ``Error:``, a traceback's last line,
        else the first line."""
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
# it across exec), so a child forked straight from the bench, which holds the million lines,
# would report the bench's peak. Each child is therefore started by a small one, GNU time, or
# failing that this wrapper, and its own peak is read from the file they write.
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
    return Run(seconds, code, peak, text, timed_out=killed.is_set(), samples=[seconds])


def kill_group(proc: subprocess.Popen[bytes], killed: threading.Event) -> None:
    """Stop a child that ran past its time, with the process time started for it."""
    killed.set()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


@dataclass(frozen=True)
class Job:
    """A command to time: its argv, the file on its stdin, how its output lines are counted,
    and whether it is ours (a failing run of ours is not repeated)."""

    cmd: Sequence[str]
    stdin: Path | None = None
    count_prefix: tuple[bytes, ...] = ()
    ours: bool = False


def alternate(jobs: dict[str, Job], tmp: Path, runs: int = RUNS) -> dict[str, Run]:
    """One untimed warm-up each, then ``runs`` rounds of every job in turn; each job's Run
    carries the median seconds, its samples, the largest peak RSS and the lines the last run
    wrote. A job that times out, or one of ours that fails, is not run again."""
    for job in jobs.values():
        run_once(job.cmd, job.stdin, None)
    done: dict[str, list[Run]] = {name: [] for name in jobs}
    for _ in range(runs):
        for name, job in jobs.items():
            past = done[name]
            if past and (past[-1].timed_out or (job.ours and not past[-1].ok)):
                continue
            past.append(run_once(job.cmd, job.stdin, tmp / f"{name}.out"))
    out = {}
    for name, job in jobs.items():
        past = done[name]
        last = past[-1]
        samples = [run.seconds for run in past]
        last.out_lines = count_lines(tmp / f"{name}.out", job.count_prefix)
        (tmp / f"{name}.out").unlink(missing_ok=True)
        last.seconds = statistics.median(samples)
        last.samples = samples
        last.max_rss_kib = max(run.max_rss_kib for run in past)
        out[name] = last
    return out


def alternate_in_process(
    works: dict[str, Callable[[], Any]], runs: int = RUNS
) -> dict[str, tuple[float, Any]]:
    """In-process work timed the same way: ``runs`` rounds of each in turn after a warm-up;
    the median seconds and the last result of each."""
    times: dict[str, list[float]] = {name: [] for name in works}
    results: dict[str, Any] = {}
    for round_ in range(runs + 1):
        for name, work in works.items():
            results[name] = None  # free the last result before the next run builds its own
            start = time.perf_counter()
            results[name] = work()
            if round_:
                times[name].append(time.perf_counter() - start)
    return {name: (statistics.median(times[name]), results[name]) for name in works}


def project(times: tuple[float, float], sizes: tuple[int, int], target: int) -> tuple[float, float]:
    """A time at ``target`` lines from times at two smaller sizes, by their growth (n^k)."""
    ratio = sizes[1] / sizes[0]
    exponent = max(1.0, math.log(times[1] / max(times[0], 1e-6), ratio))
    return times[1] * (target / sizes[1]) ** exponent, exponent
