"""The Hyper-V page: collector files uploaded through the form give the doctor's report, bad
files a clear message, and a too-large upload the 413 page (test client and real browser)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Page

from dualstack.web.app import MAX_UPLOAD, create_app

HEALTHY = Path(__file__).parent / "fixtures" / "hyperv" / "healthy"
MIGRATION_FAILED = {
    "Id": 21126,
    "TimeCreated": "/Date(1764067282000)/",
    "ProviderName": "Microsoft-Windows-Hyper-V-High-Availability",
    "LogName": "Microsoft-Windows-Hyper-V-High-Availability-Admin",
    "MachineName": "HV01",
    "LevelDisplayName": "Error",
    "Message": "Failed to get the network address for the destination node 'HV02': "
    "A cluster network is not available for this operation. (0x000013AB).",
    "Properties": ["HV02", "A cluster network is not available for this operation.", "0x000013AB"],
}


@pytest.fixture
def client() -> FlaskClient:
    return create_app().test_client()


def healthy() -> dict[str, dict[str, Any]]:
    """Both nodes' collector JSON, parsed, to be changed in memory."""
    return {name: json.loads((HEALTHY / f"{name}.json").read_text()) for name in ("HV01", "HV02")}


def faulty() -> dict[str, dict[str, Any]]:
    """HV02 has no live-migration network (HV-LM-002), and HV01 logged the failure it causes."""
    cluster = healthy()
    cluster["HV02"]["VMMigrationNetwork"] = []
    cluster["HV01"]["Events"] = [MIGRATION_FAILED]
    return cluster


def upload(client: FlaskClient, files: dict[str, bytes]) -> tuple[int, str]:
    """POST the files as the form's `hosts` field; (status, page)."""
    data = {"hosts": [(io.BytesIO(body), name) for name, body in files.items()]}
    response = client.post("/hyperv", data=data, content_type="multipart/form-data")
    return response.status_code, response.get_data(as_text=True)


def as_files(cluster: dict[str, dict[str, Any]]) -> dict[str, bytes]:
    return {f"{name}.json": json.dumps(raw).encode() for name, raw in cluster.items()}


def test_the_page_is_in_the_menu_with_its_form(client: FlaskClient) -> None:
    page = client.get("/hyperv").get_data(as_text=True)
    assert 'href="/hyperv"' in page
    assert 'type="file" name="hosts" multiple' in page
    assert 'enctype="multipart/form-data"' in page


def test_healthy_cluster_has_no_problems(client: FlaskClient) -> None:
    status, page = upload(client, as_files(healthy()))
    assert status == 200
    assert "No problems found" in page
    assert page.count('<section class="finding') == 1
    assert '<section class="finding info" id="HV-LM-005">' in page
    assert "10.0.17763" in page
    assert "HV02" in page


def test_missing_migration_network_is_a_card_with_its_fix(client: FlaskClient) -> None:
    status, page = upload(client, as_files(faulty()))
    assert status == 200
    assert '<section class="finding error" id="HV-LM-002">' in page
    assert '<pre class="fix">On every node: Add-VMMigrationNetwork' in page
    assert "No problems found" not in page
    assert '<a href="#HV-LM-002">HV-LM-002</a>' in page  # the event points at its cause
    assert "21126" in page


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "broken.json: not JSON: Expecting property name"),
        (b'{"hello": 1}', "broken.json: not a dualstack-hyperv/1 collector file"),
        (b"\xff\xfe\x00", "broken.json: not UTF-8 text"),
    ],
)
def test_a_bad_file_is_named_in_a_clear_message(
    client: FlaskClient, body: bytes, message: str
) -> None:
    files = {"HV01.json": as_files(healthy())["HV01.json"], "broken.json": body}
    status, page = upload(client, files)
    assert status == 400
    assert message in page
    assert "Traceback" not in page


def test_the_same_node_twice_is_refused(client: FlaskClient) -> None:
    body = as_files(healthy())["HV01.json"]
    status, page = upload(client, {"HV01.json": body, "copy.json": body})
    assert status == 400
    assert "the same node was given twice: HV01 in HV01.json, copy.json" in page


def test_no_file_chosen_is_a_message(client: FlaskClient) -> None:
    status, page = upload(client, {})
    assert status == 400
    assert "choose one or more collector JSON files" in page


def test_a_hostile_computer_name_is_shown_as_text(client: FlaskClient) -> None:
    cluster = healthy()
    cluster["HV01"]["ComputerName"] = "<script>alert(1)</script>"
    status, page = upload(client, as_files(cluster))
    assert status == 200
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_oversized_upload_gets_the_413_page() -> None:
    client = create_app(max_upload=1024).test_client()
    status, page = upload(client, {"big.json": b"x" * 2048})
    assert status == 413
    assert "The upload is too large: the limit is" in page


# ---- in Chromium, against `dualstack web` ----------------------------------------------------


def test_upload_both_nodes_and_read_the_doctor(server: str, page: Page, tmp_path: Path) -> None:
    paths = []
    for name, body in as_files(faulty()).items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(body)
    page.goto(f"{server}/hyperv")
    page.set_input_files("input[name=hosts]", paths)
    page.click("button[type=submit]")
    card = page.locator("section#HV-LM-002")
    assert "No live-migration network is common to all nodes" in card.inner_text()
    assert "Add-VMMigrationNetwork" in card.locator("pre.fix").inner_text()
    assert page.locator("table.nodes tbody tr").count() == 2
    page.click("table.events a[href='#HV-LM-002']")
    assert page.url.endswith("#HV-LM-002")
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_an_oversized_upload_in_the_browser(server: str, page: Page, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as out:
        out.truncate(MAX_UPLOAD + 1024 * 1024)  # 21 MiB of zero bytes, sparse on disk
    page.goto(f"{server}/hyperv")
    page.set_input_files("input[name=hosts]", big)
    with page.expect_navigation() as navigation:
        page.click("button[type=submit]")
    response = navigation.value
    assert response is not None
    assert response.status == 413
    alert = page.locator("[role=alert]").inner_text()
    assert "The upload is too large: the limit is 20 MiB" in alert
