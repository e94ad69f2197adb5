"""voicetrace: what service-user involvement changes in health and social care, from the evidence.

The public Python API mirrors the CLI::

    import voicetrace
    p = voicetrace.create("study.db")
    p.import_paths(["corpus/"])
    p.search("parking")
"""
from __future__ import annotations

import importlib as _importlib
import typing as _typing

from .core.errors import InputError, NotFound, VoicetraceError
from .core.projects import ProjectInfo

if _typing.TYPE_CHECKING:
    from .services.project import Project, create
    from .services.project import open_project as open
    from .services.records import CodingRecord, ImportReport, SearchHit, SourceInfo

__version__ = "0.1.0"

# The service layer (pandas, SQLAlchemy, the readers) loads on first use, not on `import voicetrace`:
# the CLI imports this package, and `voicetrace --help` must not pay for what it does not run.
_LAZY = {
    "Project": ("services.project", "Project"),
    "create": ("services.project", "create"),
    "open": ("services.project", "open_project"),
    "CodingRecord": ("services.records", "CodingRecord"),
    "ImportReport": ("services.records", "ImportReport"),
    "SearchHit": ("services.records", "SearchHit"),
    "SourceInfo": ("services.records", "SourceInfo"),
}


def __getattr__(name: str) -> _typing.Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'voicetrace' has no attribute {name!r}")
    module, attr = _LAZY[name]
    value = getattr(_importlib.import_module(f".{module}", __name__), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

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
