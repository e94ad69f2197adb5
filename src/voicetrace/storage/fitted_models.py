"""The project's fitted machine-coder models, by content key (see analysis.autocoding.persist).

Only the newest few are kept: each new set of human codings makes a new key, and older fits are never
read again.
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, delete, select

from . import tables
from .database import Database

KEEP = 2


def load_model(conn: Connection, key: str) -> bytes | None:
    t = tables.fitted_models
    v = conn.execute(select(t.c.payload).where(t.c.key == key)).scalar()
    return None if v is None else bytes(v)


def save_model(conn: Connection, key: str, payload: bytes, keep: int = KEEP) -> None:
    t = tables.fitted_models
    now = datetime.now(UTC).isoformat(timespec="microseconds")  # finer than now_iso: saves can be close
    conn.execute(delete(t).where(t.c.key == key))
    conn.execute(t.insert().values(key=key, payload=payload, created_at=now))
    stale = [r[0] for r in conn.execute(select(t.c.key).order_by(t.c.created_at.desc()).offset(keep))]
    if stale:
        conn.execute(delete(t).where(t.c.key.in_(stale)))


class ProjectModelStore:
    """The mapping-like face `persist.fit_or_load` expects, over one project's database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, key: str) -> bytes | None:
        with self.db.read() as conn:
            return load_model(conn, key)

    def __setitem__(self, key: str, payload: bytes) -> None:
        with self.db.begin() as conn:
            save_model(conn, key, payload)
