"""Memos: free notes attached to the project, a case, a source, a code or a coding."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MemoTarget(StrEnum):
    PROJECT = "project"
    CASE = "case"
    SOURCE = "source"
    CODE = "code"
    CODING = "coding"


@dataclass(frozen=True)
class Memo:
    id: int
    target_type: MemoTarget
    target_id: str | None
    author: str
    title: str
    body: str
    created_at: str
    updated_at: str
