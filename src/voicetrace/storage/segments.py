"""Segments: one by id, a source's segments in a span or page (the covering index on source, idx), the
analysis frame, and the writes that keep the full-text index in step.

Plain functions over a connection, so that each query's cost is visible in one place; the
indexes they rely on are registered in :mod:`voicetrace.storage.migrations`.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Row, insert, select, text

from . import tables
from .cases import SPEAKER_JOIN, SPEAKER_ROLE
from .frames import read_frame

_SEGMENT_COLUMNS = f"""
    g.id, g.source_id, s.name AS source, g.idx, g.start, g."end", g.text, g.speaker, g.participant_id,
    {SPEAKER_ROLE} AS role"""


_SEGMENT_FROM = f"""
    FROM segments g JOIN sources s ON s.id = g.source_id {SPEAKER_JOIN}"""


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


# A span's text (code points, via SQLite's character-based substr) and the segment it overlaps most,
# as SQL over three placeholders, so that one span (a click) and ten thousand (a claims build, by
# executemany) are looked up by the same expression.
SPAN_TEXT_SQL = "(SELECT substr(text, {b} + 1, {e} - {b}) FROM sources WHERE id = {s})"
SPAN_SEGMENT_SQL = ('(SELECT id FROM segments WHERE source_id = {s} AND start < {e} AND "end" > {b} '
                    'ORDER BY (MIN("end", {e}) - MAX(start, {b})) DESC, start LIMIT 1)')


def span_text_and_segment(conn: Connection, source_id: int, start: int, end: int) -> tuple[str, int | None]:
    """The text of a span and the segment it overlaps most — what every stored span (coding, claim
    evidence) carries."""
    snippet, seg = _span_by_sql(conn, source_id, start, end)
    if snippet is None:
        raise LookupError(f"no source {source_id}")
    return snippet, seg


SPAN_BATCH_SOURCES = 500
"""Sources whose texts :func:`spans_text` reads per query."""


def _chunks(values: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def spans_text(conn: Connection, spans: Sequence[tuple[int, int, int]]) -> list[str | None]:
    """Per (source, start, end): the span's text as ``SPAN_TEXT_SQL`` reads it (None for an unknown source),
    for many spans at once.

    Why: a claims build stores 10^5 evidence items, and the subquery re-reads the whole source text for
    each. Here each source's text is read once and sliced in Python, which gives the same characters
    (SQLite's substr counts characters, as Python slices do); a span SQL would read differently (a
    reversed or negative one) is asked of SQLite itself."""
    out: list[str | None] = [None] * len(spans)
    by_source: dict[int, list[int]] = {}
    for i, (src, _, _) in enumerate(spans):
        by_source.setdefault(int(src), []).append(i)
    raw = conn.connection.driver_connection  # the same transaction; plain tuples, not Row objects
    assert raw is not None
    for batch in _chunks(sorted(by_source), SPAN_BATCH_SOURCES):
        marks = ", ".join(str(int(x)) for x in batch)
        texts = dict(raw.execute(f"SELECT id, text FROM sources WHERE id IN ({marks})").fetchall())
        for src in batch:
            full = texts.get(src)
            for i in by_source[src]:
                _, b, e = spans[i]
                out[i] = full[b:e] if isinstance(full, str) and 0 <= b <= e else _span_by_sql(conn, src, b, e)[0]
    return out


def _span_by_sql(conn: Connection, source_id: int, start: int, end: int) -> tuple[str | None, int | None]:
    where = {"s": ":s", "b": ":b", "e": ":e"}
    row = conn.execute(text(f"SELECT {SPAN_TEXT_SQL.format(**where)}, {SPAN_SEGMENT_SQL.format(**where)}"),
                       {"s": source_id, "b": start, "e": end}).one()
    return (None if row[0] is None else str(row[0])), row[1]


def all_segment_rows(conn: Connection) -> list[Row[Any]]:
    """Every segment, by source id then position."""
    g = tables.segments
    return list(conn.execute(select(g).order_by(g.c.source_id, g.c.idx)).all())


def insert_segments(conn: Connection, source_id: int, rows: Sequence[dict[str, Any]]) -> None:
    """A new source's segments, added to the full-text index with them."""
    if not rows:
        return
    conn.execute(insert(tables.segments), list(rows))
    conn.execute(text("INSERT INTO segments_fts(rowid, text) SELECT id, text FROM segments WHERE source_id=:s"),
                 {"s": source_id})


