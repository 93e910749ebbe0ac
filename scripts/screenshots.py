"""`make screenshots`: a PNG of each web UI page with realistic input, for docs/screenshots/.

Starts `python -m dualstack web` on a free loopback port (stopped by its PID), drives Debian's
Chromium through Playwright, fills each page's form and writes docs/screenshots/<page>.png (full
page, 1280 wide). A page missing from the menu is skipped with a note, so the script works while
pages are still being written; a page that answers with an error fails the run at the end.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

from dualstack.web.local import background_server

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SITE = ROOT / "examples" / "site.toml"
HYPERV = ROOT / "tests" / "fixtures" / "hyperv" / "healthy"
TEREDO = "2001:0:4136:e378:8000:63bf:3fff:fdd2"  # RFC 4380's example
PREFIX = "2001:db8:4c00::/48"
WIDTH = 1280

Filler = Callable[[Page, str, Path], None]


def chromium() -> str:
    """Debian's Chromium, which `make sysdeps` installs (Playwright's own is never downloaded)."""
    for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(path):
            return path
    found = shutil.which("chromium")
    if found is None:
        raise SystemExit("chromium is not installed; `make sysdeps` installs it")
    return found


# ---- realistic input ----------------------------------------------------------------------


def audit_log(path: Path) -> Path:
    """A small access log whose clients show every kind of interface identifier (EUI-64,
    low-byte, random, embedded IPv4, Teredo, 6to4, plain IPv4), reproducible from one seed."""
    rng = random.Random(7046)
    clients = [f"2001:db8:4c00:20::{n:x}" for n in range(1, 40)]  # a DHCPv6 pool, in order
    clients += [
        "2001:db8:4c00:30:" + ":".join(f"{rng.getrandbits(16):x}" for _ in range(4))
        for _ in range(120)
    ]  # RFC 7217 / temporary addresses
    clients += [f"2001:db8:4c00:40:21b:21ff:fe4c:{n:x}" for n in range(0x1000, 0x1030)]  # EUI-64
    clients += [f"2001:db8:4c00:50::10.20.50.{n}" for n in range(10, 25)]
    clients += [TEREDO, "2002:c000:22b::1", "2002:cb00:7101::1"]
    clients += [f"198.51.100.{n}" for n in range(1, 60)]
    paths = ["/", "/login", "/api/v1/items", "/static/app.css", "/favicon.ico"]
    lines = []
    for second, client in enumerate(rng.sample(clients, len(clients))):
        minute, sec = divmod(second, 60)
        status = rng.choice((200, 200, 200, 304, 404))
        lines.append(
            f"{client} - - [25/Nov/2025:10:{minute:02d}:{sec:02d} +0000] "
            f'"GET {rng.choice(paths)} HTTP/1.1" {status} {rng.randrange(200, 9000)}'
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def hyperv_files(folder: Path) -> list[Path]:
    """The healthy two-node fixtures with one fault: HV02 has no live-migration network, and
    HV01 logged the failed migration (21126) it causes."""
    cluster: dict[str, dict[str, Any]] = {
        name: json.loads((HYPERV / f"{name}.json").read_text()) for name in ("HV01", "HV02")
    }
    cluster["HV02"]["VMMigrationNetwork"] = []
    cluster["HV01"]["Events"] = [
        {
            "Id": 21126,
            "TimeCreated": "/Date(1764067282000)/",
            "ProviderName": "Microsoft-Windows-Hyper-V-High-Availability",
            "LogName": "Microsoft-Windows-Hyper-V-High-Availability-Admin",
            "MachineName": "HV01.hq.contoso.example",
            "LevelDisplayName": "Error",
            "Message": "Failed to get the network address for the destination node 'HV02': "
            "A cluster network is not available for this operation. (0x000013AB).",
            "Properties": [
                "HV02",
                "A cluster network is not available for this operation.",
                "0x000013AB",
            ],
        }
    ]
    paths = []
    for name, raw in cluster.items():
        paths.append(folder / f"{name}.dualstack-hyperv.json")
        paths[-1].write_text(json.dumps(raw, indent=2))
    return paths


# ---- filling each page --------------------------------------------------------------------


def submit(page: Page, form: str) -> None:
    """Click the form's submit button and wait for the answer page to load."""
    with page.expect_navigation():
        page.locator(form).first.locator("button[type=submit], input[type=submit]").first.click()


