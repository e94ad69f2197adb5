"""Indexed read queries: one item by id or name, lists with filters and a page, aggregates in SQL.

Each is a plain function over a connection so that its cost is visible in one place: a lookup is a
B-tree probe (O(log N) in project size), a list reads only the page asked for, and counts per source
or per matrix cell are computed by SQLite instead of by loading rows into Python. The indexes they
rely on are registered in :mod:`voicetrace.storage.migrations`.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, func, select, text

from . import tables


def _hinted(conn: Connection, sql: str) -> Any:
    for key, clause in _hints(conn).items():
        sql = sql.replace("{" + key + "}", clause)
    return text(sql)


def _hints(conn: Connection) -> dict[str, str]:
    """``INDEXED BY`` clauses for the covering indexes (migration 8), where the project has them.

    Without statistics SQLite's planner picks the first index on ``source_id`` (ordered by start, not
    idx) and the table itself for listings, which reads every source's text; the hints keep the
    listing and the counts on the covering indexes. A project is always migrated when it opens, so
    the indexes are there except while a test runs today's code on an older schema.
    """
    have = {str(r[0]) for r in conn.execute(text(
        "SELECT name FROM sqlite_master WHERE type='index' AND name IN "
        "('ix_segments_source_idx', 'ix_sources_listing', 'ix_codings_source_segment')"))}
    return {key: f"INDEXED BY {name}" if name in have else ""
            for key, name in (("hint_seg", "ix_segments_source_idx"), ("hint_src", "ix_sources_listing"),
                              ("hint_cod", "ix_codings_source_segment"))}


# A segment's ``idx`` runs 0..n-1 within its source (written once at import, never renumbered), so
# the last idx + 1 is the source's segment count: one probe of ix_segments_source_idx instead of a
# count over every segment.
_SOURCE_COLUMNS = """
    s.id, s.name, c.name AS "case", s.kind, s.type, s.date, s.sha256, s.chars, s.title,
    COALESCE((SELECT g.idx + 1 FROM segments g {hint_seg} WHERE g.source_id = s.id
              ORDER BY g.idx DESC LIMIT 1), 0) AS n"""


def source_by_name(conn: Connection, name: str) -> Row[Any] | None:
    """The source called exactly ``name`` (the unique index on sources.name)."""
    return conn.execute(_hinted(conn, f"SELECT {_SOURCE_COLUMNS} FROM sources s LEFT JOIN cases c ON c.id = s.case_id "
                             "WHERE s.name = :n"), {"n": name}).first()


def sources_by_basename(conn: Connection, basename: str) -> list[Row[Any]]:
    """Sources whose name ends in ``/basename``: the fallback when a user types only the file name.

    This scans the sources table (one row per file, not per segment) and runs only on a miss.
    """
    if not basename:
        return []
    rows = conn.execute(_hinted(conn, f"SELECT {_SOURCE_COLUMNS} FROM sources s LEFT JOIN cases c ON c.id = s.case_id "
                             "WHERE substr(s.name, -:n) = :b ORDER BY s.name"),
                        {"n": len(basename) + 1, "b": "/" + basename}).all()
    return list(rows)


def source_rows(conn: Connection, *, case: str | None = None, no_case: bool = False, offset: int = 0,
                limit: int | None = None) -> list[Row[Any]]:
    """Sources ordered by case then name, optionally one case's (or those without one) and one page."""
    where = "WHERE s.case_id IS NULL" if no_case else "WHERE c.name = :case" if case is not None else ""
    return list(conn.execute(_hinted(conn,
        f"SELECT {_SOURCE_COLUMNS} FROM sources s {{hint_src}} LEFT JOIN cases c ON c.id = s.case_id "
        f"{where} ORDER BY c.name, s.name LIMIT :limit OFFSET :offset"),
        {"case": case, "limit": -1 if limit is None else limit, "offset": offset}).all())


def source_names_by_id(conn: Connection, ids: Sequence[int]) -> dict[int, str]:
    return {int(r[0]): str(r[1]) for r in conn.execute(text(
        "SELECT id, name FROM sources WHERE id IN (SELECT value FROM json_each(:ids))"),
        {"ids": json.dumps([int(i) for i in ids])})}


