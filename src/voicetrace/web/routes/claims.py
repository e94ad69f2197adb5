"""The claims ledger: influence claims with their evidence and its strength; edit, link, unlink."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from ...core.claims import ClaimStatus, Evidence, InfluenceClaim
from ...core.errors import VoicetraceError
from ..context import FormOffset, Id, Offset, WebContext, web
from ..rendering import CASE_CHOICES, page_window
from .search import search_data

router = APIRouter()

class ClaimUpdate(BaseModel):
    activity: str | None = None
    change: str | None = None
    level: str | None = None
    domain: str | None = None
    status: str | None = None
    note: str | None = None


class ClaimMerge(BaseModel):
    ids: list[int]  # claim ids (as /api/claims gives them), two or more of one case


class EvidenceLink(BaseModel):
    source: str
    start: Offset  # code points in the source (as search and the reader's JSON give them)
    end: Offset
    stance: str = "supports"


def _strength(w: WebContext, c: InfluenceClaim) -> tuple[str | None, str]:
    """Strength and the reason in words, computed by the service from the evidence shown."""
    if not w.has("claim_strength"):
        return None, ""
    value = w.project.claim_strength(c)
    if isinstance(value, tuple):
        return str(getattr(value[0], "value", value[0])), str(value[1])
    return str(getattr(value, "value", value)), ""


def evidence_json(e: Evidence) -> dict[str, Any]:
    return {"id": e.id, "source": e.source_name, "start": e.start, "end": e.end, "text": e.text,
            "stance": str(getattr(e.stance, "value", e.stance)), "source_type": e.source_type,
            "source_kind": e.source_kind, "speaker": e.speaker, "speaker_role": e.speaker_role,
            "coded_strength": e.coded_strength, "segment_id": getattr(e, "segment_id", None)}


def claim_json(w: WebContext, c: InfluenceClaim) -> dict[str, Any]:
    strength, why = _strength(w, c)
    return {"id": c.id, "number": c.number if c.number is not None else c.id, "case": c.case_name, "activity": c.activity, "change": c.change, "level": c.level,
            "domain": c.domain, "status": c.status, "date": c.date, "evidence_strength": strength,
            "strength_reason": why,
            "note": c.note, "edited_by": c.edited_by, "merged_into": c.merged_into,
            "evidence": [evidence_json(e) for e in c.evidence]}


def _claim(w: WebContext, claim_id: Id) -> InfluenceClaim:
    """One active claim by id (an indexed lookup); a part merged into another claim is not shown."""
    from ...core.errors import NotFound
    if not w.has("claim"):
        raise NotFound(f"unknown claim {claim_id}")
    c: InfluenceClaim = w.project.claim(claim_id)
    if c.merged_into is not None:
        raise NotFound(f"unknown claim {claim_id}")
    return c


def _options(w: WebContext) -> dict[str, list[str]]:
    cb = w.project.codebook()
    return {"activity": [c.id for c in cb.codes_in("activity")], "level": [c.id for c in cb.codes_in("level")], "domain": [c.id for c in cb.codes_in("domain")],
            "status": [s.value for s in ClaimStatus], "stance": ["supports", "contradicts"]}


@router.get("/claims", response_class=HTMLResponse, include_in_schema=False)
def claims_page(request: Request, case: str = "", level: str = "", status: str = "", domain: str = "",
                strength: str = "", q: str = "", page: int = 1) -> HTMLResponse:
    w = web(request)
    rows = None
    window = page_window(0, 1)
    total = 0
    if w.has("claims_page"):
        wanted = {"case": case, "level": level, "domain": domain, "status": status, "words": q, "strength": strength}
        size = window["size"]
        found = w.project.claims_page(**wanted, offset=(max(1, page) - 1) * size, limit=size)
        window = page_window(found.matched, page)
        if window["start"] != (max(1, page) - 1) * size:  # past the last page: show the last one
            found = w.project.claims_page(**wanted, offset=window["start"], limit=size)
        total = found.total
        rows = [claim_json(w, c) for c in found.claims]
    filters = {"case": case, "level": level, "status": status, "domain": domain, "strength": strength, "q": q}
    cases = w.project.case_names_page(limit=CASE_CHOICES)
    return w.pages.render(request, "claims.html", "claims", "Claims ledger", rows=rows, window=window, total=total,
                          filters=filters, case=case, level=level, status=status, options=_options(w),
                          cases=cases.items if cases.total <= CASE_CHOICES else None, case_total=cases.total,
                          can_build=w.has("build_claims"),
                          strengths=["claimed", "corroborated", "documented"], pager_params=filters)


@router.post("/api/claims/build", tags=["claims"])
def build_json(request: Request) -> dict[str, Any]:
    """Propose claims from the codings again (claims people edited are kept)."""
    w = web(request)
    n = w.project.build_claims(by=w.coder)
    return {"proposed": n}


@router.post("/claims/build", include_in_schema=False)
def build_form(request: Request) -> RedirectResponse:
    w = web(request)
    n = w.project.build_claims(by=w.coder)
    return w.pages.redirect("/claims", msg=f"{n} claims proposed from the codings (edited claims kept)")


MAX_CLAIMS = 5000  # the most claims one request returns; page with offset and limit


@router.get("/api/claims", tags=["claims"])
def claims_json(request: Request, offset: Annotated[int, Query(ge=0)] = 0,
                limit: Annotated[int, Query(ge=1, le=MAX_CLAIMS)] = 1000) -> list[dict[str, Any]]:
    """Active claims as `voicetrace claims --format jsonl` gives them, with evidence ids and stances:
    ``limit`` (at most 5000) from ``offset``, in id order."""
    w = web(request)
    if not w.has("claims_page"):
        return []
    return [claim_json(w, c) for c in w.project.claims_page(offset=offset, limit=limit).claims]


@router.get("/claims/{claim_id}", response_class=HTMLResponse, include_in_schema=False)
def claim_page(request: Request, claim_id: Id, q: str = "") -> HTMLResponse:
    w = web(request)
    c = claim_json(w, _claim(w, claim_id))
    for e in c["evidence"]:  # so "open in the reader" lands on the passage
        if e["segment_id"] is None and e["source"]:
            try:
                near = w.segments.covering(e["source"], e["start"], e["end"])
            except VoicetraceError:  # a source renamed or removed since: link to the top instead
                near = []
            e["segment_id"] = near[0].id if near else None
    hits = search_data(w, q, None, None, None)[:20] if q.strip() else []
    parts = [claim_json(w, p) for p in w.project.claim_parts(claim_id)] if w.has("claim_parts") else []
    return w.pages.render(request, "claim.html", "claims", f"Claim {c['number']}", claim=c, options=_options(w),
                          q=q, hits=hits, can_edit=w.has("update_claim"), can_link=w.has("link_evidence"),
                          parts=parts, can_merge=w.has("merge_claims"))


@router.get("/api/claims/{claim_id}", tags=["claims"])
def claim_get_json(request: Request, claim_id: Id) -> dict[str, Any]:
    w = web(request)
    return claim_json(w, _claim(w, claim_id))


def _update(w: WebContext, claim_id: Id, fields: dict[str, Any]) -> None:
    changes = {k: v for k, v in fields.items() if v is not None}  # what may be edited is the service's rule
    w.project.update_claim(claim_id, w.coder, **changes)


@router.patch("/api/claims/{claim_id}", tags=["claims"])
def claim_update_json(request: Request, claim_id: Id, body: ClaimUpdate) -> dict[str, Any]:
    """Edit a claim's activity, change, level, domain, status or note (strength follows the evidence)."""
    w = web(request)
    _update(w, claim_id, body.model_dump())
    return claim_json(w, _claim(w, claim_id))


