"""The Select page: Flask's test client for the logic, Chromium for what a user sees."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Page, expect

from dualstack.web.app import create_app

FIXTURES = Path(__file__).parent / "fixtures" / "selection"
HOST = "fd00:1::10/64\n10.0.0.10/24\n"
DESTINATIONS = "2001:db8::1\n192.0.2.1\n"


@pytest.fixture
def client() -> FlaskClient:
    return create_app().test_client()


def test_the_order_sources_and_rules_are_shown(client: FlaskClient) -> None:
    html = client.post(
        "/select", data={"host": HOST, "dest": DESTINATIONS, "policy": "glibc"}
    ).get_data(as_text=True)
    rows = html.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.index("192.0.2.1") < rows.index("2001:db8::1")  # a ULA-only host: IPv4 first
    assert "rule 5, prefer matching label" in rows
    assert "fd00:1::10" in rows
    assert (
        "dualstack select --policy glibc --source fd00:1::10/64 --source 10.0.0.10/24 "
        "2001:db8::1 192.0.2.1" in html
    )


def test_windows_and_a_pasted_policy_and_host_dump(client: FlaskClient) -> None:
    host = (FIXTURES / "ip-j-addr.json").read_text()
    prefer = (FIXTURES / "netsh-prefer-ipv4.txt").read_text()
    windows = client.post(
        "/select", data={"host": host, "dest": "2001:db8:9::1\n198.51.100.1", "policy": "windows"}
    ).get_data(as_text=True)
    rows = windows.split("<tbody>")[1]
    assert rows.index("2001:db8:9::1") < rows.index("198.51.100.1")
    pasted = client.post(
        "/select", data={"host": host, "dest": "2001:db8:9::1\n198.51.100.1", "policy_file": prefer}
    ).get_data(as_text=True)
    rows = pasted.split("<tbody>")[1]
    assert rows.index("198.51.100.1") < rows.index("2001:db8:9::1")
    assert "--policy FILE" in pasted


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"host": HOST, "dest": "www.example.com"}, "the page takes addresses, not names"),
        ({"host": "2001:db8::1,fast", "dest": DESTINATIONS}, "unknown flag"),
        ({"host": HOST, "dest": DESTINATIONS, "policy_file": "label ::1 0"}, "needs a /LENGTH"),
        ({"host": "", "dest": ""}, "Give the host"),
    ],
)
def test_bad_input_is_one_message(client: FlaskClient, data: dict[str, str], message: str) -> None:
    response = client.post("/select", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_the_page_in_a_browser(server: str, page: Page) -> None:
    page.goto(f"{server}/select")
    page.fill("textarea[name=host]", HOST)
    page.fill("textarea[name=dest]", DESTINATIONS)
    page.select_option("select[name=policy]", "glibc")
    page.click("button[type=submit]")
    expect(page.locator("table.selection")).to_be_visible()  # waits for the answer
    cells = page.locator("table.selection tbody tr td.mono").all_inner_texts()
    assert cells[:4] == ["192.0.2.1", "10.0.0.10", "2001:db8::1", "fd00:1::10"]
    assert "Select" in page.locator("nav").inner_text()
    assert page.dialogs == []  # type: ignore[attr-defined]
