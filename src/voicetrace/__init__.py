"""voicetrace: what service-user involvement changes in health and social care, from the evidence.

The public Python API mirrors the CLI::

    import voicetrace
    p = voicetrace.create("study.db")
    p.import_paths(["corpus/"])
    p.search("parking")
"""
from __future__ import annotations

from .core.errors import InputError, NotFound, VoicetraceError
from .core.projects import ProjectInfo
from .services.project import Project, create
from .services.project import open_project as open  # noqa: A001 - mirrors sqlite3.connect / tarfile.open
from .services.records import CodingRecord, ImportReport, SearchHit, SourceInfo

__version__ = "0.1.0"

__all__ = [
    "CodingRecord",
    "ImportReport",
    "InputError",
    "NotFound",
    "Project",
    "ProjectInfo",
    "SearchHit",
    "SourceInfo",
    "VoicetraceError",
    "__version__",
    "create",
    "open",
]
