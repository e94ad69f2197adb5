"""The source reader: a transcript by turn or a document by paragraph, with its codings.

Coding from the browser arrives as UTF-16 offsets inside one segment's text (see
``web/selection.py``); the reply gives the stored coding in code points and in UTF-16.
"""
from __future__ import annotations

from bisect import bisect_right
from itertools import pairwise
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from pydantic import BaseModel, Field

from ...core.codebook import Codebook
from ...core.errors import InputError, VoicetraceError
from ...core.sources import SourceKind
from ...services.edits import removal_text
from ...services.records import CodingRecord
from ..context import Id, Offset, WebContext, web
from ..rendering import CASE_CHOICES, page_window
from ..selection import SegmentView

router = APIRouter()


class CodeRequest(BaseModel):
    """A code applied in the browser: UTF-16 offsets within one segment's text (omit them for the whole segment)."""

    segment_id: Id
    code: str
    start: Offset | None = Field(None, description="UTF-16 offset in the segment's text")
    end: Offset | None = Field(None, description="UTF-16 offset in the segment's text (exclusive)")


def coding_json(w: WebContext, c: CodingRecord, seg: SegmentView | None = None) -> dict[str, Any]:
    cb = w.project.codebook()
    out = {"id": c.id, **c.as_json(), "segment_id": c.segment_id, "created_at": c.created_at,
           "label": _label(cb, c.code),
           "dimension": cb.dimension_of(c.code) if c.code in cb else None}
    if seg is not None:
        s16, e16 = seg.to_utf16(c.start, c.end)
        out["utf16"] = {"segment_id": seg.id, "start": s16, "end": e16}
    return out


def _label(cb: Codebook, code: str) -> str:
    return cb.get(code).label if code in cb else code


def _dim_class(cb: Codebook, code: str) -> str:
    return f"dim-{cb.dimension_of(code) or 'other'}" if code in cb else "dim-other"


def render_segment_text(seg: SegmentView, codings: list[CodingRecord], cb: Codebook) -> Markup:
    """The segment's text with one <mark> per stretch covered by the same set of codings.

    Nothing but text and marks goes inside, so the browser's offsets within the element are
    offsets within the segment's text.
    """
    inside = [c for c in codings if c.start < seg.end and seg.start < c.end]
    cuts = {0, len(seg.text)}
    for c in inside:
        cuts.add(max(c.start, seg.start) - seg.start)
        cuts.add(min(c.end, seg.end) - seg.start)
    bounds = sorted(cuts)
    parts: list[str] = []
    for a, b in pairwise(bounds):
        piece = seg.text[a:b]
        active = [c for c in inside if c.start - seg.start <= a and c.end - seg.start >= b]
        if not active:
            parts.append(str(escape(piece)))
            continue
        depth = min(len(active), 3)
        title = "; ".join(f"{_label(cb, c.code)} — {c.coder}" for c in active)
        ids = " ".join(str(c.id) for c in active)
        parts.append(f'<mark class="hl d{depth} {_dim_class(cb, active[-1].code)}" data-codings="{ids}" '
                     f'title="{escape(title)}">{escape(piece)}</mark>')
    return Markup("".join(parts))


PART = 300  # passages per page of a very long source; the browser also renders off-screen passages lazily
MAX_SEGMENTS = 2000  # the most passages one JSON request returns; page with offset and limit


