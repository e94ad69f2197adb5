"""Fixture files built in the tests themselves, so every format case is visible and reproducible."""
from __future__ import annotations

import io
from pathlib import Path

import docx
from fpdf import FPDF
from odf.opendocument import OpenDocumentText
from odf.text import H, LineBreak, P, S
from odf.text import Span as OdfSpan


def pdf_bytes(pages: list[list[str]], *, footer: bool = False) -> bytes:
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.set_font("helvetica", size=11)
    for number, paragraphs in enumerate(pages, start=1):
        pdf.add_page()
        for para in paragraphs:
            pdf.multi_cell(0, 6, para)
            pdf.ln(4)
        if footer:
            pdf.set_y(-15)
            pdf.cell(0, 10, f"Page {number} of {len(pages)}", align="C")
    return bytes(pdf.output())


def scanned_pdf_bytes() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a picture of a page, no text layer
    return bytes(pdf.output())


def encrypted_pdf_bytes() -> bytes:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf_bytes([["Confidential minutes of the group."]])))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(paragraphs: list[str], *, title: str | None = None, table: list[list[str]] | None = None,
               heading: str | None = None) -> bytes:
    document = docx.Document()
    if title:
        document.add_heading(title, 0)
    if heading:
        document.add_heading(heading, 1)
    for para in paragraphs:
        document.add_paragraph(para)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
        document.add_paragraph("After the table.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_bytes(paragraphs: list[str], *, heading: str | None = None, spaced: str | None = None) -> bytes:
    doc = OpenDocumentText()
    if heading:
        doc.text.addElement(H(outlinelevel=1, text=heading))
    for para in paragraphs:
        doc.text.addElement(P(text=para))
    if spaced:
        p = P(text=spaced)
        p.addElement(S(c=3))
        p.addElement(OdfSpan(text="after spaces"))
        p.addElement(LineBreak())
        p.addText("second line")
        doc.text.addElement(p)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def texts(parsed) -> list[str]:  # type: ignore[no-untyped-def]
    return [parsed.text[s.start:s.end] for s, _ in parsed.segment_spans()]
