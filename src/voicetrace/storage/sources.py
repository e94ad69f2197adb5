"""Sources: one by name, listings with a page, names and metadata by id (indexed lookups).

Plain functions over a connection, so that each query's cost is visible in one place; the
indexes they rely on are registered in :mod:`voicetrace.storage.migrations`.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, select, text

from . import tables
from .hints import hinted

# A segment's ``idx`` runs 0..n-1 within its source (written once at import, never renumbered), so
# the last idx + 1 is the source's segment count: one probe of ix_segments_source_idx instead of a
# count over every segment.
_SOURCE_COLUMNS = """
    s.id, s.name, c.name AS "case", s.kind, s.type, s.date, s.sha256, s.chars, s.title,
    COALESCE((SELECT g.idx + 1 FROM segments g {hint_seg} WHERE g.source_id = s.id
              ORDER BY g.idx DESC LIMIT 1), 0) AS n"""


def source_by_name(conn: Connection, name: str) -> Row[Any] | None:
    """The source called exactly ``name`` (the unique index on sources.name)."""
    return conn.execute(hinted(conn, f"SELECT {_SOURCE_COLUMNS} FROM sources s LEFT JOIN cases c ON c.id = s.case_id "
                             "WHERE s.name = :n"), {"n": name}).first()


def sources_by_basename(conn: Connection, basename: str) -> list[Row[Any]]:
    """Sources whose name ends in ``/basename``: the fallback when a user types only the file name.

    This scans the sources table (one row per file, not per segment) and runs only on a miss.
    """
    if not basename:
        return []
    rows = conn.execute(hinted(conn, f"SELECT {_SOURCE_COLUMNS} FROM sources s LEFT JOIN cases c ON c.id = s.case_id "
                             "WHERE substr(s.name, -:n) = :b ORDER BY s.name"),
                        {"n": len(basename) + 1, "b": "/" + basename}).all()
    return list(rows)


def source_rows(conn: Connection, *, case: str | None = None, no_case: bool = False, offset: int = 0,
                limit: int | None = None) -> list[Row[Any]]:
    """Sources ordered by case then name, optionally one case's (or those without one) and one page."""
    where = "WHERE s.case_id IS NULL" if no_case else "WHERE c.name = :case" if case is not None else ""
    return list(conn.execute(hinted(conn,
        f"SELECT {_SOURCE_COLUMNS} FROM sources s {{hint_src}} LEFT JOIN cases c ON c.id = s.case_id "
        f"{where} ORDER BY c.name, s.name LIMIT :limit OFFSET :offset"),
        {"case": case, "limit": -1 if limit is None else limit, "offset": offset}).all())


def source_names_by_id(conn: Connection, ids: Sequence[int]) -> dict[int, str]:
    return {int(r[0]): str(r[1]) for r in conn.execute(text(
        "SELECT id, name FROM sources WHERE id IN (SELECT value FROM json_each(:ids))"),
        {"ids": json.dumps([int(i) for i in ids])})}


def source_kinds(conn: Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute(text("SELECT DISTINCT kind FROM sources WHERE kind != '' ORDER BY kind"))]


def count_sources(conn: Connection) -> int:
    return int(conn.execute(text("SELECT count(*) FROM sources")).scalar_one())


def source_names(conn: Connection) -> list[str]:
    """Every source name in the order of :func:`source_rows` (names only: one row per file)."""
    return [str(r[0]) for r in conn.execute(hinted(conn,
        "SELECT s.name FROM sources s {hint_src} LEFT JOIN cases c ON c.id = s.case_id "
        "ORDER BY c.name, s.name"))]


def source_cases(conn: Connection) -> list[Row[Any]]:
    """The cases that hold sources (and None when some source has no case): the matrix's rows."""
    return list(conn.execute(text(
        'SELECT DISTINCT s.case_id, c.name AS "case" FROM sources s LEFT JOIN cases c ON c.id = s.case_id')).all())


def source_metadata(conn: Connection) -> dict[int, str]:
    """Per source id, the JSON metadata kept from its import (e.g. the GUID a REFI-QDA file gave it)."""
    return {int(r[0]): r[1] or "{}" for r in conn.execute(select(tables.sources.c.id, tables.sources.c.metadata))}


def source_text(conn: Connection, source_id: int) -> str:
    return str(conn.execute(select(tables.sources.c.text).where(tables.sources.c.id == source_id)).scalar_one())
