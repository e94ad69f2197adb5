"""`voicetrace impact PROJECT [list|add|update|from-claims|export]` and `voicetrace outputs PROJECT KIND`."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..core.errors import InputError
from ..core.impact import parse_period
from . import output
from .common import ProjectArg, guarded, open_project

FORMATS = ("table", "jsonl", "csv", "xlsx")
ImpactFormat = Annotated[str, typer.Option("--format", help="table, jsonl, csv or xlsx (xlsx needs --out).")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Write to this file instead of the terminal.")]
CaseOpt = Annotated[list[str] | None, typer.Option("--case", help="Only this case (repeatable).")]
ByOpt = Annotated[str | None, typer.Option("--by", help="Who is recording this, for the audit trail "
                                                        "(default: your coder name).")]

ACTIONS = ("list", "add", "update", "from-claims", "export")


def _list(project: Path, format: str, out: Path | None, case: list[str] | None) -> None:
    if format not in FORMATS:
        output.fail(f"--format: {format!r} is not one of {', '.join(FORMATS)}")
    p = open_project(project)
    if format == "xlsx" or out is not None:
        if out is None:
            output.fail("--format xlsx: give --out FILE.xlsx")
        assert out is not None
        p.export_impact(out, cases=case, fmt=None if format == "table" else format)
        output.out.print(f"impact log written to {out}", markup=False)
        return
    rows = p.impact_json(case)
    if format == "jsonl":
        output.write_jsonl(rows)
    elif format == "csv":
        sys.stdout.write(p.impact_csv(case))
    else:
        output.table(f"{len(rows)} impact log entries",
                     ["id", "case", "status", "since", "asked", "due", "overdue", "claims", "request"],
                     [(r["id"], r["case"], r["status"], r["status_date"], r["asked_on"], r["due"],
                       "yes" if r["overdue"] else "", ",".join(map(str, r["claim_numbers"])), r["request"][:70])
                      for r in rows])


def _one_case(case: list[str] | None) -> str | None:
    if case and len(case) > 1:
        raise InputError("--case", "an entry belongs to one case")
    return case[0] if case else None


def impact(
    project: ProjectArg,
    action: Annotated[str, typer.Argument(help="list (default), add REQUEST, update ID, from-claims, "
                                               "export FILE.")] = "list",
    target: Annotated[str | None, typer.Argument(help="add: what was asked; update: the entry id; "
                                                      "export: the .csv/.xlsx/.jsonl file.", show_default=False)] = None,
    format: ImpactFormat = "table", out: OutOpt = None, case: CaseOpt = None,
    asked_by: Annotated[str, typer.Option("--asked-by", help="add: who asked (pseudonyms only).")] = "",
    asked_on: Annotated[str | None, typer.Option("--asked-on", help="add: when (YYYY-MM-DD; default today).")] = None,
    meeting: Annotated[str, typer.Option("--meeting", help="add: the meeting it was raised at.")] = "",
    level: Annotated[str | None, typer.Option("--level", help="add: a level code id.")] = None,
    domain: Annotated[str | None, typer.Option("--domain", help="add: a domain code id.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="add/update: response due (default asked + response "
                                                          "days).")] = None,
    claim: Annotated[list[int] | None, typer.Option("--claim", help="add/update/from-claims: a claim number, as "
                                                                    "`voicetrace claims` shows it (repeatable).")] = None,
    status: Annotated[str | None, typer.Option("--status", help="update: asked, agreed, in_progress, done, "
                                                                "verified or declined.")] = None,
    on: Annotated[str | None, typer.Option("--date", help="update: when it happened (default today).")] = None,
    note: Annotated[str, typer.Option("--note", help="update: a note; the reason, for declined.")] = "",
    response: Annotated[str | None, typer.Option("--response", help="update: the response, in words.")] = None,
    by: ByOpt = None,
) -> None:
    """The impact log: what involvement asked for, the response, and dated, audited status changes."""
    if action not in ACTIONS:
        raise InputError(action, f"unknown action (one of: {', '.join(ACTIONS)})")
    needs = {"add": "what was asked", "update": "the entry id", "export": "the file to write"}
    if action in needs and not target:
        raise InputError(f"impact {action}", f"give {needs[action]}")
    if action == "list":
        if target:
            raise InputError(str(target), "list takes no further argument")
        _list(project, format, out, case)
        return
    p = open_project(project)
    who = p.coder(by)
    claim_ids = [p.claim_by_number(n).id for n in claim] if claim else None
    if action == "export":
        p.export_impact(Path(str(target)), cases=case, by=who)
        output.out.print(f"impact log written to {target}", markup=False)
    elif action == "from-claims":
        res = p.impact_from_claims(claim_ids=claim_ids, by=who)
        output.out.print(f"impact log: {res['created']} entries created from claims, {res['linked']} claims "
                         f"linked to existing entries", markup=False)
    elif action == "add":
        e = p.add_impact(str(target), case=_one_case(case), asked_by=asked_by, asked_on=asked_on, meeting=meeting,
                         level=level, domain=domain, due=due, claim_ids=claim_ids or [], by=who)
        output.out.print(f"impact entry {e.id}: asked {e.asked_on}, response due {e.due}", markup=False)
    else:
        if not str(target).isdigit():
            raise InputError(str(target), "an entry id is a number")
        e = p.update_impact(int(str(target)), status=status, on=on, note=note, response=response, due=due,
                            claim_ids=claim_ids or [], by=who)
        last = e.history()[-1]
        output.out.print(f"impact entry {e.id}: {e.status.value} since {last.date or '(undated)'}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("impact")(guarded(impact))

    @app.command()
    @guarded
    def outputs(project: ProjectArg,
                kind: Annotated[str, typer.Argument(help="gripp2, annual-report, healthwatch, you-said-we-did or letters.")],
                out: Annotated[Path, typer.Option("--out", help="The folder to write the HTML and DOCX into.")],
                from_: Annotated[str | None, typer.Option("--from", help="Period start, YYYY-MM-DD.")] = None,
                to: Annotated[str | None, typer.Option("--to", help="Period end, YYYY-MM-DD.")] = None,
                year: Annotated[str | None, typer.Option("--year", help="A calendar year, e.g. 2008.")] = None,
                fy: Annotated[str | None, typer.Option("--fy", help="A financial year (April-March), e.g. 2008-09.")] = None,
                case: CaseOpt = None,
                templates: Annotated[Path | None, typer.Option("--templates", help="A folder of your own templates "
                                                                                "(and logo.png) to use instead.")] = None,
                logo: Annotated[Path | None, typer.Option("--logo", help="An image to head each output.")] = None,
                organisation: Annotated[str | None, typer.Option("--organisation", help="The name to head each output.")] = None,
                by: ByOpt = None) -> None:
        """Write an involvement output (HTML and DOCX): the GRIPP2 short form, an annual-report section, a
        Healthwatch outcomes table, "you said, we did", or letters to contributors."""
        try:
            period = parse_period(from_, to, year, fy)
        except ValueError as e:
            raise InputError("period", str(e)) from None
        p = open_project(project)
        paths = p.write_outputs(kind, out, period=period, cases=case, templates=templates, logo=logo,
                                organisation=organisation, by=p.coder(by))
        output.out.print(f"{kind} ({period.label}): {len(paths)} files in {out}", markup=False)
