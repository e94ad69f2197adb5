"""Indexed read queries: one item by id or name, lists with filters and a page, aggregates in SQL.

Each is a plain function over a connection so that its cost is visible in one place: a lookup is a
B-tree probe (O(log N) in project size), a list reads only the page asked for, and counts per source
or per matrix cell are computed by SQLite instead of by loading rows into Python. The indexes they
rely on are registered in :mod:`voicetrace.storage.migrations`.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, func, select, text

from . import tables

# A segment's ``idx`` runs 0..n-1 within its source (written once at import, never renumbered), so
# max(idx) + 1 is the source's segment count: one probe of ix_segments_source_idx instead of a count
# over every segment.
_SOURCE_COLUMNS = """
    s.id, s.name, c.name AS "case", s.kind, s.type, s.date, s.sha256, s.chars, s.title,
    COALESCE((SELECT MAX(g.idx) + 1 FROM segments g WHERE g.source_id = s.id), 0) AS n"""


def source_by_name(conn: Connection, name: str) -> Row[Any] | None:
    """The source called exactly ``name`` (the unique index on sources.name)."""
    return conn.execute(text(f"SELECT {_SOURCE_COLUMNS} FROM sources s LEFT JOIN cases c ON c.id = s.case_id "
                             "WHERE s.name = :n"), {"n": name}).first()


def sources_by_basename(conn: Connection, basename: str) -> list[Row[Any]]:
    """Sources whose name ends in ``/basename``: the fallback when a user types only the file name.

    This scans the sources table (one row per file, not per segment) and runs only on a miss.
    """
    if not basename:
        return []
    rows = conn.execute(text(f"SELECT {_SOURCE_COLUMNS} FROM sources s LEFT JOIN cases c ON c.id = s.case_id "
                             "WHERE substr(s.name, -:n) = :b ORDER BY s.name"),
                        {"n": len(basename) + 1, "b": "/" + basename}).all()
    return list(rows)


def source_rows(conn: Connection, *, case: str | None = None, offset: int = 0,
                limit: int | None = None) -> list[Row[Any]]:
    """Sources ordered by case then name, optionally one case's and one page of them."""
    where = "WHERE c.name = :case" if case is not None else ""
    return list(conn.execute(text(
        f"SELECT {_SOURCE_COLUMNS} FROM sources s LEFT JOIN cases c ON c.id = s.case_id {where} "
        "ORDER BY c.name, s.name LIMIT :limit OFFSET :offset"),
        {"case": case, "limit": -1 if limit is None else limit, "offset": offset}).all())


def count_sources(conn: Connection) -> int:
    return int(conn.execute(text("SELECT count(*) FROM sources")).scalar_one())


# ---- segments ---------------------------------------------------------------------------------
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


# ---- codings ----------------------------------------------------------------------------------
def coding_rows(conn: Connection, *, coder: str | None = None, source_id: int | None = None,
                coding_id: int | None = None, ids: Sequence[int] | None = None, case: str | None = None,
                code: str | None = None, start: int | None = None, end: int | None = None,
                offset: int = 0, limit: int | None = None) -> list[Row[Any]]:
    """Codings with their source and case names, ordered by source, position and id; filtered (``start``
    and ``end``: only codings overlapping [start, end) of a source) and paged."""
    where: list[str] = []
    params: dict[str, Any] = {"limit": -1 if limit is None else limit, "offset": offset}
    if end is not None:
        where.append("k.start < :end")
        params["end"] = end
    if start is not None:
        where.append('k."end" > :start')
        params["start"] = start
    for column, key, value in (("k.coder", "coder", coder), ("k.source_id", "source_id", source_id),
                               ("k.id", "coding_id", coding_id), ("c.name", "case", case),
                               ("k.code_id", "code", code)):
        if value is not None:
            where.append(f"{column} = :{key}")
            params[key] = value
    if ids is not None:
        where.append("k.id IN (SELECT value FROM json_each(:ids))")
        params["ids"] = "[" + ",".join(str(int(i)) for i in ids) + "]"
    return list(conn.execute(text(
        'SELECT k.id, k.source_id, k.start, k."end", k.text, k.code_id, k.coder, k.origin, k.created_at, '
        "k.segment_id, s.name AS source_name, c.name AS case_name "
        "FROM codings k JOIN sources s ON s.id = k.source_id LEFT JOIN cases c ON c.id = s.case_id "
        f"{'WHERE ' + ' AND '.join(where) if where else ''} "
        'ORDER BY s.name, k.start, k."end", k.id LIMIT :limit OFFSET :offset'), params).all())


