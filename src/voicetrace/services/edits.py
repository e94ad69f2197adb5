"""Mistakes can be undone: delete, move or relabel a source, and undo the last deletion.

Every edit is one transaction with one audit event; every deletion first keeps what it removes in
the trash (storage/trash.py), so `undo` can put it back with the same ids.
"""
from __future__ import annotations

from typing import Any

from ..core.errors import InputError, NotFound
from ..core.sources import check_date, check_kind
from ..storage import sources as source_store
from ..storage import trash
from .cases import Cases
from .context import Context
from .records import SourceInfo
from .sources import find_source


class SourceEdits:
    """Delete, move and relabel sources; undo the last deletion or edit (of a source, a coding, …).

    A move to an existing case checks the name with the cases service (a typo is not a new case).
    """

    def __init__(self, ctx: Context, cases: Cases) -> None:
        self.ctx = ctx
        self._cases = cases

    def source_dependents(self, source: str) -> dict[str, int]:
        """What deleting ``source`` would remove, counted, so people see it before they confirm."""
        with self.ctx.db.read() as conn:
            info = find_source(conn, source)
            return source_store.dependents(conn, info.id, info.name)

    def delete_source(self, source: str, actor: str = "user") -> dict[str, int]:
        """Remove a source with its segments, codings, suggestions, claim evidence and memos (undoable)."""
        with self.ctx.db.begin() as conn:
            info = find_source(conn, source)
            counts = source_store.dependents(conn, info.id, info.name)
            row = source_store.stored_source(conn, info.id)[0]
            shared = source_store.file_users(conn, row["file_id"]) > 1
            parts = source_store.deletion_parts(conn, row, with_file=not shared)
            tid = trash.put(conn, actor, "delete_source", f"source {info.name} ({_counted(counts)})", parts)
            source_store.delete_source(conn, info.id, info.name, row["file_id"], keep_file=shared)
            self.ctx.db.log(conn, actor, "delete_source", "source", info.id, name=info.name, case=info.case,
                            trash=tid, **counts)
        return counts

    def edit_source(self, source: str, *, case: str | None = None, kind: str | None = None,
                    date: str | None = None, create_case: bool = False, actor: str = "user") -> SourceInfo:
        """Move a source to another case and/or change its kind or date ('' clears the date); undoable."""
        with self.ctx.db.read() as conn:
            info = find_source(conn, source)
        values: dict[str, Any] = {}
        if kind is not None:
            values["kind"] = check_kind(kind, "--kind")
        if date is not None:
            values["date"] = check_date(date, "--date") if date else None
        if case is not None:
            if not case.strip():
                raise InputError("--case", "a case needs a name")
            if not create_case:
                case = self._cases.case_name(case, "--case")
        if not values and case is None:
            raise InputError(info.name, "nothing to change (give --case, --kind or --date)")
        with self.ctx.db.begin() as conn:
            if case is not None:
                values["case_id"] = self.ctx.case_id(conn, case, create=True, actor=actor)
            before = source_store.stored_source(conn, info.id)
            tid = trash.put(conn, actor, "edit_source", f"source {info.name} as it was before an edit",
                            [("sources", before)])
            source_store.update_source(conn, info.id, **values)
            self.ctx.db.log(conn, actor, "edit_source", "source", info.id, name=info.name, trash=tid,
                            before={k: before[0][k] for k in values}, after=values)
            return find_source(conn, info.name)

    def undo(self, actor: str | None = None) -> str:
        """Put back what the last deletion or edit (by ``actor``, if given) removed or changed."""
        with self.ctx.db.begin() as conn:
            entry = trash.latest(conn, actor)
            if entry is None:
                raise NotFound("nothing to undo" + (f" by {actor}" if actor else ""))
            trash.restore(conn, entry.id)
            self.ctx.db.log(conn, actor or entry.actor, "undo", entry.action.split("_", 1)[-1], None,
                            undid=entry.action, summary=entry.summary, trash=entry.id)
        self.ctx.forget_codebook()
        return f"undid {entry.action.replace('_', ' ')}: {entry.summary}"

    def last_undoable(self, actor: str | None = None) -> dict[str, Any] | None:
        with self.ctx.db.read() as conn:
            entry = trash.latest(conn, actor)
        return None if entry is None else {"id": entry.id, "at": entry.at, "actor": entry.actor,
                                           "action": entry.action, "summary": entry.summary}


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{v} {k}" for k, v in counts.items() if v) or "nothing else"
