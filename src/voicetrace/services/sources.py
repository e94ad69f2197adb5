"""Reading sources and their segments: listings, one source by the name people type, text, passages.

:func:`find_source` is the one rule for turning a typed name into a source; every service that takes
a source name (coding, suggestions, edits, claims) resolves it through here.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from ..core.errors import InputError, NotFound
from ..core.segments import Segment
from ..storage import segments as segment_store
from ..storage import sources as source_store
from .context import Context
from .records import PassageRecord, SourceInfo


def find_source(conn: Connection, name: str) -> SourceInfo:
    """The source called ``name``, else the one whose file name that is; an ambiguous file name or an
    unknown name is one line (the candidates, or the nearest name)."""
    row = source_store.source_by_name(conn, name)
    matches = [row] if row is not None else source_store.sources_by_basename(conn, name)
    if len(matches) == 1:
        return source_info(matches[0])
    if matches:
        shown = ", ".join(sorted(str(m.name) for m in matches)[:5])
        raise InputError(name, f"is ambiguous: {len(matches)} sources have that file name ({shown}); "
                               "give the full name as `voicetrace sources` lists it")
    near = difflib.get_close_matches(name, source_store.source_names(conn), n=1, cutoff=0.6)
    raise NotFound(f"unknown source {name!r}" + (f"; did you mean {near[0]!r}?" if near else ""))


def source_info(r: Any) -> SourceInfo:
    return SourceInfo(id=r.id, name=r.name, case=r.case, kind=r.kind, type=r.type, date=r.date,
                      sha256=r.sha256, segments=int(r.n), chars=r.chars, title=r.title)


class Sources:
    """The read side of sources and segments, each call one read transaction."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def sources(self, case: str | None = None, offset: int = 0, limit: int | None = None, *,
                no_case: bool = False) -> list[SourceInfo]:
        """Sources by case then name: every one, one case's (or, with ``no_case``, those without a case), a page."""
        with self.ctx.db.read() as conn:
            rows = source_store.source_rows(conn, case=case, no_case=no_case, offset=offset, limit=limit)
        return [source_info(r) for r in rows]

    def source(self, name: str) -> SourceInfo:
        """A source by its name, or by its file name alone when that is unambiguous."""
        with self.ctx.db.read() as conn:
            return find_source(conn, name)

    def source_names(self, ids: Iterable[int]) -> dict[int, str]:
        """Names of the given source ids (those that exist)."""
        with self.ctx.db.read() as conn:
            return source_store.source_names_by_id(conn, list(ids))

    def source_kinds(self) -> list[str]:
        """The kinds of source in the project (minutes, interview, …), for filters."""
        with self.ctx.db.read() as conn:
            return source_store.source_kinds(conn)

    def source_count(self) -> int:
        with self.ctx.db.read() as conn:
            return source_store.count_sources(conn)

    def neighbour_sources(self, source: str) -> dict[str, str | None]:
        """The sources before and after this one in the sources list (for "previous / next"): two bounded
        queries, not the list of every name."""
        with self.ctx.db.read() as conn:
            found = source_store.source_by_name(conn, source)
            prev, nxt = source_store.neighbour_names(conn, found.id) if found is not None else (None, None)
        return {"prev": prev, "next": nxt}

    def text(self, source: str) -> str:
        with self.ctx.db.read() as conn:
            return source_store.source_text(conn, find_source(conn, source).id)

    def original_file(self, source: str) -> tuple[str, bytes]:
        with self.ctx.db.read() as conn:
            r = source_store.original_file(conn, find_source(conn, source).id)
        return r.filename, bytes(r.data)

    # ---- segments ------------------------------------------------------------------------------
    def segments(self, source: str | None = None, *, start: int | None = None, end: int | None = None,
                 offset: int = 0, limit: int | None = None) -> list[Segment]:
        """Segments in order: every one, or one source's (a page of them, or those overlapping [start, end))."""
        with self.ctx.db.read() as conn:
            if source is None:
                rows = segment_store.all_segment_rows(conn)
            else:
                rows = segment_store.segment_rows(conn, find_source(conn, source).id, start=start, end=end,
                                                  offset=offset, limit=limit)
        return [_segment(r) for r in rows]

    def segment(self, segment_id: int) -> Segment:
        return _segment(self._segment_row(segment_id))

    def passage(self, segment_id: int) -> PassageRecord:
        """One segment with its source name and speaker role, by id (one index probe)."""
        return _passage(self._segment_row(segment_id))

    def passages(self, source: str, *, start: int | None = None, end: int | None = None,
                 offset: int = 0, limit: int | None = None) -> list[PassageRecord]:
        """A source's segments with source name and speaker role: a page, or those overlapping [start, end)."""
        with self.ctx.db.read() as conn:
            rows = segment_store.segment_rows(conn, find_source(conn, source).id, start=start, end=end,
                                              offset=offset, limit=limit)
        return [_passage(r) for r in rows]

    def _segment_row(self, segment_id: int) -> Any:
        with self.ctx.db.read() as conn:
            r = segment_store.segment_by_id(conn, segment_id)
        if r is None:
            raise NotFound(f"unknown segment {segment_id}")
        return r

    def paragraph_openings(self, kinds: Iterable[str]) -> list[tuple[int, int, str]]:
        """(source, start, opening text) of each segment of the coded sources of these kinds."""
        with self.ctx.db.read() as conn:
            return segment_store.paragraph_openings(conn, sorted(kinds))

    def transcript_turns(self) -> list[tuple[int, int, int, bool, str]]:
        """(source, start, end, interviewer?, opening text) of each turn of the coded transcripts."""
        with self.ctx.db.read() as conn:
            return segment_store.transcript_turns(conn)

    def segments_frame(self, *, coded_only: bool = False, first_per_source: bool = False,
                       offset: int = 0, limit: int | None = None) -> pd.DataFrame:
        """Segments with source, case and speaker columns, for analyses: ``limit`` rows from ``offset``
        (in source-name and position order), or all of them without a limit.

        Whole-project analyses need far less than every segment: ``coded_only`` keeps the segments
        some coding points at (what claims read), ``first_per_source`` keeps one row per source (what
        the report and the matrices read for sources, kinds and cases that have no codings yet). What
        must visit every segment (autocoding) walks :meth:`segment_frames` instead.
        """
        with self.ctx.db.read() as conn:
            return segment_store.segments_frame(conn, coded_only=coded_only, first_per_source=first_per_source,
                                                offset=max(0, offset), limit=limit)

    def segment_frames(self, size: int = 20_000) -> Iterator[pd.DataFrame]:
        """Every segment as :meth:`segments_frame` gives them, ``size`` rows at a time (memory bounded by
        the page, not the project); each page is its own read."""
        offset = 0
        while True:
            frame = self.segments_frame(offset=offset, limit=size)
            if frame.empty:
                return
            yield frame
            offset += len(frame)


def _segment(r: Any) -> Segment:
    return Segment(id=r.id, source_id=r.source_id, index=r.idx, start=r.start, end=r.end, text=r.text,
                   speaker=r.speaker, participant_id=r.participant_id)


def _passage(r: Any) -> PassageRecord:
    return PassageRecord(id=int(r.id), source=str(r.source), index=int(r.idx), start=int(r.start), end=int(r.end),
                         text=str(r.text), speaker=r.speaker, role=r.role)
