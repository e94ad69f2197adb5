"""Memos: notes people attach to a code, source, case, coding or the project."""
from __future__ import annotations

from sqlalchemy import Connection, insert

from . import tables
from .database import now_iso, pk


def insert_memo(conn: Connection, target_type: str, target_id: str | None, author: str, title: str,
                body: str) -> int:
    now = now_iso()
    return int(pk(conn.execute(insert(tables.memos).values(
        target_type=target_type, target_id=target_id, author=author, title=title, body=body,
        created_at=now, updated_at=now))))