def coder_counts(conn: Connection, source_id: int) -> dict[str, int]:
    """How many codings each coder made in one source (through ix_codings_source)."""
    return {str(r[0]): int(r[1]) for r in conn.execute(text(
        "SELECT coder, count(*) FROM codings WHERE source_id = :s GROUP BY coder ORDER BY coder"), {"s": source_id})}


def source_names(conn: Connection) -> list[str]:
    """Every source name in the order of :func:`source_rows` (names only: one row per file)."""
    return [str(r[0]) for r in conn.execute(text(
        "SELECT s.name FROM sources s LEFT JOIN cases c ON c.id = s.case_id ORDER BY c.name, s.name"))]


def count_codings(conn: Connection) -> int:
    return int(conn.execute(text("SELECT count(*) FROM codings")).scalar_one())


def coding_progress(conn: Connection) -> list[Row[Any]]:
    """Per source: codings and distinct coded segments (a segment may carry many codings)."""
    return list(conn.execute(text(
        "SELECT source_id, count(*) AS codings, count(DISTINCT segment_id) AS coded_segments "
        "FROM codings GROUP BY source_id")).all())


def coders(conn: Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute(text("SELECT DISTINCT coder FROM codings ORDER BY coder"))]


# ---- claims -----------------------------------------------------------------------------------
def claim_rows(conn: Connection, ids: Sequence[int] | None = None) -> list[Row[Any]]:
    """Claims (all, or the given ids) with their case name, ordered by id."""
    where, params = "", {}
    if ids is not None:
        where = "WHERE k.id IN (SELECT value FROM json_each(:ids))"
        params["ids"] = "[" + ",".join(str(int(i)) for i in ids) + "]"
    return list(conn.execute(text(
        f"SELECT k.*, c.name AS case_name FROM claims k LEFT JOIN cases c ON c.id = k.case_id {where} "
        "ORDER BY k.id"), params).all())


def evidence_rows(conn: Connection, claim_ids: Sequence[int] | None = None) -> list[Row[Any]]:
    """Evidence of all claims, or of the given ones (through ix_claim_evidence_claim)."""
    where, params = "", {}
    if claim_ids is not None:
        where = "WHERE e.claim_id IN (SELECT value FROM json_each(:ids))"
        params["ids"] = "[" + ",".join(str(int(i)) for i in claim_ids) + "]"
    return list(conn.execute(text(f"""
        SELECT e.id, e.claim_id, e.source_id, s.name AS source_name, e.start, e."end", e.text, e.stance,
               s.type AS source_type, s.kind AS source_kind, p.pseudonym AS speaker,
               COALESCE(p.role, g.speaker_role) AS speaker_role, e.coded_strength, e.segment_id
        FROM claim_evidence e JOIN sources s ON s.id = e.source_id
        LEFT JOIN segments g ON g.id = e.segment_id LEFT JOIN participants p ON p.id = g.participant_id
        {where} ORDER BY e.claim_id, s.name, e.start"""), params).all())


def merged_parts(conn: Connection, claim_id: int) -> list[int]:
    return [int(r[0]) for r in conn.execute(text("SELECT id FROM claims WHERE merged_into = :i ORDER BY id"),
                                            {"i": claim_id})]


def active_claim_spans(conn: Connection) -> dict[int, set[tuple[int, int, int]]]:
    """Display number -> evidence spans of every numbered active claim (what a rebuild renumbers from)."""
    out: dict[int, set[tuple[int, int, int]]] = {}
    for number, source_id, start, end in conn.execute(text(
            "SELECT k.number, e.source_id, e.start, e.\"end\" FROM claims k JOIN claim_evidence e ON e.claim_id = k.id "
            "WHERE k.merged_into IS NULL AND k.number IS NOT NULL")):
        out.setdefault(int(number), set()).add((int(source_id), int(start), int(end)))
    return out


