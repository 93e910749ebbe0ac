"""The Audit page (Flask test client, one real-browser run) and its SVG bar charts."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Page

from dualstack.web.app import create_app
from dualstack.web.charts import bar_chart

TEREDO = "2001:0:4136:e378:8000:63bf:3fff:fdd2"  # RFC 4380's example
INTEL = "2001:db8::21b:21ff:fe01:2345"  # EUI-64, OUI 00:1b:21 (Intel)
HOSTILE = "<script>alert(1)</script>"
LOG = "".join(
    f'{client} - - [10/Oct/2024:13:55:3{i} +0000] "GET /{i} HTTP/1.1" 200 12 "-" "curl/8"\n'
    for i, client in enumerate(["192.0.2.10", TEREDO, INTEL, "2001:db8::1", "192.0.2.10"])
)
CHART = re.compile(r'<svg class="chart".*?</svg>', re.S)


@pytest.fixture
def client() -> FlaskClient:
    return create_app().test_client()


def post(client: FlaskClient, **form: object) -> str:
    response = client.post("/audit", data=form, content_type="multipart/form-data")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def cell(body: str, label: str) -> str:
    """The cell after the ``<th>`` that reads ``label`` (the summary table)."""
    match = re.search(rf"<th>{re.escape(label)}</th><td[^>]*>([^<]*)</td>", body)
    assert match, label
    return match.group(1)


def bars(svg: str) -> int:
    return svg.count('class="bar"')


def widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect class="bar"[^>]* width="([0-9.]+)"', svg)]


def test_the_page_is_in_the_menu_with_any_as_the_default_mode(client: FlaskClient) -> None:
    body = client.get("/audit").get_data(as_text=True)
    assert '<a href="/audit" aria-current="page">Audit</a>' in body
    assert 'name="log_file"' in body
    assert 'enctype="multipart/form-data"' in body
    assert re.search(r'value="any" checked', body)
    assert "svg" not in body


def test_an_uploaded_combined_log_gives_counts_tunnels_and_vendors(client: FlaskClient) -> None:
    upload = (io.BytesIO(LOG.encode()), "access.log")
    body = post(client, log_file=upload, mode="combined")
    assert "Summary of access.log" in body
    assert cell(body, "addresses") == "5"
    assert cell(body, "IPv6") == "3"
    assert cell(body, "IPv4") == "2"
    assert cell(body, "unique addresses") == "4"
    tunnels = re.search(r'<table class="tunnels">.*?</table>', body, re.S)
    assert tunnels
    assert "teredo" in tunnels.group(0)
    assert "UDP/3544" in tunnels.group(0)  # the explanation
    assert "6to4" not in tunnels.group(0)  # only the tunnels seen
    assert "Intel Corporate [001b21]" in body
    classes = re.search(r'<table class="classes">.*?</table>', body, re.S)
    assert classes
    assert re.search(r"ieee-derived</td>.*?2<sup>24</sup> probes", classes.group(0))
    assert "2001:db8::/64" in body


def test_the_four_charts_have_one_bar_per_row(client: FlaskClient) -> None:
    body = post(client, log=LOG)  # mode "any" by default
    charts = CHART.findall(body)
    assert len(charts) == 4
    assert all('role="img"' in c and "<title>" in c for c in charts)
    iid, types, prefixes, vendors = charts
    assert bars(iid) == 3  # teredo, ieee-derived, low-byte
    assert bars(types) == 5  # unicast, global-unicast, documentation, teredo, eui64
    assert bars(prefixes) == 2  # 2001:db8::/64 and Teredo's /64
    assert bars(vendors) == 1
    assert "Intel Corporate [001b21]" in vendors
    assert widths(prefixes)[0] == 2 * widths(prefixes)[1]  # 2 addresses against 1


@pytest.mark.parametrize("mode", ["any", "combined"])
def test_a_hostile_line_is_escaped(client: FlaskClient, mode: str) -> None:
    body = post(client, log=LOG + HOSTILE + "\n", mode=mode)
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # the text, put back in the form


def test_list_mode_reports_the_lines_that_are_not_addresses(client: FlaskClient) -> None:
    text = f"{TEREDO}\n{HOSTILE}\n192.0.2.1\nnot-an-address\n"
    body = post(client, log=text, mode="list")
    assert "<script>alert" not in body
    assert cell(body, "lines that are not addresses") == "2"
    assert "2 lines are not addresses" in body
    errors = re.search(r'<table class="errors">.*?</table>', body, re.S)
    assert errors
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in errors.group(0)  # the input
    assert "is not an IPv4 address" in errors.group(0)  # the message
    assert "not-an-address" in errors.group(0)
    assert cell(body, "addresses") == "2"


def test_an_empty_form_and_an_unknown_mode(client: FlaskClient) -> None:
    assert "Nothing to read" in post(client, log="  \n")
    response = client.post("/audit", data={"log": "192.0.2.1", "mode": "<b>x</b>"})
    assert response.status_code == 400
    assert "<b>x</b>" not in response.get_data(as_text=True)


def test_non_utf8_bytes_in_an_upload_are_read_not_refused(client: FlaskClient) -> None:
    data = b"2001:db8::1\n\xff\xfe<b>\n192.0.2.1\n"
    body = post(client, log_file=(io.BytesIO(data), "x.txt"), mode="list")
    assert cell(body, "addresses") == "2"
    assert "\ufffd\ufffd&lt;b&gt;" in body


def test_bar_chart_escapes_every_label_and_the_title() -> None:
    svg = bar_chart('<b>"t"</b>', [(HOSTILE, 3), ('a"b&c', 1)])
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert 'aria-label="&lt;b&gt;&quot;t&quot;&lt;/b&gt;: &lt;script&gt;' in svg
    assert "<title>&lt;b&gt;&quot;t&quot;&lt;/b&gt;</title>" in svg
    assert "a&quot;b&amp;c" in svg
    assert svg.startswith('<svg class="chart" role="img"')
    assert svg.endswith("</svg>")


def test_bar_chart_draws_one_bar_per_row_proportional_to_its_count() -> None:
    svg = bar_chart("t", [("a", 40), ("b", 10), ("c", 20), ("d", 0)])
    assert bars(svg) == 4
    a, b, c, d = widths(svg)
    assert a > 0
    assert b == pytest.approx(a / 4, abs=0.1)
    assert c == pytest.approx(a / 2, abs=0.1)
    assert d == 0
    assert ">40</text>" in svg
    assert ">10</text>" in svg


def test_bar_chart_keeps_a_small_count_visible_and_fits_its_width() -> None:
    svg = bar_chart("t", [("big", 1_000_000), ("tiny", 1)], width=400)
    assert widths(svg)[1] == 1
    assert ">1,000,000</text>" in svg
    assert 'width="400"' in svg
    rects = re.findall(r'<rect class="bar" x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)"', svg)
    bar_end = max(float(x) + float(w) for x, w in rects)
    assert bar_end + 6 + len("1,000,000") * 12 * 0.6 <= 400  # the count fits after the bar


def test_bar_chart_cuts_long_labels_and_keeps_them_in_the_tooltip() -> None:
    long = "Some Very Long Vendor Name Incorporated Worldwide [001b21]"
    svg = bar_chart("t", [(long, 2)], label_chars=20)
    assert f"<title>{long}: 2</title>" in svg
    assert ">Some Very Long Vend…</text>" in svg


def test_bar_chart_without_rows_says_no_data() -> None:
    svg = bar_chart("Vendors", [])
    assert bars(svg) == 0
    assert ">no data</text>" in svg
    assert 'aria-label="Vendors: no data"' in svg
    assert svg.startswith('<svg class="chart" role="img"')


def test_upload_a_log_in_the_browser(server: str, page: Page, tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text(LOG + HOSTILE + "\n")
    page.goto(f"{server}/audit")
    page.set_input_files("input[name=log_file]", str(log))
    page.check("input[name=mode][value=combined]")
    page.click("button[type=submit]")
    tunnels = page.locator("table.tunnels")
    tunnels.wait_for()
    assert page.locator("svg.chart").count() >= 3
    assert page.locator("svg.chart rect.bar").count() == 11
    row = tunnels.locator("tr", has_text="teredo")
    assert "UDP/3544" in row.inner_text()
    assert "Intel Corporate" in page.locator("table.vendors").inner_text()
    page.fill("textarea[name=log]", f"{TEREDO}\n{HOSTILE}\n")  # and a hostile list
    page.check("input[name=mode][value=list]")
    page.click("button[type=submit]")
    errors = page.locator("table.errors")
    errors.wait_for()
    assert HOSTILE in errors.inner_text()  # shown as text, never run
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_the_page_and_bulk_stats_show_the_same_sections(
    client: FlaskClient, tmp_path: Path
) -> None:
    """One list of sections (dualstack.bulk.present.stats_sections) for the terminal and the
    page: same titles, same rows in the same order."""
    import subprocess
    import sys

    log = tmp_path / "access.log"
    log.write_text(LOG)
    run = [sys.executable, "-m", "dualstack", "bulk", "stats", "--extract", "combined", str(log)]
    printed = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    blocks = [b.splitlines() for b in printed.split("\n\n")[1:] if b.strip()]
    terminal = [(b[0], [line.strip().rsplit(None, 2)[0] for line in b[1:]]) for b in blocks]
    body = post(client, log=LOG, mode="combined")
    tables = re.findall(r"<caption>(.*?)</caption>.*?<tbody>(.*?)</tbody>", body, re.S)
    titles = {title for title, _ in terminal}
    page = [
        (title, re.findall(r'<td class="mono">([^<]*)</td>', rows))
        for title, rows in tables
        if title in titles  # the page also shows the RFC 7707 reading's own tables
    ]
    assert page == terminal
    assert [t for t, _ in terminal][:2] == ["IPv6 types", "IPv6 scopes"]
