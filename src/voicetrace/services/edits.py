"""Mistakes can be undone: delete, move or relabel a source, and undo, step by step, back in time.

Every edit is one transaction with one audit event; every deletion first keeps what it removes in
the trash (storage/trash.py), so `undo` can put it back with the same ids. The trash is each coder's
undo stack: undo takes that coder's newest entry, so undoing again walks further back.

The trash is bounded: whenever a new entry goes in, entries older than ``TRASH_KEEP_DAYS`` are
dropped in the same transaction (a write is happening anyway, so reading never takes the write
lock); ``purge_trash`` drops older ones on demand. A purged entry can no longer be undone.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from ..core.errors import InputError, NotFound
from ..core.sources import check_date, check_kind
from ..storage import sources as source_store
from ..storage import trash
from .cases import Cases
from .context import Context
from .records import SourceInfo
from .sources import find_source

TRASH_KEEP_DAYS = 90  # how long a deletion or an edit stays undoable unless purged sooner


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
            tid = keep_undoable(self.ctx, conn, actor, "delete_source", f"source {info.name} ({removal_text(counts)})",
                                parts)
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
        if case is not None and case == info.case:
            case = None  # already there: not a change
        values = {k: v for k, v in values.items() if v != getattr(info, k)}
        changes = [f"{k} {getattr(info, k) or '(none)'} → {v or '(none)'}" for k, v in values.items()]
        changes += [f"case {info.case or '(none)'} → {case}"] if case is not None else []
        if not values and case is None:
            raise InputError(info.name, "nothing to change (it already has that case, kind and date)")
        with self.ctx.db.begin() as conn:
            if case is not None:
                values["case_id"] = self.ctx.case_id(conn, case, create=True, actor=actor)
            stored = source_store.stored_source(conn, info.id)[0]
            # Only the changed columns go in the trash, so undoing this puts back only what it changed
            # (a later edit of another column, by anyone, stays).
            before = {"id": info.id, **{k: stored[k] for k in values}}
            tid = keep_undoable(self.ctx, conn, actor, "edit_source", f"source {info.name}: {', '.join(changes)}",
                             [("sources", [before])])
            source_store.update_source(conn, info.id, **values)
            self.ctx.db.log(conn, actor, "edit_source", "source", info.id, name=info.name, trash=tid,
                            before={k: before[k] for k in values}, after=values)
            return find_source(conn, info.name)

    def undo(self, actor: str | None = None) -> str:
        """Put back what ``actor``'s newest deletion or edit (anyone's, if None) removed or changed.

        Each undo pops one entry, so undoing again walks back through that coder's earlier changes,
        newest first, until the trash holds none of theirs.
        """
        with self.ctx.db.begin() as conn:
            entry = trash.latest(conn, actor)
            if entry is None:
                raise NotFound("nothing to undo" + (f" by {actor}" if actor else ""))
            trash.restore(conn, entry.id)
            self.ctx.db.log(conn, actor or entry.actor, "undo", entry.action.split("_", 1)[-1], None,
                            undid=entry.action, summary=entry.summary, trash=entry.id)
            left = trash.count(conn, actor)
        self.ctx.forget_codebook()
        more = f" ({left} earlier change{'s' if left != 1 else ''} can still be undone)" if left else ""
        return f"undid {entry.action.replace('_', ' ')}: {entry.summary}{more}"

    def undoable(self, actor: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """The undo stack, newest first: what successive undos would put back (``actor``'s only, if given)."""
        with self.ctx.db.read() as conn:
            found = trash.entries(conn, actor, limit)
        return [{"id": e.id, "at": e.at, "actor": e.actor, "action": e.action, "summary": e.summary} for e in found]

    def last_undoable(self, actor: str | None = None) -> dict[str, Any] | None:
        found = self.undoable(actor, 1)
        return found[0] if found else None

    def purge_trash(self, older_than_days: float, actor: str = "user") -> int:
        """Drop trash entries older than ``older_than_days`` (0: all); they can no longer be undone."""
        if older_than_days < 0:
            raise InputError("--older-than", f"{older_than_days:g} days is negative (0 empties the trash)")
        with self.ctx.db.begin() as conn:
            purged = trash.purge(conn, _cutoff(older_than_days))
            self.ctx.db.log(conn, actor, "purge_trash", "trash", None, entries=purged,
                            older_than_days=older_than_days)
        return purged


def keep_undoable(ctx: Context, conn: Connection, actor: str, action: str, summary: str,
                  parts: list[trash.Part]) -> int:
    """Put an undoable entry in the trash, dropping (and auditing) entries past the keeping age."""
    purged = trash.purge(conn, _cutoff(TRASH_KEEP_DAYS))
    if purged:
        ctx.db.log(conn, actor, "purge_trash", "trash", None, entries=purged, older_than_days=TRASH_KEEP_DAYS,
                   automatic=True)
    return trash.put(conn, actor, action, summary, parts)


def _cutoff(days: float) -> str | None:
    """The time before which trash goes; None (everything) for 0 days."""
    return (datetime.now(UTC).replace(microsecond=0) - timedelta(days=days)).isoformat() if days else None


def removal_text(counts: dict[str, int]) -> str:
    """What a deletion removes, in words, as every interface shows it before asking: "3 segments, 0 codings, …"."""
    return ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())
