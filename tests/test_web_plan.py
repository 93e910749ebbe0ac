"""The Plan and DNS pages: Flask's test client for the logic, Chromium for what a user sees."""

from __future__ import annotations

import io
import re
import zipfile
from ipaddress import IPv6Network
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Page

from dualstack.plan import check, check_checked, read_site
from dualstack.plan.site import table_lines
from dualstack.web.app import create_app
from dualstack.web.pages.plan import download_name
from dualstack.web.svg_map import address_map, grid_for
from tests.testdata import CONTRACT

EVIL = "<script>alert(1)</script>"
EVIL_HOST = f'\n[[host]]\nname = "{EVIL}"\nvlan = 20\nipv4 = "10.1.20.99"\n'


@pytest.fixture
def client() -> FlaskClient:
    return create_app().test_client()


def contract_text() -> str:
    return CONTRACT.read_text(encoding="utf-8")


def ipv6_vlan_count(text: str) -> int:
    """How many VLANs of the site get a /64: the number of map regions expected."""
    outcome = check_checked(read_site(text, "site.toml"))
    assert outcome.plan is not None
    return sum(1 for v in outcome.plan.vlans if v.ipv6 is not None)


def upload(client: FlaskClient, url: str, text: str, name: str = "site.toml") -> str:
    data = {"site_file": (io.BytesIO(text.encode()), name), "site": ""}
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- the Plan page through the test client ------------------------------------------------


def test_get_shows_the_form(client: FlaskClient) -> None:
    html = client.get("/plan").get_data(as_text=True)
    assert 'name="site_file"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "vlan-region" not in html


def test_contract_site_tables_findings_and_map(client: FlaskClient) -> None:
    html = upload(client, "/plan", contract_text())
    for text in ("management", "servers", "clients", "iscsi-a", "2001:db8:1200:120::/64"):
        assert text in html  # VLAN table
    assert "fd3c:7a2b:91e0:10::/64" in html  # ULA column
    assert "2001:db8:1200:20:215:5dff:fe01:140b" in html  # hv01 by EUI-64
    assert "SLAAC modified EUI-64" in html  # derivation column
    assert "00:15:5d:01:14:0b" in html  # MAC column
    assert "host.dhcpv6-without-m-flag" in html  # the contract's one warning
    assert "line 79" in html  # ... located at printer7's [[host]] header
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count('class="vlan-region"') == ipv6_vlan_count(contract_text()) == 3
    assert re.findall(r'data-vlan="(\d+)"', svg) == ["10", "20", "120"]  # 300 is IPv4-only
    assert 'action="/plan/kit"' in html


def test_pasted_text_works_like_an_upload(client: FlaskClient) -> None:
    html = client.post("/plan", data={"site": contract_text()}).get_data(as_text=True)
    assert html.count('class="vlan-region"') == 3


def test_site_with_errors_shows_findings_but_no_map_or_kit(client: FlaskClient) -> None:
    html = upload(client, "/plan", contract_text() + EVIL_HOST)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert EVIL not in html  # never raw, not even in the textarea
    assert "site.invalid-value" in html
    assert "sev-error" in html
    assert "<svg" not in html
    assert "/plan/kit" not in html


def test_invalid_toml_is_a_message_not_a_traceback(client: FlaskClient) -> None:
    response = client.post("/plan", data={"site": "[site\nname = 1"})
    html = response.get_data(as_text=True)
    assert "pasted text: not valid TOML" in html
    assert "Traceback" not in html
    assert "[site\nname = 1" in html  # the text is kept for fixing


def test_empty_submit_and_non_utf8_upload(client: FlaskClient) -> None:
    assert "Paste a site file" in client.post("/plan", data={"site": " "}).get_data(as_text=True)
    data = {"site_file": (io.BytesIO(b"\xff\xfe\x00bad"), "bad.toml")}
    html = client.post("/plan", data=data, content_type="multipart/form-data").get_data(
        as_text=True
    )
    assert "bad.toml: not UTF-8 text" in html


def test_kit_zip_holds_what_dualstack_kit_writes(client: FlaskClient) -> None:
    response = client.post("/plan/kit", data={"site": contract_text()})
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "kit-hq.zip" in response.headers["Content-Disposition"]
    names = set(zipfile.ZipFile(io.BytesIO(response.data)).namelist())
    expected = {
        "dns/named.conf",
        "dns/corp.example.net.zone",
        "dns/0.0.2.1.8.b.d.0.1.0.0.2.ip6.arpa.zone",
        "plan.json",
        "plan.md",
        "vlans.csv",
        "hosts.csv",
        "radvd/radvd.conf",
        "kea/kea-dhcp6.conf",
    }
    assert expected <= names
    assert not any(n.startswith(("/", "..")) or n == "site.toml" for n in names)


def test_kit_of_a_site_with_errors_is_an_error_page(client: FlaskClient) -> None:
    response = client.post("/plan/kit", data={"site": contract_text() + EVIL_HOST})
    assert response.status_code == 400
    assert "no kit written" in response.get_data(as_text=True)
    bad = client.post("/plan/kit", data={"site": "not = [toml"})
    assert bad.status_code == 400
    assert "pasted text: not valid TOML" in bad.get_data(as_text=True)


