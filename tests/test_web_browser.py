"""The web UI in a real browser (Debian's Chromium through Playwright) against a real server."""

from __future__ import annotations

from playwright.sync_api import Page, expect

TEREDO = "2001:0:4136:e378:8000:63bf:3fff:fdd2"  # RFC 4380's example


def test_paste_the_teredo_address_and_see_its_fields(server: str, page: Page) -> None:
    page.goto(f"{server}/inspect")
    page.fill("textarea[name=q]", TEREDO)
    page.click("button[type=submit]")
    panel = page.locator("dl.panel")
    assert "65.54.227.120" in panel.inner_text()  # server
    assert "192.0.2.45" in panel.inner_text()  # client
    assert "40000" in panel.inner_text()  # port
    assert page.locator(".bits span.seg-iid").count() == 1


def test_calc_table_and_a_bad_prefix(server: str, page: Page) -> None:
    page.goto(f"{server}/calc?prefix=2001:db8:4c00::/48")
    assert "65536" in page.locator("table.calc").inner_text().replace(",", "")
    page.goto(f"{server}/calc?prefix=nope")
    assert "is not an address" in page.locator("[role=alert]").inner_text()


def test_calc_split_summarize_and_free_as_tables(server: str, page: Page) -> None:
    page.goto(f"{server}/calc")
    page.fill("#split-prefix", "10.0.0.0/24")
    page.fill("#split-count", "3")
    page.click("form:has(#split-prefix) button")
    expect(page.locator("table.result td.mono")).to_have_text(
        [
            "10.0.0.0/26",
            "10.0.0.64/26",
            "10.0.0.128/26",
            "10.0.0.192/26",
        ]
    )
    page.fill("#items", "10.0.0.0/25\n10.0.0.128/25\n192.0.2.1")
    page.click("form:has(#items) button")
    expect(page.locator("table.result td.mono")).to_have_text(["10.0.0.0/24", "192.0.2.1/32"])
    page.fill("#free-prefix", "10.0.0.0/24")
    page.fill("#used", "10.0.0.64/26")
    page.click("form:has(#used) button")
    expect(page.locator("table.result td.mono")).to_have_text(
        [
            "10.0.0.0/26",
            "10.0.0.128/25",
        ]
    )
