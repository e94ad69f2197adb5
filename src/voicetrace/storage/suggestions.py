"""Machine suggestions: the review queue's rows, filtered and ordered, and its decisions.

Plain functions over a connection, so that each query's cost is visible in one place; the queue's
listings run on ix_suggestions_status (status, score).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from . import tables
from .database import now_iso

DECISION_ACTIONS = ("accept_suggestion", "reject_suggestion", "skip_suggestion")
"""The audit actions of a single decision (what "the last decision" is found by)."""


def delete_pending(conn: Connection) -> None:
    conn.execute(delete(tables.suggestions).where(tables.suggestions.c.status == "pending"))


def suggestion_keys(conn: Connection) -> set[tuple[int, int, int, str]]:
    """(source, start, end, code) of every stored suggestion, whatever its status."""
    s = tables.suggestions
    return {(r.source_id, r.start, r.end, r.code_id)
            for r in conn.execute(select(s.c.source_id, s.c.start, s.c.end, s.c.code_id))}


def insert_suggestions(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Rows with every column the queue needs, as one driver-level executemany: an autocode run stores
    several suggestions per passage, and SQLAlchemy's per-row parameter handling cost more than SQLite's
    insert. Every row has the keys of the first."""
    if not rows:
        return
    compiled = insert(tables.suggestions).compile(dialect=conn.dialect, column_keys=list(rows[0]))
    order = compiled.positiontup or []
    conn.exec_driver_sql(str(compiled), [tuple(r[k] for k in order) for r in rows])


def suggestion_rows(conn: Connection, *, status: str | None = None, code: str | None = None,
                    source_id: int | None = None, min_score: float | None = None,
                    codes: Sequence[str] | None = None, order: str = "id", limit: int | None = None) -> list[Row[Any]]:
    """The queue filtered; ordered by id, by score (highest first) or by uncertainty (nearest 0.5 first)."""
    s = tables.suggestions
    q = select(s)
    if status:
        q = q.where(s.c.status == status)
    if code:
        q = q.where(s.c.code_id == code)
    if codes:
        q = q.where(s.c.code_id.in_(list(codes)))
    if source_id is not None:
        q = q.where(s.c.source_id == source_id)
    if min_score is not None:
        q = q.where(s.c.score >= min_score)
    if order == "score":
        q = q.order_by(s.c.score.desc(), s.c.id)
    elif order == "uncertainty":
        q = q.order_by(func.abs(s.c.score - 0.5), s.c.id)
    else:
        q = q.order_by(s.c.id)
    if limit:
        q = q.limit(limit)
    return list(conn.execute(q).all())


def suggestion_row(conn: Connection, suggestion_id: int) -> Row[Any] | None:
    return conn.execute(select(tables.suggestions).where(tables.suggestions.c.id == suggestion_id)).first()


def set_decision(conn: Connection, suggestion_id: int, status: str, by: str | None,
                 coding_id: int | None) -> None:
    """Record a decision (``by`` None puts the suggestion back in the queue, undecided)."""
    conn.execute(update(tables.suggestions).where(tables.suggestions.c.id == suggestion_id).values(
        status=status, decided_by=by, decided_at=now_iso() if by is not None else None, coding_id=coding_id))


def recent_decision_ids(conn: Connection, by: str | None = None, limit: int = 200) -> list[int]:
    """Suggestions decided one at a time, newest decision first, from the audit log (exact order)."""
    ev = tables.events
    q = select(ev.c.object_id).where(ev.c.action.in_(list(DECISION_ACTIONS)))
    if by:
        q = q.where(ev.c.actor == by)
    return [int(r[0]) for r in conn.execute(q.order_by(ev.c.id.desc()).limit(limit))]


def status_counts(conn: Connection) -> dict[str, int]:
    s = tables.suggestions
    return {r[0]: int(r[1]) for r in conn.execute(select(s.c.status, func.count()).group_by(s.c.status)).all()}
