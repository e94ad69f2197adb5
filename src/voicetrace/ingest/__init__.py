"""Format readers: a file in, a ParsedSource (canonical text + paragraphs or speaker turns) out.

Canonical text is the decoded text with a leading BOM removed and line endings normalised
(CRLF and CR become LF); nothing else is changed (no NFC). Formats that are assembled from parts
(DOCX, ODT, HTML, PDF, WebVTT, SRT) join their paragraphs or turns with a blank line, and render
transcript turns as "Speaker: words" with the Turn span on the words only.

Every failure is an ``InputError(file name, reason)``; no library exception escapes.
"""
from __future__ import annotations

from pathlib import Path

from ..core.errors import InputError
from ..core.sources import ParsedSource, Span, Turn
from .registry import READERS, Reader, reader_for
from .transcripts import looks_like_transcript

__all__ = ["DEFAULT_MAX_BYTES", "SUPPORTED_EXTENSIONS", "check_limit", "file_bytes", "looks_like_transcript",
           "parse_bytes", "read_bytes", "read_file"]

SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(READERS)
DEFAULT_MAX_BYTES = 200 * 1024 * 1024


def read_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedSource:
    """Read one file; the size is checked before a single byte is read."""
    path = Path(path)
    _reader(path.name)
    return parse_bytes(path.name, file_bytes(path, max_bytes=max_bytes))


def read_bytes(name: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedSource:
    """Read an upload or in-memory file; ``name`` supplies the extension and the error subject."""
    _reader(name)
    check_limit(name, len(data), max_bytes)
    return parse_bytes(name, data)


def file_bytes(path: Path, name: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes, its size checked against the limit before a single byte is read.

    An importer hashes the bytes (is this file already in the project?) before parsing them, so reading
    and parsing are two steps; the limit is checked here and not again by :func:`parse_bytes`.
    """
    name = name or path.name
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise InputError(name, "file not found") from None
    except OSError as err:
        raise InputError(name, f"cannot read file ({err.strerror or type(err).__name__})") from None
    if not path.is_file():
        raise InputError(name, "not a regular file")
    check_limit(name, stat.st_size, max_bytes)
    try:
        with path.open("rb") as fh:
            return fh.read(min(stat.st_size, max_bytes) + 1)  # never pre-allocate the limit
    except OSError as err:
        raise InputError(name, f"cannot read file ({err.strerror or type(err).__name__})") from None


def check_limit(name: str, size: int, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    if size > max_bytes:
        raise InputError(name, f"file is {_mb(size)}, larger than the {_mb(max_bytes).replace('.0 ', ' ')} limit")


def parse_bytes(name: str, data: bytes) -> ParsedSource:
    """Parse bytes whose size the caller has checked (:func:`file_bytes`, :func:`check_limit`)."""
    reader = _reader(name)
    if not data:
        raise InputError(name, "file is empty")
    try:
        parsed = reader(name, data)
    except InputError:
        raise
    except MemoryError:
        raise InputError(name, "file is too complex to read (out of memory)") from None
    except RecursionError:
        raise InputError(name, "file is too deeply nested to read") from None
    except Exception as err:  # the promise: no raw library exception reaches the caller
        raise InputError(name, f"cannot read file ({type(err).__name__})") from None
    return _validated(name, parsed)


def _reader(name: str) -> Reader:
    extension = Path(name).suffix.lower()
    reader = reader_for(extension)
    if reader is None:
        shown = extension or "(none)"
        allowed = ", ".join(sorted(SUPPORTED_EXTENSIONS))
        raise InputError(name, f"unsupported file type {shown} (supported: {allowed})")
    return reader


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def _validated(name: str, parsed: ParsedSource) -> ParsedSource:
    """Trim and order spans so every reader meets the same invariant, and refuse text-less files."""
    text = parsed.text
    parsed.paragraphs = _clean_spans(text, parsed.paragraphs)
    turns: list[Turn] = []
    last_end = 0
    for turn in parsed.turns:
        span = _trim(text, turn.span, last_end)
        if span is not None:
            turns.append(Turn(turn.speaker, span, turn.timestamp))
            last_end = span.end
    parsed.turns = turns
    if parsed.title is not None:
        parsed.title = " ".join(parsed.title.split())[:300] or None
    if not text.strip() or not parsed.segment_spans():
        raise InputError(name, "no text found in file")
    return parsed


def _clean_spans(text: str, spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    last_end = 0
    for span in spans:
        trimmed = _trim(text, span, last_end)
        if trimmed is not None:
            out.append(trimmed)
            last_end = trimmed.end
    return out


def _trim(text: str, span: Span, floor: int) -> Span | None:
    start, end = max(span.start, floor), min(span.end, len(text))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None
