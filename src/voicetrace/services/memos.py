"""Memos: notes on the project, a case, a source, a code or a coding.

A memo names what it is about the way people type it (a source's file name, a case, a code id, a
coding's number); it is checked and stored under the canonical name here, so the CLI, the web and
Python callers attach memos alike and a memo never points at nothing.
"""
from __future__ import annotations

from typing import Any

from ..core.errors import InputError, NotFound
from ..core.memos import Memo, MemoTarget
from ..core.pages import Page
from ..storage import memos as store
from .cases import Cases
from .coding import Coding
from .context import Context
from .sources import Sources


class Memos:
    def __init__(self, ctx: Context, sources: Sources, cases: Cases, coding: Coding) -> None:
        self.ctx = ctx
        self._sources = sources
        self._cases = cases
        self._coding = coding

    def add_memo(self, target_type: str, target_id: str | int | None, body: str, author: str = "user",
                 title: str = "") -> Memo:
        try:
            tt = MemoTarget(target_type)
        except ValueError:
            raise InputError("memo", f"unknown target {target_type!r}") from None
        if not body.strip():
            raise InputError("memo", "empty memo")
        target = self._target(tt, target_id)
        with self.ctx.db.begin() as conn:
            mid = store.insert_memo(conn, tt.value, target, author, title, body)
            self.ctx.db.log(conn, author, "add_memo", "memo", mid, target=f"{tt.value}:{target}")
            return _memo(store.memo_rows(conn, memo_id=mid)[0])

    def _target(self, tt: MemoTarget, target_id: str | int | None) -> str | None:
        """The target's canonical id; NotFound (or a one-line InputError) when there is no such thing."""
        if target_id is None:
            if tt is MemoTarget.PROJECT:
                return None
            raise InputError("memo", f"a memo on a {tt.value} names which {tt.value} it is about")
        ident = str(target_id)
        if tt is MemoTarget.SOURCE:
            return self._sources.source(ident).name
        if tt is MemoTarget.CASE:
            return self._cases.case(ident).name
        if tt is MemoTarget.CODE:
            if ident not in self.ctx.codebook():
                raise InputError(ident, "unknown code id")
            return ident
        if tt is MemoTarget.CODING:
            if not ident.isdigit():
                raise NotFound(f"unknown coding {ident!r}")
            return str(self._coding.coding(int(ident)).id)
        return ident

    def update_memo(self, memo_id: int, body: str, author: str = "user") -> None:
        with self.ctx.db.begin() as conn:
            if not store.update_memo_body(conn, memo_id, body):
                raise NotFound(f"unknown memo {memo_id}")
            self.ctx.db.log(conn, author, "update_memo", "memo", memo_id)

    def delete_memo(self, memo_id: int, author: str = "user") -> None:
        with self.ctx.db.begin() as conn:
            if not store.delete_memo(conn, memo_id):
                raise NotFound(f"unknown memo {memo_id}")
            self.ctx.db.log(conn, author, "delete_memo", "memo", memo_id)

    def memo(self, memo_id: int) -> Memo:
        with self.ctx.db.read() as conn:
            found = store.memo_rows(conn, memo_id=memo_id)
        if not found:
            raise NotFound(f"unknown memo {memo_id}")
        return _memo(found[0])

    def memos(self, target_type: str | None = None, target_id: str | int | None = None) -> list[Memo]:
        """Every memo (on one kind of target, or one target): what exports and reports need."""
        with self.ctx.db.read() as conn:
            rows = store.memo_rows(conn, target_type, None if target_id is None else str(target_id))
        return [_memo(r) for r in rows]

    def memos_page(self, target_type: str | None = None, target_id: str | int | None = None, *,
                   offset: int = 0, limit: int = 100) -> Page[Memo]:
        """``limit`` memos from ``offset`` in the order written, with how many there are (COUNT and LIMIT in SQL)."""
        offset, limit = max(0, offset), max(1, limit)
        tid = None if target_id is None else str(target_id)
        with self.ctx.db.read() as conn:
            total = store.count_memos(conn, target_type, tid)
            rows = store.memo_rows(conn, target_type, tid, offset=offset, limit=limit) if offset < total else []
        return Page([_memo(r) for r in rows], total, offset, limit)

    def memo_count(self) -> int:
        with self.ctx.db.read() as conn:
            return store.count_memos(conn)


def _memo(r: Any) -> Memo:
    return Memo(id=r.id, target_type=MemoTarget(r.target_type), target_id=r.target_id, author=r.author,
                title=r.title, body=r.body, created_at=r.created_at, updated_at=r.updated_at)
