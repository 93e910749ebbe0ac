"""`make bench`: start-up cost of `dualstack inspect --json ADDR` against a bare interpreter.

Each command runs as a fresh process, alternately, RUNS times; medians and ratios are printed.
The issue's target is within 1.5x of `python3 -c "import ipaddress"`. Two more lines give the
context: the floor an inspection cannot go below (the interpreter plus re, json and ipaddress:
JSON out, the shipped registry data in, and `re` which json.decoder and pip's console-script
wrapper both import), so the gap between that floor and dualstack is our own code; and what
typing and dataclasses would add, which is why the address core declares its values with
dualstack._value and imports typing only for mypy.
A second comparison is the bulk engine's start-up: `dualstack bulk stats` on an empty file against
`python3 -c pass` (the issue's target: at most 2x), which shows what numpy and click cost before
the first line is read (numba must not be imported on that path: tests/test_imports.py).
Bytecode is compiled first, as an installed package has it (a PYTHONDONTWRITEBYTECODE
environment would otherwise recompile every module on every run).
"""

from __future__ import annotations

import compileall
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 40
ADDRESS = "2001:0:4136:e378:8000:63bf:3fff:fdd2"
ROOT = Path(__file__).resolve().parent.parent


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    exe = shutil.which("dualstack", path=str(Path(sys.executable).parent))
    if exe is None:
        print("bench: dualstack is not installed in this environment", file=sys.stderr)
        return 2
    compileall.compile_dir(ROOT / "src", quiet=1)
    empty = tempfile.NamedTemporaryFile(suffix=".txt")  # noqa: SIM115 (lives until the end)
    commands = {
        "dualstack inspect --json ADDR": [exe, "inspect", "--json", ADDRESS],
        'python3 -c "import ipaddress"': [sys.executable, "-c", "import ipaddress"],
        "python3 + re, json, ipaddress (the floor)": [
            sys.executable,
            "-c",
            "import re, json, ipaddress",
        ],
        "python3 + re, json, ipaddress, typing, dataclasses": [
            sys.executable,
            "-c",
            "import re, json, ipaddress, typing, dataclasses",
        ],
        "dualstack bulk stats EMPTY": [exe, "bulk", "stats", empty.name],
        'python3 -c "pass"': [sys.executable, "-c", "pass"],
    }
    for argv in commands.values():  # warm the page cache
        _time(argv)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, argv in commands.items():
            samples[name].append(_time(argv))
    medians = {name: statistics.median(times) for name, times in samples.items()}
    bulk = ("dualstack bulk stats EMPTY", 'python3 -c "pass"')
    base = medians['python3 -c "import ipaddress"']
    for name, value in medians.items():
        if name not in bulk:
            print(f"{name:<52} median {value * 1000:6.1f} ms  {value / base:5.2f}x")
    print(f"({RUNS} runs each; target for dualstack: <= 1.50x)")
    base = medians[bulk[1]]
    for name in bulk:
        print(f"{name:<52} median {medians[name] * 1000:6.1f} ms  {medians[name] / base:5.2f}x")
    met = "met" if medians[bulk[0]] <= 2 * base else "NOT met"
    print(f"(target for bulk stats on an empty file: <= 2.00x: {met})")
    empty.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