@router.post("/claims/{claim_id}/edit", include_in_schema=False)
def claim_update_form(request: Request, claim_id: Id, activity: str = Form(...), change: str = Form(...),
                      level: str = Form(...), domain: str = Form(...), status: str = Form(...),
                      note: str = Form("")) -> RedirectResponse:
    w = web(request)
    _update(w, claim_id, {"activity": activity, "change": change, "level": level, "domain": domain,
                         "status": status, "note": note})
    return w.pages.redirect(f"/claims/{claim_id}", msg="claim saved")


@router.post("/api/claims/{claim_id}/evidence", tags=["claims"], status_code=201)
def link_json(request: Request, claim_id: Id, body: EvidenceLink) -> dict[str, Any]:
    """Link a passage (code points in the source) to a claim as supporting or contradicting evidence."""
    w = web(request)
    w.project.link_evidence(claim_id, body.source, body.start, body.end, body.stance, w.coder)
    return claim_json(w, _claim(w, claim_id))


@router.post("/claims/{claim_id}/evidence", include_in_schema=False)
def link_form(request: Request, claim_id: Id, source: Annotated[str, Form()], start: FormOffset,
              end: FormOffset, stance: Annotated[str, Form()] = "supports") -> RedirectResponse:
    w = web(request)
    w.project.link_evidence(claim_id, source, start, end, stance, w.coder)
    return w.pages.redirect(f"/claims/{claim_id}", msg="evidence linked")


