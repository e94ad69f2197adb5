import os

import pytest

from voicetrace.core.errors import InputError
from voicetrace.core.sources import SourceType
from voicetrace.ingest import read_bytes

from .builders import encrypted_pdf_bytes, pdf_bytes, scanned_pdf_bytes, texts

LONG = (
    "Service users told the board that the waiting area was too noisy and that the information "
    "leaflets were hard to read, so the group worked with staff to redesign them."
)


def test_pdf_paragraphs_page_by_page() -> None:
    data = pdf_bytes([[LONG, "Second paragraph on page one."], ["Page two starts here."]], footer=True)
    parsed = read_bytes("report.pdf", data)
    assert parsed.type is SourceType.DOCUMENT
    assert texts(parsed) == [LONG, "Second paragraph on page one.", "Page two starts here."]
    assert parsed.metadata["pages"] == "2"
    assert "Page 1 of 2" not in parsed.text  # bare page footers dropped


def test_hyphenated_line_break_is_joined() -> None:
    # width forces "involve-" to end a line; the word continues on the next line
    filler = "word " * 19
    data = pdf_bytes([[filler + "the involve-\nment of carers mattered."]])
    parsed = read_bytes("h.pdf", data)
    assert "involvement of carers mattered." in parsed.text


def test_paragraph_continuing_over_a_page_break_is_joined() -> None:
    parsed = read_bytes("c.pdf", pdf_bytes([["The group asked for"], ["better parking at the clinic."]]))
    assert texts(parsed) == ["The group asked for better parking at the clinic."]


def test_pdf_title_from_metadata() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("Strategy 2024")
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Our strategy.")
    assert read_bytes("s.pdf", bytes(pdf.output())).title == "Strategy 2024"


def test_corrupt_pdf() -> None:
    data = b"%PDF-1.4\n" + os.urandom(4000)
    with pytest.raises(InputError, match="corrupt PDF"):
        read_bytes("junk.pdf", data)


def test_not_a_pdf() -> None:
    with pytest.raises(InputError, match="not a PDF"):
        read_bytes("x.pdf", b"hello, I am text")


def test_encrypted_pdf() -> None:
    with pytest.raises(InputError, match="encrypted"):
        read_bytes("secret.pdf", encrypted_pdf_bytes())


def test_scanned_pdf_without_text_layer() -> None:
    with pytest.raises(InputError, match="no text layer"):
        read_bytes("scan.pdf", scanned_pdf_bytes())


def test_truncated_pdf_falls_back_or_fails_cleanly() -> None:
    data = pdf_bytes([[LONG]])
    for cut in (50, len(data) // 2, len(data) - 40):
        try:
            parsed = read_bytes("cut.pdf", data[:cut])
        except InputError:
            continue
        assert parsed.text.strip()


def test_running_header_dropped_but_similar_body_lines_kept() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.set_font("helvetica", size=11)
    for page in range(1, 5):
        pdf.add_page()
        pdf.cell(0, 6, f"Macmillan partnership group - annual report {page}")
        pdf.ln(12)
        pdf.multi_cell(0, 6, f"{page}.0 {LONG}")
    parsed = read_bytes("r.pdf", bytes(pdf.output()))
    assert texts(parsed) == [f"{page}.0 {LONG}" for page in range(1, 5)]


def _headed_pdf(heading_size: int) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    for heading, body in (("Having our say nationally", "In October 2007 the group sent a response to the "
                           "consultation on the Cancer Reform Strategy. " * 2),
                          ("2. Car parking", "Trevor reported that the petition has 850 signatures.")):
        pdf.set_font("helvetica", "B", heading_size)
        pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", size=11)
        pdf.multi_cell(0, 6, body.strip(), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@pytest.mark.parametrize("size", [14, 11])
def test_a_heading_is_never_glued_to_the_paragraph_under_it(size: int) -> None:
    parsed = read_bytes("annual-report.pdf", _headed_pdf(size))
    got = texts(parsed)
    assert got[0] == "Having our say nationally" and got[1].startswith("In October 2007 the group")
    assert got[2] == "2. Car parking" and got[3].startswith("Trevor reported")
