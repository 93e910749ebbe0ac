"""A real `dualstack web` server on a free loopback port, and Debian's Chromium driven by
Playwright, for the browser tests (stopped by PID; no traffic leaves loopback)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from dualstack.web.local import background_server

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def chromium() -> str:
    """Debian's Chromium (make sysdeps installs it); missing is a failure in CI."""
    for path in CHROMIUM_PATHS:
        if os.path.exists(path):
            return path
    found = shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed; make sysdeps installs it (CI)")
    pytest.skip("chromium is not installed (make sysdeps installs it; these tests run in CI)")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A running `dualstack web`, shared by a test module."""
    with background_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page that records every dialog (an alert() firing means script ran)."""
    context = browser.new_context()
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.dialogs = dialogs  # type: ignore[attr-defined]
    try:
        yield tab
    finally:
        context.close()