def index_segment(conn: Connection, segment_id: int, segment_text: str) -> None:
    """Put one restored segment back into the full-text index."""
    conn.execute(text("INSERT INTO segments_fts(rowid, text) VALUES (:i, :t)"), {"i": segment_id, "t": segment_text})


def unindex_segments(conn: Connection, source_id: int) -> None:
    """Remove a source's segments from the full-text index before the segments go (external content)."""
    conn.execute(text("INSERT INTO segments_fts(segments_fts, rowid, text) "
                      "SELECT 'delete', id, text FROM segments WHERE source_id=:s"), {"s": source_id})


def segments_frame(conn: Connection, *, coded_only: bool = False, first_per_source: bool = False,
                   offset: int = 0, limit: int | None = None) -> pd.DataFrame:
    """Segments with source, case and speaker columns; every one, the coded ones, or each source's first;
    ``limit`` of them from ``offset`` in source-name and position order."""
    # CROSS JOIN keeps sources the outer loop, walked in name order (its unique index) with each source's
    # segments by ix_segments_source_idx: the ORDER BY needs no sort, so a page costs its offset, not N log N.
    joined, where = "sources s CROSS JOIN segments g", "WHERE g.source_id = s.id"
    if coded_only:  # the few coded segments by id, then sorted (a plain join lets SQLite start from them)
        joined = "segments g JOIN sources s ON s.id = g.source_id"
        where = "WHERE g.id IN (SELECT segment_id FROM codings WHERE segment_id IS NOT NULL)"
    elif first_per_source:  # one index probe per source
        where += " AND g.idx = (SELECT MIN(m.idx) FROM segments m WHERE m.source_id = s.id)"
    sql = f"""
        SELECT g.id AS segment_id, g.source_id, s.name AS source, s.case_id, c.name AS "case",
               s.type AS source_type, s.kind AS source_kind, s.date AS source_date, g.idx AS "index",
               g.start, g."end", g.text, g.speaker, g.participant_id, p.pseudonym, {SPEAKER_ROLE} AS role
        FROM {joined}
        LEFT JOIN cases c ON c.id = s.case_id {SPEAKER_JOIN}
        {where} ORDER BY s.name, g.idx LIMIT :limit OFFSET :offset"""
    return read_frame(conn, text(sql), {"limit": -1 if limit is None else limit, "offset": offset})


def paragraph_openings(conn: Connection, kinds: Sequence[str], chars: int = 100) -> list[tuple[int, int, str]]:
    """(source, start, first ``chars`` characters) of every segment of the coded sources of these kinds.

    What merging needs to tell one item of a set of minutes from another (its headings and labels);
    only sources someone coded are read."""
    if not kinds:
        return []
    marks = ", ".join(f":k{i}" for i in range(len(kinds)))
    sql = f"""
        SELECT g.source_id, g.start, substr(g.text, 1, :chars) FROM sources s JOIN segments g ON g.source_id = s.id
        WHERE s.kind IN ({marks}) AND EXISTS (SELECT 1 FROM codings k WHERE k.source_id = s.id)
        ORDER BY g.source_id, g.start"""
    params: dict[str, Any] = {f"k{i}": k for i, k in enumerate(kinds)} | {"chars": chars}
    return [(int(r[0]), int(r[1]), str(r[2])) for r in conn.execute(text(sql), params)]


def transcript_turns(conn: Connection, chars: int = 300) -> list[tuple[int, int, int, bool, str]]:
    """(source, start, end, whether the interviewer spoke, first ``chars`` characters) of every segment of
    the coded transcripts, in order: what merging reads to find the answer a follow-up question asks
    after (``analysis.claims.turns``). Only transcripts someone coded are read."""
    sql = f"""
        SELECT g.source_id, g.start, g."end", {SPEAKER_ROLE} = 'interviewer', substr(g.text, 1, :chars)
        FROM sources s JOIN segments g ON g.source_id = s.id {SPEAKER_JOIN}
        WHERE s.type = 'transcript' AND EXISTS (SELECT 1 FROM codings k WHERE k.source_id = s.id)
        ORDER BY g.source_id, g.start"""
    return [(int(r[0]), int(r[1]), int(r[2]), bool(r[3]), str(r[4]))
            for r in conn.execute(text(sql), {"chars": chars})]
