"""Deleted rows kept for undo: plain functions over a connection.

A deletion first copies every row it is about to remove (the source, its file, segments, codings,
suggestions, evidence, memos …) into one trash entry; undo puts them back with their own ids.
Ids are never reused (AUTOINCREMENT), so putting a row back can never collide with a newer one.
"""
from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..core.errors import InputError
from . import tables
from .database import now_iso, pk
from .segments import index_segment

Part = tuple[str, list[dict[str, Any]]]
_BYTES = "__bytes__"


def rows(conn: Connection, table: Table, where: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(select(table).where(where))]


def _encode(value: Any) -> Any:
    return {_BYTES: base64.b64encode(value).decode("ascii")} if isinstance(value, (bytes, memoryview)) else value


def _decode(value: Any) -> Any:
    return base64.b64decode(value[_BYTES]) if isinstance(value, dict) and _BYTES in value else value


def put(conn: Connection, actor: str, action: str, summary: str, parts: Sequence[Part]) -> int:
    """Keep ``parts`` (table name, rows), parents first, as one undoable entry; returns its id."""
    payload = [[name, [{k: _encode(v) for k, v in r.items()} for r in rs]] for name, rs in parts if rs]
    blob = zlib.compress(json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8"))
    return pk(conn.execute(insert(tables.trash).values(at=now_iso(), actor=actor, action=action, summary=summary,
                                                      payload=blob)))


def entries(conn: Connection, actor: str | None = None, limit: int | None = None) -> list[Any]:
    """Undoable entries, newest first: the undo stack (``actor``'s only, if given)."""
    t = tables.trash
    q = select(t.c.id, t.c.at, t.c.actor, t.c.action, t.c.summary).order_by(t.c.id.desc()).limit(limit)
    if actor is not None:
        q = q.where(t.c.actor == actor)
    return list(conn.execute(q))


def latest(conn: Connection, actor: str | None = None) -> Any:
    found = entries(conn, actor, 1)
    return found[0] if found else None


def count(conn: Connection, actor: str | None = None) -> int:
    q = select(func.count()).select_from(tables.trash)
    if actor is not None:
        q = q.where(tables.trash.c.actor == actor)
    return int(conn.execute(q).scalar_one())


def purge(conn: Connection, before: str | None) -> int:
    """Drop every entry kept before ``before`` (an ISO time; None: every entry); they can no longer be undone."""
    q = delete(tables.trash)
    if before is not None:
        q = q.where(tables.trash.c.at < before)
    return int(conn.execute(q).rowcount or 0)


def restore(conn: Connection, trash_id: int) -> Any:
    """Put an entry's rows back (an existing row is updated to its old values) and drop the entry.

    A row whose parent has gone since (a coding whose source was deleted later) cannot come back:
    that is one line saying so, and the caller's transaction leaves everything as it was.
    """
    entry = conn.execute(select(tables.trash).where(tables.trash.c.id == trash_id)).first()
    if entry is None:
        return None
    try:
        _put_back(conn, entry.payload)
    except IntegrityError:
        raise InputError(entry.summary, "cannot be put back: what it belonged to was deleted or changed "
                                        "since (perhaps by another coder); undo that first") from None
    conn.execute(delete(tables.trash).where(tables.trash.c.id == trash_id))
    return entry


def _put_back(conn: Connection, payload: bytes) -> None:
    for name, saved in json.loads(zlib.decompress(payload).decode("utf-8")):
        table = tables.metadata.tables[name]
        key = table.c.id if "id" in table.c else None
        for raw in saved:
            row = {k: _decode(v) for k, v in raw.items()}
            if key is not None and conn.execute(select(key).where(key == row["id"])).first() is not None:
                conn.execute(update(table).where(key == row["id"]).values(**row))
                continue
            conn.execute(insert(table).values(**row))
            if name == "segments":
                index_segment(conn, row["id"], row["text"])
