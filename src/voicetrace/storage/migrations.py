"""Registered schema migrations keyed on SQLite's ``user_version``.

Each migration is a function run inside one transaction; a project opened by a newer
voicetrace is upgraded in order, and one written by a newer version than this code is refused
rather than damaged.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, text

from . import tables

Migration = Callable[[Connection], None]


def _initial(conn: Connection) -> None:
    tables.metadata.create_all(conn)
    conn.execute(text(
        "CREATE VIRTUAL TABLE IF NOT EXISTS segments_fts USING fts5("
        "text, content='segments', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"))


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "initial schema with FTS5 over segments", _initial),
]

LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    return int(conn.execute(text("PRAGMA user_version")).scalar_one())


def upgrade(conn: Connection) -> list[int]:
    """Apply pending migrations; return the versions applied."""
    have = current_version(conn)
    if have > LATEST:
        raise RuntimeError(f"project schema v{have} is newer than this voicetrace (v{LATEST}); upgrade voicetrace")
    applied = []
    for version, _name, fn in MIGRATIONS:
        if version > have:
            fn(conn)
            conn.execute(text(f"PRAGMA user_version = {int(version)}"))
            applied.append(version)
    return applied
