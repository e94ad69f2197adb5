import codecs

import pytest

from voicetrace.core.errors import InputError
from voicetrace.ingest import read_bytes
from voicetrace.ingest.encodings import decode_text, normalise_newlines

SAMPLE = "The group’s “quiet room” cost £120 — café 😀 e\u0301\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8"),
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + SAMPLE.encode("utf-32-le"), "utf-32-le"),
    ],
)
def test_unicode_encodings_decode_exactly(data: bytes, encoding: str) -> None:
    decoded = decode_text("x.txt", data)
    assert decoded.text == SAMPLE  # BOM gone, emoji and combining mark kept, no NFC
    assert decoded.encoding == encoding


def test_cp1252_curly_quotes_and_pound() -> None:
    text = "He said “we were listened to” and paid £5 for the café’s tea.\n" * 3
    decoded = decode_text("minutes.txt", text.encode("cp1252"))
    assert decoded.text == text
    assert decoded.encoding == "cp1252"
    assert decoded.warnings


def test_bomless_utf16_is_recognised() -> None:
    text = "Plain words saved by Notepad as Unicode.\n"
    decoded = decode_text("x.txt", text.encode("utf-16-le"))
    assert decoded.text == text


def test_line_endings_normalised() -> None:
    assert normalise_newlines("a\r\nb\rc\n") == "a\nb\nc\n"
    parsed = read_bytes("x.txt", b"one\r\ntwo\r\n\r\nthree\r")
    assert parsed.text == "one\ntwo\n\nthree\n"


@pytest.mark.parametrize(
    "data, reason",
    [
        (codecs.BOM_UTF16_LE + b"a\x00b", "UTF-16"),  # odd number of bytes
        (codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8", "UTF-16"),  # lone surrogate
        (b"hello\x00\x00\x00world\x00\x01\x02" * 50, "binary"),
        (bytes(range(256)) * 20, "binary"),
        (b"text with escape codes \x01\x02\x03\x04\x05\x06\x07\x08" * 10, "binary"),
    ],
)
def test_bad_text_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as info:
        decode_text("bad.txt", data)
    assert reason in str(info.value)
    assert str(info.value).startswith("bad.txt: ")