def source_kinds(conn: Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute(text("SELECT DISTINCT kind FROM sources WHERE kind != '' ORDER BY kind"))]


def participant_roles(conn: Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute(text("SELECT DISTINCT role FROM participants ORDER BY role"))]


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
    return [str(r[0]) for r in conn.execute(_hinted(conn,
        "SELECT s.name FROM sources s {hint_src} LEFT JOIN cases c ON c.id = s.case_id "
        "ORDER BY c.name, s.name"))]


def participants_per_case(conn: Connection) -> dict[int | None, int]:
    return {r[0]: int(r[1]) for r in conn.execute(text(
        "SELECT case_id, count(*) FROM participants GROUP BY case_id"))}


def count_codings(conn: Connection) -> int:
    return int(conn.execute(text("SELECT count(*) FROM codings")).scalar_one())


_PROGRESS = ("SELECT source_id, count(*) AS codings, count(DISTINCT segment_id) AS coded_segments "
             "FROM codings {hint_cod} {where} GROUP BY source_id")


def coding_progress(conn: Connection, source_ids: Sequence[int] | None = None) -> list[Row[Any]]:
    """Per source (every one, or the given ones): codings and distinct coded segments (a segment may
    carry many codings), from the covering index on codings(source_id, segment_id)."""
    if source_ids is None:
        return list(conn.execute(_hinted(conn, _PROGRESS.replace("{where}", ""))).all())
    return list(conn.execute(_hinted(conn, _PROGRESS.replace(
        "{where}", "WHERE source_id IN (SELECT value FROM json_each(:ids))")),
                             {"ids": json.dumps([int(i) for i in source_ids])}).all())


def case_progress(conn: Connection) -> list[Row[Any]]:
    """Per case id (None: sources without a case): sources, segments, codings and coded segments,
    summed by SQLite over the sources (index probes only, no segment or text is read)."""
    return list(conn.execute(_hinted(conn, f"""
        SELECT s.case_id, count(*) AS sources, COALESCE(sum(s.n), 0) AS segments,
               COALESCE(sum(k.codings), 0) AS codings, COALESCE(sum(k.coded_segments), 0) AS coded_segments
        FROM (SELECT s.id, s.case_id,
                     COALESCE((SELECT g.idx + 1 FROM segments g {{hint_seg}}
                               WHERE g.source_id = s.id ORDER BY g.idx DESC LIMIT 1), 0) AS n
              FROM sources s {{hint_src}}) s
        LEFT JOIN ({_PROGRESS.replace("{where}", "")}) k ON k.source_id = s.id
        GROUP BY s.case_id""")).all())


def coders(conn: Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute(text("SELECT DISTINCT coder FROM codings ORDER BY coder"))]


# ---- search -----------------------------------------------------------------------------------
# Ranking costs about 7 µs per matching passage (bm25 over every match before the first row comes
# back): 5.7 s for a word in 829,000 of 10^6 passages. So only the first SEARCH_CANDIDATES matches (in
# import order) are ranked; a query with fewer matches -- every selective query -- is ranked in full
# and returns exactly what ranking everything would. docs/benchmarks.md gives the numbers.
SEARCH_CANDIDATES = 5000

_FILTER_SQL = {"case": "c.name = :case", "kind": "s.kind = :kind", "role": "COALESCE(p.role, g.speaker_role) = :role"}


