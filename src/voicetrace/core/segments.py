"""Segments: the units people read and code — paragraphs of documents, turns of transcripts."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .sources import Span

_BLANK_LINE = re.compile(r"(?:\r\n|\r|\n)[ \t\f\v]*(?:\r\n|\r|\n)[\s]*")


@dataclass(frozen=True)
class Segment:
    id: int
    source_id: int
    index: int
    start: int
    end: int
    text: str
    speaker: str | None = None
    participant_id: int | None = None


def paragraph_spans(text: str) -> list[Span]:
    """Split text into paragraphs at blank lines, trimming surrounding whitespace.

    Single newlines stay inside a paragraph (wrapped lines, addresses, lists in one block).
    Offsets are code points into ``text`` itself, so ``text[s.start:s.end]`` is the paragraph.
    """
    spans: list[Span] = []
    pos = 0
    for m in _BLANK_LINE.finditer(text):
        add_trimmed(text, pos, m.start(), spans)
        pos = m.end()
    add_trimmed(text, pos, len(text), spans)
    return spans


def add_trimmed(text: str, start: int, end: int, out: list[Span]) -> None:
    """Append ``[start, end)`` with surrounding whitespace removed, unless nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(start, end))