def used_claim_numbers(conn: Connection) -> set[int]:
    return {int(r[0]) for r in conn.execute(text("SELECT number FROM claims WHERE number IS NOT NULL"))}


def number_claims(conn: Connection, claim_ids: Sequence[int], wanted: dict[int, int] | None = None) -> None:
    """Give each claim a display number: the one in ``wanted`` when it is free, else the lowest free
    number, in the order given. Numbers held by any claim (merged parts too) are never reused, so a
    part that comes back on a split keeps its own."""
    used = used_claim_numbers(conn)
    wanted = wanted or {}
    rest = []
    for cid in claim_ids:
        n = wanted.get(cid)
        if n is not None and n not in used:
            used.add(n)
            conn.execute(text("UPDATE claims SET number = :n WHERE id = :i"), {"n": n, "i": cid})
        else:
            rest.append(cid)
    n = 0
    for cid in rest:
        n += 1
        while n in used:
            n += 1
        used.add(n)
        conn.execute(text("UPDATE claims SET number = :n WHERE id = :i"), {"n": n, "i": cid})


def count_active_claims(conn: Connection, exclude: Sequence[int] = ()) -> int:
    ids = "[" + ",".join(str(int(i)) for i in exclude) + "]"
    return int(conn.execute(text("SELECT COUNT(*) FROM claims WHERE merged_into IS NULL AND id NOT IN "
                                 "(SELECT value FROM json_each(:ids))"), {"ids": ids}).scalar_one())


def claim_id_by_number(conn: Connection, number: int) -> int | None:
    """The active claim with this display number (a merged part's number belongs to its merge)."""
    row = conn.execute(text("SELECT id FROM claims WHERE number = :n AND merged_into IS NULL"), {"n": number}).first()
    return int(row[0]) if row else None


def delete_unkept_claims(conn: Connection) -> None:
    """Remove every proposed claim nobody edited, set-based: the parts first (merged_into), then the
    rest; the evidence goes with them (ON DELETE CASCADE through ix_claim_evidence_claim)."""
    # A claim a person edited or made (a manual merge) is kept, and so are the parts folded into it,
    # so that the merge can still be undone after a rebuild.
    kept = "SELECT id FROM claims WHERE origin = 'manual' OR edited_by IS NOT NULL"
    unkept = f"origin != 'manual' AND edited_by IS NULL AND (merged_into IS NULL OR merged_into NOT IN ({kept}))"
    conn.execute(text(f"UPDATE claims SET merged_into = NULL WHERE merged_into IN (SELECT id FROM claims WHERE {unkept})"))
    conn.execute(text(f"DELETE FROM claim_evidence WHERE claim_id IN (SELECT id FROM claims WHERE {unkept})"))
    conn.execute(text(f"DELETE FROM claims WHERE {unkept}"))


__all__ = ["claim_rows", "coders", "coding_progress", "coding_rows", "count_codings", "count_sources",
           "coder_counts", "delete_unkept_claims", "active_claim_spans", "used_claim_numbers", "number_claims",
           "claim_id_by_number", "count_active_claims", "source_names", "evidence_rows", "merged_parts", "segment_by_id", "segment_rows",
           "source_by_name", "source_rows", "sources_by_basename"]


def speaker_roles(conn: Connection) -> dict[int, dict[str, str]]:
    """Per source id, each speaker label and its role (the participant's, else the one read from the turn)."""
    seg, par = tables.segments, tables.participants
    q = (select(seg.c.source_id, seg.c.speaker, func.coalesce(par.c.role, seg.c.speaker_role))
         .select_from(seg.outerjoin(par, seg.c.participant_id == par.c.id))
         .where(seg.c.speaker.is_not(None)).distinct())
    out: dict[int, dict[str, str]] = {}
    for sid, speaker, role in conn.execute(q):
        if role:
            out.setdefault(int(sid), {}).setdefault(str(speaker), str(role))
    return out


def source_metadata(conn: Connection) -> dict[int, str]:
    """Per source id, the JSON metadata kept from its import (e.g. the GUID a REFI-QDA file gave it)."""
    return {int(r[0]): r[1] or "{}" for r in conn.execute(select(tables.sources.c.id, tables.sources.c.metadata))}
