"""The registry of readers by file extension: the one place a new format is plugged in.

A reader takes the file's display name (for error messages) and its bytes, and returns a
ParsedSource or raises InputError. Readers work on bytes so the same code serves files on disk and
uploads through the web interface.
"""
from __future__ import annotations

from collections.abc import Callable

from ..core.sources import ParsedSource
from .docx import read_docx
from .encodings import decode_text
from .html import read_html
from .odt import read_odt
from .pdf import read_pdf
from .text import read_markdown, read_text
from .transcripts import parse_srt, parse_vtt

Reader = Callable[[str, bytes], ParsedSource]


def _read_vtt(name: str, data: bytes) -> ParsedSource:
    decoded = decode_text(name, data)
    parsed = parse_vtt(name, decoded.text)
    parsed.warnings[:0] = decoded.warnings
    return parsed


def _read_srt(name: str, data: bytes) -> ParsedSource:
    decoded = decode_text(name, data)
    parsed = parse_srt(name, decoded.text)
    parsed.warnings[:0] = decoded.warnings
    return parsed


READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
    ".odt": read_odt,
    ".pdf": read_pdf,
    ".vtt": _read_vtt,
    ".srt": _read_srt,
}


def reader_for(extension: str) -> Reader | None:
    return READERS.get(extension.lower())