@router.delete("/api/evidence/{evidence_id}", tags=["claims"])
def unlink_json(request: Request, evidence_id: Id) -> dict[str, Any]:
    w = web(request)
    w.project.unlink_evidence(evidence_id, w.coder)
    return {"unlinked": evidence_id}


@router.post("/claims/{claim_id}/evidence/{evidence_id}/unlink", include_in_schema=False)
def unlink_form(request: Request, claim_id: Id, evidence_id: Id) -> RedirectResponse:
    w = web(request)
    w.project.unlink_evidence(evidence_id, w.coder)
    return w.pages.redirect(f"/claims/{claim_id}", msg="evidence unlinked")


# ---- one change, one claim: merge and split ---------------------------------------------------------

def _merge(w: WebContext, ids: list[int]) -> InfluenceClaim:
    return w.project.merge_claims([int(i) for i in ids], by=w.coder)


@router.post("/api/claims/merge", tags=["claims"], status_code=201)
def merge_json(request: Request, body: ClaimMerge) -> dict[str, Any]:
    """Merge claims of one case that describe the same change; the parts stay, so split undoes it."""
    w = web(request)
    return claim_json(w, _merge(w, body.ids))


@router.post("/claims/merge", include_in_schema=False)
def merge_form(request: Request, ids: Annotated[list[int] | None, Form()] = None,
               number: Annotated[str, Form()] = "", into: Annotated[int | None, Form()] = None) -> RedirectResponse:
    """From the ledger (ticked rows) or a claim page (this claim and the claim numbered ``number``)."""
    w = web(request)
    picked = list(ids or [])
    if into is not None:
        picked.insert(0, into)
    if number.strip():
        if not number.strip().isdigit():
            return w.pages.redirect(f"/claims/{into}" if into else "/claims", msg=f"{number}: not a claim number")
        picked.append(w.project.claim_by_number(int(number)).id)
    if len(set(picked)) < 2:
        return w.pages.redirect(f"/claims/{into}" if into else "/claims", msg="tick two or more claims to merge")
    merged = _merge(w, list(dict.fromkeys(picked)))
    return w.pages.redirect(f"/claims/{merged.id}", msg=f"merged into claim {merged.number}")


@router.post("/api/claims/{claim_id}/split", tags=["claims"])
def split_json(request: Request, claim_id: Id) -> list[dict[str, Any]]:
    """Split a merged claim back into its parts (a person's decision: rebuilds keep them apart)."""
    w = web(request)
    return [claim_json(w, c) for c in w.project.unmerge_claim(claim_id, by=w.coder)]


@router.post("/claims/{claim_id}/split", include_in_schema=False)
def split_form(request: Request, claim_id: Id) -> RedirectResponse:
    w = web(request)
    parts = w.project.unmerge_claim(claim_id, by=w.coder)
    return w.pages.redirect("/claims", msg="split into claims " + ", ".join(str(p.number) for p in parts))