def reader_data(w: WebContext, name: str, offset: int = 0, limit: int = PART) -> dict[str, Any]:
    """One window of a source: ``limit`` passages from ``offset`` and the codings that touch them.

    Only that window is read (an index range on segments and on codings), so a 660,000-passage
    source costs the same per page as a short one.
    """
    p = w.project
    info = p.source(name)
    offset = max(0, offset)
    # One passage before the window comes along so that a coding begun there keeps its chip there.
    before = 1 if offset > 0 else 0
    segs = w.segments.of_source(info.name, offset=offset - before, limit=max(0, limit) + before)
    codings = p.codings(source=info.name, start=segs[0].start, end=segs[-1].end) if segs else []
    by_seg: dict[int, list[CodingRecord]] = {}      # chips: shown at the segment where a coding starts
    overlapping: dict[int, list[CodingRecord]] = {}  # highlights: every segment a coding touches
    starts = [s.start for s in segs]
    for c in codings:
        i = max(bisect_right(starts, c.start) - 1, 0)
        touched = []
        while i < len(segs) and segs[i].start < c.end:
            if c.start < segs[i].end:
                touched.append(segs[i])
            i += 1
        if touched:
            by_seg.setdefault(touched[0].id, []).append(c)
        for s in touched:
            overlapping.setdefault(s.id, []).append(c)
    segs = segs[before:]
    nxt = offset + len(segs)
    return {"source": {**info.as_json(), "title": info.title, "type": info.type},
            "offset": offset, "limit": limit, "total_segments": info.segments,
            "next_offset": nxt if nxt < info.segments else None,
            "segments": [{"id": s.id, "index": s.index, "start": s.start, "end": s.end, "text": s.text,
                          "speaker": s.speaker, "role": s.role,
                          "codings": [coding_json(w, c, s) for c in by_seg.get(s.id, [])]} for s in segs],
            "_segs": segs, "_overlapping": overlapping}


def _part_of(w: WebContext, seg: int | None, part: int) -> int:
    if seg is not None:
        try:
            return w.segments.get(seg).index // PART + 1
        except VoicetraceError:
            return part
    return part


@router.get("/sources/{name:path}", response_class=HTMLResponse, include_in_schema=False)
def reader_page(request: Request, name: str, coder: str = "", part: int = 1, seg: Id | None = None) -> HTMLResponse:
    w = web(request)
    info = w.project.source(name)
    window = page_window(info.segments, _part_of(w, seg, part), PART)
    data = reader_data(w, name, window["start"], PART)
    cb = w.project.codebook()
    segs: list[SegmentView] = data["_segs"]
    all_coders = w.project.coder_counts(info.name)
    if coder and coder not in all_coders:
        coder = ""
    shown = data["segments"]
    for s in shown:
        s["codings"] = sorted((c for c in s["codings"] if not coder or c["coder"] == coder),
                              key=lambda c: (c["coder"], c["code_path"] or c["code"]))
    overlapping = {k: [c for c in v if not coder or c.coder == coder] for k, v in data["_overlapping"].items()}
    rendered = {s.id: render_segment_text(s, overlapping.get(s.id, []), cb) for s in segs}
    memos = w.project.memos_page("source", data["source"]["name"], limit=READER_MEMOS)
    neighbours = w.project.neighbour_sources(info.name)
    cases = w.project.case_names_page(limit=CASE_CHOICES)
    return w.pages.render(request, "reader.html", "overview", data["source"]["name"], data=data, rendered=rendered,
                          shown=shown, window=window, coders=all_coders, coder_filter=coder,
                          groups=code_groups(cb), memos=memos.items, memo_total=memos.total, neighbours=neighbours,
                          case_choices=cases.items if cases.total <= CASE_CHOICES else None,
                          case_total=cases.total, kind_choices=[k.value for k in SourceKind])


READER_MEMOS = 20  # memos on the source shown beside the reader; the memos page lists them all, paged


@router.get("/api/sources/{name:path}", tags=["sources"])
def reader_json(request: Request, name: str, offset: Annotated[int, Query(ge=0)] = 0,
                limit: Annotated[int, Query(ge=1, le=MAX_SEGMENTS)] = 500) -> dict[str, Any]:
    """A page of a source's segments (turns or paragraphs) with speaker, role and codings (code points and
    UTF-16): ``limit`` (at most 2000) from ``offset``; ``next_offset`` is where the next page starts."""
    data = reader_data(web(request), name, offset, limit)
    return {k: v for k, v in data.items() if not k.startswith("_")}


