"""What every service of an open project shares: the database, where it lives, the codebook, who works.

The services (sources, coding, suggestions, claims, reports, exchange, ...) are small classes that each
hold one :class:`Context`; :class:`voicetrace.services.project.Project` composes them behind one facade.
A service never calls another service's private helpers: what two need lives here or in storage/.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Connection

from ..core.codebook import Codebook
from ..core.errors import InputError, NotFound
from ..storage.cases import case_id_by_name, insert_case
from ..storage.codebooks import read_codebook
from ..storage.codings import codings_marker
from ..storage.database import Database

CODER_ENV = "VOICETRACE_CODER"
T = TypeVar("T")


class Context:
    """One open project's shared state. Transactions are ``ctx.db.begin()`` / ``ctx.db.read()``."""

    def __init__(self, db: Database, location: str) -> None:
        self.db = db
        self.location = location
        self._codebook: Codebook | None = None
        self._kept: dict[tuple[Any, ...], tuple[tuple[int, int, int], Any]] = {}

    # ---- the codebook, read once per open project ----------------------------------------------
    def codebook(self) -> Codebook:
        if self._codebook is None:
            with self.db.read() as conn:
                self._codebook = read_codebook(conn)
        return self._codebook

    def forget_codebook(self) -> None:
        """After a write to the codes table, so the next read sees it."""
        self._codebook = None

    # ---- aggregates kept until the project changes -------------------------------------------------
    def kept(self, conn: Connection, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """An aggregate over every coding or source (the overview's progress per case, the coders),
        computed once and kept until the codings or the sources could have changed
        (:func:`storage.codings.codings_marker`: three index probes), so pages that show it do not sum
        the whole project again on every request."""
        marker = codings_marker(conn)
        hit = self._kept.get(key)
        if hit is not None and hit[0] == marker:
            value: T = hit[1]
            return value
        value = compute()
        self._kept[key] = (marker, value)
        return value

    # ---- small per-project preferences -----------------------------------------------------------
    def setting(self, key: str) -> str | None:
        return self.db.get_meta(f"setting:{key}")

    def set_setting(self, key: str, value: str, actor: str = "user") -> None:
        with self.db.begin() as conn:
            self.db.set_meta(conn, f"setting:{key}", value)
            self.db.log(conn, actor, "set_setting", "project", None, key=key, value=value)

    # ---- cases, named by imports, source edits, participants and connections alike -------------
    def case_id(self, conn: Connection, name: str | None, *, create: bool, actor: str = "user") -> int | None:
        """The id of the case called ``name`` inside the caller's transaction; a new case (audited) when
        ``create``, else NotFound. None stays None (no case)."""
        if name is None:
            return None
        cid = case_id_by_name(conn, name)
        if cid is None:
            if not create:
                raise NotFound(f"unknown case {name!r}")
            cid = insert_case(conn, name)
            self.db.log(conn, actor, "create_case", "case", cid, name=name)
        return cid

    # ---- who is working -------------------------------------------------------------------------
    def coder(self, explicit: str | None = None) -> str:
        """The one name recorded on this user's codings, decisions and memos, in every interface.

        ``--coder`` if given, else $VOICETRACE_CODER, else the project's ``coder`` setting (set once with
        `voicetrace coder PROJECT NAME` or in the web header), else the login name.
        """
        for subject, candidate in (("--coder", explicit), (CODER_ENV, os.environ.get(CODER_ENV)),
                                   ("coder setting", self.setting("coder")), ("coder setting", self.setting("web_coder")),
                                   ("login name", _login_name())):
            if candidate is not None and (candidate.strip() or subject == "--coder"):
                return check_coder_name(candidate, subject)
        return "me"



def check_coder_name(name: str, subject: str) -> str:
    """A coder name is what people read in agreement tables: 1-60 printable characters, spaces collapsed."""
    clean = " ".join(name.split())
    if not clean or len(clean) > 60 or any(not ch.isprintable() for ch in clean):
        raise InputError(subject, "a coder name is 1 to 60 printable characters")
    return clean


def _login_name() -> str | None:
    import getpass
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return None
