"""Mistakes can be undone: delete, move or relabel a source, and undo the last deletion.

Every edit is one transaction with one audit event; every deletion first keeps what it removes in
the trash (storage/trash.py), so `undo` can put it back with the same ids.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update

from ..core.errors import InputError, NotFound
from ..storage import tables, trash
from .base import ProjectCore
from .importing import check_kind
from .manifests import check_date
from .records import SourceInfo


class EditsMixin(ProjectCore):
    """Delete, move and relabel sources; undo the last deletion."""

    def source_dependents(self, source: str) -> dict[str, int]:
        """What deleting ``source`` would remove, counted, so people see it before they confirm."""
        info = self.source(source)
        with self.db.read() as conn:
            return self._dependents(conn, info)

    @staticmethod
    def _dependents(conn: Any, info: SourceInfo) -> dict[str, int]:
        def count(table: Any, where: Any) -> int:
            return int(conn.execute(select(func.count()).select_from(table).where(where)).scalar_one())
        return {"segments": count(tables.segments, tables.segments.c.source_id == info.id),
                "codings": count(tables.codings, tables.codings.c.source_id == info.id),
                "suggestions": count(tables.suggestions, tables.suggestions.c.source_id == info.id),
                "evidence": count(tables.claim_evidence, tables.claim_evidence.c.source_id == info.id),
                "memos": count(tables.memos, (tables.memos.c.target_type == "source")
                               & (tables.memos.c.target_id == info.name))}

    def delete_source(self, source: str, actor: str = "user") -> dict[str, int]:
        """Remove a source with its segments, codings, suggestions, claim evidence and memos (undoable)."""
        info = self.source(source)
        s, m = tables.sources, tables.memos
        with self.db.begin() as conn:
            counts = self._dependents(conn, info)
            src_row = trash.rows(conn, s, s.c.id == info.id)
            file_id = src_row[0]["file_id"]
            shared = conn.execute(select(func.count()).select_from(s).where(s.c.file_id == file_id)).scalar_one() > 1
            memo_where = (m.c.target_type == "source") & (m.c.target_id == info.name)
            parts = [("files", [] if shared else trash.rows(conn, tables.files, tables.files.c.id == file_id)),
                     ("sources", src_row),
                     ("segments", trash.rows(conn, tables.segments, tables.segments.c.source_id == info.id)),
                     ("codings", trash.rows(conn, tables.codings, tables.codings.c.source_id == info.id)),
                     ("suggestions", trash.rows(conn, tables.suggestions, tables.suggestions.c.source_id == info.id)),
                     ("claim_evidence", trash.rows(conn, tables.claim_evidence,
                                                   tables.claim_evidence.c.source_id == info.id)),
                     ("impact_evidence", trash.rows(conn, tables.impact_evidence,
                                                    tables.impact_evidence.c.source_id == info.id)),
                     ("memos", trash.rows(conn, m, memo_where))]
            tid = trash.put(conn, actor, "delete_source", f"source {info.name} ({_counted(counts)})", parts)
            trash.unindex_segments(conn, info.id)
            conn.execute(delete(m).where(memo_where))
            conn.execute(delete(s).where(s.c.id == info.id))  # segments, codings, suggestions, evidence cascade
            if not shared:
                conn.execute(delete(tables.files).where(tables.files.c.id == file_id))
            self.db.log(conn, actor, "delete_source", "source", info.id, name=info.name, case=info.case,
                        trash=tid, **counts)
        return counts

    def edit_source(self, source: str, *, case: str | None = None, kind: str | None = None,
                    date: str | None = None, create_case: bool = False, actor: str = "user") -> SourceInfo:
        """Move a source to another case and/or change its kind or date ('' clears the date); undoable."""
        info = self.source(source)
        values: dict[str, Any] = {}
        if kind is not None:
            values["kind"] = check_kind(kind, "--kind")
        if date is not None:
            values["date"] = check_date(date, "--date") if date else None
        if case is not None:
            if not case.strip():
                raise InputError("--case", "a case needs a name")
            if not create_case:
                case = self.case_name(case, "--case")
        if not values and case is None:
            raise InputError(info.name, "nothing to change (give --case, --kind or --date)")
        s = tables.sources
        with self.db.begin() as conn:
            if case is not None:
                values["case_id"] = self._case_id(conn, case, create=True, actor=actor)
            before = trash.rows(conn, s, s.c.id == info.id)
            tid = trash.put(conn, actor, "edit_source", f"source {info.name} as it was before an edit",
                            [("sources", before)])
            conn.execute(update(s).where(s.c.id == info.id).values(**values))
            self.db.log(conn, actor, "edit_source", "source", info.id, name=info.name, trash=tid,
                        before={k: before[0][k] for k in values}, after=values)
        return self.source(info.name)

    def undo(self, actor: str | None = None) -> str:
        """Put back what the last deletion or edit (by ``actor``, if given) removed or changed."""
        with self.db.begin() as conn:
            entry = trash.latest(conn, actor)
            if entry is None:
                raise NotFound("nothing to undo" + (f" by {actor}" if actor else ""))
            trash.restore(conn, entry.id)
            self.db.log(conn, actor or entry.actor, "undo", entry.action.split("_", 1)[-1], None,
                        undid=entry.action, summary=entry.summary, trash=entry.id)
        self.ctx.forget_codebook()
        return f"undid {entry.action.replace('_', ' ')}: {entry.summary}"

    def last_undoable(self, actor: str | None = None) -> dict[str, Any] | None:
        with self.db.read() as conn:
            entry = trash.latest(conn, actor)
        return None if entry is None else {"id": entry.id, "at": entry.at, "actor": entry.actor,
                                           "action": entry.action, "summary": entry.summary}


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{v} {k}" for k, v in counts.items() if v) or "nothing else"
