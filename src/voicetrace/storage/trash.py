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

from sqlalchemy import Connection, Table, delete, insert, select, update

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


def latest(conn: Connection, actor: str | None = None) -> Any:
    q = select(tables.trash.c.id, tables.trash.c.at, tables.trash.c.actor, tables.trash.c.action,
               tables.trash.c.summary).order_by(tables.trash.c.id.desc()).limit(1)
    if actor is not None:
        q = q.where(tables.trash.c.actor == actor)
    return conn.execute(q).first()


def restore(conn: Connection, trash_id: int) -> Any:
    """Put an entry's rows back (an existing row is updated to its old values) and drop the entry."""
    entry = conn.execute(select(tables.trash).where(tables.trash.c.id == trash_id)).first()
    if entry is None:
        return None
    for name, saved in json.loads(zlib.decompress(entry.payload).decode("utf-8")):
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
    conn.execute(delete(tables.trash).where(tables.trash.c.id == trash_id))
    return entry