def code_groups(cb: Codebook) -> list[dict[str, Any]]:
    """Codable codes grouped under their top-level folder, in codebook order."""
    groups: list[dict[str, Any]] = []
    for top in cb.children(None):
        members = [top] if top.codable else []
        stack = list(reversed(cb.children(top.id)))
        while stack:
            c = stack.pop()
            if c.codable:
                members.append(c)
            stack.extend(reversed(cb.children(c.id)))
        if members:
            groups.append({"label": top.label, "dimension": cb.dimension_of(top.id) or "other", "codes": members})
    return groups


@router.post("/api/codings", tags=["codings"], status_code=201)
def apply_code(request: Request, body: CodeRequest) -> dict[str, Any]:
    """Apply a code to a selection: UTF-16 offsets within the segment's text, converted here to code points."""
    w = web(request)
    seg = w.segments.get(body.segment_id)
    if body.start is None or body.end is None or body.start == body.end:
        start, end = seg.start, seg.end
    else:
        start, end = seg.to_source(body.start, body.end)
    rec = w.project.code(seg.source, start, end, body.code, coder=w.coder)
    return coding_json(w, rec, seg)


MAX_CODINGS = 5000  # the most codings one request returns; page with offset and limit


@router.get("/api/codings", tags=["codings"])
def list_codings(request: Request, source: str | None = None, coder: str | None = None,
                 offset: Annotated[int, Query(ge=0)] = 0,
                 limit: Annotated[int, Query(ge=1, le=MAX_CODINGS)] = 1000) -> list[dict[str, Any]]:
    """Codings as `voicetrace codings --format jsonl` gives them, plus id and label: ``limit`` (at most
    5000) from ``offset``, in source and position order."""
    w = web(request)
    return [coding_json(w, c) for c in w.project.codings(coder=coder, source=source, offset=offset, limit=limit)]


@router.delete("/api/codings/{coding_id}", tags=["codings"])
def remove_coding(request: Request, coding_id: Id, force: bool = False) -> dict[str, Any]:
    """Remove one coding (undoable with POST /api/undo). Another coder's coding needs ``force=true``."""
    w = web(request)
    tid = w.project.uncode(coding_id, actor=w.coder, others=force)
    return {"removed": coding_id, "undo": tid}


@router.post("/codings/{coding_id}/delete", include_in_schema=False)
def remove_coding_form(request: Request, coding_id: Id, back: str = Form(...), segment: str = Form(""),
                       confirm: str = Form("")) -> Response:
    w = web(request)
    c = w.project.coding(coding_id)
    where = "/sources/" + _quote(back)
    fragment = f"seg-{segment}" if segment else None
    if c.coder != w.coder and not confirm:
        return w.pages.render(request, "confirm.html", "overview", "Remove another coder's coding?",
                              detail=f"This {c.code_path} coding is by {c.coder}, not by you ({w.coder}): "
                                     f"“{c.text[:120]}”. Remove it anyway?",
                              action=f"/codings/{coding_id}/delete", fields={"back": back, "segment": segment},
                              confirm_label=f"Remove {c.coder}'s coding", cancel=w.pages.link(where, fragment))
    tid = w.project.uncode(coding_id, actor=w.coder, others=True)
    return w.pages.redirect(where, fragment=fragment, msg="coding removed", undo=tid)


class SourceDeletion(BaseModel):
    source: str
    confirm: bool = Field(False, description="true to delete; false answers 400 with what would be removed")


@router.get("/api/source-deletion", tags=["sources"])
def source_deletion_preview(request: Request, source: str) -> dict[str, Any]:
    """What deleting a source would remove (segments, codings, suggestions, evidence, memos)."""
    w = web(request)
    info = w.project.source(source)
    return {"source": info.name, "removes": w.project.source_dependents(info.name)}


