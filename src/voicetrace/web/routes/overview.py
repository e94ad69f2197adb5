"""The project overview: cases, sources, participants and how far coding has got; file upload."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from ..context import WebContext, web
from ..rendering import page_window

router = APIRouter()


LIST_LIMIT = 1000  # sources and participants one overview request lists by default
MAX_LIST = 5000   # and at most: page on with offset
SHOW_ALL_SOURCES = 400  # a project with more sources lists them case by case (?case=NAME) on the page


def source_rows(w: WebContext, sources: list[Any]) -> list[dict[str, Any]]:
    """Sources with their coding progress (counted by SQLite for just these sources)."""
    progress = w.project.coding_progress([s.id for s in sources]) if sources else {}
    rows = []
    for s in sources:
        n_codings, coded = progress.get(s.id, (0, 0))
        rows.append({**s.as_json(), "title": s.title, "type": s.type, "codings": n_codings,
                     "coded_segments": coded, "progress": coded / s.segments if s.segments else 0.0})
    return rows


def overview_data(w: WebContext, offset: int = 0, limit: int = LIST_LIMIT, *,
                  sources: list[Any] | None = None, every_case: bool = False) -> dict[str, Any]:
    """Counts and coding progress summed per case by SQLite; the lists of cases, sources and participants
    are one page each (``offset``, ``limit``, or the ``sources`` given) with their totals in ``counts``.
    The overview page asks for ``every_case``: it pages the case groups itself, 60 at a time."""
    p = w.project
    per_case_progress = p.case_progress()
    shown = sources if sources is not None else p.sources(offset=offset, limit=limit)
    src_rows = source_rows(w, shown)
    cases = p.cases()
    per_case = p.participant_counts()
    case_names = {c.id: c.name for c in cases}
    case_rows = []
    empty = {"sources": 0, "segments": 0, "codings": 0, "coded_segments": 0}
    for c in (cases if every_case else cases[offset:offset + limit]):
        agg = per_case_progress.get(c.id, empty)
        case_rows.append({"name": c.name, "attributes": c.attributes, **agg,
                          "progress": agg["coded_segments"] / agg["segments"] if agg["segments"] else 0.0,
                          "participants": per_case.get(c.id, 0)})
    loose = per_case_progress.get(None)
    total_segments = sum(a["segments"] for a in per_case_progress.values())
    coded_total = sum(a["coded_segments"] for a in per_case_progress.values())
    participants = p.participants(offset=offset, limit=limit)
    about = p.describe()
    return {
        "project": about.title,
        "title": about.title,
        "description": about.description,
        "title_is_default": about.title_is_default,
        "coder": w.coder,
        "counts": {"sources": sum(a["sources"] for a in per_case_progress.values()), "segments": total_segments,
                   "coded_segments": coded_total, "codings": sum(a["codings"] for a in per_case_progress.values()),
                   "cases": len(cases), "sources_without_case": loose["sources"] if loose else 0,
                   "participants": sum(per_case.values()), "memos": p.memo_count(), "coders": p.coders()},
        "progress": coded_total / total_segments if total_segments else 0.0,
        "suggestions": p.suggestion_counts(),
        "offset": offset, "limit": limit,
        "sources": src_rows,
        "cases": case_rows,
        "participants": [{"pseudonym": x.pseudonym, "role": x.role.value, "case": case_names.get(x.case_id) if x.case_id is not None else None,
                          "consent_date": x.consent_date} for x in participants],
    }


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def overview_page(request: Request, case: str = "", page: int = 1) -> HTMLResponse:
    """Every source of a small project; a big one lists cases with their progress, and the sources of
    the case opened with ``?case=`` (rendering tens of thousands of rows would be the slow part)."""
    w = web(request)
    p = w.project
    every = p.source_count() <= SHOW_ALL_SOURCES
    listed = p.sources() if every else (p.sources(case=case) if case else []) + p.sources(case=None, no_case=True)
    data = overview_data(w, 0, PARTICIPANTS_SHOWN, sources=listed, every_case=True)
    groups = [{**c, "rows": [s for s in data["sources"] if s["case"] == c["name"]], "listed": every or c["name"] == case}
              for c in data["cases"]]
    loose = [s for s in data["sources"] if s["case"] is None]
    if loose:
        segs = sum(s["segments"] for s in loose)
        coded = sum(s["coded_segments"] for s in loose)
        groups.append({"name": None, "attributes": {}, "sources": len(loose), "participants": 0,
                       "codings": sum(s["codings"] for s in loose), "segments": segs,
                       "progress": coded / segs if segs else 0.0, "rows": loose, "listed": True})
    # a small project shows every source at once; a big one opens case by case, a page of cases at a time
    open_all = data["counts"]["sources"] <= 30 or len(groups) <= 2
    if case:
        page = next((i // CASES_PER_PAGE + 1 for i, g in enumerate(groups) if g["name"] == case), page)
    window = page_window(len(groups), page, CASES_PER_PAGE)
    return w.pages.render(request, "overview.html", "overview", "Overview", data=data,
                          groups=groups[window["start"]:window["end"]], window=window, first=window["start"],
                          open_all=open_all, kinds=_KINDS, opened=case)


CASES_PER_PAGE = 60


PARTICIPANTS_SHOWN = 300


@router.get("/api/overview", tags=["overview"])
def overview_json(request: Request, offset: Annotated[int, Query(ge=0)] = 0,
                  limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = LIST_LIMIT) -> dict[str, Any]:
    """Counts, and a page of cases, of sources (with coding progress) and of participants: ``limit`` (at
    most 5000) of each from ``offset``; ``counts`` gives the totals."""
    return overview_data(web(request), offset, limit)


class ProjectAbout(BaseModel):
    title: str | None = None
    description: str | None = None


def _describe(w: WebContext, title: str | None, description: str | None) -> dict[str, Any]:
    info = w.project.update_project(title=title, description=description, actor=w.coder)
    w.pages.set_project_name(info.title)
    return info.as_json()


@router.get("/api/project", tags=["overview"])
def project_json(request: Request) -> dict[str, Any]:
    """The project's title and description (as `voicetrace project --format json` prints them)."""
    return web(request).project.describe().as_json()


