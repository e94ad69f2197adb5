"""Building the sample renders every manifest entry, readably and reproducibly."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicetrace.sample.build import REGISTERS, pdf_safe, read_manifest, render_file
from voicetrace.sample.markup import parse


def test_build_produces_every_file(built: Path) -> None:
    for entry in read_manifest():
        target = built / entry["file"]
        assert target.is_file() and target.stat().st_size > 0, entry["file"]
    for name in REGISTERS:
        assert (built / name).is_file()


@pytest.mark.parametrize("suffix", [".docx", ".odt", ".pdf", ".html", ".txt", ".md"])
def test_build_is_deterministic(built: Path, built_again: Path, suffix: str) -> None:
    files = [e["file"] for e in read_manifest() if e["file"].endswith(suffix)]
    assert files
    for rel in files:
        assert (built / rel).read_bytes() == (built_again / rel).read_bytes(), rel


def test_docx_has_real_tables_and_fixed_metadata(built: Path) -> None:
    import docx

    document = docx.Document(str(built / "northvale" / "minutes-2008-03-12.docx"))
    assert document.tables, "action log should be a table"
    assert document.tables[0].rows[0].cells[1].text == "Action"
    assert document.core_properties.created.year == 2009
    assert any("Liz Morton reported" in p.text for p in document.paragraphs)


def test_odt_package_starts_with_uncompressed_mimetype(built: Path) -> None:
    with zipfile.ZipFile(built / "northvale" / "minutes-2008-09-10.odt") as package:
        first = package.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert b"table:table" in package.read("content.xml")


def test_html_is_semantic(built: Path) -> None:
    page = (built / "tayburn" / "minutes-2008-08-26.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page and "<h1>" in page


def test_pdf_text_is_extractable(built: Path) -> None:
    import pypdf

    reader = pypdf.PdfReader(str(built / "northvale" / "annual-report-2007-08.pdf"))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Bowland Unit" in text


def test_transcript_docx_bolds_speakers_but_documents_do_not() -> None:
    import io

    import docx

    turn = render_file("Interviewer: Hello.\n\nDr Lomax: Hello there.\n", ".docx", "t", transcript=True)
    para = docx.Document(io.BytesIO(turn)).paragraphs[1]
    assert para.runs[0].bold and para.text == "Dr Lomax: Hello there."
    minutes = render_file("Parking: the trust agreed.\n", ".docx", "m", transcript=False)
    assert not docx.Document(io.BytesIO(minutes)).paragraphs[0].runs[0].bold


_word = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd"), max_codepoint=0x2FF),
                min_size=1, max_size=8)
_para = st.lists(_word, min_size=1, max_size=12).map(" ".join)


@given(st.lists(_para, min_size=1, max_size=8))
def test_paragraphs_survive_parse_and_txt_render(paragraphs: list[str]) -> None:
    source = "\n\n".join(paragraphs) + "\n"
    blocks = parse(source)
    assert [b.text for b in blocks] == paragraphs
    assert render_file(source, ".txt", "x").decode("utf-8") == source


@given(st.text(max_size=200))
def test_pdf_safe_is_always_latin1(text: str) -> None:
    pdf_safe(text).encode("latin-1")
