from pathlib import Path

import pytest

from voicetrace.core.errors import InputError
from voicetrace.ingest import SUPPORTED_EXTENSIONS, read_file

from .builders import write


def test_supported_extensions() -> None:
    assert {".txt", ".md", ".html", ".htm", ".docx", ".odt", ".pdf", ".vtt", ".srt"} <= SUPPORTED_EXTENSIONS


def test_reads_from_disk(tmp_path: Path) -> None:
    parsed = read_file(write(tmp_path, "Notes.TXT", b"Hello world.\n"))
    assert parsed.text == "Hello world.\n"


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="^empty.txt: file is empty$"):
        read_file(write(tmp_path, "empty.txt", b""))


def test_whitespace_only_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no text"):
        read_file(write(tmp_path, "blank.md", b"  \n\n\t\n"))


def test_too_large_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "big.txt", b"x" * 2048)

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("file was opened")

    monkeypatch.setattr(Path, "open", no_open)
    with pytest.raises(InputError, match="larger than the"):
        read_file(path, max_bytes=1024)


def test_unsupported_extension(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unsupported file type .rtf"):
        read_file(write(tmp_path, "x.rtf", b"{\\rtf1 hello}"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_file(tmp_path / "nope.txt")


def test_nul_laden_txt(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="binary"):
        read_file(write(tmp_path, "junk.txt", b"abc\x00\x00\x00def\x00\x17\x00" * 100))


def test_no_raw_library_exception_escapes(tmp_path: Path) -> None:
    import os

    for ext in sorted(SUPPORTED_EXTENSIONS):
        for seed in range(3):
            data = os.urandom(300 + seed * 500)
            try:
                read_file(write(tmp_path, f"r{seed}{ext}", data))
            except InputError:
                pass
