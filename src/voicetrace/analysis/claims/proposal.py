"""Claims proposed from every passage coded with a level of influence.

Everything is pure and deterministic: the same frames give the same drafts in the same order.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from ...core.claims import Evidence, EvidenceStrength, Stance
from ...core.codebook import Codebook
from ..frames import column_values, optional_int, optional_str
from ..headlines import headline, shared_readings
from .drafts import DEFAULT_ACTIVITY, DEFAULT_DOMAIN, DEFAULT_STATUS, ClaimDraft, passage
from .items import ItemIndex
from .merging import SIMILARITY_THRESHOLD, merge_drafts
from .turns import TurnIndex


class _Columns:
    """The codings frame as one Python list per column, rows by position.

    Why not ``to_dict("records")``: a dict per coding costs more time and memory than everything a draft
    keeps of it (350,000 codings at 10^5 passages); a list per column holds the frame's own values."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.n = len(frame)
        self._frame = frame
        self._cols: dict[str, list[Any]] = {}

    def __getitem__(self, name: str) -> list[Any]:
        if name not in self._cols:  # read on first use; a missing column reads as None, like ``dict.get``
            self._cols[name] = column_values(self._frame, name)
        return self._cols[name]


def _dimensions(cols: _Columns, codebook: Codebook | None) -> list[str | None]:
    """Each coding's dimension: its own column, else the codebook's for its code."""
    looked_up: dict[Any, str | None] = {}
    out: list[str | None] = []
    for given, code in zip(cols["dimension"], cols["code"]):
        dim = optional_str(given)
        if dim is None and codebook is not None:
            if code not in looked_up:
                looked_up[code] = codebook.dimension_of(str(code)) if code in codebook else None
            dim = looked_up[code]
        out.append(dim)
    return out


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def _evidence_from(cols: _Columns, i: int, coded_strength: str | None, eid: int, claim_no: int) -> Evidence:
    return Evidence(
        id=eid, claim_id=claim_no, source_id=int(cols["source_id"][i]), source_name=str(cols["source"][i]),
        start=int(cols["start"][i]), end=int(cols["end"][i]), text=str(cols["text"][i]),
        stance=Stance.SUPPORTS, source_type=optional_str(cols["source_type"][i]) or "document",
        source_kind=optional_str(cols["source_kind"][i]) or "other",
        # Reports quote people by pseudonym only: the raw speaker label may be a real name.
        speaker=optional_str(cols["pseudonym"][i]), speaker_role=optional_str(cols["role"][i]),
        coded_strength=coded_strength,
    )


_STRENGTH_CODES = frozenset(s.value for s in EvidenceStrength)


def _single_drafts(codings: pd.DataFrame, codebook: Codebook | None,
                   coder: str | None) -> list[ClaimDraft]:
    frame = codings if coder is None else codings[codings["coder"] == coder]
    cols = _Columns(frame)
    dims = _dimensions(cols, codebook)
    codes = cols["code"]
    segs = [optional_int(v) for v in cols["segment_id"]]
    starts = [int(v) for v in cols["start"]]
    ends = [int(v) for v in cols["end"]]
    cids = [int(v) for v in cols["coding_id"]]

    # Group each coder's codings by the passage they belong to: the segment when known, else the source.
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, (who, seg, src) in enumerate(zip(cols["coder"], segs, cols["source_id"])):
        unit = ("seg", seg) if seg is not None else ("src", int(src))
        groups.setdefault((str(who),) + unit, []).append(i)

    def pick(rows: list[int], anchor: int) -> int | None:
        """The primary coding of a dimension: the one overlapping the claim's level coding most."""
        if not rows:
            return None
        a_start, a_end = starts[anchor], ends[anchor]
        return min(rows, key=lambda r: (-_overlap(starts[r], ends[r], a_start, a_end), starts[r], cids[r]))

    drafts: list[ClaimDraft] = []
    for gkey in sorted(groups, key=lambda k: (k[1], k[2], k[0])):
        rows = groups[gkey]
        levels = sorted((r for r in rows if dims[r] == "level"), key=lambda r: (starts[r], cids[r]))
        for lv in levels:
            if gkey[1] == "src":  # without a segment, only codings overlapping the level coding belong to it
                mates = [r for r in rows if _overlap(starts[r], ends[r], starts[lv], ends[lv]) > 0]
            else:
                mates = rows
            by_dim: dict[str, list[int]] = {}
            for r in mates:
                dim = dims[r]
                if dim:
                    by_dim.setdefault(dim, []).append(r)
            domain = pick(by_dim.get("domain", []), lv)
            activity = pick(by_dim.get("activity", []), lv)
            status = pick(by_dim.get("status", []), lv)
            strengths = [codes[r] for r in by_dim.get("evidence", []) if codes[r] in _STRENGTH_CODES]
            coded_strength = max(strengths, key=lambda s: EvidenceStrength(s).rank) if strengths else None
            unit_label = f"seg{gkey[2]}" if gkey[1] == "seg" else f"src{gkey[2]}"
            key = f"{unit_label}:{gkey[0]}:{cids[lv]}"
            ev = _evidence_from(cols, lv, coded_strength, eid=len(drafts) + 1, claim_no=len(drafts) + 1)
            used = [lv] + [x for x in (domain, activity, status) if x is not None]
            claim_status = str(codes[status]) if status is not None else DEFAULT_STATUS
            drafts.append(ClaimDraft(
                key=key, case_id=optional_int(cols["case_id"][lv]), case_name=optional_str(cols["case"][lv]),
                activity=str(codes[activity]) if activity is not None else DEFAULT_ACTIVITY,
                change=headline([passage(ev)], status=claim_status), level=str(codes[lv]),
                domain=str(codes[domain]) if domain is not None else DEFAULT_DOMAIN,
                status=claim_status,
                date=optional_str(cols["source_date"][lv]), evidence=[ev], merged_from=[key],
                coders=[str(gkey[0])], coding_ids=sorted(cids[r] for r in used),
                evidence_status=[str(codes[status]) if status is not None else DEFAULT_STATUS],
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
    out = codings.copy(deep=False)  # copy-on-write: the filled columns are new, the rest shared with the caller's
    keys = pd.to_numeric(out["segment_id"], errors="coerce")
    for col in cols:
        if col not in out.columns:
            out[col] = None
        # one vectorised lookup by segment id (a missing or unknown id gives NaN), not a Python call per row
        fill = keys.map(seg[col])
        out[col] = out[col].where(out[col].notna(), fill)
    return out
