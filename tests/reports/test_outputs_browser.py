"""The outputs as a reader sees them: headless Chromium (Debian's), nothing fetched, evidence links land."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from voicetrace.reports.outputs import KINDS, write_output

from .test_outputs import _data

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

pytestmark = [pytest.mark.slow, pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium")]


def test_outputs_render_offline_and_citations_lead_to_evidence(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        for kind in KINDS:
            html = next(p for p in write_output(kind, _data(), tmp_path / kind) if p.suffix == ".html")
            page.goto(html.as_uri())
            assert page.locator("h1").inner_text().strip(), kind
            cite = page.locator("sup.cite a").first
            target = cite.get_attribute("href")
            assert target and target.startswith("#ev-"), kind
            cite.click()
            assert page.evaluate("location.hash") == target
            assert page.locator(target).is_visible()
            box = page.locator(target).bounding_box()
            assert box is not None and 0 <= box["y"] < 1400                # the evidence entry is in view
            page.screenshot(path=str(tmp_path / f"{kind}.png"), full_page=True)
            assert (tmp_path / f"{kind}.png").stat().st_size > 10_000
        browser.close()
    assert all(u.startswith(("file:", "data:")) for u in requests), [u for u in requests if not u.startswith("file:")]
