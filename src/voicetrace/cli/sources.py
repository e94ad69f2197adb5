"""`voicetrace source delete|move|edit`: fix a source imported under the wrong case, kind or date, or remove it.

Each change is undoable with `voicetrace undo`; a deletion shows what it removes and asks first
(`--yes` to skip the question in scripts).
"""
from __future__ import annotations

import sys
from typing import Annotated

import typer

from . import output
from .common import CoderOpt, ProjectArg, guarded, open_project

source_app = typer.Typer(no_args_is_help=True, help="Delete a source, move it to another case, or change its kind "
                                                    "or date (all undoable).")

SourceArg = Annotated[str, typer.Argument(help="Source name as `voicetrace sources` lists it.", show_default=False)]


@source_app.command("delete")
@guarded
def delete(project: ProjectArg, source: SourceArg,
           yes: Annotated[bool, typer.Option("--yes", help="Do not ask; delete.")] = False,
           coder: CoderOpt = None) -> None:
    """Delete a source with its segments, codings, suggestions, claim evidence and memos."""
    p = open_project(project)
    info = p.source(source)
    counts = p.source_dependents(info.name)
    what = ", ".join(f"{v} {k}" for k, v in counts.items()) or "nothing else"
    if not yes:
        if not sys.stdin.isatty():
            output.fail(f"{info.name}: deleting removes {what}; add --yes to confirm")
        if not typer.confirm(f"Delete {info.name} and its {what}?", default=False, err=True):
            output.fail("nothing deleted")
    p.delete_source(info.name, actor=p.coder(coder))
    output.out.print(f"deleted {info.name} ({what}); `voicetrace undo {project}` puts it back", markup=False)


@source_app.command("move")
@guarded
def move(project: ProjectArg, source: SourceArg,
         case: Annotated[str, typer.Argument(help="The case it belongs to.", show_default=False)],
         new_case: Annotated[bool, typer.Option("--new-case", help="Create the case if it does not exist.")] = False,
         coder: CoderOpt = None) -> None:
    """Move a source to another case."""
    p = open_project(project)
    info = p.edit_source(source, case=case, create_case=new_case, actor=p.coder(coder))
    output.out.print(f"{info.name} is now in case {info.case}", markup=False)


@source_app.command("edit")
@guarded
def edit(project: ProjectArg, source: SourceArg,
         kind: Annotated[str | None, typer.Option(help="The source kind, e.g. minutes, interview.")] = None,
         date: Annotated[str | None, typer.Option(help="The source date YYYY-MM-DD ('' clears it).")] = None,
         coder: CoderOpt = None) -> None:
    """Change a source's kind or date."""
    p = open_project(project)
    info = p.edit_source(source, kind=kind, date=date, actor=p.coder(coder))
    output.out.print(f"{info.name}: kind {info.kind}, date {info.date or '(none)'}", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(source_app, name="source")