def test_table_lines_and_download_name() -> None:
    text = "[site]\nname='x'\n[[vlan]]\nid=1\n[[host]]\n [[ vlan ]] # second\n[dns]\n"
    assert table_lines(text) == {"[site]": 1, "vlan[0]": 3, "host[0]": 5, "vlan[1]": 6, "[dns]": 7}
    assert download_name('a/../b "c"') == "kit-a-..-b-c.zip"
    assert download_name("...") == "kit-site.zip"


# --- the address map --------------------------------------------------------------------------


def test_map_escapes_the_site_name_and_places_cells() -> None:
    text = contract_text().replace('name = "hq"', 'name = "<b>hq & \\"co\\"</b>"', 1)
    outcome = check_checked(read_site(text, "x"))
    assert outcome.ok
    assert outcome.plan is not None
    svg = address_map(outcome.plan)
    assert "<b>" not in svg
    assert "&lt;b&gt;hq &amp; &quot;co&quot;&lt;/b&gt;" in svg
    assert svg.count('class="vlan-region"') == 3
    assert 'data-vlan="120" data-mode="slaac+dhcpv6"' in svg
    assert "2001:db8:1200:120::/64" in svg  # in the region's <title>


@pytest.mark.parametrize(
    ("prefix", "cols", "rows", "shift"),
    [("2001:db8::/48", 256, 256, 0), ("2001:db8::/56", 16, 16, 0), ("2001:db8::/61", 4, 2, 0),
     ("2001:db8::/64", 1, 1, 0), ("2001:db8::/40", 256, 256, 8)],
)  # fmt: skip
def test_grid_shape(prefix: str, cols: int, rows: int, shift: int) -> None:
    grid = grid_for(IPv6Network(prefix))
    assert (grid.cols, grid.rows, grid.shift) == (cols, rows, shift)


def test_example_site_map_has_a_region_per_ipv6_vlan() -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "site.toml"
    plan = check(example).plan
    assert plan is not None
    svg = address_map(plan)
    assert svg.count('class="vlan-region"') == sum(1 for v in plan.vlans if v.ipv6 is not None)


# --- the DNS page -----------------------------------------------------------------------------


def test_dns_page_shows_zones_and_host_records(client: FlaskClient) -> None:
    html = upload(client, "/dns", contract_text())
    assert "corp.example.net." in html
    assert 'data-zone="0.0.2.1.8.b.d.0.1.0.0.2.ip6.arpa."' in html
    assert 'data-zone="10.1.10.in-addr.arpa."' in html
    assert "$ORIGIN corp.example.net." in html  # zone file text from the BIND renderer
    assert "IN AAAA  2001:db8:1200:10::53" in html
    assert "named.conf" in html
    row = re.search(r"<tr>\s*<td class=\"mono\">ns1\.corp\.example\.net\..*?</tr>", html, re.S)
    assert row is not None
    cells = row.group(0)
    for value in (
        "10.1.10.53",
        "2001:db8:1200:10::53",
        "53.10.1.10.in-addr.arpa.",
        "3.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.0.2.1.8.b.d.0.1.0.0.2.ip6.arpa.",
    ):
        assert value in cells
    assert "alias hyperv1.corp.example.net." in html


def test_dns_page_with_errors_shows_findings_only(client: FlaskClient) -> None:
    html = upload(client, "/dns", contract_text() + EVIL_HOST)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert EVIL not in html
    assert "<details" not in html


# --- in a real browser ------------------------------------------------------------------------


def test_browser_upload_contract_site(server: str, page: Page) -> None:
    page.goto(f"{server}/plan")
    page.set_input_files("input[name=site_file]", str(CONTRACT))
    page.click("#site-form button[type=submit]")
    vlans = page.locator("table.vlans")
    assert "2001:db8:1200:120::/64" in vlans.inner_text()
    assert vlans.locator("tbody tr").count() == 4
    assert page.locator("svg.address-map .vlan-region").count() == ipv6_vlan_count(contract_text())
    assert page.locator("svg.address-map .vlan-region[data-vlan='20'] title").text_content() == (
        "VLAN 20 servers\n2001:db8:1200:20::/64\nmode: slaac\nsubnet ID: 0x20"
    )
    with page.expect_download() as download:
        page.click("#kit-button")
    assert download.value.suggested_filename == "kit-hq.zip"
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_browser_hostile_host_name_stays_text(server: str, page: Page, tmp_path: Path) -> None:
    site = tmp_path / "evil.toml"
    site.write_text(contract_text() + EVIL_HOST, encoding="utf-8")
    for url in (f"{server}/plan", f"{server}/dns"):
        page.goto(url)
        page.set_input_files("input[name=site_file]", str(site))
        page.click("#site-form button[type=submit]")
        finding = page.locator(".finding.error").first
        assert EVIL in finding.inner_text()
        assert finding.is_visible()
        assert page.locator("svg.address-map").count() == 0
        assert page.locator("script").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]
