"""The framework matrix (cases × codes of one dimension): counts, then a cell's quotes and summary."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from ...core.codebook import DIMENSIONS
from ..context import INT64_MAX, WebContext, web
from ..rendering import page_window
from .frames import plain
from .reader import coding_json

router = APIRouter()

NO_CASE = "(no case)"


class CellSummary(BaseModel):
    case: str
    code: str
    summary: str


CASES_PER_PAGE = 100  # rows (cases) of the matrix page
MAX_CASES = 1000  # the most rows one /api/matrix request returns; page with offset and limit


def matrix_data(w: WebContext, dimension: str, offset: int = 0, limit: int = CASES_PER_PAGE) -> dict[str, Any] | None:
    """Counts per cell from SQL (no quotes: a cell's page reads those), for one dimension's codes and
    ``limit`` cases from ``offset``; ``total_cases`` counts every row, ``top`` is the whole matrix's busiest cell."""
    if not w.has("matrix_page"):
        return None
    cb = w.project.codebook()
    codes = [c.id for c in cb.codes_in(dimension)] if dimension else [c.id for c in cb.codes if c.codable]
    page = w.project.matrix_page(codes, offset=offset, limit=limit)
    cells = [cell for row in page.items for cell in row["cells"]]
    cases: list[str] = []
    table: dict[str, dict[str, dict[str, Any]]] = {}
    for cell in cells:
        case = cell.get("case") or NO_CASE
        cell["case"] = case
        if case not in table:
            cases.append(case)
            table[case] = {}
        table[case][cell["code"]] = cell
    total = page.total
    if not w.project.coding_count():
        cases, table, cells, total = [], {}, [], 0
    return {"dimension": dimension, "codes": [{"id": c, "label": cb.get(c).label if c in cb else c} for c in codes],
            "cases": cases, "cells": cells, "top": max(_top(w, codes, page, cells), 1),
            "offset": page.offset, "limit": limit, "total_cases": total,
            "next_offset": page.next_offset if total else None, "_table": table}


def _top(w: WebContext, codes: list[str], page: Any, cells: list[dict[str, Any]]) -> int:
    """The busiest cell of the whole matrix: read off the page when it holds every row, else one query."""
    if not cells:
        return 0
    if page.offset == 0 and len(page.items) == page.total:
        return max(int(c["count"]) for c in cells)
    return int(w.project.matrix_top(codes))


@router.get("/matrix", response_class=HTMLResponse, include_in_schema=False)
def matrix_page(request: Request, dimension: str = "domain", page: int = 1) -> HTMLResponse:
    w = web(request)
    start = (min(max(1, page), 10**9) - 1) * CASES_PER_PAGE
    data = matrix_data(w, dimension, start, CASES_PER_PAGE)
    window = page_window(data["total_cases"] if data else 0, page, CASES_PER_PAGE)
    if data and window["start"] != start:  # past the last page: show the last one
        data = matrix_data(w, dimension, window["start"], CASES_PER_PAGE)
    rows = data["cases"] if data else []
    return w.pages.render(request, "matrix.html", "matrix", "Framework matrix", data=data, dimension=dimension,
                          dimensions=DIMENSIONS, rows=rows, window=window, pager_params={"dimension": dimension})


@router.get("/api/matrix", tags=["matrix"])
def matrix_json(request: Request, dimension: str = "domain", offset: Annotated[int, Query(ge=0, le=INT64_MAX)] = 0,
                limit: Annotated[int, Query(ge=1, le=MAX_CASES)] = CASES_PER_PAGE) -> dict[str, Any]:
    """Cells (case × code) with count, sources, participants, roles and summary for ``limit`` cases (at
    most 1000) from ``offset``; ``total_cases`` counts them all and ``next_offset`` is where the next page
    starts. A cell's quotes and coding ids come from /api/matrix/cell."""
    data = matrix_data(web(request), dimension, offset, limit)
    if data is None:
        return {"available": False}
    return {k: v for k, v in data.items() if not k.startswith("_")}


def cell_data(w: WebContext, case: str, code: str) -> dict[str, Any]:
    from ...core.errors import NotFound
    if not w.has("matrix_cell"):
        raise NotFound("the framework matrix is not available yet")
    cb = w.project.codebook()
    cell = w.project.matrix_cell(None if case == NO_CASE else case, code)
    if cell is None:
        known = {c["case"] or NO_CASE for c in w.project.matrix_counts([code])}
        if code not in cb or (case or NO_CASE) not in known:
            raise NotFound(f"no matrix cell for case {case!r} and code {code!r}")
        cell = {"case": case, "code": code, "count": 0, "n_sources": 0, "n_participants": 0, "roles": [],
                "exemplars": [], "coding_ids": [],
                "summary": w.project.cell_summaries().get((case, code), "")}
    cell = {str(k): plain(v) for k, v in cell.items()}
    cell["case"] = cell.get("case") or NO_CASE
    cell["quotes"] = cell.get("exemplars", [])
    ids = list(cell.get("coding_ids") or [])
    codings = [coding_json(w, c) for c in w.project.codings(ids=ids)] if ids else []
    return {**cell, "label": cb.get(code).label if code in cb else code, "codings": codings}


@router.get("/matrix/cell", response_class=HTMLResponse, include_in_schema=False)
def cell_page(request: Request, case: str, code: str, dimension: str = "domain") -> HTMLResponse:
    w = web(request)
    cell = cell_data(w, case, code)
    return w.pages.render(request, "cell.html", "matrix", f"{case} × {cell['label']}", cell=cell,
                          dimension=dimension, can_edit=w.has("set_cell_summary"))


@router.get("/api/matrix/cell", tags=["matrix"])
def cell_json(request: Request, case: str, code: str) -> dict[str, Any]:
    """One cell with every coding behind it."""
    return cell_data(web(request), case, code)


def _case_arg(case: str) -> str:
    from ...core.errors import InputError
    if case == NO_CASE:
        raise InputError("case", "sources without a case have no summaries; give them a case first")
    return case


@router.put("/api/matrix/cell", tags=["matrix"])
def cell_summary_json(request: Request, body: CellSummary) -> dict[str, Any]:
    """Write the analyst's summary of a cell (the charting step of framework analysis)."""
    w = web(request)
    w.project.set_cell_summary(_case_arg(body.case), body.code, body.summary, w.coder)
    return cell_data(w, body.case, body.code)


@router.post("/matrix/cell", include_in_schema=False)
def cell_summary_form(request: Request, case: str = Form(...), code: str = Form(...), summary: str = Form(""),
                      dimension: str = Form("domain")) -> RedirectResponse:
    w = web(request)
    w.project.set_cell_summary(_case_arg(case), code, summary, w.coder)
    return w.pages.redirect("/matrix/cell", case=case, code=code, dimension=dimension, msg="summary saved")
