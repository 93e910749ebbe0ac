"""MACs, EUI-64 and the modified EUI-64 interface identifier (RFC 4291 Appendix A)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualstack.addr.mac import Eui64, Mac, mac_from_interface_id
from dualstack.addr.vendor import vendor
from dualstack.errors import AddressError


def test_rfc4291_appendix_a() -> None:
    # The Appendix A construction: 0xFFFE inserted between company_id and the vendor part,
    # then the universal/local bit (0x02 of the first octet) inverted.
    assert Mac.parse("34-56-78-9A-BC-DE").modified_eui64() == 0x365678FFFE9ABCDE
    assert mac_from_interface_id(0x365678FFFE9ABCDE) == Mac.parse("34:56:78:9a:bc:de")
    assert mac_from_interface_id(0x1234567890ABCDEF) is None


def test_mac_properties() -> None:
    mac = Mac.parse("00-15-5D-01-14-0B")
    assert str(mac) == "00:15:5d:01:14:0b"
    assert mac.oui == 0x00155D
    assert not mac.is_local
    assert not mac.is_multicast
    assert Mac.parse("02:00:00:00:00:01").is_local
    assert Mac.parse("01:00:5e:00:00:01").is_multicast


def test_eui64_to_mac() -> None:
    eui = Eui64.parse("00-15-5D-FF-FE-01-14-0B")
    assert eui.to_mac() == Mac.parse("00:15:5d:01:14:0b")
    assert eui.interface_id == 0x02155DFFFE01140B
    assert Eui64.parse("00-15-5D-00-00-01-14-0B").to_mac() is None


@pytest.mark.parametrize(
    "bad", ["00:15:5d:01:14", "00:15:5d:01:14:0b:00", "0015.5d01", "gg155d01140b"]
)
def test_bad_macs(bad: str) -> None:
    with pytest.raises(AddressError, match="is not a MAC address"):
        Mac.parse(bad)


@given(st.integers(min_value=0, max_value=(1 << 48) - 1))
def test_mac_round_trips(value: int) -> None:
    mac = Mac(value)
    for spelling in (str(mac), str(mac).replace(":", "-").upper(), f"{value:012x}"):
        assert Mac.parse(spelling) == mac
    assert mac_from_interface_id(mac.modified_eui64()) == mac


def test_vendor_from_shipped_ieee_data() -> None:
    assert vendor(Mac.parse("00-15-5D-01-14-0B")) == "Microsoft Corporation"
    assert vendor(Mac.parse("00:00:0c:11:22:33")) == "Cisco Systems, Inc"
    assert vendor(Mac.parse("02:15:5d:01:14:0b")) is None  # locally administered
