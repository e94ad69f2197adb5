"""Codings: one by id, listings with filters and a page, the analysis frame, counts and progress per
source, the matrix counts, and the writes.

Plain functions over a connection, so that each query's cost is visible in one place; the
indexes they rely on are registered in :mod:`voicetrace.storage.migrations`.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Row, delete, insert, select, text

from . import tables
from .cases import SPEAKER_JOIN, SPEAKER_ROLE
from .database import pk
from .frames import read_frame
from .hints import hinted

_CODING_FROM = """codings k JOIN sources s ON s.id = k.source_id LEFT JOIN cases c ON c.id = s.case_id"""
_CODING_SPEAKER_FROM = f"""{_CODING_FROM}
    LEFT JOIN segments g ON g.id = k.segment_id {SPEAKER_JOIN}"""
"""A coding with its source and case, and its segment's speaker (``g``) and participant (``p``)."""


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
        f"FROM {_CODING_FROM} {'WHERE ' + ' AND '.join(where) if where else ''} "
        'ORDER BY s.name, k.start, k."end", k.id LIMIT :limit OFFSET :offset'), params).all())


def coder_counts(conn: Connection, source_id: int) -> dict[str, int]:
    """How many codings each coder made in one source (through ix_codings_source)."""
    return {str(r[0]): int(r[1]) for r in conn.execute(text(
        "SELECT coder, count(*) FROM codings WHERE source_id = :s GROUP BY coder ORDER BY coder"), {"s": source_id})}


def count_codings(conn: Connection) -> int:
    return int(conn.execute(text("SELECT count(*) FROM codings")).scalar_one())


_PROGRESS = "SELECT source_id, codings, coded_segments FROM source_tally {where}"


def coding_progress(conn: Connection, source_ids: Sequence[int] | None = None) -> list[Row[Any]]:
    """Per source (every one, or the given ones) with codings: codings and distinct coded segments (a
    segment may carry many codings), as the triggers of migration 12 keep them."""
    if source_ids is None:
        return list(conn.execute(text(_PROGRESS.replace("{where}", ""))).all())
    return list(conn.execute(text(_PROGRESS.replace("{where}", "WHERE source_id IN (SELECT value FROM json_each(:ids))")),
                             {"ids": json.dumps([int(i) for i in source_ids])}).all())


def case_progress(conn: Connection) -> list[Row[Any]]:
    """Per case id (None: sources without a case): sources, segments, codings and coded segments,
    summed by SQLite over the sources (index probes only, no segment or text is read)."""
    return list(conn.execute(hinted(conn, f"""
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


def _cases_where(case_ids: Sequence[int | None] | None) -> tuple[str, dict[str, Any]]:
    """A condition on ``s.case_id`` keeping only these cases (None: sources without a case)."""
    if case_ids is None:
        return "", {}
    ids = [int(i) for i in case_ids if i is not None]
    return (" AND (s.case_id IN (SELECT value FROM json_each(:cases)) OR (:loose AND s.case_id IS NULL))",
            {"cases": json.dumps(ids), "loose": int(None in case_ids)})


def matrix_counts(conn: Connection, codes: Sequence[str], case_ids: Sequence[int | None] | None = None) -> list[Row[Any]]:
    """Per case × code (for the given codes, and the given cases only if any): codings, sources,
    registered participants and the speakers' roles (interviewers left out), as the matrix page shows
    them, grouped by SQLite."""
    cases, params = _cases_where(case_ids)
    # For a page of cases, CROSS JOIN makes the page's sources the outer loop (ix_sources_case), each
    # with its codings of these codes (ix_codings_source_code): the cost is the page's codings, not
    # every coding of the dimension filtered by case afterwards.
    source_first = ("sources s CROSS JOIN codings k ON k.source_id = s.id LEFT JOIN cases c ON c.id = s.case_id "
                    f"LEFT JOIN segments g ON g.id = k.segment_id {SPEAKER_JOIN}")
    return list(conn.execute(text(f"""
        SELECT s.case_id, c.name AS "case", k.code_id AS code, count(*) AS n, count(DISTINCT k.source_id) AS n_sources,
               count(DISTINCT g.participant_id) AS n_participants,
               group_concat(DISTINCT CASE WHEN {SPEAKER_ROLE} != 'interviewer' THEN {SPEAKER_ROLE} END) AS roles
        FROM {source_first if case_ids is not None else _CODING_SPEAKER_FROM}
        WHERE k.code_id IN (SELECT value FROM json_each(:codes)){cases}
        GROUP BY s.case_id, k.code_id"""), {"codes": json.dumps(list(codes)), **params}).all())


def matrix_top(conn: Connection, codes: Sequence[str]) -> int:
    """The largest number of codings in one case × code cell of the whole matrix (its heat scale),
    as the triggers of migration 12 keep the count of each cell."""
    return int(conn.execute(text("""
        SELECT COALESCE(max(n), 0) FROM coding_cells WHERE code_id IN (SELECT value FROM json_each(:codes))"""),
        {"codes": json.dumps(list(codes))}).scalar_one())


def codings_marker(conn: Connection) -> tuple[int, int, int]:
    """What changes whenever a count of codings per case could: the last audit event (every change a
    service makes writes one, a source moved to another case too), the last coding id and the number of
    codings (for writes that bypass the services). Three index probes."""
    row = conn.execute(text("SELECT (SELECT COALESCE(max(id), 0) FROM events), (SELECT COALESCE(max(id), 0) "
                            "FROM codings), (SELECT count(*) FROM codings)")).one()
    return int(row[0]), int(row[1]), int(row[2])


def codings_frame(conn: Connection, *, coder: str | None = None, code: str | None = None) -> pd.DataFrame:
    """Codings with source, case and speaker columns (one coder's, one code's), for analyses."""
    where = [w for w, v in (("k.coder = :coder", coder), ("k.code_id = :code", code)) if v]
    return read_frame(conn, text(f"""
        SELECT k.id AS coding_id, k.source_id, s.name AS source, s.case_id, c.name AS "case",
               s.type AS source_type, s.kind AS source_kind, s.date AS source_date,
               k.start, k."end", k.text, k.code_id AS code, k.coder, k.origin, k.created_at,
               k.segment_id, g.speaker, g.participant_id, p.pseudonym, {SPEAKER_ROLE} AS role
        FROM {_CODING_SPEAKER_FROM}
        {"WHERE " + " AND ".join(where) if where else ""} ORDER BY s.name, k.start, k.id"""),
        {"coder": coder, "code": code})


def coding_row(conn: Connection, coding_id: int) -> Row[Any] | None:
    """The stored coding itself (all its columns, as the trash keeps it)."""
    return conn.execute(select(tables.codings).where(tables.codings.c.id == coding_id)).first()


def same_coding(conn: Connection, source_id: int, start: int, end: int, code: str, coder: str) -> int | None:
    """The id of a coding of exactly that span with that code by that coder, if there is one."""
    k = tables.codings
    cid = conn.execute(select(k.c.id).where(k.c.source_id == source_id, k.c.start == start, k.c.end == end,
                                            k.c.code_id == code, k.c.coder == coder)).scalar()
    return None if cid is None else int(cid)


def insert_coding(conn: Connection, **values: Any) -> int:
    """``values``: every column of codings but the id."""
    return int(pk(conn.execute(insert(tables.codings).values(**values))))


def delete_coding(conn: Connection, coding_id: int) -> None:
    conn.execute(delete(tables.codings).where(tables.codings.c.id == coding_id))