def search_ranked_ids(conn: Connection, fts: str, limit: int, *, candidates: int = SEARCH_CANDIDATES,
                      **filters: str) -> list[int]:
    """Segment ids of the best ``limit`` matches (bm25, then id) among the first ``candidates`` matches
    that pass the filters (case name, source kind, speaker role). Raises OperationalError on bad syntax."""
    where = ["segments_fts MATCH :q"] + [_FILTER_SQL[k] for k in filters]
    joins = ""
    if filters:
        joins = ("JOIN segments g ON g.id = segments_fts.rowid JOIN sources s ON s.id = g.source_id "
                 "LEFT JOIN cases c ON c.id = s.case_id LEFT JOIN participants p ON p.id = g.participant_id")
    sql = f"""
        SELECT id FROM (SELECT segments_fts.rowid AS id, bm25(segments_fts) AS r FROM segments_fts {joins}
                        WHERE {' AND '.join(where)} LIMIT :cap)
        ORDER BY r, id LIMIT :limit"""
    return [int(r[0]) for r in conn.execute(text(sql), {"q": fts, "cap": candidates, "limit": limit, **filters})]


def search_hit_rows(conn: Connection, fts: str, segment_ids: Sequence[int]) -> list[Row[Any]]:
    """The shown hits only: passage, source, case, speaker, and the match marked by highlight()."""
    if not segment_ids:
        return []
    return list(conn.execute(text("""
        SELECT g.id AS segment_id, g.start AS gstart, g.text AS gtext, s.name AS source, c.name AS case_name,
               s.kind AS kind, g.speaker AS speaker, COALESCE(p.role, g.speaker_role) AS role,
               highlight(segments_fts, 0, char(2), char(3)) AS marked,
               snippet(segments_fts, 0, '[', ']', '…', 16) AS snip
        FROM segments_fts
        JOIN segments g ON g.id = segments_fts.rowid
        JOIN sources s ON s.id = g.source_id
        LEFT JOIN cases c ON c.id = s.case_id
        LEFT JOIN participants p ON p.id = g.participant_id
        WHERE segments_fts MATCH :q AND segments_fts.rowid IN (SELECT value FROM json_each(:ids))"""),
        {"q": fts, "ids": json.dumps([int(i) for i in segment_ids])}).all())


# ---- the framework matrix ------------------------------------------------------------------
def matrix_counts(conn: Connection, codes: Sequence[str]) -> list[Row[Any]]:
    """Per case × code (for the given codes): codings, sources, registered participants and the
    speakers' roles (interviewers left out), as the matrix page shows them, grouped by SQLite."""
    return list(conn.execute(text("""
        SELECT s.case_id, c.name AS "case", k.code_id AS code, count(*) AS n, count(DISTINCT k.source_id) AS n_sources,
               count(DISTINCT g.participant_id) AS n_participants,
               group_concat(DISTINCT CASE WHEN COALESCE(p.role, g.speaker_role) != 'interviewer'
                                          THEN COALESCE(p.role, g.speaker_role) END) AS roles
        FROM codings k JOIN sources s ON s.id = k.source_id LEFT JOIN cases c ON c.id = s.case_id
        LEFT JOIN segments g ON g.id = k.segment_id LEFT JOIN participants p ON p.id = g.participant_id
        WHERE k.code_id IN (SELECT value FROM json_each(:codes))
        GROUP BY s.case_id, k.code_id"""), {"codes": json.dumps(list(codes))}).all())


def source_cases(conn: Connection) -> list[Row[Any]]:
    """The cases that hold sources (and None when some source has no case): the matrix's rows."""
    return list(conn.execute(text(
        'SELECT DISTINCT s.case_id, c.name AS "case" FROM sources s LEFT JOIN cases c ON c.id = s.case_id')).all())


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


__all__ = [
    "SEARCH_CANDIDATES",
    "active_claim_spans",
    "case_progress",
    "claim_id_by_number",
    "claim_rows",
    "coder_counts",
    "coders",
    "coding_progress",
    "coding_rows",
    "count_active_claims",
    "count_codings",
    "count_sources",
    "delete_unkept_claims",
    "evidence_rows",
    "matrix_counts",
    "merged_parts",
    "number_claims",
    "participant_roles",
    "participants_per_case",
    "search_hit_rows",
    "search_ranked_ids",
    "segment_by_id",
    "segment_rows",
    "source_by_name",
    "source_cases",
    "source_kinds",
    "source_metadata",
    "source_names",
    "source_names_by_id",
    "source_rows",
    "sources_by_basename",
    "speaker_roles",
    "used_claim_numbers",
]
