"""Embeddings cached in the project file, keyed by model version + SHA-256 of the text.

Re-running autocode after a few more codings re-embeds nothing, and the cache travels with the
project (no second file to lose).
"""
from __future__ import annotations

from collections.abc import Iterator, MutableMapping

from sqlalchemy import delete, func, select, text

from . import tables
from .database import Database


class ProjectEmbeddingStore(MutableMapping[str, bytes]):
    def __init__(self, db: Database) -> None:
        self.db = db

    def __getitem__(self, key: str) -> bytes:
        with self.db.read() as conn:
            v = conn.execute(select(tables.embeddings.c.vector).where(tables.embeddings.c.key == key)).scalar()
        if v is None:
            raise KeyError(key)
        return bytes(v)

    def __setitem__(self, key: str, value: bytes) -> None:
        with self.db.begin() as conn:
            conn.execute(text("INSERT INTO embeddings(key, vector) VALUES (:k, :v) "
                              "ON CONFLICT(key) DO UPDATE SET vector=excluded.vector"), {"k": key, "v": value})

    def __delitem__(self, key: str) -> None:
        with self.db.begin() as conn:
            if not conn.execute(delete(tables.embeddings).where(tables.embeddings.c.key == key)).rowcount:
                raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        with self.db.read() as conn:
            keys = [r[0] for r in conn.execute(select(tables.embeddings.c.key))]
        return iter(keys)

    def __len__(self) -> int:
        with self.db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(tables.embeddings)).scalar_one())

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        with self.db.read() as conn:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                for k, v in conn.execute(select(tables.embeddings.c.key, tables.embeddings.c.vector).where(
                        tables.embeddings.c.key.in_(chunk))):
                    out[k] = bytes(v)
        return out

    def set_many(self, items: dict[str, bytes]) -> None:
        if not items:
            return
        with self.db.begin() as conn:
            conn.execute(text("INSERT INTO embeddings(key, vector) VALUES (:k, :v) "
                              "ON CONFLICT(key) DO UPDATE SET vector=excluded.vector"),
                         [{"k": k, "v": v} for k, v in items.items()])
