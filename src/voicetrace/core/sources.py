"""Sources: documents and transcripts, held once as canonical plain text.

Every offset anywhere in voicetrace is a Unicode code-point index into ``Source.text``
(end exclusive). Readers produce a :class:`ParsedSource`; storage turns it into a
:class:`Source` with segments.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date as _date
from enum import StrEnum

from .errors import InputError


class SourceType(StrEnum):
    DOCUMENT = "document"
    TRANSCRIPT = "transcript"


class SourceKind(StrEnum):
    MINUTES = "minutes"
    ANNUAL_REPORT = "annual_report"
    WORK_PLAN = "work_plan"
    NEWSLETTER = "newsletter"
    GRANT_APPLICATION = "grant_application"
    STRATEGY = "strategy"
    REPORT = "report"
    INTERVIEW = "interview"
    FOCUS_GROUP = "focus_group"
    OTHER = "other"


def parse_kind(value: str) -> SourceKind:
    """Accept the documented kinds, forgiving case, hyphens and spaces."""
    norm = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return SourceKind(norm)
    except ValueError:
        allowed = ", ".join(k.value for k in SourceKind)
        raise ValueError(f"unknown kind {value!r} (one of: {allowed})") from None


def check_kind(kind: str, subject: str) -> str:
    """A kind as typed (``--kind``, a manifest cell) checked: the canonical value, or one line naming the kinds."""
    try:
        return parse_kind(kind).value
    except ValueError as e:
        raise InputError(subject, str(e)) from None


def check_date(value: str, subject: str) -> str:
    """A source's date is a calendar date, YYYY-MM-DD, as typed."""
    try:
        _date.fromisoformat(value)
    except ValueError:
        raise InputError(subject, f"date {value!r} is not YYYY-MM-DD") from None
    return value


@dataclass(frozen=True)
class Span:
    """A half-open code-point range ``[start, end)`` over a source's canonical text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Turn:
    """A speaker turn in a transcript: who spoke and where the words are.

    ``span`` covers only the words spoken (no speaker label, no timestamp), so a coding of
    the whole turn quotes the speaker exactly.
    """

    speaker: str
    span: Span
    timestamp: str | None = None


@dataclass
class ParsedSource:
    """What a format reader returns: canonical text plus its structure.

    ``paragraphs`` are the segment spans of a document; ``turns`` those of a transcript.
    Readers must guarantee every span lies inside ``text`` and is non-empty.
    """

    text: str
    type: SourceType
    paragraphs: list[Span] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    title: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def segment_spans(self) -> list[tuple[Span, str | None]]:
        """Segments in reading order with their speaker (None for document paragraphs)."""
        if self.type is SourceType.TRANSCRIPT and self.turns:
            return [(t.span, t.speaker) for t in self.turns]
        return [(p, None) for p in self.paragraphs]


@dataclass
class Source:
    id: int
    name: str
    type: SourceType
    kind: SourceKind
    case_id: int | None
    date: str | None
    sha256: str
    text_sha256: str
    chars: int
    filename: str
    title: str | None = None


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()
