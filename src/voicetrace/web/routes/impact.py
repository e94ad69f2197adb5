"""The impact log page: entries with their dated history, made from claims or by hand; the outputs."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from ...core.errors import InputError, NotFound
from ...core.filenames import clean_filename, content_disposition
from ...core.impact import STAGE_ORDER, parse_period
from ...services.impact import entry_record
from ..context import Id, web

router = APIRouter()

OUTPUT_KINDS = ("gripp2", "annual-report", "healthwatch", "you-said-we-did", "letters")
OUTPUT_LABELS = {
    "gripp2": "GRIPP2 short form (NIHR PPI reporting): aim, methods, impact, what did not change, reflections",
    "annual-report": "Involvement section for an ICB or trust annual report, with the previous period compared",
    "healthwatch": "Healthwatch-style outcomes table: issue, who answered, response due and received, outcome",
    "you-said-we-did": "“You said, we did”: public, plain English, reading age measured and stated",
    "letters": "“What changed because of you”: a letter to each group and consented contributor, in one file",
}
MEDIA = {"html": "text/html; charset=utf-8",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


class NewEntry(BaseModel):
    request: str
    case: str | None = None
    asked_by: str = ""
    asked_on: str | None = None
    meeting: str = ""
    due: str | None = None
    claim_ids: list[int] = []


class StepIn(BaseModel):
    status: str
    date: str | None = None
    note: str = ""


def _period_args(fy: str, year: str, start: str, end: str) -> dict[str, str]:
    return {k: v for k, v in (("fy", fy), ("year", year), ("from", start), ("to", end)) if v}


def output_links(fy: str = "", year: str = "", start: str = "", end: str = "", case: str = "") -> list[dict[str, Any]]:
    """Each output's two downloads, with the period and case as query parameters (``link(path, **params)``)."""
    params = {**_period_args(fy, year, start, end), **({"case": case} if case else {})}
    params = {("start" if k == "from" else "end" if k == "to" else k): v for k, v in params.items()}
    return [{"kind": k, "description": OUTPUT_LABELS[k], "html": f"/outputs/{k}.html", "docx": f"/outputs/{k}.docx",
             "params": params} for k in OUTPUT_KINDS]


def _numbers(claims: Any) -> dict[int, int]:
    """Claim id → the number the ledger shows (links go by id, people read the number)."""
    return {c.id: (c.number if c.number is not None else c.id) for c in claims}


@router.get("/impact", response_class=HTMLResponse, include_in_schema=False)
def impact_page(request: Request, case: str = "", status: str = "", fy: str = "", year: str = "",
                start: str = "", end: str = "", outcase: str = "") -> HTMLResponse:
    w = web(request)
    try:
        period = parse_period(start or None, end or None, year or None, fy or None).label
    except ValueError as e:
        raise InputError("period", str(e)) from None
    rows = [r for r in w.project.impact_json() if (not case or r["case"] == case) and (not status or r["status"] == status)]
    linked = {c for r in w.project.impact_json() for c in r["claim_ids"]}
    claims = w.project.claims()
    unlogged = sum(1 for c in claims if c.id not in linked)
    return w.pages.render(request, "impact.html", "impact", "Impact log", rows=rows, filters={"case": case, "status": status},
                          cases=[c.name for c in w.project.cases()], stages=[s.value for s in STAGE_ORDER],
                          unlogged=unlogged, numbers=_numbers(claims), outputs=output_links(fy, year, start, end, outcase), period=period,
                          out_filters={"fy": fy, "year": year, "start": start, "end": end, "outcase": outcase},
                          response_days=w.project.response_days)


@router.get("/api/impact", tags=["impact"])
def impact_json(request: Request) -> list[dict[str, Any]]:
    """The impact log as `voicetrace impact PROJECT --format jsonl` gives it."""
    return web(request).project.impact_json()


@router.get("/impact/{entry_id}", response_class=HTMLResponse, include_in_schema=False)
def entry_page(request: Request, entry_id: Id) -> HTMLResponse:
    w = web(request)
    e = entry_record(w.project.impact_entry(entry_id))
    return w.pages.render(request, "impact_entry.html", "impact", f"Impact entry {entry_id}", e=e,
                          numbers=_numbers(w.project.claims()),
                          stages=[s.value for s in STAGE_ORDER])


