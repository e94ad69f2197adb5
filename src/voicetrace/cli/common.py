"""What every command module shares: the project argument, error handling, opening a project."""
from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from ..core.errors import VoicetraceError
from ..services.project import Project
from . import output

ProjectArg = Annotated[Path, typer.Argument(help="The project file (SQLite).", show_default=False)]
FormatOpt = Annotated[str, typer.Option("--format", help="table or jsonl.")]


def guarded(fn: Callable[..., None]) -> Callable[..., None]:
    """Turn user errors into one stderr line and exit 1, whoever calls the command."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            fn(*args, **kwargs)
        except VoicetraceError as e:
            output.fail(str(e))
        except KeyboardInterrupt:
            output.fail("interrupted", code=130)
    return wrapper


def open_project(path: Path) -> Project:
    return Project.open(path)
