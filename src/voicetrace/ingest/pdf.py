"""PDF: the text layer, page by page, rebuilt into paragraphs.

pypdfium2 gives each page's text with a line break per printed line and a box per character, so we
look up two boxes per line (first and last visible character) rather than walking characters in
Python. A paragraph ends at a vertical gap wider than the page's usual line pitch, when a line jumps
up (a new column) or sits on the same baseline (a table cell), or after a short line that ends a
sentence. A change of type size ends a paragraph, and a heading — a short line with no sentence end, followed by a
line that starts a sentence — is a paragraph of its own, never glued to the text under it. Lines inside a paragraph are joined with a space, or without one where a word was
hyphenated across the break. Bare page numbers and headers/footers repeated on most pages are dropped.
If pypdfium2 cannot open a file we try pypdf, which rebuilds some damaged cross-reference tables.
"""
from __future__ import annotations

import io
import itertools
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium

from ..core.errors import InputError
from ..core.sources import ParsedSource
from .blocks import from_blocks

_PDFIUM_PASSWORD_ERROR = 4
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_TERMINAL = tuple(".!?:;\"”’)]")
_SOFT_HYPHENS = ("\x02", "\u00ad", "\ufffe")
_MAX_RUNNING = 60  # running headers/footers are short; long repeated lines are body text
_HEADING_START = re.compile(r"^(?:\d{1,2}[.)]\s+)?[A-Z]")
_LINE = re.compile(r"([^\r\n]*)(?:\r\n|\n|\r|$)")


@dataclass
class Line:
    text: str
    left: float = 0.0
    bottom: float = 0.0
    right: float = 0.0
    top: float = 0.0


def read_pdf(name: str, data: bytes) -> ParsedSource:
    if b"%PDF-" not in data[:1024]:
        raise InputError(name, "not a PDF file (no %PDF header)")
    warnings: list[str] = []
    try:
        pages, metadata, geometric = _read_pdfium(name, data)
    except InputError:
        raise
    except Exception:  # pdfium could not open or read it: let pypdf try
        pages, metadata = _read_pypdf(name, data)
        geometric = False
        warnings.append("PDF is damaged; text read with the pypdf fallback")
    page_count = len(pages)
    if page_count == 0:
        raise InputError(name, "corrupt PDF (no pages)")
    empty = [i + 1 for i, lines in enumerate(pages) if not any(ln.text.strip() for ln in lines)]
    if len(empty) == page_count:
        raise InputError(name, "PDF has no text layer (scanned images?); run OCR on it first")
    if empty:
        shown = ", ".join(str(p) for p in empty[:10]) + (" ..." if len(empty) > 10 else "")
        warnings.append(f"no text on page(s) {shown} (scanned images?)")
    pages = _drop_running_lines(pages)
    blocks: list[str] = []
    for lines in pages:
        paragraphs = _paragraphs(lines, geometric)
        if blocks and paragraphs and _continues(blocks[-1], paragraphs[0]):
            blocks[-1] = _join(blocks[-1], paragraphs[0])
            paragraphs = paragraphs[1:]
        blocks.extend(paragraphs)
    metadata["pages"] = str(page_count)
    title = metadata.pop("title", None)
    return from_blocks(blocks, title=title, metadata=metadata, warnings=warnings)


def _read_pdfium(name: str, data: bytes) -> tuple[list[list[Line]], dict[str, str], bool]:
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if getattr(err, "err_code", None) == _PDFIUM_PASSWORD_ERROR:
            raise InputError(name, "PDF is encrypted (password-protected); remove the password first") from None
        raise
    try:
        pages: list[list[Line]] = []
        for index in range(len(doc)):
            page = doc[index]
            try:
                textpage = page.get_textpage()
                try:
                    pages.append(_pdfium_lines(textpage))
                finally:
                    textpage.close()
            finally:
                page.close()
        metadata = _metadata(doc.get_metadata_dict())
    finally:
        doc.close()
    return pages, metadata, True


def _pdfium_lines(textpage: pdfium.PdfTextPage) -> list[Line]:
    text = textpage.get_text_range()
    count = textpage.count_chars()
    exact = len(text) == count  # char indices match string indices (no astral characters)
    lines: list[Line] = []
    for m in _LINE.finditer(text):
        raw = m.group(1)
        start = m.start()
        stripped = raw.strip()
        if not stripped:
            continue
        line = Line(raw)
        if exact:
            first = start + (len(raw) - len(raw.lstrip()))
            last = start + len(raw.rstrip()) - 1
            try:
                fl, fb, fr, ft = textpage.get_charbox(first, loose=True)
                _ll, lb, lr, lt = textpage.get_charbox(last, loose=True)
            except Exception:
                exact = False
            else:
                line.left, line.bottom, line.right, line.top = fl, min(fb, lb), max(fr, lr), max(ft, lt)
        lines.append(line)
    if not exact:
        for line in lines:
            line.left = line.bottom = line.right = line.top = 0.0
    return lines


