"""Coding: applying a code to a span, removing it, and reading codings back (records, counts, frames).

:meth:`Coding.insert_coding` is the one way a coding is stored — by a person's `code`, an accepted
suggestion, an anchored gold set or a REFI-QDA import — so every coding carries its text, its
segment and its audit event alike. It runs inside the caller's transaction.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection

from ..core.codings import Origin, check_span
from ..core.errors import InputError, NotFound
from ..core.segments import Segment
from ..storage import codings as store
from ..storage.database import now_iso
from ..storage.segments import span_text_and_segment
from .context import Context
from .edits import keep_undoable
from .records import CodingRecord
from .sources import Sources


class Coding:
    def __init__(self, ctx: Context, sources: Sources) -> None:
        self.ctx = ctx
        self._sources = sources

    # ---- writing ---------------------------------------------------------------------------------
    def code(self, source: str, start: int, end: int, code: str, coder: str = "me",
             origin: str | Origin = Origin.HUMAN, suggestion_id: int | None = None) -> CodingRecord:
        cb = self.ctx.codebook()
        if code not in cb:
            raise InputError(code, "unknown code id (see `voicetrace codebook show`)")
        if not cb.get(code).codable:
            raise InputError(code, "is a folder in the codebook, not a code that can be applied")
        if not coder.strip():
            raise InputError("coder", "a coding needs a coder name")
        info = self._sources.source(source)
        check_span(info.chars, start, end, f"{info.name} [{start}, {end})")
        org = Origin(origin)
        with self.ctx.db.begin() as conn:
            same = store.same_coding(conn, info.id, start, end, code, coder)
            if same is not None:
                raise InputError(f"{info.name} [{start}, {end})", f"already coded {code} by {coder} (coding {same})")
            cid = self.insert_coding(conn, info.id, start, end, code, coder, org, suggestion_id)
        return self.coding(cid)

    def insert_coding(self, conn: Connection, source_id: int, start: int, end: int, code: str, coder: str,
                      origin: Origin, suggestion_id: int | None = None) -> int:
        """Store one coding (already checked by the caller) in the caller's transaction, audited; its id."""
        snippet, seg = span_text_and_segment(conn, source_id, start, end)
        cid = store.insert_coding(conn, source_id=source_id, start=start, end=end, text=snippet, code_id=code,
                                  coder=coder, origin=origin.value, created_at=now_iso(),
                                  suggestion_id=suggestion_id, segment_id=seg)
        self.ctx.db.log(conn, coder, "code", "coding", cid, source_id=source_id, start=start, end=end, code=code,
                        origin=origin.value)
        return cid

    def uncode(self, coding_id: int, actor: str = "user", *, others: bool = True) -> int:
        """Remove one coding, kept in the trash for `undo`; returns the trash entry's id.

        ``others=False`` (the web's one-click ×) refuses another coder's coding — a gold standard
        must not vanish by a stray click — until the person confirms.
        """
        with self.ctx.db.begin() as conn:
            row = store.coding_row(conn, coding_id)
            if row is None:
                raise NotFound(f"unknown coding {coding_id}")
            if not others and row.coder != actor:
                raise InputError(f"coding {coding_id}", f"is by {row.coder}, not by you ({actor}); confirm to remove "
                                                        "another coder's coding")
            tid = keep_undoable(self.ctx, conn, actor, "uncode", f"coding {coding_id} ({row.code_id} by {row.coder}: "
                                                   f"{row.text[:40]!r})", [("codings", [dict(row._mapping)])])
            store.delete_coding(conn, coding_id)
            self.ctx.db.log(conn, actor, "uncode", "coding", coding_id, source_id=row.source_id, start=row.start,
                            end=row.end, code=row.code_id, coder=row.coder, trash=tid)
        return tid

    def import_anchored_codings(self, paths: Iterable[str | Path], coder: str,
                                origin: str | Origin = Origin.IMPORTED) -> int:
        """Code whole segments located by quotation (see services/anchored.py); all files or nothing."""
        from .anchored import quote_in, read_anchored
        cb = self.ctx.codebook()
        by_name = {s.name: s for s in self._sources.sources()}
        segs_by_source: dict[int, list[Segment]] = {}
        planned: list[tuple[int, int, int, str]] = []
        problems: list[str] = []
        for path in map(Path, paths):
            for rec in read_anchored(path):
                src = by_name.get(rec.file)
                if src is None:
                    problems.append(f"{path.name} line {rec.line}: unknown source {rec.file!r}")
                    continue
                unknown = [c for c in rec.codes if c not in cb or not cb.get(c).codable]
                if unknown:
                    problems.append(f"{path.name} line {rec.line}: unknown code(s) {', '.join(unknown)}")
                    continue
                if src.id not in segs_by_source:
                    segs_by_source[src.id] = self._sources.segments(src.name)
                hit = [g for g in segs_by_source[src.id] if quote_in(rec.quote, g.text)]
                if not hit:
                    problems.append(f"{path.name} line {rec.line}: quote not found in {rec.file}: {rec.quote[:40]!r}")
                    continue
                for code_id in rec.codes:
                    planned.append((src.id, hit[0].start, hit[0].end, code_id))
        if problems:
            raise InputError(problems[0].split(" line ")[0],
                             problems[0].split(": ", 1)[1] + (f" (and {len(problems) - 1} more problems)"
                                                             if len(problems) > 1 else ""))
        org = Origin(origin)
        with self.ctx.db.begin() as conn:
            for item in dict.fromkeys(planned):  # a quote coded twice with one code is one coding
                self.insert_coding(conn, *item, coder, org)
        return len(set(planned))

    # ---- reading ---------------------------------------------------------------------------------
    def coding(self, coding_id: int) -> CodingRecord:
        found = self.codings(coding_id=coding_id)
        if not found:
            raise NotFound(f"unknown coding {coding_id}")
        return found[0]

    def codings(self, coder: str | None = None, source: str | None = None,
                coding_id: int | None = None, *, ids: Sequence[int] | None = None, case: str | None = None,
                code: str | None = None, start: int | None = None, end: int | None = None,
                offset: int = 0, limit: int | None = None) -> list[CodingRecord]:
        """Codings ordered by source, position and id; filtered (``start``/``end``: those overlapping that
        span of ``source``), and one page of them when asked."""
        source_id = self._sources.source(source).id if source is not None else None
        with self.ctx.db.read() as conn:
            rows = store.coding_rows(conn, coder=coder, source_id=source_id, coding_id=coding_id, ids=ids,
                                     case=case, code=code, start=start, end=end, offset=offset, limit=limit)
        cb = self.ctx.codebook()
        return [CodingRecord(id=r.id, source=r.source_name, case=r.case_name, start=r.start, end=r.end,
                             text=r.text, code=r.code_id, code_path=cb.path(r.code_id) if r.code_id in cb else r.code_id,
                             coder=r.coder, origin=r.origin, created_at=r.created_at, segment_id=r.segment_id)
                for r in rows]

    def coders(self) -> list[str]:
        with self.ctx.db.read() as conn:
            return list(self.ctx.kept(conn, ("coders",), lambda: store.coders(conn)))

    def coder_counts(self, source: str) -> dict[str, int]:
        """Codings per coder in one source."""
        sid = self._sources.source(source).id
        with self.ctx.db.read() as conn:
            return store.coder_counts(conn, sid)

    def coding_count(self) -> int:
        with self.ctx.db.read() as conn:
            return store.count_codings(conn)

    def coding_progress(self, source_ids: Sequence[int] | None = None) -> dict[int, tuple[int, int]]:
        """Per source id (every one, or the given ones): (codings, distinct coded segments), counted by SQLite."""
        with self.ctx.db.read() as conn:
            rows = store.coding_progress(conn, source_ids)
        return {int(r.source_id): (int(r.codings), int(r.coded_segments)) for r in rows}

    def case_progress(self) -> dict[int | None, dict[str, int]]:
        """Per case id: sources, segments, codings and coded segments, summed by SQLite from the counts
        per source the project keeps (migration 12); kept between requests as it probes every source."""
        def count() -> dict[int | None, dict[str, int]]:
            return {r.case_id: {"sources": int(r.sources), "segments": int(r.segments), "codings": int(r.codings),
                                "coded_segments": int(r.coded_segments)} for r in store.case_progress(conn)}
        with self.ctx.db.read() as conn:
            kept = self.ctx.kept(conn, ("case_progress",), count)
        return {case: dict(row) for case, row in kept.items()}  # callers may change their copy

    def codings_frame(self, coder: str | None = None, *, code: str | None = None) -> pd.DataFrame:
        """Codings with source, case, speaker, code path and dimension columns, for analyses."""
        with self.ctx.db.read() as conn:
            df = store.codings_frame(conn, coder=coder, code=code)
        cb = self.ctx.codebook()
        codes = df["code"].tolist()
        known = {x for x in set(codes) if x in cb}  # asked once per code, not once per coding
        paths = {x: cb.path(x) for x in known}
        dims = {x: cb.dimension_of(x) for x in known}
        df.insert(df.columns.get_loc("code") + 1, "code_path", [paths.get(x, x) for x in codes])
        df.insert(df.columns.get_loc("code_path") + 1, "dimension", [dims.get(x) for x in codes])
        return df