@router.put("/api/project", tags=["overview"])
def set_project_json(request: Request, body: ProjectAbout) -> dict[str, Any]:
    """Set the title and/or the description (a field left out stays as it is); audited."""
    return _describe(web(request), body.title, body.description)


@router.post("/settings/project", include_in_schema=False)
def set_project_form(request: Request, title: str = Form(...), description: str = Form("")) -> RedirectResponse:
    w = web(request)
    _describe(w, title, description)
    return w.pages.redirect("/", msg="title and description saved")


@router.get("/api/sources", tags=["sources"])
def sources_json(request: Request, offset: Annotated[int, Query(ge=0)] = 0,
                 limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = LIST_LIMIT) -> list[dict[str, Any]]:
    """The `voicetrace sources --format jsonl` records, one per source: ``limit`` (at most 5000) from ``offset``."""
    return [s.as_json() for s in web(request).project.sources(offset=offset, limit=limit)]


_KINDS = ["", "minutes", "annual_report", "work_plan", "newsletter", "grant_application", "strategy", "report",
          "interview", "focus_group", "other"]


@router.post("/import", include_in_schema=False)
def import_form(request: Request, files: Annotated[list[UploadFile], File()], case: str = Form(""),
                kind: str = Form("")) -> RedirectResponse:
    w = web(request)
    rep = _import(w, files, case, kind)
    msg = f"imported {len(rep['imported'])} file(s)"
    if rep["duplicates"]:
        msg += f"; {len(rep['duplicates'])} already in the project"
    if rep["failed"]:
        return w.pages.redirect("/", msg=msg, err="; ".join(f"{n}: {why}" for n, why in rep["failed"]))
    return w.pages.redirect("/", msg=msg)


@router.post("/api/import", tags=["sources"])
def import_json(request: Request, files: Annotated[list[UploadFile], File()], case: str = Form(""),
                kind: str = Form("")) -> dict[str, Any]:
    """Upload files (each at most 50 MB in all) and import them; each file imports whole or not at all."""
    return _import(web(request), files, case, kind)


def _import(w: WebContext, files: list[UploadFile], case: str, kind: str) -> dict[str, Any]:
    uploads = [(f.filename or "", f.file.read()) for f in files]  # the request is at most 50 MB in all
    rep = w.project.import_files(uploads, case=case.strip() or None, kind=kind or None, actor=w.coder)
    w.segments.reload()
    return rep.as_json()