@router.post("/api/source-deletion", tags=["sources"])
def delete_source_json(request: Request, body: SourceDeletion) -> dict[str, Any]:
    """Delete a source and everything on it (undoable with POST /api/undo); needs ``confirm: true``."""
    w = web(request)
    info = w.project.source(body.source)
    if not body.confirm:
        counts = w.project.source_dependents(info.name)
        raise InputError(info.name, f"deleting removes {removal_text(counts)}; send confirm: true to delete")
    removed = w.project.delete_source(info.name, actor=w.coder)
    w.segments.reload()
    return {"deleted": info.name, "removed": removed}


@router.get("/source-delete", include_in_schema=False)
def delete_source_page(request: Request, source: str) -> HTMLResponse:
    w = web(request)
    info = w.project.source(source)
    counts = w.project.source_dependents(info.name)
    return w.pages.render(request, "confirm.html", "overview", f"Delete {info.name}?",
                          detail=f"This removes the source and its {removal_text(counts)}. You can undo it right after.",
                          action="/source-delete", fields={"source": info.name}, confirm_label="Delete the source",
                          cancel=w.pages.source_link(info.name))


@router.post("/source-delete", include_in_schema=False)
def delete_source_form(request: Request, source: str = Form(...), confirm: str = Form("")) -> Response:
    w = web(request)
    if not confirm:
        return delete_source_page(request, source)
    name = w.project.source(source).name
    w.project.delete_source(name, actor=w.coder)
    w.segments.reload()
    return w.pages.redirect("/", msg=f"deleted {name}", undo=w.project.last_undoable(w.coder)["id"])  # type: ignore[index]


@router.post("/source-edit", include_in_schema=False)
def edit_source_form(request: Request, source: str = Form(...), case: str | None = Form(None),
                     kind: str | None = Form(None), date: str | None = Form(None)) -> Response:
    """Move a source to an existing case, or change its kind or date; a refused value is one line on the page."""
    w = web(request)
    name = w.project.source(source).name
    try:
        info = w.project.edit_source(name, case=case or None, kind=kind, date=date, actor=w.coder)
    except InputError as e:
        return w.pages.redirect("/sources/" + _quote(name), err=str(e))
    return w.pages.redirect("/sources/" + _quote(info.name), msg=f"{info.name}: case {info.case or '(none)'}, "
                            f"kind {info.kind}, date {info.date or '(none)'}",
                            undo=w.project.last_undoable(w.coder)["id"])  # type: ignore[index]


class SourceEdit(BaseModel):
    """A change to a source: any of case (an existing one), kind and date ("" clears it)."""

    source: str
    case: str | None = None
    kind: str | None = None
    date: str | None = None


@router.post("/api/source-edit", tags=["sources"])
def edit_source_json(request: Request, body: SourceEdit) -> dict[str, Any]:
    """Move a source to an existing case or change its kind or date (undoable with POST /api/undo)."""
    w = web(request)
    info = w.project.edit_source(body.source, case=body.case, kind=body.kind, date=body.date, actor=w.coder)
    return {"source": info.as_json()}


@router.post("/api/undo", tags=["codings"])
def undo_json(request: Request) -> dict[str, Any]:
    """Undo your newest deletion (a coding or a source) or source edit; it comes back with its ids. Each
    call goes one step further back through your changes; 404 when none is left."""
    w = web(request)
    done = w.project.undo(w.coder)
    w.segments.reload()
    return {"undone": done}


@router.post("/undo", include_in_schema=False)
def undo_form(request: Request, back: str = Form("/")) -> RedirectResponse:
    w = web(request)
    done = w.project.undo(w.coder)
    w.segments.reload()
    path = back if back.startswith("/") and not back.startswith("//") else "/"
    nxt = w.project.last_undoable(w.coder)  # the flash offers the next Undo, back through the stack
    return w.pages.redirect(quote(path, safe="/%"), msg=done, undo=nxt["id"] if nxt else None)


def _quote(name: str) -> str:
    from urllib.parse import quote
    return quote(name, safe="")
