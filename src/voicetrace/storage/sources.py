"""Sources: one by name, listings with a page, names and metadata by id (indexed lookups), and the
writes of import, edit and delete.

Plain functions over a connection, so that each query's cost is visible in one place; the
indexes they rely on are registered in :mod:`voicetrace.storage.migrations`.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, Table, delete, func, insert, select, text, update

from . import tables
from .database import pk
from .hints import hinted
from .segments import unindex_segments
from .trash import Part, rows

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


# The order of the sources list (case name, no case first, then name) as one comparable key, so that the
# sources either side of one are two bounded probes, not a list of every name.
_LIST_KEY = "(c.name IS NOT NULL, COALESCE(c.name, ''), s.name)"


def neighbour_names(conn: Connection, source_id: int) -> tuple[str | None, str | None]:
    """The names of the sources just before and just after this one in :func:`source_names` order."""
    key = conn.execute(text(f"SELECT {_LIST_KEY[1:-1]} FROM sources s LEFT JOIN cases c ON c.id = s.case_id "
                            "WHERE s.id = :i"), {"i": source_id}).first()
    if key is None:
        return None, None

    def one(op: str, direction: str) -> str | None:
        r = conn.execute(text(
            f"SELECT s.name FROM sources s LEFT JOIN cases c ON c.id = s.case_id WHERE {_LIST_KEY} {op} (:a, :b, :n) "
            f"ORDER BY c.name IS NOT NULL {direction}, COALESCE(c.name, '') {direction}, s.name {direction} LIMIT 1"),
            {"a": key[0], "b": key[1], "n": key[2]}).first()
        return None if r is None else str(r[0])
    return one("<", "DESC"), one(">", "ASC")


def matrix_cases(conn: Connection, *, offset: int = 0, limit: int | None = None) -> list[Row[Any]]:
    """The matrix's rows, one page: the cases that hold sources (None for sources without one), by
    name with the case-less row last."""
    return list(conn.execute(text(
        'SELECT x.case_id, c.name AS "case" FROM (SELECT DISTINCT case_id FROM sources) x '
        "LEFT JOIN cases c ON c.id = x.case_id ORDER BY c.name IS NULL, c.name, x.case_id "
        "LIMIT :limit OFFSET :offset"), {"limit": -1 if limit is None else limit, "offset": offset}).all())


def count_matrix_cases(conn: Connection) -> int:
    """How many rows the whole matrix has (:func:`matrix_cases` without a page)."""
    return int(conn.execute(text("SELECT count(*) FROM (SELECT DISTINCT case_id FROM sources)")).scalar_one())


def source_metadata(conn: Connection) -> dict[int, str]:
    """Per source id, the JSON metadata kept from its import (e.g. the GUID a REFI-QDA file gave it)."""
    return {int(r[0]): r[1] or "{}" for r in conn.execute(select(tables.sources.c.id, tables.sources.c.metadata))}


def source_text(conn: Connection, source_id: int) -> str:
    return str(conn.execute(select(tables.sources.c.text).where(tables.sources.c.id == source_id)).scalar_one())


def original_file(conn: Connection, source_id: int) -> Row[Any]:
    """(filename, data) of the file a source was imported from."""
    s, f = tables.sources, tables.files
    return conn.execute(select(f.c.filename, f.c.data).select_from(f.join(s, s.c.file_id == f.c.id))
                        .where(s.c.id == source_id)).one()


def name_taken(conn: Connection, name: str) -> bool:
    return conn.execute(select(tables.sources.c.id).where(tables.sources.c.name == name)).first() is not None


def copies_of_file(conn: Connection, sha256: str) -> list[Row[Any]]:
    """(name, case) of the sources holding exactly this file (same SHA-256): the duplicate check."""
    s, c = tables.sources, tables.cases
    return list(conn.execute(select(s.c.name, c.c.name.label("case"))
                             .select_from(s.outerjoin(c, s.c.case_id == c.c.id)).where(s.c.sha256 == sha256)).all())


def insert_file(conn: Connection, *, sha256: str, filename: str, data: bytes) -> int:
    return pk(conn.execute(insert(tables.files).values(sha256=sha256, filename=filename, size=len(data), data=data)))


def insert_source(conn: Connection, **values: Any) -> int:
    return pk(conn.execute(insert(tables.sources).values(**values)))


def update_source(conn: Connection, source_id: int, **values: Any) -> None:
    conn.execute(update(tables.sources).where(tables.sources.c.id == source_id).values(**values))


def file_users(conn: Connection, file_id: int) -> int:
    """How many sources keep this stored file (a file is shared when the same bytes were imported twice)."""
    s = tables.sources
    return int(conn.execute(select(func.count()).select_from(s).where(s.c.file_id == file_id)).scalar_one())


def dependents(conn: Connection, source_id: int, name: str) -> dict[str, int]:
    """What deleting a source removes with it, counted (memos point at a source by name)."""
    def count(table: Table, where: Any) -> int:
        return int(conn.execute(select(func.count()).select_from(table).where(where)).scalar_one())
    return {"segments": count(tables.segments, tables.segments.c.source_id == source_id),
            "codings": count(tables.codings, tables.codings.c.source_id == source_id),
            "suggestions": count(tables.suggestions, tables.suggestions.c.source_id == source_id),
            "claim_evidence": count(tables.claim_evidence, tables.claim_evidence.c.source_id == source_id),
            "impact_evidence": count(tables.impact_evidence, tables.impact_evidence.c.source_id == source_id),
            "memos": count(tables.memos, source_memos(name))}


def source_memos(name: str) -> Any:
    """The condition that picks the memos written on a source."""
    m = tables.memos
    return (m.c.target_type == "source") & (m.c.target_id == name)


def delete_source(conn: Connection, source_id: int, name: str, file_id: int, *, keep_file: bool) -> None:
    """Remove a source and its memos; segments, codings, suggestions and evidence go by cascade.

    Segments leave the full-text index first (it keeps external content, so it must be told).
    """
    unindex_segments(conn, source_id)
    conn.execute(delete(tables.memos).where(source_memos(name)))
    conn.execute(delete(tables.sources).where(tables.sources.c.id == source_id))
    if not keep_file:
        conn.execute(delete(tables.files).where(tables.files.c.id == file_id))


def stored_source(conn: Connection, source_id: int) -> list[dict[str, Any]]:
    """The source's row as stored (every column), as the trash keeps it."""
    return rows(conn, tables.sources, tables.sources.c.id == source_id)


def deletion_parts(conn: Connection, source: dict[str, Any], *, with_file: bool) -> list[Part]:
    """Every row deleting a source (its :func:`stored_source` row) removes, parents first, for the trash;
    the file only ``with_file`` (when no other source keeps it)."""
    t, sid = tables, source["id"]
    files = rows(conn, t.files, t.files.c.id == source["file_id"]) if with_file else []
    return [("files", files), ("sources", [source]),
            *((table.name, rows(conn, table, table.c.source_id == sid))
              for table in (t.segments, t.codings, t.suggestions, t.claim_evidence, t.impact_evidence)),
            ("memos", rows(conn, t.memos, source_memos(source["name"])))]
