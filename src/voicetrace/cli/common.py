"""What every command module shares: the project argument, error handling, opening a project."""
from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..core.errors import VoicetraceError
from . import output

if TYPE_CHECKING:
    from ..services.project import Project

def choice(*allowed: str) -> Callable[..., Any]:
    """An option callback: a value outside ``allowed`` is one line naming the choices, not silently ignored."""
    def check(param: typer.CallbackParam, value: str | None) -> str | None:
        if value is None:
            return value
        from ..core.choices import one_of
        return one_of(value, allowed, f"--{(param.name or 'value').replace('_', '-')}", what="value")
    return check


def within(low: float | None = None, high: float | None = None) -> Callable[..., Any]:
    """An option callback: a number outside [low, high] is one line, never a silent "no limit" or a crash."""
    def check(param: typer.CallbackParam, value: float | None) -> float | None:
        if value is not None:
            from ..core.choices import in_range
            in_range(value, f"--{(param.name or 'value').replace('_', '-')}", low=low, high=high)
        return value
    return check


ProjectArg = Annotated[Path, typer.Argument(help="The project file (SQLite).", show_default=False)]
FormatOpt = Annotated[str, typer.Option("--format", help="table or jsonl.", callback=choice("table", "jsonl"))]
JsonFormatOpt = Annotated[str, typer.Option("--format", help="table or json.", callback=choice("table", "json"))]
CoderOpt = Annotated[str | None, typer.Option(
    "--coder", help="Who is working (default: $VOICETRACE_CODER, else the project's coder setting, else your "
                    "login name).")]


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


# The service layer is imported when a command runs, never at start-up: `voicetrace --help` stays instant.
def open_project(path: Path) -> Project:
    from ..services.project import Project
    return Project.open(path)


def create_project(path: Path, **details: Any) -> Project:
    from ..services.project import Project
    return Project.create(path, **details)
