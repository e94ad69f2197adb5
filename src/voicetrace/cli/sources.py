"""`voicetrace source delete|move|edit`: fix a source imported under the wrong case, kind or date, or remove it.

Each change is undoable with `voicetrace undo` (repeatedly, newest first); a deletion shows what it
removes and asks first (`--yes` to skip the question in scripts). `voicetrace trash list|purge` shows
the undo stack and drops old entries for good.
"""
from __future__ import annotations

import sys
from typing import Annotated

import typer

from . import output
from .common import CoderOpt, FormatOpt, ProjectArg, guarded, open_project, within

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
    from ..services.edits import removal_text
    what = removal_text(counts)
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


trash_app = typer.Typer(no_args_is_help=True, help="What `voicetrace undo` can still put back, and purging it "
                                                   "(purged changes can no longer be undone).")


@trash_app.command("list")
@guarded
def trash_list(project: ProjectArg, format: FormatOpt = "table",
               anyone: Annotated[bool, typer.Option("--anyone", help="Every coder's entries, not only yours.")] = False,
               coder: CoderOpt = None) -> None:
    """The undo stack, newest first: each `voicetrace undo` puts back the top one of yours."""
    p = open_project(project)
    entries = p.undoable(None if anyone else p.coder(coder))
    if format == "jsonl":
        output.write_jsonl(entries)
        return
    output.table(None, ["at", "actor", "action", "summary"],
                 [(e["at"], e["actor"], e["action"].replace("_", " "), e["summary"]) for e in entries])


@trash_app.command("purge")
@guarded
def trash_purge(project: ProjectArg,
                older_than: Annotated[float, typer.Option("--older-than", metavar="DAYS", callback=within(low=0),
                                                          help="Purge entries older than this many days (0: all).")],
                coder: CoderOpt = None) -> None:
    """Drop old trash entries (every coder's) for good: they can no longer be undone."""
    p = open_project(project)
    n = p.purge_trash(older_than, actor=p.coder(coder))
    output.out.print(f"purged {n} trash entr{'y' if n == 1 else 'ies'} older than {older_than:g} days; "
                     "they can no longer be undone", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(source_app, name="source")
    app.add_typer(trash_app, name="trash")
