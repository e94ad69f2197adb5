"""Full-text search: rank a bounded candidate set, then fetch only the hits shown.

Plain functions over a connection, so that each query's cost is visible in one place; the
indexes they rely on are registered in :mod:`voicetrace.storage.migrations`.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, text

from .cases import SPEAKER_JOIN, SPEAKER_ROLE

# Ranking costs about 7 µs per matching passage (bm25 over every match before the first row comes
# back): 5.7 s for a word in 829,000 of 10^6 passages. So only the first SEARCH_CANDIDATES matches (in
# import order) are ranked; a query with fewer matches -- every selective query -- is ranked in full
# and returns exactly what ranking everything would. docs/benchmarks.md gives the numbers.
SEARCH_CANDIDATES = 5000

# FTS5 keeps each write to the index (an import writes one per file) as a b-tree segment of its own
# until its automatic merging folds them together, and every query reads every segment: after an
# import of 10^6 passages in 670 files, fetching the 50 hits shown took 2.2 ms, and 0.7 ms once the
# segments were merged into one ('optimize': 2 s at 10^6). Merging rewrites the whole index, so an
# import asks for it only when it added at least this share of the passages indexed.
OPTIMIZE_SHARE = 0.1


def indexed_passages(conn: Connection) -> int:
    return int(conn.execute(text("SELECT count(*) FROM segments")).scalar_one())


def needs_merging(added: int, indexed: int, share: float = OPTIMIZE_SHARE) -> bool:
    """Whether an import that added ``added`` of the ``indexed`` passages should merge the index."""
    return added > 0 and added >= share * indexed


def merge_index(conn: Connection) -> None:
    """Merge the index's segments into one: the same matches and ranks, fewer pages read per query."""
    conn.execute(text("INSERT INTO segments_fts(segments_fts) VALUES ('optimize')"))


_FILTER_SQL = {"case": "c.name = :case", "kind": "s.kind = :kind", "role": f"{SPEAKER_ROLE} = :role"}


def search_ranked_ids(conn: Connection, fts: str, limit: int, *, candidates: int = SEARCH_CANDIDATES,
                      **filters: str) -> list[int]:
    """Segment ids of the best ``limit`` matches (bm25, then id) among the first ``candidates`` matches
    that pass the filters (case name, source kind, speaker role). Raises OperationalError on bad syntax."""
    where = ["segments_fts MATCH :q"] + [_FILTER_SQL[k] for k in filters]
    joins = ""
    if filters:
        joins = ("JOIN segments g ON g.id = segments_fts.rowid JOIN sources s ON s.id = g.source_id "
                 f"LEFT JOIN cases c ON c.id = s.case_id {SPEAKER_JOIN}")
    sql = f"""
        SELECT id FROM (SELECT segments_fts.rowid AS id, bm25(segments_fts) AS r FROM segments_fts {joins}
                        WHERE {' AND '.join(where)} LIMIT :cap)
        ORDER BY r, id LIMIT :limit"""
    return [int(r[0]) for r in conn.execute(text(sql), {"q": fts, "cap": candidates, "limit": limit, **filters})]


def search_hit_rows(conn: Connection, fts: str, segment_ids: Sequence[int]) -> list[Row[Any]]:
    """The shown hits only: passage, source, case, speaker, and the match marked by highlight()."""
    if not segment_ids:
        return []
    return list(conn.execute(text(f"""
        SELECT g.id AS segment_id, g.start AS gstart, g.text AS gtext, s.name AS source, c.name AS case_name,
               s.kind AS kind, g.speaker AS speaker, {SPEAKER_ROLE} AS role,
               highlight(segments_fts, 0, char(2), char(3)) AS marked,
               snippet(segments_fts, 0, '[', ']', '…', 16) AS snip
        FROM segments_fts
        JOIN segments g ON g.id = segments_fts.rowid
        JOIN sources s ON s.id = g.source_id
        LEFT JOIN cases c ON c.id = s.case_id
        {SPEAKER_JOIN}
        WHERE segments_fts MATCH :q AND segments_fts.rowid IN (SELECT value FROM json_each(:ids))"""),
        {"q": fts, "ids": json.dumps([int(i) for i in segment_ids])}).all())
