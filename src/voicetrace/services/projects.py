"""A project's life: creating and opening its file, and what it says about itself (title, description).

Creating and opening return a :class:`~voicetrace.storage.database.Database`; the facade's classmethods
(``Project.create`` / ``Project.open``) wrap it, so that subclasses of Project still get themselves back.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.exc import OperationalError

from ..core.codebook import Codebook
from ..core.errors import InputError
from ..core.projects import ProjectInfo, clean_description, clean_title, default_title
from ..storage.codebooks import load_default_codebook, write_codebook
from ..storage.database import Database, open_database
from .context import Context, check_coder_name


def create_database(location: str | Path, codebook: Codebook | None = None, actor: str = "init", *,
                    title: str | None = None, description: str | None = None) -> Database:
    """A new project file holding ``codebook`` (else the packaged default), its creation audited."""
    about: dict[str, str] = {}  # checked before the file exists, so a bad title leaves nothing behind
    if title is not None:
        about["title"] = clean_title(title)
    if description is not None:
        about["description"] = clean_description(description)
    try:
        db = open_database(location, create=True)
    except FileExistsError as e:
        raise InputError(str(location), "already exists; choose another name or open it") from e
    cb = codebook or load_default_codebook()
    with db.begin() as conn:
        write_codebook(conn, cb, replace=True)
        for key, value in about.items():
            db.set_meta(conn, key, value)
        db.log(conn, actor, "create_project", "project", None, codebook=cb.name, version=cb.version, **about)
    return db


def open_existing(location: str | Path) -> Database:
    """An existing project; every way of not being one is one line naming the file."""
    try:
        return open_database(location, create=False)
    except FileNotFoundError:
        raise InputError(str(location), "no such project (create it with `voicetrace init`)") from None
    except (ValueError, RuntimeError, sqlite3.DatabaseError) as e:
        raise InputError(str(location), str(e).split(": ", 1)[-1]) from None
    except OperationalError as e:
        raise InputError(str(location), f"cannot open project: {e.orig}") from None


class ProjectDetails:
    """Title, description and the remembered coder name: what every report and header shows."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def _set_title(self) -> str | None:
        return self.ctx.db.get_meta("title") or self.ctx.db.get_meta("name")

    @property
    def title(self) -> str:
        """What every report and summary is headed with: the title set, else one made from the file name."""
        return self._set_title() or default_title(self.ctx.location)

    @property
    def description(self) -> str:
        return self.ctx.db.get_meta("description") or ""

    def describe(self) -> ProjectInfo:
        """Title, description and where the project lives, as the `project` command shows them."""
        title = self._set_title()
        return ProjectInfo(title=title or default_title(self.ctx.location), description=self.description,
                           title_is_default=not title, location=self.ctx.location,
                           created_at=self.ctx.db.get_meta("created_at"))

    def update_project(self, *, title: str | None = None, description: str | None = None,
                       actor: str = "user") -> ProjectInfo:
        """Set the title and/or description together, in one audited transaction."""
        values: dict[str, str] = {}
        if title is not None:
            values["title"] = clean_title(title)
        if description is not None:
            values["description"] = clean_description(description)
        if values:
            with self.ctx.db.begin() as conn:
                for key, value in values.items():
                    self.ctx.db.set_meta(conn, key, value)
                self.ctx.db.log(conn, actor, "describe_project", "project", None, **values)
        return self.describe()

    def set_coder(self, name: str) -> str:
        """Remember the coder name in the project, for every command and the web app from now on."""
        clean = check_coder_name(name, "coder")
        self.ctx.set_setting("coder", clean, actor=clean)
        return clean
