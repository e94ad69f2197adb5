"""Audit events: who did what to which object, when. Every change writes one."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    id: int
    at: str
    actor: str
    action: str
    object_type: str
    object_id: str | None
    detail: str
