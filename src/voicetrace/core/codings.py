"""Codings: a code applied by a coder to a span. Overlaps and nesting are normal."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import InputError


class Origin(StrEnum):
    HUMAN = "human"
    ACCEPTED_SUGGESTION = "accepted_suggestion"
    IMPORTED = "imported"


@dataclass(frozen=True)
class Coding:
    id: int
    source_id: int
    start: int
    end: int
    text: str
    code_id: str
    coder: str
    origin: Origin
    created_at: str
    suggestion_id: int | None = None


def check_span(text_length: int, start: int, end: int, subject: str = "span") -> None:
    """Reject spans that do not select at least one character of the text."""
    if start < 0 or end > text_length or start >= end:
        raise InputError(
            subject,
            f"offsets [{start}, {end}) are not a non-empty range inside the text (0..{text_length})",
        )