def _read_pypdf(name: str, data: bytes) -> tuple[list[list[Line]], dict[str, str]]:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise InputError(name, "PDF is encrypted (password-protected); remove the password first")
        pages: list[list[Line]] = []
        for page in reader.pages:
            text = page.extract_text() or ""
            pages.append([Line(ln) for ln in re.split(r"\r\n|\n|\r", text) if ln.strip()])
        raw_meta = reader.metadata or {}
        metadata = _metadata({str(k).lstrip("/"): str(v) for k, v in raw_meta.items()})
    except InputError:
        raise
    except Exception as err:
        raise InputError(name, f"corrupt PDF (cannot be parsed: {type(err).__name__})") from None
    return pages, metadata


def _metadata(raw: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, target in (("Title", "title"), ("Author", "author"), ("CreationDate", "created")):
        value = (raw.get(key) or "").strip()
        if value:
            out[target] = value
    return out


def _drop_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Drop page numbers at the top or bottom of a page and headers/footers seen on most pages."""
    def shape(line: Line) -> str:
        return re.sub(r"\d+", "#", " ".join(line.text.split())).casefold()

    edges: Counter[str] = Counter()
    for lines in pages:
        for key in {shape(ln) for ln in lines[:2] + lines[-2:]}:
            edges[key] += 1
    repeated = {
        k for k, n in edges.items() if len(pages) >= 3 and n >= 0.6 * len(pages) and len(k) <= _MAX_RUNNING
    }
    cleaned: list[list[Line]] = []
    for lines in pages:
        keep = []
        for i, line in enumerate(lines):
            at_edge = i < 2 or i >= len(lines) - 2
            if at_edge and (_PAGE_NUMBER.match(line.text.strip()) or shape(line) in repeated):
                continue
            keep.append(line)
        cleaned.append(keep)
    return cleaned


def _paragraphs(lines: list[Line], geometric: bool) -> list[str]:
    if not lines:
        return []
    has_geometry = geometric and any(ln.top or ln.bottom for ln in lines)
    pitch = height = 0.0
    left_margin = right_margin = 0.0
    if has_geometry:
        gaps = [a.bottom - b.bottom for a, b in itertools.pairwise(lines) if a.bottom - b.bottom > 0]
        pitch = statistics.median(gaps) if gaps else 0.0
        height = statistics.median(ln.top - ln.bottom for ln in lines) or 1.0
        left_margin = min(ln.left for ln in lines)
        right_margin = max(ln.right for ln in lines)
    longest = max(len(ln.text.strip()) for ln in lines)
    paragraphs: list[str] = []
    current = lines[0].text.strip()
    for prev, line in itertools.pairwise(lines):
        text = line.text.strip()
        prev_text = prev.text.strip()
        ends_sentence = prev_text.endswith(_TERMINAL)
        # A heading: a short line with no sentence end, followed by a line that starts a sentence.
        heading_like = (not ends_sentence and _HEADING_START.match(prev_text) is not None and text[:1].isupper()
                        and not prev_text.endswith((",", "-", "–", "&", "and", "of", "the", "to")))
        if has_geometry:
            gap = prev.bottom - line.bottom
            width = right_margin - left_margin
            prev_h, line_h = prev.top - prev.bottom, line.top - line.bottom
            breaks = (
                gap < 0.5 * height  # same baseline or jumped up: a new cell or column
                or (pitch > 0 and gap > 1.35 * pitch)
                or (ends_sentence and prev.right < right_margin - 0.15 * width)
                or (ends_sentence and line.left > left_margin + 0.04 * width)
                or (heading_like and prev.right < right_margin - 0.3 * width)
                or abs(prev_h - line_h) > 0.1 * height  # the type size changes: a heading starts or ends
            )
        else:
            breaks = (ends_sentence and len(prev_text) < 0.8 * longest) or (
                heading_like and len(prev_text) < 0.6 * longest)
        if breaks:
            paragraphs.append(current)
            current = text
        else:
            current = _join(current, text)
    paragraphs.append(current)
    return paragraphs


def _continues(previous: str, following: str) -> bool:
    """A paragraph cut by a page break: no sentence end before it, and either lower case after it or a
    body-length line before it (a heading is short; a sentence cut mid-way is not)."""
    if previous.rstrip().endswith(_TERMINAL):
        return False
    return following[:1].islower() or len(previous.rsplit("\n", 1)[-1]) >= 60


def _join(head: str, tail: str) -> str:
    if head.endswith(_SOFT_HYPHENS):
        return head[:-1] + tail
    if len(head) >= 2 and head.endswith("-") and head[-2].isalpha() and tail[:1].islower():
        return head[:-1] + tail
    return f"{head} {tail}"
