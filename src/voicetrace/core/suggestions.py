"""Suggestions: machine output kept apart from human codings until a person decides."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SuggestionStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Suggestion:
    id: int
    source_id: int
    segment_id: int | None
    start: int
    end: int
    text: str
    code_id: str
    agent: str
    model_version: str
    score: float
    reason: str
    status: SuggestionStatus
    decided_by: str | None = None
    decided_at: str | None = None
    coding_id: int | None = None