@router.get("/api/impact/{entry_id}", tags=["impact"])
def entry_json(request: Request, entry_id: Id) -> dict[str, Any]:
    return entry_record(web(request).project.impact_entry(entry_id))


@router.post("/api/impact/from-claims", tags=["impact"])
def from_claims_json(request: Request) -> dict[str, int]:
    """One entry per claim not yet in the log, stages dated from its passages."""
    w = web(request)
    return w.project.impact_from_claims(by=w.coder)


@router.post("/impact/from-claims", include_in_schema=False)
def from_claims_form(request: Request) -> RedirectResponse:
    w = web(request)
    res = w.project.impact_from_claims(by=w.coder)
    return w.pages.redirect("/impact", msg=f"{res['created']} entries made from claims; "
                                            f"{res['linked']} claims linked to entries already there")


@router.post("/api/impact", tags=["impact"], status_code=201)
def add_json(request: Request, body: NewEntry) -> dict[str, Any]:
    """Record a request by hand (asked on the date given, or today)."""
    w = web(request)
    e = w.project.add_impact(body.request, case=body.case or None, asked_by=body.asked_by, asked_on=body.asked_on,
                             meeting=body.meeting, due=body.due, claim_ids=body.claim_ids, by=w.coder)
    return entry_record(e)


@router.post("/impact/add", include_in_schema=False)
def add_form(request: Request, req: Annotated[str, Form(alias="request")], case: Annotated[str, Form()] = "",
             asked_by: Annotated[str, Form()] = "", asked_on: Annotated[str, Form()] = "",
             meeting: Annotated[str, Form()] = "") -> RedirectResponse:
    w = web(request)
    e = w.project.add_impact(req, case=case or None, asked_by=asked_by, asked_on=asked_on or None, meeting=meeting,
                             by=w.coder)
    return w.pages.redirect(f"/impact/{e.id}", msg=f"entry {e.id} recorded; response due {e.due}")


@router.post("/api/impact/{entry_id}/steps", tags=["impact"], status_code=201)
def step_json(request: Request, entry_id: Id, body: StepIn) -> dict[str, Any]:
    """Move an entry to a stage on a date (a new, audited step; declined needs the reason as the note)."""
    w = web(request)
    return entry_record(w.project.update_impact(entry_id, status=body.status, on=body.date, note=body.note, by=w.coder))


@router.post("/impact/{entry_id}/steps", include_in_schema=False)
def step_form(request: Request, entry_id: Id, status: Annotated[str, Form()], date: Annotated[str, Form()] = "",
              note: Annotated[str, Form()] = "") -> RedirectResponse:
    w = web(request)
    e = w.project.update_impact(entry_id, status=status, on=date or None, note=note, by=w.coder)
    return w.pages.redirect(f"/impact/{entry_id}", msg=f"now {e.status.value.replace('_', ' ')}")


@router.get("/outputs/{filename}", tags=["impact"], response_class=Response,
            responses={200: {"description": "The output, as an attachment",
                             "content": {m.split(";")[0]: {} for m in MEDIA.values()}}})
def output_file(request: Request, filename: str, fy: str = "", year: str = "", start: str = "",
                end: str = "", case: str = "") -> Response:
    """One involvement output as HTML or DOCX, for a period (fy, year, or from/to as start/end) and a case.
    Building it changes nothing in the project."""
    w = web(request)
    kind, _, ext = filename.rpartition(".")
    if kind not in OUTPUT_KINDS or ext not in MEDIA:
        raise NotFound(f"no output named {filename!r}")
    start = start or request.query_params.get("from", "")
    end = end or request.query_params.get("to", "")
    try:
        period = parse_period(start or None, end or None, year or None, fy or None)
    except ValueError as e:
        raise InputError("period", str(e)) from None
    stem = clean_filename(w.project.name, portable=True, fallback="voicetrace")
    with tempfile.TemporaryDirectory(prefix="voicetrace-out-") as tmp:
        paths = w.project.write_outputs(kind, Path(tmp), period=period, cases=[case] if case else None,
                                        by=w.coder, audit=False)
        main = "all-letters" if kind == "letters" else kind
        body = next(p for p in paths if p.name == f"{main}.{ext}").read_bytes()
    return Response(body, media_type=MEDIA[ext],
                    headers={"content-disposition": content_disposition(f"{stem}-{kind}.{ext}")})

