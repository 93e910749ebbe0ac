"""What the bulk tests share: the CLI run in a subprocess, the guard for the compiled scanner,
and the edge cases and mixed input the scanner is held to (the Python path is the reference).
A helper module, not a test module, so no test module imports another."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bench.addrmix import generate, sample

_SCRIPT = Path(sys.executable).with_name("dualstack")
CLI = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "dualstack"]
ENV = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONIOENCODING", "LC_"))}
ENV["LANG"] = "C.UTF-8"


def run(*args: str | Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """``dualstack ARGS`` in a subprocess; no Python traceback may reach stderr."""
    result = subprocess.run(
        [*CLI, *map(str, args)], input=stdin, capture_output=True, env=ENV, timeout=60
    )
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    return result


def both_paths(*args: str | Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """``dualstack ARGS`` with the C kernels and again on the numpy path
    (``DUALSTACK_NO_EXT=1``): the same output, errors and exit code; the first run."""
    results = []
    for switch in ("", "1"):
        ENV["DUALSTACK_NO_EXT"] = switch
        try:
            results.append(run(*args, stdin=stdin))
        finally:
            del ENV["DUALSTACK_NO_EXT"]
    quick, slow = results
    assert (quick.returncode, quick.stdout, quick.stderr) == (
        slow.returncode,
        slow.stdout,
        slow.stderr,
    )
    return quick


def err_lines(result: subprocess.CompletedProcess[bytes]) -> list[str]:
    return result.stderr.decode("utf-8", "backslashreplace").splitlines()


def require_scanner() -> None:
    """Skip a module when the C kernels are not built, outside CI only: in CI (unless the
    numpy path is forced with DUALSTACK_NO_EXT) and under ASan their absence fails."""
    from dualstack.bulk import agg, compiled, fast

    missing = [
        name
        for name, there in (
            ("_scan", fast.extension() is not None),
            ("_classify", compiled.extension() is not None),
            ("_agg", agg.compiled()),
        )
        if not there
    ]
    if not missing:
        return
    if os.environ.get("DUALSTACK_REQUIRE_EXT") or (
        os.environ.get("CI") and not os.environ.get("DUALSTACK_NO_EXT")
    ):
        raise RuntimeError(
            f"dualstack.bulk {', '.join(missing)} not built: the install must compile it"
        )
    pytest.skip("the C kernels are not built (outside CI only)", allow_module_level=True)


# Text forms the scanner must decide exactly as the Python path does (or hand back to it).
SCAN_EDGES = [
    "2001:DB8::1",
    "2001:0db8:0000:0000:0000:0000:0000:0001",
    "::",
    "::1",
    "1::",
    "1:2:3:4:5:6:7::",
    "::2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4::5:6:7:8",
    "1:2:3:4:5:6:7:8:9",
    ":::",
    "1:::2",
    ":1::2",
    "1::2:",
    "::ffff:1.2.3.4",
    "::ffff:01.2.3.4",
    "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "::1.2.3.4.5",
    "::a.2.3.4",
    "12345::",
    "00001::",
    "0000::",
    "fe80::1%eth0",
    "fe80::1%25eth0",
    "[2001:db8::1]:443",
    "[fe80::1%25eth0]",
    "2001:db8::/32",
    "10.0.0.0/24",
    "10.0.0.0/255.255.255.0",
    "10.0.0.1:80",
    "0.0.0.0",
    "255.255.255.255",
    "256.1.1.1",
    "01.2.3.4",
    "1.2.3",
    "1.2.3.4.",
    "1..2.3",
    "00:1b:21:3a:4b:5c",
    "0x1",
    "bad",
    "-",
    "10:41:22",
    "a::b:c.d",
    "::1:",
    "1.2.3.4:",
    "é::1",
    "::1\u00a0",
    "\ufeff::1",
    " \t::1\r",
    "\x1c10.0.0.1\x1f",
    "1.2.3.4\x00",
    "\x00::1",
    "1.2.3.4\xa0x",
    "1\u0662.2.3.4 and 1.2.3.\u0664 and 1.2.3.4\u0665",
    "é1.2.3.4 ü::1 \u00a0::1\u00a0 ::1é fe80::1.\u00e9 1.2.3.4.\u00e9 2001:db8::1: ok",
    "Mozilla/5.0 (Zürich) 2001:db8::1 10.0.0.1",
    "x 1.2.3.4 y",
    ".:.:1::2",
    "a.:b::c.:d::",
    "1.2.3.4.in-addr.arpa",
    "http://[2001:db8::1]:80/x?ip=10.1.2.3&b=::ffff:10.0.0.1.",
    "at 10:41:22, fe80::1%eth0 and 2001:db8::1. Then ::1: done",
    "0:0:0:0:0:0:0:0",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:255.255.255.255",
    "1:0:0:1:0:0:0:1",
    "1:0:0:1:0:0:1:1",
    "0:0:1:0:0:1:0:0",
]


def scan_mix(count: int) -> bytes:
    """``count`` lines of the realistic mix, the adversarial sample and the edge cases."""
    lines, _ = generate(count)
    return ("\n".join([*lines, *sample(3000, 7), *SCAN_EDGES]) + "\n").encode("utf-8")


def scan_log(count: int, tail: str = "2326 at 10:41:22 fe80::1%eth0 é {c}") -> bytes:
    """``count`` combined-log lines of the mix, addresses in the first field, a bracketed URL
    and a query; ``tail`` (with ``{a}`` and ``{c}``) ends each line, non-ASCII by default, so
    some lines go to the Python extractor whole."""
    lines, _ = generate(count)
    return "".join(
        f'{a} - - [10/Oct/2000:13:55:36 -0700] "GET http://[{b}]:80/?ip={c} HTTP/1.1" 200 '
        + tail.format(a=a, c=c)
        + "\n"
        for a, b, c in zip(lines, lines[1:], lines[2:], strict=False)
    ).encode()
