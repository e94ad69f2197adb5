"""The audit log, read back: every change a project has seen, newest first, and how often each kind."""
from __future__ import annotations

from typing import Any

from ..storage import events as store
from .context import Context


class Audit:
    """Writing is :meth:`Database.log`, inside each change's own transaction; this is the read side."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def events(self, limit: int | None = None) -> list[dict[str, Any]]:
        with self.ctx.db.read() as conn:
            return store.event_rows(conn, limit)

    def audit_counts(self) -> dict[str, int]:
        with self.ctx.db.read() as conn:
            return store.action_counts(conn)
