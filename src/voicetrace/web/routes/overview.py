"""The project overview: cases, sources, participants and how far coding has got; file upload."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from ...core.filenames import clean_filename, unique_name
from ..context import WebContext, web

router = APIRouter()


def overview_data(w: WebContext) -> dict[str, Any]:
    p = w.project
    sources = p.sources()
    codings = p.codings()
    coded_segments: dict[str, set[int]] = {}
    codings_by_source: dict[str, int] = {}
    for k in codings:
        codings_by_source[k.source] = codings_by_source.get(k.source, 0) + 1
        if k.segment_id is not None:
            coded_segments.setdefault(k.source, set()).add(k.segment_id)
    src_rows = [{**s.as_json(), "title": s.title, "type": s.type, "codings": codings_by_source.get(s.name, 0),
                 "coded_segments": len(coded_segments.get(s.name, ())),
                 "progress": (len(coded_segments.get(s.name, ())) / s.segments) if s.segments else 0.0}
                for s in sources]
    cases = p.cases()
    participants = p.participants()
    case_names = {c.id: c.name for c in cases}
    case_rows = []
    codings_by_case: dict[str | None, int] = {}
    for k in codings:
        codings_by_case[k.case] = codings_by_case.get(k.case, 0) + 1
    for c in cases:
        mine = [r for r in src_rows if r["case"] == c.name]
        segs = sum(r["segments"] for r in mine)
        coded = sum(r["coded_segments"] for r in mine)
        case_rows.append({"name": c.name, "attributes": c.attributes,
                          "sources": len(mine), "segments": segs, "coded_segments": coded,
                          "progress": coded / segs if segs else 0.0,
                          "participants": sum(1 for x in participants if x.case_id == c.id),
                          "codings": codings_by_case.get(c.name, 0)})
    total_segments = sum(s.segments for s in sources)
    coded_total = sum(len(v) for v in coded_segments.values())
    about = p.describe()
    return {
        "project": about.title,
        "title": about.title,
        "description": about.description,
        "title_is_default": about.title_is_default,
        "coder": w.coder,
        "counts": {"sources": len(sources), "segments": total_segments, "coded_segments": coded_total,
                   "codings": len(codings), "cases": len(cases), "participants": len(participants),
                   "memos": len(p.memos()), "coders": sorted({k.coder for k in codings})},
        "progress": coded_total / total_segments if total_segments else 0.0,
        "suggestions": p.suggestion_counts(),
        "sources": src_rows,
        "cases": case_rows,
        "participants": [{"pseudonym": x.pseudonym, "role": x.role.value, "case": case_names.get(x.case_id) if x.case_id is not None else None,
                          "consent_date": x.consent_date} for x in participants],
    }


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def overview_page(request: Request) -> HTMLResponse:
    w = web(request)
    data = overview_data(w)
    groups = [{**c, "rows": [s for s in data["sources"] if s["case"] == c["name"]]} for c in data["cases"]]
    loose = [s for s in data["sources"] if s["case"] not in {c["name"] for c in data["cases"]}]
    if loose:
        segs = sum(s["segments"] for s in loose)
        coded = sum(s["coded_segments"] for s in loose)
        groups.append({"name": None, "attributes": {}, "sources": len(loose), "participants": 0,
                       "codings": sum(s["codings"] for s in loose), "segments": segs,
                       "progress": coded / segs if segs else 0.0, "rows": loose})
    # a small project shows every source at once; a big one opens case by case
    open_all = len(data["sources"]) <= 30 or len(groups) <= 2
    return w.pages.render(request, "overview.html", "overview", "Overview", data=data, groups=groups,
                          open_all=open_all, kinds=_KINDS)


@router.get("/api/overview", tags=["overview"])
def overview_json(request: Request) -> dict[str, Any]:
    """Counts, sources with coding progress, cases and participants."""
    return overview_data(web(request))


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
def sources_json(request: Request) -> list[dict[str, Any]]:
    """The `voicetrace sources --format jsonl` records, one per source."""
    return [s.as_json() for s in web(request).project.sources()]


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
    with tempfile.TemporaryDirectory(prefix="voicetrace-upload-") as tmp:
        paths = []
        for f in files:
            name = unique_name(clean_filename(f.filename or "", fallback="upload"),
                               lambda n: (Path(tmp) / n).exists())
            target = Path(tmp) / name
            with target.open("wb") as out:
                while chunk := f.file.read(1 << 20):
                    out.write(chunk)
            paths.append(target)
        rep = w.project.import_paths(paths, case=case.strip() or None, kind=kind or None, actor=w.coder)
    w.segments.reload()
    return rep.as_json()
