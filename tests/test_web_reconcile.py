"""The Reconcile page: Flask's test client for the logic, Chromium for what a user sees."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Page, expect

from dualstack.plan import check_checked, read_site
from dualstack.web.app import create_app
from tests.testdata import LAB_HEADER

SITE = (
    LAB_HEADER
    + """
[[vlan]]
id = 20
name = "servers"
ipv4 = "10.0.20.0/24"
gateway = "10.0.20.1"
ipv6 = "slaac"

[[host]]
name = "ns1"
vlan = 20
ipv4 = "10.0.20.53"
ipv6 = "static"

[[host]]
name = "pc"
vlan = 20
ipv4 = "10.0.20.70"
mac = "02:00:5e:00:00:70"
ipv6 = "eui64"
"""
)
NEIGH = json.dumps(
    [{"dst": "2001:db8:77:20:1234:5678:9abc:def0", "lladdr": "02:00:5e:00:00:70",
      "state": ["REACHABLE"]}]
)  # fmt: skip


@pytest.fixture
def client() -> FlaskClient:
    return create_app().test_client()


def test_a_client_that_formed_another_address_is_flagged(client: FlaskClient) -> None:
    html = client.post("/reconcile", data={"site": SITE, "neigh": NEIGH}).get_data(as_text=True)
    row = next(r for r in html.split("<tr>") if "<td>pc</td>" in r)
    assert "NOT formed" in row
    assert "2001:db8:77:20:1234:5678:9abc:def0" in row
    outcome = check_checked(read_site(SITE, "s"))
    assert outcome.plan is not None
    planned = next(n.ipv6 for n in outcome.plan.interfaces if n.host.name == "pc")
    assert str(planned) in row


def test_bad_input_is_a_message(client: FlaskClient) -> None:
    html = client.post("/reconcile", data={"site": SITE, "neigh": ""}).get_data(as_text=True)
    assert "give a neighbour dump or a lease file" in html
    html = client.post("/reconcile", data={"site": "nope", "neigh": NEIGH}).get_data(as_text=True)
    assert 'role="alert"' in html


def test_the_page_in_a_browser(server: str, page: Page) -> None:
    page.goto(f"{server}/reconcile")
    page.fill("textarea[name=site]", SITE)
    page.fill("textarea[name=neigh]", NEIGH)
    page.click("button[type=submit]")
    expect(page.locator("table.reconcile")).to_contain_text("NOT formed")  # waits for the page
    assert "Reconcile" in page.locator("nav").inner_text()
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_a_dhcpv4_lease_file_shows_an_address_other_than_planned(client: FlaskClient) -> None:
    leases4 = (
        "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,"
        "state,user_context,pool_id\n"
        "10.0.20.71,02:00:5e:00:00:70,,3600,1795603282,1,0,0,pc,0,,0\n"
    )
    html = client.post("/reconcile", data={"site": SITE, "leases": leases4}).get_data(as_text=True)
    row = next(r for r in html.split("<tr>") if "<td>pc</td>" in r)
    assert "DHCPv4 leased it 10.0.20.71" in row
