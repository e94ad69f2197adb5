"""Segments: one by id, a source's segments in a span or page (the covering index on source, idx).

Plain functions over a connection, so that each query's cost is visible in one place; the
indexes they rely on are registered in :mod:`voicetrace.storage.migrations`.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, text

_SEGMENT_COLUMNS = """
    g.id, g.source_id, s.name AS source, g.idx, g.start, g."end", g.text, g.speaker, g.participant_id,
    COALESCE(p.role, g.speaker_role) AS role"""


_SEGMENT_FROM = """
    FROM segments g JOIN sources s ON s.id = g.source_id LEFT JOIN participants p ON p.id = g.participant_id"""


def segment_by_id(conn: Connection, segment_id: int) -> Row[Any] | None:
    return conn.execute(text(f"SELECT {_SEGMENT_COLUMNS} {_SEGMENT_FROM} WHERE g.id = :i"),
                        {"i": segment_id}).first()


def segment_rows(conn: Connection, source_id: int, *, start: int | None = None, end: int | None = None,
                 offset: int = 0, limit: int | None = None) -> list[Row[Any]]:
    """A source's segments in order; with ``start``/``end`` only those overlapping [start, end)."""
    where = ["g.source_id = :s"]
    if end is not None:
        where.append("g.start < :e")
    if start is not None:
        where.append('g."end" > :b')
    return list(conn.execute(text(
        f"SELECT {_SEGMENT_COLUMNS} {_SEGMENT_FROM} WHERE {' AND '.join(where)} "
        "ORDER BY g.idx LIMIT :limit OFFSET :offset"),
        {"s": source_id, "b": start, "e": end, "limit": -1 if limit is None else limit, "offset": offset}).all())


def span_text_and_segment(conn: Connection, source_id: int, start: int, end: int) -> tuple[str, int | None]:
    """The text of a span (code points, via SQLite's character-based substr) and the segment it
    overlaps most — what every stored span (coding, claim evidence) carries."""
    snippet = conn.execute(text("SELECT substr(text, :a, :n) FROM sources WHERE id=:s"),
                           {"a": start + 1, "n": end - start, "s": source_id}).scalar_one()
    seg = conn.execute(text(
        "SELECT id FROM segments WHERE source_id=:s AND start < :e AND \"end\" > :b "
        "ORDER BY (MIN(\"end\", :e) - MAX(start, :b)) DESC, start LIMIT 1"),
        {"s": source_id, "b": start, "e": end}).scalar()
    return str(snippet), seg
