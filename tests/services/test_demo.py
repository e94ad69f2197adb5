"""The demo end to end on the bundled sample study (fake embedder; the real model runs in `make demo`)."""
import os
import subprocess
from pathlib import Path

import pytest

import voicetrace
from voicetrace.analysis.autocoding import FakeEmbedder
from voicetrace.services.autocode import autocode_project
from voicetrace.services.demo import run_demo

CHROMIUM = "/usr/bin/chromium"


def print_pages(html: Path, pdf: Path) -> int:
    """Print ``html`` with headless Chromium (A4 from the page's CSS) and count the PDF's pages."""
    from pypdf import PdfReader
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run", f"--print-to-pdf={pdf}", html.as_uri()],
                   check=True, capture_output=True, timeout=300)
    reader = PdfReader(str(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4, not Letter
    return len(reader.pages)


@pytest.mark.slow
def test_demo_builds_imports_codes_and_reports(tmp_path: Path) -> None:
    steps: list[str] = []
    res = run_demo(tmp_path / "demo", step=steps.append, machine=True,
                   autocode=lambda p: autocode_project(p, embedder=FakeEmbedder(), accept_threshold=0.95, by="demo"))
    assert res.sources == 98 and res.segments > 2000 and res.gold_codings > 1500 and res.suggestions > 0
    assert len(res.by_case) == 10
    assert {"claimed", "corroborated", "documented"} <= set(res.by_strength)
    assert res.by_level.get("grassroots_operational", 0) > res.by_level.get("strategic_commissioning", 0) > 0
    html = res.report.read_text("utf-8")
    assert html.count("<svg") >= 2 and "grass" in html.lower() and "corroborated" in html
    assert res.workbook.stat().st_size > 10_000
    assert res.board is not None and res.board.parent == res.report.parent
    if os.path.exists(CHROMIUM):  # the board summary is two printed A4 pages; the report is the long appendix
        assert print_pages(res.board, tmp_path / "board.pdf") <= 2 < print_pages(res.report, tmp_path / "report.pdf")
    with voicetrace.open(res.project) as p:
        assert p.name.startswith("Sample study")
        assert {"gold"} <= set(p.coders())
        assert len({c["case"] for c in p.claims_json()}) == 10
        log = p.impact_json()
        assert len(log) == res.impact_entries > 0
        assert {i for e in log for i in e["claim_ids"]} == {c["id"] for c in p.claims_json()}
        assert all(e["status"] and e["steps"][0]["date"] for e in log)
    for kind in ("gripp2", "annual-report", "healthwatch", "you-said-we-did", "letters", "annual-report-2008-09"):
        folder = tmp_path / "demo" / "outputs" / kind
        assert list(folder.glob("*.html")) and list(folder.glob("*.docx")), kind
    assert "Compared with financial year 2007-08" in (
        tmp_path / "demo" / "outputs" / "annual-report-2008-09" / "annual-report.html").read_text("utf-8")


def test_running_the_demo_again_replaces_the_previous_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second run starts from nothing: the old project and corpus are removed, never opened or mixed in.
    The whole sample study is built by the test above; here a two-file corpus stands in for it, so this
    tests what a second run does to the first one's files and not the import again."""
    from voicetrace.services import demo

    def small_corpus(folder: Path) -> None:
        (folder / "northvale").mkdir(parents=True)
        (folder / "northvale" / "minutes-2008-03-12.txt").write_text(
            "Minutes\n\nItem 2. The quiet room was refurbished after members asked for it.\n", "utf-8")
        (folder / "northvale" / "interview-01.txt").write_text("Margaret: The parking was terrible.\n", "utf-8")

    monkeypatch.setattr(demo, "build_corpus", small_corpus)
    monkeypatch.setattr(demo, "gold_files", list)
    out = tmp_path / "demo"
    (out / "corpus" / "northvale").mkdir(parents=True)
    (out / "corpus" / "northvale" / "stale-minutes.txt").write_text("Item 1. A change from an old run.", "utf-8")
    for suffix in ("", "-wal", "-shm"):
        (out / f"study.db{suffix}").write_bytes(b"not a database from this run")
    again = run_demo(out, machine=False)
    assert again.sources == 2 and again.suggestions == 0 and again.report.is_file()
    assert not (out / "corpus" / "northvale" / "stale-minutes.txt").exists()
    with voicetrace.open(again.project) as p:
        assert sorted(s.name for s in p.sources()) == ["northvale/interview-01.txt", "northvale/minutes-2008-03-12.txt"]
