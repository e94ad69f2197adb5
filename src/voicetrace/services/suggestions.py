"""Suggestions as a review queue: stored apart from codings until a person decides.

Accepting creates a coding with ``origin=accepted_suggestion`` linked back to the suggestion;
rejecting keeps the suggestion as a negative example; every decision (and every undo) is an
audit event, so the queue's history can be replayed.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update

from ..core.codings import Origin
from ..core.errors import InputError, NotFound
from ..core.suggestions import Suggestion, SuggestionStatus
from ..storage import tables
from ..storage.database import now_iso
from .base import ProjectCore


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


class SuggestionsMixin(ProjectCore):
    """Methods of :class:`Project` for machine suggestions."""

    def add_suggestions(self, items: Iterable[NewSuggestion], actor: str = "autocode",
                        replace_pending: bool = False) -> int:
        """Store suggestions (never codings). Duplicates of a pending one for the same span/code are skipped."""
        cb = self.codebook()
        rows = []
        with self.db.begin() as conn:
            if replace_pending:
                conn.execute(delete(tables.suggestions).where(tables.suggestions.c.status == "pending"))
            existing = {(r.source_id, r.start, r.end, r.code_id) for r in conn.execute(
                select(tables.suggestions.c.source_id, tables.suggestions.c.start, tables.suggestions.c.end,
                       tables.suggestions.c.code_id))}
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
                    texts[s.source_id] = conn.execute(select(tables.sources.c.text).where(
                        tables.sources.c.id == s.source_id)).scalar_one()
                rows.append(dict(source_id=s.source_id, segment_id=s.segment_id, start=s.start, end=s.end,
                                 text=texts[s.source_id][s.start:s.end], code_id=s.code_id, agent=s.agent,
                                 model_version=s.model_version, score=float(s.score), reason=s.reason,
                                 status="pending", created_at=now))
            if rows:
                conn.execute(insert(tables.suggestions), rows)
            self.db.log(conn, actor, "add_suggestions", "suggestion", None, count=len(rows))
        return len(rows)

    def suggestions(self, status: str | None = "pending", *, code: str | None = None,
                    source: str | None = None, limit: int | None = None,
                    order: str = "id") -> list[Suggestion]:
        q = select(tables.suggestions)
        if status:
            q = q.where(tables.suggestions.c.status == status)
        if code:
            q = q.where(tables.suggestions.c.code_id == code)
        if source:
            q = q.where(tables.suggestions.c.source_id == self.source(source).id)
        if order == "score":
            q = q.order_by(tables.suggestions.c.score.desc(), tables.suggestions.c.id)
        elif order == "uncertainty":
            q = q.order_by(func.abs(tables.suggestions.c.score - 0.5), tables.suggestions.c.id)
        else:
            q = q.order_by(tables.suggestions.c.id)
        if limit:
            q = q.limit(limit)
        with self.db.read() as conn:
            return [_row_to_suggestion(r) for r in conn.execute(q)]

    def suggestion(self, suggestion_id: int) -> Suggestion:
        with self.db.read() as conn:
            r = conn.execute(select(tables.suggestions).where(tables.suggestions.c.id == suggestion_id)).first()
        if r is None:
            raise NotFound(f"unknown suggestion {suggestion_id}")
        return _row_to_suggestion(r)

    def decide(self, suggestion_id: int, decision: str, by: str) -> Suggestion:
        """Accept, reject or skip one pending (or skipped) suggestion."""
        if decision not in DECISIONS:
            raise InputError("decision", f"unknown decision {decision!r} (accept, reject or skip)")
        if not by.strip():
            raise InputError("decided_by", "a decision needs a person's name")
        s = self.suggestion(suggestion_id)
        if s.status not in (SuggestionStatus.PENDING, SuggestionStatus.SKIPPED):
            raise InputError(f"suggestion {suggestion_id}", f"already {s.status.value}; undo it first")
        with self.db.begin() as conn:
            coding_id = None
            if decision == "accept":
                coding_id = self._insert_coding(conn, s.source_id, s.start, s.end, s.code_id, by,
                                                Origin.ACCEPTED_SUGGESTION, s.id)
            conn.execute(update(tables.suggestions).where(tables.suggestions.c.id == s.id).values(
                status=DECISIONS[decision].value, decided_by=by, decided_at=now_iso(), coding_id=coding_id))
            self.db.log(conn, by, f"{decision}_suggestion", "suggestion", s.id, code=s.code_id, score=s.score,
                        agent=s.agent, coding_id=coding_id)
        return self.suggestion(s.id)

    def undo_decision(self, suggestion_id: int, by: str) -> Suggestion:
        """Put a decided suggestion back in the queue; an accepted one loses its coding."""
        s = self.suggestion(suggestion_id)
        if s.status is SuggestionStatus.PENDING:
            raise InputError(f"suggestion {suggestion_id}", "has no decision to undo")
        with self.db.begin() as conn:
            if s.coding_id is not None:
                conn.execute(delete(tables.codings).where(tables.codings.c.id == s.coding_id))
            conn.execute(update(tables.suggestions).where(tables.suggestions.c.id == s.id).values(
                status="pending", decided_by=None, decided_at=None, coding_id=None))
            self.db.log(conn, by, "undo_decision", "suggestion", s.id, was=s.status.value, coding_id=s.coding_id)
        return self.suggestion(s.id)

    def last_decision(self, by: str | None = None) -> Suggestion | None:
        """The most recent decision still standing, found through the audit log (exact order)."""
        ev = tables.events
        q = select(ev.c.object_id).where(ev.c.action.in_(
            ["accept_suggestion", "reject_suggestion", "skip_suggestion"]))
        if by:
            q = q.where(ev.c.actor == by)
        with self.db.read() as conn:
            for (sid,) in conn.execute(q.order_by(ev.c.id.desc()).limit(200)):
                r = conn.execute(select(tables.suggestions).where(tables.suggestions.c.id == int(sid))).first()
                if r is not None and r.status != "pending":
                    return _row_to_suggestion(r)
        return None

    def accept_above(self, threshold: float, by: str, codes: Sequence[str] | None = None) -> int:
        """Bulk-accept pending suggestions scoring at least ``threshold``; one audit event for the batch."""
        if not 0.0 <= threshold <= 1.0:
            raise InputError("threshold", "must be between 0 and 1")
        q = select(tables.suggestions).where(and_(tables.suggestions.c.status == "pending",
                                                  tables.suggestions.c.score >= threshold))
        if codes:
            q = q.where(tables.suggestions.c.code_id.in_(list(codes)))
        n = 0
        with self.db.begin() as conn:
            for r in conn.execute(q).all():
                cid = self._insert_coding(conn, r.source_id, r.start, r.end, r.code_id, by,
                                          Origin.ACCEPTED_SUGGESTION, r.id)
                conn.execute(update(tables.suggestions).where(tables.suggestions.c.id == r.id).values(
                    status="accepted", decided_by=by, decided_at=now_iso(), coding_id=cid))
                n += 1
            self.db.log(conn, by, "bulk_accept_suggestions", "suggestion", None, threshold=threshold, count=n)
        return n

    def suggestion_counts(self) -> dict[str, int]:
        with self.db.read() as conn:
            rows = conn.execute(select(tables.suggestions.c.status, func.count()).group_by(
                tables.suggestions.c.status)).all()
        return {r[0]: int(r[1]) for r in rows}
