"""Memos on the project, a case, a source, a code or a coding: list, add, edit, delete."""
from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from ...core.memos import Memo, MemoTarget
from ..context import INT64_MAX, Id, web
from ..rendering import PAGE_SIZE, page_window

router = APIRouter()


class MemoIn(BaseModel):
    target_type: str = "project"
    target_id: str | None = None
    title: str = ""
    body: str


class MemoUpdate(BaseModel):
    body: str


def memo_json(m: Memo) -> dict[str, Any]:
    d = asdict(m)
    d["target_type"] = m.target_type.value
    return d


MEMO_LIMIT = 100  # memos one /api/memos request returns by default
MAX_MEMOS = 1000  # and at most: page on with offset


@router.get("/memos", response_class=HTMLResponse, include_in_schema=False)
def memos_page(request: Request, target_type: str | None = None, target_id: str | None = None,
               page: int = 1) -> HTMLResponse:
    w = web(request)
    wanted = (target_type or None, target_id or None)
    start = (min(max(1, page), 10**9) - 1) * PAGE_SIZE
    found = w.project.memos_page(*wanted, offset=start, limit=PAGE_SIZE)
    window = page_window(found.total, page, PAGE_SIZE)
    if window["start"] != start:  # past the last page: show the last one
        found = w.project.memos_page(*wanted, offset=window["start"], limit=PAGE_SIZE)
    return w.pages.render(request, "memos.html", "memos", "Memos", memos=found.items, window=window,
                          targets=[t.value for t in MemoTarget], target_type=target_type or "",
                          target_id=target_id or "",
                          pager_params={"target_type": target_type or "", "target_id": target_id or ""})


@router.get("/api/memos", tags=["memos"])
def memos_json(request: Request, response: Response, target_type: str | None = None, target_id: str | None = None,
               offset: Annotated[int, Query(ge=0, le=INT64_MAX)] = 0,
               limit: Annotated[int, Query(ge=1, le=MAX_MEMOS)] = MEMO_LIMIT) -> list[dict[str, Any]]:
    """Memos in the order written (on one kind of target, or one target): ``limit`` (at most 1000) from
    ``offset``; the ``X-Total-Count`` header says how many there are in all."""
    found = web(request).project.memos_page(target_type or None, target_id or None, offset=offset, limit=limit)
    response.headers["X-Total-Count"] = str(found.total)
    return [memo_json(m) for m in found.items]


@router.post("/api/memos", tags=["memos"], status_code=201)
def add_memo_json(request: Request, body: MemoIn) -> dict[str, Any]:
    w = web(request)
    return memo_json(w.project.add_memo(body.target_type, body.target_id or None, body.body, author=w.coder,
                                        title=body.title))


@router.put("/api/memos/{memo_id}", tags=["memos"])
def update_memo_json(request: Request, memo_id: Id, body: MemoUpdate) -> dict[str, Any]:
    w = web(request)
    w.project.update_memo(memo_id, body.body, author=w.coder)
    return memo_json(w.project.memo(memo_id))


@router.delete("/api/memos/{memo_id}", tags=["memos"])
def delete_memo_json(request: Request, memo_id: Id) -> dict[str, Any]:
    w = web(request)
    w.project.delete_memo(memo_id, author=w.coder)
    return {"deleted": memo_id}


@router.post("/memos", include_in_schema=False)
def add_memo_form(request: Request, body: str = Form(...), target_type: str = Form("project"),
                  target_id: str = Form(""), title: str = Form(""), back: str = Form("")) -> RedirectResponse:
    w = web(request)
    w.project.add_memo(target_type, target_id.strip() or None, body, author=w.coder, title=title)
    return _back(request, back, "memo added")


@router.post("/memos/{memo_id}/edit", include_in_schema=False)
def edit_memo_form(request: Request, memo_id: Id, body: str = Form(...)) -> RedirectResponse:
    w = web(request)
    w.project.update_memo(memo_id, body, author=w.coder)
    return w.pages.redirect("/memos", fragment=f"memo-{memo_id}", msg="memo saved")


@router.post("/memos/{memo_id}/delete", include_in_schema=False)
def delete_memo_form(request: Request, memo_id: Id) -> RedirectResponse:
    w = web(request)
    w.project.delete_memo(memo_id, author=w.coder)
    return w.pages.redirect("/memos", msg="memo deleted")


def _back(request: Request, back: str, msg: str) -> RedirectResponse:
    """Return to the page the form was on, if it is one of ours (never an outside address)."""
    w = web(request)
    path = back if back.startswith("/") and not back.startswith("//") else "/memos"
    return w.pages.redirect(path.split("?", 1)[0], msg=msg)
