"""Suggestions as a review queue: stored apart from codings until a person decides.

Accepting creates a coding with ``origin=accepted_suggestion`` linked back to the suggestion;
rejecting keeps the suggestion as a negative example; every decision (and every undo) is an
audit event, so the queue's history can be replayed.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.codings import Origin
from ..core.errors import InputError, NotFound
from ..core.suggestions import Suggestion, SuggestionStatus
from ..storage import suggestions as store
from ..storage.codings import delete_coding
from ..storage.database import now_iso
from ..storage.sources import source_text
from .context import Context

if TYPE_CHECKING:
    from .coding import Coding
    from .sources import Sources


@dataclass(frozen=True)
class NewSuggestion:
    source_id: int
    segment_id: int | None
    start: int
    end: int
    code_id: str
    agent: str
    model_version: str
    score: float
    reason: str = ""


DECISIONS = {"accept": SuggestionStatus.ACCEPTED, "reject": SuggestionStatus.REJECTED,
             "skip": SuggestionStatus.SKIPPED}


def _row_to_suggestion(r: Any) -> Suggestion:
    return Suggestion(id=r.id, source_id=r.source_id, segment_id=r.segment_id, start=r.start, end=r.end,
                      text=r.text, code_id=r.code_id, agent=r.agent, model_version=r.model_version,
                      score=float(r.score), reason=r.reason, status=SuggestionStatus(r.status),
                      decided_by=r.decided_by, decided_at=r.decided_at, coding_id=r.coding_id)


class Suggestions:
    """The suggestion queue: store, list, decide, undo, bulk-accept.

    ``coding`` is the coding service: an accepted suggestion becomes a coding through the one
    coding insert (its snippet, segment and audit event); ``sources`` names sources.
    """

    def __init__(self, ctx: Context, coding: Coding, sources: Sources) -> None:
        self.ctx = ctx
        self._coding = coding
        self._sources = sources

    def add_suggestions(self, items: Iterable[NewSuggestion], actor: str = "autocode",
                        replace_pending: bool = False) -> int:
        """Store suggestions (never codings). Duplicates of a pending one for the same span/code are skipped."""
        cb = self.ctx.codebook()
        rows = []
        with self.ctx.db.begin() as conn:
            if replace_pending:
                store.delete_pending(conn)
            existing = store.suggestion_keys(conn)
            texts: dict[int, str] = {}
            now = now_iso()
            for s in items:
                if s.code_id not in cb:
                    raise InputError(s.code_id, "unknown code id in suggestion")
                key = (s.source_id, s.start, s.end, s.code_id)
                if key in existing:
                    continue
                existing.add(key)
                if s.source_id not in texts:
                    texts[s.source_id] = source_text(conn, s.source_id)
                rows.append({"source_id": s.source_id, "segment_id": s.segment_id, "start": s.start, "end": s.end,
                             "text": texts[s.source_id][s.start:s.end], "code_id": s.code_id, "agent": s.agent,
                             "model_version": s.model_version, "score": float(s.score), "reason": s.reason,
                             "status": "pending", "created_at": now})
            store.insert_suggestions(conn, rows)
            self.ctx.db.log(conn, actor, "add_suggestions", "suggestion", None, count=len(rows))
        return len(rows)

    def suggestions(self, status: str | None = "pending", *, code: str | None = None,
                    source: str | None = None, limit: int | None = None,
                    order: str = "id") -> list[Suggestion]:
        source_id = self._sources.source(source).id if source else None
        with self.ctx.db.read() as conn:
            return [_row_to_suggestion(r) for r in store.suggestion_rows(
                conn, status=status, code=code, source_id=source_id, order=order, limit=limit)]

    def suggestion(self, suggestion_id: int) -> Suggestion:
        with self.ctx.db.read() as conn:
            r = store.suggestion_row(conn, suggestion_id)
        if r is None:
            raise NotFound(f"unknown suggestion {suggestion_id}")
        return _row_to_suggestion(r)

    def _accept(self, conn: Any, s: Any, by: str) -> int:
        """The coding an accepted suggestion becomes, linked back to it."""
        return self._coding.insert_coding(conn, s.source_id, s.start, s.end, s.code_id, by,
                                          Origin.ACCEPTED_SUGGESTION, s.id)

    def decide(self, suggestion_id: int, decision: str, by: str) -> Suggestion:
        """Accept, reject or skip one pending (or skipped) suggestion."""
        if decision not in DECISIONS:
            raise InputError("decision", f"unknown decision {decision!r} (accept, reject or skip)")
        if not by.strip():
            raise InputError("decided_by", "a decision needs a person's name")
        s = self.suggestion(suggestion_id)
        if s.status not in (SuggestionStatus.PENDING, SuggestionStatus.SKIPPED):
            raise InputError(f"suggestion {suggestion_id}", f"already {s.status.value}; undo it first")
        with self.ctx.db.begin() as conn:
            coding_id = self._accept(conn, s, by) if decision == "accept" else None
            store.set_decision(conn, s.id, DECISIONS[decision].value, by, coding_id)
            self.ctx.db.log(conn, by, f"{decision}_suggestion", "suggestion", s.id, code=s.code_id, score=s.score,
                            agent=s.agent, coding_id=coding_id)
        return self.suggestion(s.id)

    def undo_decision(self, suggestion_id: int, by: str) -> Suggestion:
        """Put a decided suggestion back in the queue; an accepted one loses its coding."""
        s = self.suggestion(suggestion_id)
        if s.status is SuggestionStatus.PENDING:
            raise InputError(f"suggestion {suggestion_id}", "has no decision to undo")
        with self.ctx.db.begin() as conn:
            if s.coding_id is not None:
                delete_coding(conn, s.coding_id)
            store.set_decision(conn, s.id, SuggestionStatus.PENDING.value, None, None)
            self.ctx.db.log(conn, by, "undo_decision", "suggestion", s.id, was=s.status.value, coding_id=s.coding_id)
        return self.suggestion(s.id)

    def last_decision(self, by: str | None = None) -> Suggestion | None:
        """The most recent decision still standing, found through the audit log (exact order)."""
        with self.ctx.db.read() as conn:
            for sid in store.recent_decision_ids(conn, by):
                r = store.suggestion_row(conn, sid)
                if r is not None and r.status != "pending":
                    return _row_to_suggestion(r)
        return None

    def accept_above(self, threshold: float, by: str, codes: Sequence[str] | None = None) -> int:
        """Bulk-accept pending suggestions scoring at least ``threshold``; one audit event for the batch."""
        if not 0.0 <= threshold <= 1.0:
            raise InputError("threshold", "must be between 0 and 1")
        n = 0
        with self.ctx.db.begin() as conn:
            for r in store.suggestion_rows(conn, status="pending", min_score=threshold, codes=codes):
                store.set_decision(conn, r.id, SuggestionStatus.ACCEPTED.value, by, self._accept(conn, r, by))
                n += 1
            self.ctx.db.log(conn, by, "bulk_accept_suggestions", "suggestion", None, threshold=threshold, count=n)
        return n

    def suggestion_counts(self) -> dict[str, int]:
        with self.ctx.db.read() as conn:
            return store.status_counts(conn)
