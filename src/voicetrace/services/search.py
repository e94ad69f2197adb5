"""Full-text search over segments: the filters checked like every other argument, then SQLite's FTS5.

Ranking and fetching the hits shown are storage/search.py; here the query is checked, retried with
its words quoted when FTS5 refuses its syntax, and each hit gets the exact offsets of its first match.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.exc import OperationalError

from ..core.cases import parse_role
from ..core.choices import in_range
from ..core.errors import InputError
from ..core.sources import check_kind
from ..storage.search import search_hit_rows, search_ranked_ids
from .cases import Cases
from .context import Context
from .records import SearchHit


class Search:
    """A ``--case`` filter is checked by the cases service (one line with a "did you mean" on a miss)."""

    def __init__(self, ctx: Context, cases: Cases) -> None:
        self.ctx = ctx
        self._cases = cases

    def search(self, query: str, *, case: str | None = None, kind: str | None = None, role: str | None = None,
               limit: int = 200) -> list[SearchHit]:
        """Full-text search over segments (FTS5), best matches first, with exact match offsets."""
        if not query.strip():
            raise InputError("query", "empty search")
        in_range(limit, "--limit", low=1, high=100_000)
        filters: dict[str, str] = {}
        if case is not None:
            filters["case"] = self._cases.case_name(case, "--case")
        if kind is not None:
            filters["kind"] = check_kind(kind, "--kind")
        if role is not None:
            try:
                filters["role"] = parse_role(role).value
            except ValueError as e:
                raise InputError("--role", str(e)) from None
        for fts in (query, _quoted_terms(query)):
            try:
                return self._hits(fts, {k: v for k, v in filters.items() if v}, limit)
            except OperationalError:
                continue
        raise InputError("query", f"cannot search for {query!r}")

    def _hits(self, fts: str, filters: dict[str, Any], limit: int) -> list[SearchHit]:
        with self.ctx.db.read() as conn:
            ids = search_ranked_ids(conn, fts, limit, **filters)
            found = {r.segment_id: r for r in search_hit_rows(conn, fts, ids)}
        return [_hit(found[i]) for i in ids if i in found]


def _hit(r: Any) -> SearchHit:
    """The hit with the offsets of the match highlight() marked (the whole passage if none is marked)."""
    a = r.marked.find("\x02")
    b = r.marked.find("\x03")
    if 0 <= a < b:
        start, end = r.gstart + a, r.gstart + b - 1
    else:
        start, end = r.gstart, r.gstart + len(r.gtext)
    return SearchHit(source=r.source, case=r.case_name, start=start, end=end, snippet=r.snip,
                     segment_id=r.segment_id, kind=r.kind, speaker=r.speaker, role=r.role)


def _quoted_terms(query: str) -> str:
    return " ".join('"' + t.replace('"', '""') + '"' for t in query.split())
