"""The registry of readers by file extension: the one place a new format is plugged in.

A reader takes the file's display name (for error messages) and its bytes, and returns a
ParsedSource or raises InputError. Readers work on bytes so the same code serves files on disk and
uploads through the web interface.
"""
from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from ..core.sources import ParsedSource

Reader = Callable[[str, bytes], ParsedSource]

# Extension -> (module in this package, reader function). A reader's module (and its library: python-docx,
# odfpy, lxml, pypdfium2) is imported the first time a file of its format is met, not at start-up.
READERS: dict[str, tuple[str, str]] = {
    ".txt": ("text", "read_text"),
    ".text": ("text", "read_text"),
    ".md": ("text", "read_markdown"),
    ".markdown": ("text", "read_markdown"),
    ".html": ("html", "read_html"),
    ".htm": ("html", "read_html"),
    ".docx": ("docx", "read_docx"),
    ".odt": ("odt", "read_odt"),
    ".pdf": ("pdf", "read_pdf"),
    ".vtt": ("registry", "read_vtt"),
    ".srt": ("registry", "read_srt"),
}


def _transcript(name: str, data: bytes, parser: str) -> ParsedSource:
    from . import transcripts
    from .encodings import decode_text

    decoded = decode_text(name, data)
    parsed: ParsedSource = getattr(transcripts, parser)(name, decoded.text)
    parsed.warnings[:0] = decoded.warnings
    return parsed


def read_vtt(name: str, data: bytes) -> ParsedSource:
    return _transcript(name, data, "parse_vtt")


def read_srt(name: str, data: bytes) -> ParsedSource:
    return _transcript(name, data, "parse_srt")


def reader_for(extension: str) -> Reader | None:
    entry = READERS.get(extension.lower())
    if entry is None:
        return None
    module, function = entry
    reader: Reader = getattr(import_module(f"{__package__}.{module}"), function)
    return reader
