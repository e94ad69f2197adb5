import io
import zipfile

import pytest

from voicetrace.core.errors import InputError
from voicetrace.core.sources import SourceType
from voicetrace.ingest import archives, read_bytes

from .builders import docx_bytes, texts


def test_docx_paragraphs_headings_and_table_cells_in_order() -> None:
    data = docx_bytes(
        ["The group met six times.", "", "They changed the leaflet."],
        title="Annual report",
        heading="Introduction",
        table=[["Activity", "Change"], ["Leaflet review", "New leaflet"]],
    )
    parsed = read_bytes("report.docx", data)
    assert parsed.type is SourceType.DOCUMENT
    assert parsed.title == "Annual report"
    assert texts(parsed) == [
        "Annual report", "Introduction", "The group met six times.", "They changed the leaflet.",
        "Activity", "Change", "Leaflet review", "New leaflet", "After the table.",
    ]


def _rezip(data: bytes, replace: dict[str, bytes] | None = None, drop: str | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == drop:
                continue
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info)))
    return out.getvalue()


def test_truncated_docx() -> None:
    with pytest.raises(InputError, match="corrupt or truncated DOCX"):
        read_bytes("cut.docx", docx_bytes(["Some text."])[:300])


def test_docx_that_is_not_a_zip() -> None:
    with pytest.raises(InputError, match="not a valid DOCX file"):
        read_bytes("fake.docx", b"This is really a text file pretending to be a docx")
    with pytest.raises(InputError, match="old binary Office file"):
        read_bytes("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)


def test_docx_missing_document_xml() -> None:
    data = _rezip(docx_bytes(["Some text."]), drop="word/document.xml")
    with pytest.raises(InputError, match="missing word/document.xml"):
        read_bytes("broken.docx", data)


def test_docx_with_dtd_is_refused() -> None:
    data = docx_bytes(["Some text."])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    evil = xml.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>', 1)
    with pytest.raises(InputError, match="DTD"):
        read_bytes("evil.docx", _rezip(data, {"word/document.xml": evil}))


def test_docx_zip_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archives, "MAX_XML_PART", 1000)
    with pytest.raises(InputError, match="zip bomb"):
        read_bytes("bomb.docx", docx_bytes(["x" * 5000]))


def test_docx_without_text() -> None:
    with pytest.raises(InputError, match="no text"):
        read_bytes("blank.docx", docx_bytes(["", "   "]))
