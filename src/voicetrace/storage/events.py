"""Reading the audit log (written by :meth:`voicetrace.storage.database.Database.log`)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from . import tables


def event_rows(conn: Connection, limit: int | None = None) -> list[dict[str, Any]]:
    """The newest events first (all, or the last ``limit``)."""
    q = select(tables.events).order_by(tables.events.c.id.desc())
    if limit:
        q = q.limit(limit)
    return [dict(r._mapping) for r in conn.execute(q)]


def action_counts(conn: Connection) -> dict[str, int]:
    """How many times each action was recorded."""
    e = tables.events
    return {str(r[0]): int(r[1]) for r in conn.execute(select(e.c.action, func.count()).group_by(e.c.action))}
