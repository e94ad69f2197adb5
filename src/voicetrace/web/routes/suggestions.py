"""The suggestion queue: one machine suggestion at a time, decided with a / x / space / u."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup
from pydantic import BaseModel

from ...core.errors import NotFound
from ...core.suggestions import Suggestion
from ..context import Id, WebContext, web

router = APIRouter()

ORDERS = ("uncertainty", "score", "id")


class Decision(BaseModel):
    decision: str  # accept | reject | skip


def suggestion_json(w: WebContext, s: Suggestion, names: dict[int, str] | None = None) -> dict[str, Any]:
    cb = w.project.codebook()
    names = names if names is not None else w.project.source_names([s.source_id])
    code = cb.get(s.code_id) if s.code_id in cb else None
    return {"id": s.id, "source": names.get(s.source_id), "segment_id": s.segment_id, "start": s.start,
            "end": s.end, "text": s.text, "code": s.code_id, "label": code.label if code else s.code_id,
            "definition": code.definition if code else "", "agent": s.agent, "model_version": s.model_version,
            "score": s.score, "reason": s.reason, "status": s.status.value, "decided_by": s.decided_by,
            "decided_at": s.decided_at, "coding_id": s.coding_id}


def queue_data(w: WebContext, order: str, code: str = "") -> dict[str, Any]:
    order = order if order in ORDERS else "uncertainty"
    p = w.project
    pending = p.suggestions("pending", order=order, limit=6, code=code or None)
    if not pending:
        pending = p.suggestions("skipped", order=order, limit=6, code=code or None)
    last = p.last_decision(by=w.coder)
    names = p.source_names({s.source_id for s in pending} | ({last.source_id} if last else set()))
    current = suggestion_json(w, pending[0], names) if pending else None
    context = None
    if current and pending[0].segment_id is not None:
        try:
            seg = w.segments.get(pending[0].segment_id)
        except NotFound:
            seg = None
        if seg is not None:
            a = max(pending[0].start, seg.start) - seg.start
            b = min(pending[0].end, seg.end) - seg.start
            around = w.segments.of_source(seg.source, offset=max(0, seg.index - 1), limit=3)
            i = next((k for k, x in enumerate(around) if x.id == seg.id), -1)
            context = {"speaker": seg.speaker, "role": seg.role, "text": seg.text, "match": [a, b],
                       "before": around[i - 1].text if i > 0 else None,
                       "after": around[i + 1].text if 0 <= i < len(around) - 1 else None}
    return {"order": order, "counts": p.suggestion_counts(), "current": current, "context": context,
            "next": [suggestion_json(w, s, names) for s in pending[1:]],
            "last_decision": suggestion_json(w, last, names) if last else None}


@router.get("/suggestions", response_class=HTMLResponse, include_in_schema=False)
def queue_page(request: Request, order: str = "uncertainty", code: str = "") -> HTMLResponse:
    w = web(request)
    data = queue_data(w, order, code)
    marked = None
    if data["context"]:
        t = data["context"]["text"]
        a, b = data["context"]["match"]
        marked = Markup("{}<mark class=\"hit\">{}</mark>{}").format(t[:a], t[a:b], t[b:])
    cb = w.project.codebook()
    return w.pages.render(request, "suggestions.html", "queue", "Suggestion queue", data=data, marked=marked,
                          orders=ORDERS, code=code, codes=[c for c in cb.codes if c.codable])


@router.get("/api/suggestions", tags=["suggestions"])
def queue_json(request: Request, order: str = "uncertainty", code: str = "") -> dict[str, Any]:
    """The head of the review queue (optionally for one code) with counts by status and the reviewer's last decision."""
    return queue_data(web(request), order, code)


@router.post("/api/suggestions/{suggestion_id}/decision", tags=["suggestions"])
def decide_json(request: Request, suggestion_id: Id, body: Decision) -> dict[str, Any]:
    """Accept (creates a coding), reject (kept as a negative example) or skip one suggestion."""
    w = web(request)
    return suggestion_json(w, w.project.decide(suggestion_id, body.decision, by=w.coder))


@router.post("/api/suggestions/undo", tags=["suggestions"])
def undo_json(request: Request) -> dict[str, Any]:
    """Undo this reviewer's last decision (an accepted suggestion loses its coding)."""
    w = web(request)
    last = w.project.last_decision(by=w.coder)
    if last is None:
        return {"undone": None}
    return {"undone": suggestion_json(w, w.project.undo_decision(last.id, by=w.coder))}


@router.post("/suggestions/{suggestion_id}/decide", include_in_schema=False)
def decide_form(request: Request, suggestion_id: Id, decision: str = Form(...),
                order: str = Form("uncertainty"), code: str = Form("")) -> RedirectResponse:
    w = web(request)
    s = w.project.decide(suggestion_id, decision, by=w.coder)
    return w.pages.redirect("/suggestions", order=order, code=code, msg=f"{s.status.value}: {s.code_id}")


@router.post("/suggestions/undo", include_in_schema=False)
def undo_form(request: Request, order: str = Form("uncertainty"), code: str = Form("")) -> RedirectResponse:
    w = web(request)
    last = w.project.last_decision(by=w.coder)
    if last is None:
        return w.pages.redirect("/suggestions", order=order, code=code, msg="nothing to undo")
    w.project.undo_decision(last.id, by=w.coder)
    return w.pages.redirect("/suggestions", order=order, code=code, msg=f"undid {last.status.value} of {last.code_id}")
