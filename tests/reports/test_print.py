"""The two documents as Chromium prints them (A4): the board summary fits on two pages."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from voicetrace.services.demo import run_demo

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium at /usr/bin/chromium")]


def print_pages(html: Path, pdf: Path) -> int:
    """Print ``html`` with headless Chromium and count the pages of the PDF it writes."""
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run", f"--print-to-pdf={pdf}", html.as_uri()],
                   check=True, capture_output=True, timeout=300)
    reader = PdfReader(str(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4, not Letter
    return len(reader.pages)


def test_board_summary_prints_on_two_a4_pages_beside_the_full_report(tmp_path: Path) -> None:
    res = run_demo(tmp_path / "demo", machine=False)
    assert res.board is not None and res.board.parent == res.report.parent
    board = print_pages(res.board, tmp_path / "board.pdf")
    report = print_pages(res.report, tmp_path / "report.pdf")
    assert board <= 2 < report
