"""The project database: one SQLite file (WAL, foreign keys, busy timeout), or a URL for teams."""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, text
from sqlalchemy.exc import OperationalError

from ..core.errors import InputError, ProjectBusy
from . import tables
from .migrations import LATEST, current_version, upgrade

SQLITE_HEADER = b"SQLite format 3\x00"


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# How long a command waits for another voicetrace's write to finish before saying the project is busy.
BUSY_TIMEOUT_MS = 10_000


def is_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked"/"busy": another connection holds the write lock past our wait."""
    msg = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in msg or "database is busy" in msg or "database table is locked" in msg


@contextmanager
def busy_as_error(location: str) -> Iterator[None]:
    """Turn a lock timeout into one ProjectBusy line instead of a driver traceback."""
    import sqlite3
    try:
        yield
    except (OperationalError, sqlite3.OperationalError) as e:
        if is_busy(e):
            raise ProjectBusy(location) from None
        raise


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _read_only_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def read_only_reason(p: Path) -> str | None:
    """Why this process cannot write the project (SQLite also writes beside it), or None when it can.

    Asked of the operating system (os.access), not guessed from mode bits: root may write a 0444 file.
    """
    if not os.access(p, os.W_OK):
        return "the project file is read-only"
    if not os.access(p.parent, os.W_OK):
        return "the project's folder is read-only (SQLite writes its journal beside the file)"
    return None


def _sqlite_uri(p: Path) -> str:
    """A read-only SQLite URI. Without a writable folder SQLite cannot make the WAL's shared-memory
    file, so a project with no pending WAL opens as immutable (nobody here can change it anyway);
    one whose WAL holds changes must be read through it (mode=ro uses the existing -shm)."""
    from urllib.parse import quote
    wal = p.with_name(p.name + "-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    immutable = not os.access(p.parent, os.W_OK) and not pending
    return f"file:{quote(str(p.resolve()))}?" + ("immutable=1" if immutable else "mode=ro")


class Database:
    """Owns the engine; hands out transactions. Writes are serialised by SQLite itself.

    A read-only project (``read_only`` says why) opens for reading; asking to write is one line
    naming the file and the reason, before anything is touched.
    """

    def __init__(self, engine: Engine, location: str, read_only: str | None = None) -> None:
        self.engine = engine
        self.location = location
        self.read_only = read_only

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        if self.read_only:
            raise InputError(self.location, f"{self.read_only}, so this command, which changes the project, "
                                            "is refused (nothing was changed); copy it somewhere writable")
        with busy_as_error(self.location), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with busy_as_error(self.location), self.engine.connect() as conn:
            yield conn

    def get_meta(self, key: str) -> str | None:
        with self.read() as c:
            return c.execute(text("SELECT value FROM meta WHERE key=:k"), {"k": key}).scalar()

    def set_meta(self, conn: Connection, key: str, value: str) -> None:
        conn.execute(text("INSERT INTO meta(key, value) VALUES (:k, :v) "
                          "ON CONFLICT(key) DO UPDATE SET value=excluded.value"), {"k": key, "v": value})

    def log(self, conn: Connection, actor: str, action: str, object_type: str,
            object_id: object = None, **detail: object) -> None:
        """Every change writes one audit event in the same transaction as the change."""
        conn.execute(insert(tables.events).values(
            at=now_iso(), actor=actor, action=action, object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            detail=json.dumps(detail, ensure_ascii=False, default=str)))

    def dispose(self) -> None:
        self.engine.dispose()


def _engine_for(location: str) -> Engine:
    if "://" in location:
        return create_engine(location, future=True)
    eng = create_engine(f"sqlite:///{location}", future=True)
    event.listen(eng, "connect", _sqlite_pragmas)
    return eng


def _read_only_engine(p: Path) -> Engine:
    import sqlite3
    uri = _sqlite_uri(p)
    eng = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
                        future=True)
    event.listen(eng, "connect", _read_only_pragmas)
    return eng


def _check_is_project(p: Path) -> None:
    """Look read-only before touching anything, so a foreign database is left byte-for-byte as it was."""
    import sqlite3
    con = sqlite3.connect(_sqlite_uri(p), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        ok = con.execute("SELECT value FROM meta WHERE key='app'").fetchone()
    except sqlite3.OperationalError as e:
        if is_busy(e):
            raise ProjectBusy(str(p)) from None
        if "unable to open" in str(e).lower():
            raise ValueError(f"{p}: cannot open the project ({e}); check its and its folder's permissions") from None
        ok = None
    except sqlite3.DatabaseError:
        ok = None
    finally:
        con.close()
    if not ok or ok[0] != "voicetrace":
        raise ValueError(f"{p}: not a voicetrace project")


def open_database(location: str | Path, *, create: bool) -> Database:
    """Open (and migrate) a project; refuse a file that is not a voicetrace project.

    A project this process cannot write opens read-only (no migration, every write refused).
    """
    loc = str(location)
    read_only: str | None = None
    if "://" not in loc:
        p = Path(loc)
        if create:
            if p.exists() and p.stat().st_size > 0:
                raise FileExistsError(f"{p}: already exists")
            p.parent.mkdir(parents=True, exist_ok=True)
        else:
            if p.is_dir():
                raise ValueError(f"{p}: is a folder, not a project file (the project comes first: "
                                 "`voicetrace import PROJECT.db FILES...`)")
            if not p.exists():
                raise FileNotFoundError(f"{p}: no such project (create it with `voicetrace init`)")
            if not p.is_file():
                raise ValueError(f"{p}: not a regular file, so not a voicetrace project")
            if not os.access(p, os.R_OK):
                raise ValueError(f"{p}: cannot be read (permission denied)")
            read_only = read_only_reason(p)
            with p.open("rb") as fh:
                if fh.read(16) != SQLITE_HEADER:
                    raise ValueError(f"{p}: not a voicetrace project (not an SQLite database)")
            _check_is_project(p)
    if read_only is not None:
        return _open_read_only(Path(loc), read_only)
    db = Database(_engine_for(loc), loc)
    with db.begin() as conn:  # a lock timeout here is ProjectBusy too
        applied = upgrade(conn)
        if create:
            db.set_meta(conn, "created_at", now_iso())
            db.set_meta(conn, "app", "voicetrace")
        elif conn.execute(text("SELECT value FROM meta WHERE key='app'")).scalar() != "voicetrace":
            raise ValueError(f"{loc}: not a voicetrace project")
    if applied:
        db.engine.dispose()  # a migration may have switched a pragma (foreign keys) on its connection
    return db


def _open_read_only(p: Path, reason: str) -> Database:
    db = Database(_read_only_engine(p), str(p), read_only=reason)
    with db.read() as conn:
        if current_version(conn) < LATEST:
            db.dispose()
            raise ValueError(f"{p}: {reason}, and this older project needs a schema upgrade before this "
                             "voicetrace can read it; copy it somewhere writable")
    return db


def pk(result: Any) -> int:
    """The new row's primary key from an INSERT result (always present for our integer keys)."""
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - only for backends that cannot report it
        raise RuntimeError("the database did not report the new row's id")
    return int(key[0])
