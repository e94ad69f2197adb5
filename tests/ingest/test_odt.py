import pytest

from voicetrace.core.errors import InputError
from voicetrace.core.sources import SourceType
from voicetrace.ingest import read_bytes

from .builders import odt_bytes, texts


def test_odt_paragraphs_and_headings_in_order() -> None:
    data = odt_bytes(["Work plan for 2024.", "Review the parking leaflet."], heading="Work plan", spaced="Before")
    parsed = read_bytes("plan.odt", data)
    assert parsed.type is SourceType.DOCUMENT
    assert parsed.title == "Work plan"
    assert texts(parsed) == [
        "Work plan", "Work plan for 2024.", "Review the parking leaflet.", "Before   after spaces\nsecond line",
    ]


def test_corrupt_odt() -> None:
    data = odt_bytes(["Some words."])
    with pytest.raises(InputError, match="ODT"):
        read_bytes("cut.odt", data[:200])
    with pytest.raises(InputError, match="not a valid ODT file"):
        read_bytes("fake.odt", b"plain text, not a zip at all")
