"""Plain text and Markdown: the file's own text is the canonical text.

Markdown is kept as written (no rendering), so offsets match the file. Paragraphs are split at blank
lines; in Markdown an ATX heading line ("# ...") is a paragraph of its own even without blank lines
around it. A file whose lines carry speaker labels becomes a transcript instead.
"""
from __future__ import annotations

import itertools
import re

from ..core.segments import add_trimmed, paragraph_spans
from ..core.sources import ParsedSource, SourceType, Span
from .encodings import decode_text
from .transcripts import looks_like_transcript, parse_plain_transcript

_HEADING = re.compile(r"^[ ]{0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$", re.MULTILINE)


def read_text(name: str, data: bytes) -> ParsedSource:
    return _read(name, data, markdown=False)


def read_markdown(name: str, data: bytes) -> ParsedSource:
    return _read(name, data, markdown=True)


def _read(name: str, data: bytes, *, markdown: bool) -> ParsedSource:
    decoded = decode_text(name, data)
    text = decoded.text
    metadata = {"encoding": decoded.encoding}
    if looks_like_transcript(text):
        parsed = parse_plain_transcript(text)
        parsed.metadata.update(metadata)
        parsed.warnings[:0] = decoded.warnings
        return parsed
    spans = paragraph_spans(text)
    title = None
    if markdown:
        spans = _split_headings(text, spans)
        first = _HEADING.search(text)
        if first is not None and first.group(2).strip():
            title = first.group(2).strip()
    return ParsedSource(
        text=text,
        type=SourceType.DOCUMENT,
        paragraphs=spans,
        title=title,
        metadata=metadata,
        warnings=list(decoded.warnings),
    )


def _split_headings(text: str, spans: list[Span]) -> list[Span]:
    """Cut paragraphs before and after each heading line inside them."""
    out: list[Span] = []
    for span in spans:
        cuts = [span.start]
        for m in _HEADING.finditer(text, span.start, span.end):
            line_end = text.find("\n", m.start(), span.end)
            cuts += [m.start(), span.end if line_end < 0 else line_end]
        cuts.append(span.end)
        for start, end in itertools.pairwise(cuts):
            add_trimmed(text, start, end, out)
    return out
