"""Memos: notes people attach to a code, source, case, coding or the project."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from . import tables
from .database import now_iso, pk


def insert_memo(conn: Connection, target_type: str, target_id: str | None, author: str, title: str,
                body: str) -> int:
    now = now_iso()
    return int(pk(conn.execute(insert(tables.memos).values(
        target_type=target_type, target_id=target_id, author=author, title=title, body=body,
        created_at=now, updated_at=now))))


def update_memo_body(conn: Connection, memo_id: int, body: str) -> bool:
    """False when there is no such memo."""
    m = tables.memos
    return bool(conn.execute(update(m).where(m.c.id == memo_id).values(body=body, updated_at=now_iso())).rowcount)


def delete_memo(conn: Connection, memo_id: int) -> bool:
    """False when there is no such memo."""
    return bool(conn.execute(delete(tables.memos).where(tables.memos.c.id == memo_id)).rowcount)


def _memo_filter(q: Any, target_type: str | None, target_id: str | None, memo_id: int | None) -> Any:
    m = tables.memos
    for column, value in ((m.c.target_type, target_type), (m.c.target_id, target_id), (m.c.id, memo_id)):
        if value is not None:
            q = q.where(column == value)
    return q


def memo_rows(conn: Connection, target_type: str | None = None, target_id: str | None = None, *,
              memo_id: int | None = None, offset: int = 0, limit: int | None = None) -> list[Row[Any]]:
    """Memos in the order they were written: every one, those on one kind of target or one target, or one;
    ``limit`` of them from ``offset``."""
    m = tables.memos
    q = _memo_filter(select(m), target_type, target_id, memo_id).order_by(m.c.id).offset(offset)
    return list(conn.execute(q if limit is None else q.limit(limit)).all())


def count_memos(conn: Connection, target_type: str | None = None, target_id: str | None = None) -> int:
    """How many memos :func:`memo_rows` would give without a page."""
    q = _memo_filter(select(func.count()).select_from(tables.memos), target_type, target_id, None)
    return int(conn.execute(q).scalar_one())
