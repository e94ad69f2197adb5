from voicetrace.core.sources import SourceType
from voicetrace.ingest import read_bytes

from .builders import texts


def test_plain_text_paragraphs_are_blank_line_blocks() -> None:
    raw = "First paragraph\nwrapped line.\n\n\n  Second paragraph.  \n"
    parsed = read_bytes("notes.txt", raw.encode())
    assert parsed.type is SourceType.DOCUMENT
    assert parsed.text == raw
    assert texts(parsed) == ["First paragraph\nwrapped line.", "Second paragraph."]


def test_markdown_kept_as_text_with_heading_paragraphs() -> None:
    raw = "# Annual report 2023\nThe group met six times.\n\n## Changes\n- new leaflet\n- quiet room\n"
    parsed = read_bytes("report.md", raw.encode())
    assert parsed.text == raw
    assert parsed.title == "Annual report 2023"
    assert texts(parsed) == [
        "# Annual report 2023",
        "The group met six times.",
        "## Changes",
        "- new leaflet\n- quiet room",
    ]


def test_text_kept_exactly_no_nfc() -> None:
    raw = "Cafe\u0301 \U0001F600 and caf\u00e9\n\nZero\u200bwidth"
    parsed = read_bytes("x.txt", ("\ufeff" + raw).encode())
    assert parsed.text == raw
    assert texts(parsed) == ["Cafe\u0301 \U0001F600 and caf\u00e9", "Zero\u200bwidth"]
    assert parsed.metadata["encoding"] == "utf-8"


def test_minutes_with_field_labels_stay_a_document() -> None:
    raw = (
        "Date: 3 May 2023\nVenue: Oncology day unit\nPresent: JS, MP, AK\nApologies: RT\n\n"
        "1. The group discussed the new parking scheme.\n\nAction: JS to write to the estates team.\n"
    )
    parsed = read_bytes("minutes.txt", raw.encode())
    assert parsed.type is SourceType.DOCUMENT