def upload_or_paste(page: Page, files: list[Path]) -> None:
    """Give the files to the page's file input, or paste the first one into its text area
    (the Plan, DNS and Audit forms were written by others: either is accepted)."""
    if page.locator("form input[type=file]").count():
        page.set_input_files("form input[type=file] >> nth=0", files)
        submit(page, "form:has(input[type=file])")
    elif page.locator("form textarea").count():
        page.fill("form textarea >> nth=0", files[0].read_text())
        submit(page, "form:has(textarea)")
    elif page.locator("[role=alert]").count():
        raise RuntimeError(page.locator("[role=alert]").first.inner_text().strip())
    else:
        raise RuntimeError("the page has neither a file input nor a text area")


def fill_inspect(page: Page, url: str, tmp: Path) -> None:
    page.fill("textarea[name=q]", TEREDO)
    submit(page, "form:has(textarea[name=q])")


def fill_calc(page: Page, url: str, tmp: Path) -> None:
    page.fill("input[name=prefix]", PREFIX)
    submit(page, "form:has(input[name=prefix])")


def fill_site(page: Page, url: str, tmp: Path) -> None:
    upload_or_paste(page, [SITE])


def fill_audit(page: Page, url: str, tmp: Path) -> None:
    upload_or_paste(page, [audit_log(tmp / "access.log")])


def fill_hyperv(page: Page, url: str, tmp: Path) -> None:
    page.set_input_files("input[name=hosts]", hyperv_files(tmp))
    submit(page, "form:has(input[name=hosts])")


# (file name, menu title, how to fill it)
PAGES: tuple[tuple[str, str, Filler], ...] = (
    ("inspect", "Inspect", fill_inspect),
    ("calc", "Calc", fill_calc),
    ("plan", "Plan", fill_site),
    ("dns", "DNS", fill_site),
    ("audit", "Audit", fill_audit),
    ("hyperv", "Hyper-V", fill_hyperv),
)


def menu(page: Page, url: str) -> dict[str, str]:
    """The server's menu as {title in lower case: absolute URL}: which pages exist now."""
    page.goto(url)
    links = page.locator("header nav a")
    return {
        links.nth(i).inner_text().strip().lower(): url + str(links.nth(i).get_attribute("href"))
        for i in range(links.count())
    }


def shoot(page: Page, address: str, fill: Filler, target: Path, tmp: Path) -> str | None:
    """Fill one page and write its PNG; the error it showed instead, if any."""
    page.goto(address)
    fill(page, address, tmp)
    alert = page.locator("[role=alert]")
    if alert.count():
        return alert.first.inner_text().strip()
    page.screenshot(path=str(target), full_page=True)
    return None


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    failed = []
    with background_server() as url, sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": 800})
            found = menu(page, url)
            for name, title, fill in PAGES:
                address = found.get(title.lower())
                if address is None:
                    print(f"skip {name}: no '{title}' page in the menu yet")
                    continue
                target = OUT / f"{name}.png"
                try:
                    error = shoot(page, address, fill, target, Path(tmp))
                except Exception as exc:  # a page another session is still writing
                    error = f"{type(exc).__name__}: {exc}".splitlines()[0]
                if error is None:
                    print(f"wrote {target.relative_to(ROOT)}")
                else:
                    print(f"FAILED {name}: {error}", file=sys.stderr)
                    failed.append(name)
        finally:
            browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
