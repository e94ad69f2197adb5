"""Time read_file on a generated 50-page text PDF (target: under 0.2 s). Prints the numbers only."""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from fpdf import FPDF

from voicetrace.ingest import read_file

PAGES = 50
RUNS = 5
PARAGRAPH = (
    "Service users told the partnership board that the waiting area was too noisy and that the "
    "information leaflets were hard to read. The group worked with staff to redesign the leaflet, "
    "to create a quiet room and to change the appointment letters so that people knew where to park."
)


def build(path: Path) -> None:
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.set_font("helvetica", size=11)
    for page in range(1, PAGES + 1):
        pdf.add_page()
        for i in range(7):
            pdf.multi_cell(0, 6, f"{page}.{i} {PARAGRAPH}")
            pdf.ln(4)
        pdf.set_y(-15)
        pdf.cell(0, 10, f"Page {page} of {PAGES}", align="C")
    pdf.output(str(path))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fifty-pages.pdf"
        build(path)
        read_file(path)  # warm-up: imports and pdfium initialisation
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            parsed = read_file(path)
            times.append(time.perf_counter() - start)
        print(f"pages={parsed.metadata.get('pages')} bytes={path.stat().st_size} chars={len(parsed.text)} "
              f"paragraphs={len(parsed.paragraphs)}")
        print(f"read_file median={statistics.median(times):.4f}s min={min(times):.4f}s max={max(times):.4f}s "
              f"(runs={RUNS})")


if __name__ == "__main__":
    main()
