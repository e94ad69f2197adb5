"""Blocks: the paragraph list that assembled formats (DOCX, ODT, HTML, PDF) extract.

Every such reader ends here, so the rules are in one place: blocks are cleaned (line endings
normalised, stray control characters dropped), joined with a blank line, and the result is a
transcript when the blocks have turn structure, otherwise a document whose paragraphs are the blocks.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from ..core.sources import ParsedSource, SourceType, Span
from .encodings import normalise_newlines
from .transcripts import paragraphs_look_like_transcript, render, utterances_from_paragraphs

# C0 controls (except tab and LF), DEL, and the noncharacters PDF extractors emit for soft hyphens.
_JUNK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


def clean_block(text: str) -> str:
    return _JUNK.sub("", normalise_newlines(text)).strip()


def from_blocks(
    blocks: Sequence[str],
    *,
    title: str | None = None,
    metadata: dict[str, str] | None = None,
    warnings: list[str] | None = None,
    detect_transcript: bool = True,
) -> ParsedSource:
    cleaned = [c for c in (clean_block(b) for b in blocks) if c]
    if detect_transcript and paragraphs_look_like_transcript(cleaned):
        preamble, utterances = utterances_from_paragraphs(cleaned)
        if title is None and preamble and len(preamble[0]) <= 200:
            title = preamble[0]
        return render(utterances, preamble, title=title, metadata=metadata, warnings=warnings)
    paragraphs: list[Span] = []
    pos = 0
    for block in cleaned:
        paragraphs.append(Span(pos, pos + len(block)))
        pos += len(block) + 2
    return ParsedSource(
        text="\n\n".join(cleaned),
        type=SourceType.DOCUMENT,
        paragraphs=paragraphs,
        title=title,
        metadata=dict(metadata or {}),
        warnings=list(warnings or []),
    )
