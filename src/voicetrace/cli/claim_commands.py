"""`voicetrace claim …`: one claim at a time, by the number the ledger and the report show.

Merging and splitting live here as well as in the web ledger, so an analyst can settle "is this one
change or two?" wherever they read the claims; both are reversible and both survive a rebuild.
"""
from __future__ import annotations

from typing import Annotated

import typer

from . import output
from .common import ProjectArg, guarded, open_project

claim_app = typer.Typer(no_args_is_help=True,
                        help="Show, edit, merge or split claims, by their number (as `voicetrace claims` shows it).")

NumberArg = Annotated[int, typer.Argument(help="The claim's number.", show_default=False)]
ByOpt = Annotated[str | None, typer.Option("--by", help="Who makes the change, recorded in the audit log "
                                                        "(default: your coder name).")]


def _print(p: object, c: object, title: str) -> None:
    strength, why = p.claim_strength(c)  # type: ignore[attr-defined]
    output.out.print(f"{title} {c.number}: {c.change}", markup=False)  # type: ignore[attr-defined]
    output.out.print(f"  {c.case_name} · {c.level} · {c.domain} · {c.status} · {strength} ({why})",  # type: ignore[attr-defined]
                     markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(claim_app, name="claim")


@claim_app.command("show")
@guarded
def show(project: ProjectArg, number: NumberArg) -> None:
    """A claim with its evidence and, for a merged claim, the parts it was made from."""
    p = open_project(project)
    c = p.claim_by_number(number)
    _print(p, c, "claim")
    for e in c.evidence:
        who = f" — {e.speaker} ({e.speaker_role})" if e.speaker else ""
        output.out.print(f"  [{e.stance.value}] {e.source_name} {e.start}–{e.end}{who}: {e.text[:200]}", markup=False)
    parts = p.claim_parts(c.id)
    if parts:
        output.out.print(f"  made of {len(parts)} parts (`voicetrace claim split` separates them):", markup=False)
        for part in parts:
            output.out.print(f"    – {part.change}", markup=False)


@claim_app.command("merge")
@guarded
def merge(project: ProjectArg,
          numbers: Annotated[list[int], typer.Argument(help="Two or more claim numbers of one case.", show_default=False)],
          by: ByOpt = None) -> None:
    """Merge claims that describe one change into one claim (its evidence is theirs; reversible with split)."""
    if len(numbers) < 2:
        output.fail("numbers: give at least two claims to merge")
    p = open_project(project)
    ids = [p.claim_by_number(n).id for n in numbers]
    merged = p.merge_claims(ids, by=p.coder(by))
    _print(p, merged, "merged into claim")


@claim_app.command("split")
@guarded
def split(project: ProjectArg, number: NumberArg, by: ByOpt = None) -> None:
    """Split a merged claim back into the claims it was made from (kept apart by later rebuilds)."""
    p = open_project(project)
    parts = p.unmerge_claim(p.claim_by_number(number).id, by=p.coder(by))
    for part in parts:
        _print(p, part, "claim")


@claim_app.command("edit")
@guarded
def edit(project: ProjectArg, number: NumberArg,
         change: Annotated[str | None, typer.Option(help="The headline: what changed, where, for whom.")] = None,
         level: Annotated[str | None, typer.Option(help="A level code id.")] = None,
         domain: Annotated[str | None, typer.Option(help="A domain code id.")] = None,
         activity: Annotated[str | None, typer.Option(help="An activity code id.")] = None,
         status: Annotated[str | None, typer.Option(help="proposed, planned, in_progress, implemented, sustained, not_adopted.")] = None,
         note: Annotated[str | None, typer.Option(help="The analyst's note.")] = None,
         by: ByOpt = None) -> None:
    """Edit a claim's headline or codes; an edited claim is kept as it is when claims are rebuilt."""
    fields = {k: v for k, v in {"change": change, "level": level, "domain": domain, "activity": activity,
                                "status": status, "note": note}.items() if v is not None}
    if not fields:
        output.fail("edit: give at least one of --change, --level, --domain, --activity, --status, --note")
    p = open_project(project)
    c = p.update_claim(p.claim_by_number(number).id, by=p.coder(by), **fields)
    _print(p, c, "claim")
