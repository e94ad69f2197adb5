"""Index hints for the covering indexes, shared by the listing and counting queries.

Plain functions over a connection, so that each query's cost is visible in one place; the
indexes they rely on are registered in :mod:`voicetrace.storage.migrations`.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text


def hinted(conn: Connection, sql: str) -> Any:
    for key, clause in hints(conn).items():
        sql = sql.replace("{" + key + "}", clause)
    return text(sql)


def hints(conn: Connection) -> dict[str, str]:
    """``INDEXED BY`` clauses for the covering indexes (migration 8), where the project has them.

    Without statistics SQLite's planner picks the first index on ``source_id`` (ordered by start, not
    idx) and the table itself for listings, which reads every source's text; the hints keep the
    listing and the counts on the covering indexes. A project is always migrated when it opens, so
    the indexes are there except while a test runs today's code on an older schema.
    """
    have = {str(r[0]) for r in conn.execute(text(
        "SELECT name FROM sqlite_master WHERE type='index' AND name IN "
        "('ix_segments_source_idx', 'ix_sources_listing')"))}
    return {key: f"INDEXED BY {name}" if name in have else ""
            for key, name in (("hint_seg", "ix_segments_source_idx"), ("hint_src", "ix_sources_listing"))}
