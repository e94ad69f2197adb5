"""End to end in headless Chromium (Debian's /usr/bin/chromium, never a downloaded one).

Open the project, code a passage by mouse-selection and by keyboard, accept a suggestion with
the `a` key, watch the matrix change, download the report, and check a transcript holding
<script> shows it as text and runs nothing.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from voicetrace.web.app import create_app
from voicetrace.web.security import Secrets
from voicetrace.web.server import BackgroundServer

from .conftest import CSRF, TOKEN, source_named

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium at /usr/bin/chromium"),
]


@pytest.fixture
def server(vt_project) -> Iterator[str]:  # type: ignore[no-untyped-def]
    app = create_app(vt_project, secrets=Secrets(token=TOKEN, csrf=CSRF), coder="tester")
    with BackgroundServer(app) as bg:
        yield bg.url


@pytest.fixture
def page(server: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        pg = context.new_page()
        pg.dialogs: list[str] = []  # type: ignore[attr-defined]
        pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
        pg.errors: list[str] = []  # type: ignore[attr-defined]
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
        yield pg
        context.close()
        browser.close()


def _select(page: Any, seg_id: int, start16: int, end16: int) -> None:
    """Select [start16, end16) (UTF-16 units) of a passage, as a mouse drag would."""
    page.evaluate("""([id, a, b]) => {
        const box = document.querySelector(`.seg-text[data-seg="${id}"]`);
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        const find = (pos) => { let n, seen = 0;
            while ((n = walker.nextNode())) { if (seen + n.length >= pos) return [n, pos - seen]; seen += n.length; }
        };
        const [sn, so] = find(a); walker.currentNode = box; const [en, eo] = find(b);
        const r = document.createRange(); r.setStart(sn, so); r.setEnd(en, eo);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
    }""", [seg_id, start16, end16])


def test_overview_then_reader_shows_script_as_text(page: Any, server: str, vt_project) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/?token={TOKEN}")
    assert page.locator("h1").inner_text() == vt_project.name
    page.get_by_role("link", name="interview-01-margaret.txt").click()
    page.wait_for_load_state()
    assert page.get_by_text('<script>alert("x")</script>', exact=False).count() == 1
    assert page.locator(".seg-text img").count() == 0
    assert page.dialogs == [] and page.errors == []


def test_code_a_selection_with_the_mouse_after_an_emoji(page: Any, server: str, vt_project) -> None:  # type: ignore[no-untyped-def]
    src = source_named(vt_project, "interview")
    seg = next(g for g in vt_project.segments(src.name) if "😀" in g.text)
    page.goto(f"{server}/sources/{quote(src.name, safe='')}?token={TOKEN}")
    cp = seg.text.index("parking")
    start16 = len(seg.text[:cp].encode("utf-16-le")) // 2
    _select(page, seg.id, start16, start16 + len("parking"))
    with page.expect_navigation():
        page.locator('.code-btn[data-code="access_to_services"]').click()
    [c] = vt_project.codings()
    assert (c.text, c.code, c.coder) == ("parking", "access_to_services", "tester")
    assert page.locator(f'#seg-{seg.id} mark.hl').inner_text() == "parking"
    assert page.locator(f"#seg-{seg.id} .chip").count() == 1
    # overlapping second coding, then remove the first with its × button
    _select(page, seg.id, start16 - 4, start16 + 3)
    with page.expect_navigation():
        page.locator('.code-btn[data-code="care_environment"]').click()
    assert len(vt_project.codings()) == 2
    assert page.locator(f"#seg-{seg.id} mark.hl.d2").count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="Remove coding Access to services (tester)").click()
    assert [k.code for k in vt_project.codings()] == ["care_environment"]
    assert page.errors == []


def test_code_a_whole_passage_with_the_keyboard(page: Any, server: str, vt_project) -> None:  # type: ignore[no-untyped-def]
    src = source_named(vt_project, "minutes")
    segs = vt_project.segments(src.name)
    page.goto(f"{server}/sources/{quote(src.name, safe='')}?token={TOKEN}")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.dataset.seg") == str(segs[2].id)
    page.keyboard.press("c")
    page.keyboard.type("care env")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    [c] = vt_project.codings()
    assert (c.start, c.end, c.code) == (segs[2].start, segs[2].end, "care_environment")


def test_accept_a_suggestion_with_the_a_key_and_see_the_matrix_change(page: Any, server: str, vt_project) -> None:  # type: ignore[no-untyped-def]
    def cell() -> str:
        page.goto(f"{server}/matrix?dimension=domain&token={TOKEN}")
        link = page.get_by_role("link", name="Northvale × Care environment: ", exact=False)
        return link.inner_text() if link.count() else "0"

    before = cell()
    page.goto(f"{server}/suggestions?order=score&token={TOKEN}")
    assert "0.91" in page.locator("#current").inner_text()
    assert "indicator phrase" in page.locator("#current").inner_text()
    with page.expect_navigation():
        page.keyboard.press("a")
    [c] = vt_project.codings()
    assert c.origin == "accepted_suggestion" and c.code == "care_environment"
    assert int(cell()) == int(before) + 1
    page.get_by_role("link", name="Northvale × Care environment: ", exact=False).click()
    page.wait_for_load_state()
    assert "quiet room" in page.locator("main").inner_text()
    page.fill("#summary", "The quiet room was refurbished after the audit.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save summary").click()
    assert "summary saved" in page.locator("main").inner_text()
    # undo with u puts it back in the queue and removes the coding
    page.goto(f"{server}/suggestions?order=score&token={TOKEN}")
    with page.expect_navigation():
        page.keyboard.press("u")
    assert vt_project.codings() == []


def test_download_the_report(page: Any, server: str, tmp_path: Path) -> None:
    page.goto(f"{server}/reports?token={TOKEN}")
    link = page.get_by_role("link", name="report.html")
    if link.count() == 0:
        pytest.skip("the report writer is not available in this build")
    with page.expect_download() as dl:
        link.click()
    target = tmp_path / "report.html"
    dl.value.save_as(target)
    text = target.read_text("utf-8")
    assert "<html" in text.lower() and "Northvale" in text


def test_every_page_renders_without_script_errors(page: Any, server: str, tmp_path: Path) -> None:
    for path in ["/", "/codebook", "/suggestions", "/search?q=parking", "/memos", "/claims", "/matrix", "/charts",
                 "/reports", "/api"]:
        sep = "&" if "?" in path else "?"
        page.goto(f"{server}{path}{sep}token={TOKEN}")
        assert page.locator("main h1").count() == 1, path
        shots = Path(os.environ.get("VOICETRACE_SCREENSHOTS", tmp_path))
        page.screenshot(path=str(shots / f"{path.strip('/').split('?')[0] or 'overview'}.png"), full_page=True)
    assert page.errors == [] and page.dialogs == []


def test_change_the_coder_name_then_code_words_with_the_keyboard_only(page: Any, server: str, vt_project) -> None:  # type: ignore[no-untyped-def]
    src = source_named(vt_project, "minutes")
    seg = next(g for g in vt_project.segments(src.name) if "quiet room" in g.text)
    page.goto(f"{server}/sources/{quote(src.name, safe='')}?token={TOKEN}")
    page.locator(".who summary").click()
    page.fill("#coder-input", "Helen")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#coder-name").inner_text() == "Helen"
    assert "now coding as Helen" in page.locator("main").inner_text()
    page.locator(f"#seg-{seg.id}").focus()
    for _ in range(3):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("]")  # start moves one word right: words 2..3
    page.keyboard.press("c")
    page.keyboard.type("care env")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    [c] = vt_project.codings()
    words = seg.text.split()
    assert (c.coder, c.code, c.text) == ("Helen", "care_environment", " ".join(words[1:3]))
    # the chip of the new coding lights up its stretch of text when focused
    page.locator(".chip .x").first.focus()
    assert page.locator("mark.focus-coding").count() >= 1
    assert page.errors == []


def test_reject_and_skip_with_x_and_space(page: Any, server: str, vt_project) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/suggestions?order=score&token={TOKEN}")
    with page.expect_navigation():
        page.keyboard.press("x")
    assert "rejected" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.keyboard.press(" ")
    counts = vt_project.suggestion_counts()
    assert counts.get("rejected") == 1 and counts.get("skipped") == 1
    assert vt_project.codings() == []


def test_download_the_whole_project_as_qdpx(page: Any, server: str, tmp_path: Path) -> None:
    import zipfile
    page.goto(f"{server}/reports?token={TOKEN}")
    with page.expect_download() as dl:
        page.get_by_role("link", name="project.qdpx").click()
    target = tmp_path / "p.qdpx"
    dl.value.save_as(target)
    assert "project.qde" in zipfile.ZipFile(target).namelist()


def test_layout_fits_a_1024_pixel_screen(page: Any, server: str) -> None:
    page.set_viewport_size({"width": 1024, "height": 768})
    for path in ["/", "/matrix", "/claims", "/suggestions", "/search?q=parking", "/charts", "/reports"]:
        sep = "&" if "?" in path else "?"
        page.goto(f"{server}{path}{sep}token={TOKEN}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1024, path
        # the coder name sits beside the project name, above the navigation, never on a row of its own
        nav = page.locator("header nav").bounding_box()
        who = page.locator("header .who").bounding_box()
        assert who["y"] + who["height"] <= nav["y"] + 1, (path, nav, who)
