"""Claims proposed from every passage coded with a level of influence.

Everything is pure and deterministic: the same frames give the same drafts in the same order.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from ...core.claims import Evidence, EvidenceStrength, Stance
from ...core.codebook import Codebook
from ..frames import optional_int, optional_str
from ..headlines import headline, shared_readings
from .drafts import DEFAULT_ACTIVITY, DEFAULT_DOMAIN, DEFAULT_STATUS, ClaimDraft, passage
from .items import ItemIndex
from .merging import SIMILARITY_THRESHOLD, merge_drafts
from .turns import TurnIndex


def _dimension(row: Any, codebook: Codebook | None) -> str | None:
    dim = optional_str(row.get("dimension"))
    if dim is None and codebook is not None and row["code"] in codebook:
        dim = codebook.dimension_of(str(row["code"]))
    return dim



def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def _pick(rows: list[dict[str, Any]], anchor: dict[str, Any]) -> dict[str, Any] | None:
    """The primary coding of a dimension: the one overlapping the claim's level coding most."""
    if not rows:
        return None
    return min(rows, key=lambda r: (-_overlap(r["start"], r["end"], anchor["start"], anchor["end"]),
                                       r["start"], r["coding_id"]))


def _evidence_from(row: dict[str, Any], coded_strength: str | None, eid: int, claim_no: int) -> Evidence:
    role = optional_str(row.get("role"))
    return Evidence(
        id=eid, claim_id=claim_no, source_id=int(row["source_id"]), source_name=str(row["source"]),
        start=int(row["start"]), end=int(row["end"]), text=str(row["text"]),
        stance=Stance.SUPPORTS, source_type=optional_str(row.get("source_type")) or "document",
        source_kind=optional_str(row.get("source_kind")) or "other",
        # Reports quote people by pseudonym only: the raw speaker label may be a real name.
        speaker=optional_str(row.get("pseudonym")), speaker_role=role, coded_strength=coded_strength,
    )


def _single_drafts(codings: pd.DataFrame, codebook: Codebook | None,
                   coder: str | None) -> list[ClaimDraft]:
    frame = codings if coder is None else codings[codings["coder"] == coder]
    records: list[dict[str, Any]] = []
    for rec in frame.to_dict("records"):
        rec["dimension"] = _dimension(rec, codebook)
        rec["segment_id"] = optional_int(rec.get("segment_id"))
        rec["start"], rec["end"], rec["coding_id"] = int(rec["start"]), int(rec["end"]), int(rec["coding_id"])
        records.append(rec)

    # Group each coder's codings by the passage they belong to: the segment when known, else the source.
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for rec in records:
        unit = ("seg", rec["segment_id"]) if rec["segment_id"] is not None else ("src", int(rec["source_id"]))
        groups.setdefault((str(rec["coder"]),) + unit, []).append(rec)

    drafts: list[ClaimDraft] = []
    for gkey in sorted(groups, key=lambda k: (k[1], k[2], k[0])):
        rows = groups[gkey]
        levels = sorted((r for r in rows if r["dimension"] == "level"), key=lambda r: (r["start"], r["coding_id"]))
        for lv in levels:
            if gkey[1] == "src":  # without a segment, only codings overlapping the level coding belong to it
                mates = [r for r in rows if _overlap(r["start"], r["end"], lv["start"], lv["end"]) > 0]
            else:
                mates = rows
            by_dim: dict[str, list[dict[str, Any]]] = {}
            for r in mates:
                if r["dimension"]:
                    by_dim.setdefault(r["dimension"], []).append(r)
            domain = _pick(by_dim.get("domain", []), lv)
            activity = _pick(by_dim.get("activity", []), lv)
            status = _pick(by_dim.get("status", []), lv)
            strengths = [r["code"] for r in by_dim.get("evidence", [])
                         if r["code"] in EvidenceStrength.__members__.values()]
            coded_strength = max(strengths, key=lambda s: EvidenceStrength(s).rank) if strengths else None
            unit_label = f"seg{gkey[2]}" if gkey[1] == "seg" else f"src{gkey[2]}"
            key = f"{unit_label}:{gkey[0]}:{lv['coding_id']}"
            ev = _evidence_from(lv, coded_strength, eid=len(drafts) + 1, claim_no=len(drafts) + 1)
            used = [lv] + [x for x in (domain, activity, status) if x is not None]
            drafts.append(ClaimDraft(
                key=key, case_id=optional_int(lv.get("case_id")), case_name=optional_str(lv.get("case")),
                activity=str(activity["code"]) if activity else DEFAULT_ACTIVITY,
                change=headline([passage(ev)]), level=str(lv["code"]),
                domain=str(domain["code"]) if domain else DEFAULT_DOMAIN,
                status=str(status["code"]) if status else DEFAULT_STATUS,
                date=optional_str(lv.get("source_date")), evidence=[ev], merged_from=[key],
                coders=[str(gkey[0])], coding_ids=sorted(r["coding_id"] for r in used),
                evidence_status=[str(status["code"]) if status else DEFAULT_STATUS],
            ))
    return drafts



def propose_claims(segments: pd.DataFrame, codings: pd.DataFrame, codebook: Codebook | None,
                   coder: str | None = None, threshold: float = SIMILARITY_THRESHOLD,
                   items: ItemIndex | None = None, turns: TurnIndex | None = None) -> list[ClaimDraft]:
    """Claims proposed from every passage coded with a level of influence (one coder, or all).

    ``segments`` fills in case and speaker details the codings frame lacks for a segment (it may be
    empty). ``items`` knows the items of each set of minutes (see ``items``); without it, minutes
    passages merge by their words alone. ``turns`` knows the turns of each transcript, so an answer to
    a follow-up question is read as the continuation of the answer before it (see ``turns``). Drafts
    come out ordered by case, then by the order their first passage was found.
    """
    frame = codings
    if len(segments) and "segment_id" in codings.columns and len(codings):
        frame = _fill_from_segments(codings, segments)
    with shared_readings():  # a merged claim's headline reads its passages as their own headlines did
        drafts = _single_drafts(frame, codebook, coder)
        merged = merge_drafts(drafts, threshold=threshold, items=items, turns=turns)
    return sorted(merged, key=lambda d: (d.case_name or "", d.case_id or 0))


def _fill_from_segments(codings: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in ("case_id", "case", "pseudonym", "role", "participant_id") if c in segments.columns]
    if "segment_id" not in segments.columns or not cols:
        return codings
    seg = segments.set_index("segment_id")[cols]
    out = codings.copy()
    keys = pd.to_numeric(out["segment_id"], errors="coerce")
    for col in cols:
        if col not in out.columns:
            out[col] = None
        # one vectorised lookup by segment id (a missing or unknown id gives NaN), not a Python call per row
        fill = keys.map(seg[col])
        out[col] = out[col].where(out[col].notna(), fill)
    return out
