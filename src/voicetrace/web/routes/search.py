"""Full-text search over segments, with each hit shown in its passage and linked to the reader."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from ...core.errors import VoicetraceError
from ..context import WebContext, web
from ..rendering import page_window

router = APIRouter()


def search_data(w: WebContext, q: str, case: str | None, kind: str | None, role: str | None) -> list[dict[str, Any]]:
    if not q.strip():
        return []
    hits = w.project.search(q, case=case or None, kind=kind or None, role=role or None)
    out = []
    for h in hits:
        seg = w.segments.get(h.segment_id)
        out.append({**h.as_json(), "segment_id": h.segment_id, "kind": h.kind, "speaker": h.speaker,
                    "role": h.role, "passage": seg.text,
                    "match": [h.start - seg.start, h.end - seg.start]})
    return out


def _marked(passage: str, a: int, b: int, width: int = 220) -> Markup:
    lo = max(0, a - width)
    hi = min(len(passage), b + width)
    return Markup("{}{}<mark class=\"hit\">{}</mark>{}{}").format(
        "…" if lo else "", passage[lo:a], passage[a:b], passage[b:hi], "…" if hi < len(passage) else "")


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, q: str = "", case: str = "", kind: str = "", role: str = "",
                page: int = 1) -> HTMLResponse:
    w = web(request)
    try:
        hits = search_data(w, q, case, kind, role)
        problem = ""
    except VoicetraceError as e:  # a malformed query is shown next to the box, not as an error page
        hits, problem = [], str(e)
    window = page_window(len(hits), page)
    shown = [(h, _marked(h["passage"], *h["match"])) for h in hits[window["start"]:window["end"]]]
    kinds = w.project.source_kinds()
    roles = sorted(set(w.project.participant_roles()) | {"interviewer"})
    titles = {n: w.project.source(n).title for n in {h["source"] for h, _ in shown}}
    return w.pages.render(request, "search.html", "search", f"Search: {q}" if q else "Search", q=q, case=case,
                          kind=kind, role=role, hits=shown, total=len(hits), window=window, problem=problem,
                          cases=[c.name for c in w.project.cases()], kinds=kinds, roles=roles, titles=titles,
                          pager_params={"q": q, "case": case, "kind": kind, "role": role})


@router.get("/api/search", tags=["search"])
def search_json(request: Request, q: str, case: str = "", kind: str = "", role: str = "") -> list[dict[str, Any]]:
    """`voicetrace search --format jsonl` records plus the passage and the match within it."""
    return search_data(web(request), q, case, kind, role)


