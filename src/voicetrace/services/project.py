"""The Project: the one API that the CLI, the web app and Python users call.

Each public method is one user action: it validates, runs in one transaction, writes an audit
event, and returns plain records. The methods live in small modules by concern and are assembled here.
"""
from __future__ import annotations

from pathlib import Path

from ..core.codebook import Codebook
from ..storage.database import Database
from .base import ProjectCore
from .coding_quality import AgreementMixin
from .edits import EditsMixin
from .impact import ImpactMixin
from .refi import RefiMixin
from .suggestions import SuggestionsMixin


class Project(AgreementMixin, SuggestionsMixin, ImpactMixin, RefiMixin, EditsMixin, ProjectCore):
    """An open voicetrace project (one SQLite file, or a database URL).

    A facade: each public method is one user action, delegated to the service that owns that use case
    (services/<concern>.py), all sharing one :class:`~voicetrace.services.context.Context`.
    """

    def __init__(self, db: Database, location: str) -> None:
        super().__init__(db, location)
        # composed services, one per concern (each section below delegates to one of them)


def create(location: str | Path, codebook: Codebook | None = None, *, title: str | None = None,
           description: str | None = None) -> Project:
    """Create a new project file with the default (or a given) codebook."""
    return Project.create(location, codebook, title=title, description=description)


def open_project(location: str | Path) -> Project:
    return Project.open(location)
