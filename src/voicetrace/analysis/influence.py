"""From coded segments to influence claims, their evidence strength and per-case profiles.

The rules here are the study's method made explicit (docs/claims.md explains them for readers):
a claim is a passage coded with a *level* of influence; passages in the same case that describe the
same change are merged into one claim with several evidence items (the merge is recorded so it can
be undone); the strength of a claim follows from its evidence, never from a typed-in value; and
contradicting evidence is kept beside the claim rather than averaged away.

Everything is pure and deterministic: the same frames give the same drafts in the same order.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from ..core.cases import ParticipantRole
from ..core.claims import (
    LEVEL_ORDER,
    ClaimStatus,
    Evidence,
    EvidenceStrength,
    InfluenceClaim,
    Level,
    Stance,
)
from ..core.codebook import Codebook
from .claim_merging import Profile, group_block, name_words
from .headlines import Passage, headline

DEFAULT_ACTIVITY = "unclear_activity"
DEFAULT_DOMAIN = "other_domain"
DEFAULT_STATUS = ClaimStatus.IMPLEMENTED.value
"""A passage coded with a level but no status reports a change as made: the codebook asks coders to
code status whenever the change is only proposed, planned or declined (decision rule 4)."""

FORMAL_RECORD_KINDS = frozenset({"minutes", "strategy", "work_plan"})
"""Source kinds written by a decision body (or adopted by one) rather than by the group about itself."""

DECISION_MARKERS = re.compile(
    r"\b(agreed|approved|decided|decision|resolved|ratified|endorsed|signed off|adopted|"
    r"commissioned|allocated|awarded|funded|funding (?:was|has been|is) (?:agreed|approved|confirmed)|"
    r"minuted|the (?:board|committee|group) (?:noted|accepted))\b",
    re.IGNORECASE,
)
"""Words that show a formal record is recording a decision, not just discussing a topic."""

STATUS_ORDER = [s.value for s in (ClaimStatus.PROPOSED, ClaimStatus.PLANNED, ClaimStatus.IN_PROGRESS,
                                  ClaimStatus.IMPLEMENTED, ClaimStatus.SUSTAINED)]
CONTRADICTABLE_STATUSES = frozenset({ClaimStatus.IN_PROGRESS.value, ClaimStatus.IMPLEMENTED.value,
                                     ClaimStatus.SUSTAINED.value})

SIMILARITY_THRESHOLD = 0.17
"""Centroid score a passage needs to join a claim; tuned on the sample study (docs/benchmarks.md)."""
CHANGE_MAX_CHARS = 160


# --------------------------------------------------------------------------- reading frames

def optional_int(value: Any) -> int | None:
    """Frames carry missing ids as NaN/None/NA; analyses want a plain int or None."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return int(value)


def optional_str(value: Any) -> str | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    s = str(value)
    return s if s != "" else None


def _dimension(row: Any, codebook: Codebook | None) -> str | None:
    dim = optional_str(row.get("dimension"))
    if dim is None and codebook is not None and row["code"] in codebook:
        dim = codebook.dimension_of(str(row["code"]))
    return dim


# --------------------------------------------------------------------------- drafts

@dataclass
class ClaimDraft:
    """A claim proposed from codings, before a person has accepted or edited it.

    ``key`` is stable across runs ("seg<segment>:<coder>:<level coding id>") so a service can tell a
    re-proposed draft from a new one. ``merged_from`` lists the keys of the single-passage drafts
    folded into this one and ``parts`` keeps those drafts whole, so :func:`unmerge_draft` can undo it.
    """

    key: str
    case_id: int | None
    case_name: str | None
    activity: str
    change: str
    level: str
    domain: str
    status: str
    date: str | None
    evidence: list[Evidence] = field(default_factory=list)
    merged_from: list[str] = field(default_factory=list)
    merge_reasons: list[str] = field(default_factory=list)
    parts: list[ClaimDraft] = field(default_factory=list)
    coders: list[str] = field(default_factory=list)
    coding_ids: list[int] = field(default_factory=list)
    evidence_status: list[str] = field(default_factory=list)

    @property
    def strength(self) -> EvidenceStrength:
        return evidence_strength(self.evidence)

    @property
    def is_merged(self) -> bool:
        return len(self.merged_from) > 1

    def to_claim(self, claim_id: int, first_evidence_id: int = 1) -> InfluenceClaim:
        """An InfluenceClaim with fresh ids (the store assigns real ones)."""
        evidence = [replace(ev, id=first_evidence_id + i, claim_id=claim_id)
                    for i, ev in enumerate(self.evidence)]
        note = ""
        if self.is_merged:
            note = (f"Merged from {len(self.merged_from)} passages describing the same change "
                    f"({'; '.join(self.merge_reasons)}). Parts: {', '.join(self.merged_from)}.")
        return InfluenceClaim(id=claim_id, case_id=self.case_id, case_name=self.case_name,
                              activity=self.activity, change=self.change, level=self.level,
                              domain=self.domain, status=self.status, date=self.date,
                              evidence=evidence, note=note)


def _first_sentence(text: str, limit: int = CHANGE_MAX_CHARS) -> str:
    """The headline of a single passage (kept for callers of the old name): see ``headlines``."""
    return headline([Passage(text)], limit)


def _passage(ev: Evidence) -> Passage:
    return Passage(ev.text, written=ev.source_type != "transcript",
                   record=ev.source_type == "document" and ev.source_kind in FORMAL_RECORD_KINDS)


def claim_headline(evidence: Sequence[Evidence]) -> str:
    """The headline of a claim from its supporting evidence (all of it when none supports)."""
    support = [ev for ev in evidence if ev.stance == Stance.SUPPORTS] or list(evidence)
    return headline([_passage(ev) for ev in support]) if support else ""


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
                change=headline([_passage(ev)]), level=str(lv["code"]),
                domain=str(domain["code"]) if domain else DEFAULT_DOMAIN,
                status=str(status["code"]) if status else DEFAULT_STATUS,
                date=optional_str(lv.get("source_date")), evidence=[ev], merged_from=[key],
                coders=[str(gkey[0])], coding_ids=sorted(r["coding_id"] for r in used),
                evidence_status=[str(status["code"]) if status else DEFAULT_STATUS],
            ))
    return drafts


# --------------------------------------------------------------------------- merging

def _merged_status(statuses: list[str]) -> str:
    positive = [s for s in statuses if s != ClaimStatus.NOT_ADOPTED.value]
    if not positive:
        return ClaimStatus.NOT_ADOPTED.value
    counts = Counter(positive)
    best = max(counts.values())
    tied = [s for s in counts if counts[s] == best]
    status = max(tied, key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else -1)
    declined = len(positive) < len(statuses)
    if declined and status in (ClaimStatus.PROPOSED.value, ClaimStatus.PLANNED.value):
        return ClaimStatus.NOT_ADOPTED.value  # the proposal's outcome is that it was declined
    return status


# A provider, clinician or commissioner saying the change is not there, or was not the group's doing.
DENIAL = re.compile(
    r"\b(?:isn'?t (?:actually |yet )?open|not (?:yet )?(?:open|in place)|never (?:happened|materiali[sz]ed|opened)"
    r"|in place since|(?:had|has) (?:already )?been in place|nothing to do with (?:the|them|their)"
    r"|would have happened anyway|wasn'?t (?:really )?(?:down to|because of) (?:the|them|their))",
    re.IGNORECASE)
OUTSIDE_ROLES = {"commissioner", "manager", "clinician", "professional"}


def is_denial(ev: Evidence) -> bool:
    """A passage from someone outside the group that denies the change or the group's part in it."""
    return (ev.speaker_role or "") in OUTSIDE_ROLES and DENIAL.search(ev.text) is not None


def _with_stances(draft: ClaimDraft) -> ClaimDraft:
    """Mark as contradicting, in a claim that says the change happened: passages coded not_adopted, and
    denials by people outside the group (see DENIAL) — unless they are the claim's only evidence."""
    if draft.status not in CONTRADICTABLE_STATUSES:
        return draft
    evidence = [replace(ev, stance=Stance.CONTRADICTS)
                if st == ClaimStatus.NOT_ADOPTED.value or (len(draft.evidence) > 1 and is_denial(ev)) else ev
                for ev, st in zip(draft.evidence, draft.evidence_status)]
    if all(ev.stance == Stance.CONTRADICTS for ev in evidence):
        return draft  # nothing left to contradict: keep the passages as the claim's own evidence
    return replace(draft, evidence=evidence)


def _combine(members: list[ClaimDraft], reasons: list[str]) -> ClaimDraft:
    seed = members[0]
    if len(members) == 1:
        return _with_stances(seed)
    levels = [m.level for m in members if m.level != Level.UNCLEAR.value]
    level = Counter(levels).most_common(1)[0][0] if levels else Level.UNCLEAR.value
    activities = [m.activity for m in members if m.activity != DEFAULT_ACTIVITY]
    activity = Counter(activities).most_common(1)[0][0] if activities else DEFAULT_ACTIVITY
    evidence: list[Evidence] = []
    ev_status: list[str] = []
    seen: set[tuple[int, int, int]] = set()
    for m in members:
        for ev, st in zip(m.evidence, m.evidence_status):
            spot = (ev.source_id, ev.start, ev.end)
            if spot in seen:  # two coders coding the same passage are one piece of evidence
                continue
            seen.add(spot)
            evidence.append(replace(ev, id=len(evidence) + 1))
            ev_status.append(st)
    dates = sorted(d for m in members for d in [m.date] if d)
    merged = ClaimDraft(
        key="+".join(m.key for m in members), case_id=seed.case_id, case_name=seed.case_name,
        activity=activity, change=seed.change, level=level, domain=_most_common([m.domain for m in members]),
        status=_merged_status(ev_status), date=dates[0] if dates else None, evidence=evidence,
        merged_from=[k for m in members for k in m.merged_from], merge_reasons=reasons,
        parts=[p for m in members for p in (m.parts or [m])],
        coders=sorted({c for m in members for c in m.coders}),
        coding_ids=sorted({c for m in members for c in m.coding_ids}), evidence_status=ev_status,
    )
    merged = _with_stances(merged)
    return replace(merged, change=claim_headline(merged.evidence))


def _most_common(values: list[str]) -> str:
    """The most frequent value; ties go to the one seen first (the claim's founding passage)."""
    counts = Counter(values)
    best = max(counts.values())
    return next(v for v in values if counts[v] == best)


def _draft_order(drafts: Sequence[ClaimDraft], members: list[int]) -> list[int]:
    """Records first (minutes, plans, then other documents), then interviews, each in found order: the
    fullest written statement of a change founds its claim and the spoken accounts join it."""
    def rank(i: int) -> tuple[int, int]:
        ev = drafts[i].evidence[0] if drafts[i].evidence else None
        if ev is None:
            return (3, i)
        if ev.source_type == "document" and ev.source_kind in FORMAL_RECORD_KINDS:
            return (0, i)
        return (1 if ev.source_type == "document" else 2, i)
    return sorted(members, key=rank)


def merge_drafts(drafts: Sequence[ClaimDraft], threshold: float = SIMILARITY_THRESHOLD) -> list[ClaimDraft]:
    """Fold drafts that describe the same change in the same case into one claim.

    Blocked by case (nothing is compared across cases); within a case each passage joins the claim
    whose centroid of change words it is closest to (see ``claim_merging``), when the score reaches
    ``threshold`` and the levels agree (or one is unclear). Groups come out in the order of their
    first draft, so the result is deterministic.
    """
    blocks: dict[tuple[int | None, str | None], list[int]] = {}
    for i, d in enumerate(drafts):
        blocks.setdefault((d.case_id, d.case_name), []).append(i)
    found: list[tuple[int, list[int], list[str]]] = []
    for members in blocks.values():
        texts = [" ".join(ev.text for ev in drafts[i].evidence) for i in members]
        profiles = [Profile(drafts[i].level, drafts[i].domain, drafts[i].activity) for i in members]
        local = {i: j for j, i in enumerate(members)}
        order = [local[i] for i in _draft_order(drafts, members)]
        names = name_words([ev.speaker for i in members for ev in drafts[i].evidence if ev.speaker])
        groups, scores = group_block(texts, profiles, order, threshold, names)
        for g, sc in zip(groups, scores):
            idx = [members[j] for j in g]
            why = [f"same case, change words alike (score {s:.2f})" for s in sc]
            found.append((min(idx), sorted(idx), why))
    found.sort(key=lambda t: t[0])
    return [_combine([drafts[m] for m in idx], why) for _, idx, why in found]


def unmerge_draft(draft: ClaimDraft) -> list[ClaimDraft]:
    """Undo a merge: the single-passage drafts it was made from, each with its own stance rules."""
    if not draft.parts:
        return [draft]
    return [_with_stances(p) for p in draft.parts]


def propose_claims(segments: pd.DataFrame, codings: pd.DataFrame, codebook: Codebook | None,
                   coder: str | None = None, threshold: float = SIMILARITY_THRESHOLD) -> list[ClaimDraft]:
    """Claims proposed from every passage coded with a level of influence (one coder, or all).

    ``segments`` fills in case and speaker details the codings frame lacks for a segment (it may be
    empty). Drafts come out ordered by case, then by the order their first passage was found.
    """
    frame = codings
    if len(segments) and "segment_id" in codings.columns and len(codings):
        frame = _fill_from_segments(codings, segments)
    drafts = _single_drafts(frame, codebook, coder)
    merged = merge_drafts(drafts, threshold=threshold)
    return sorted(merged, key=lambda d: (d.case_name or "", d.case_id or 0))


def _fill_from_segments(codings: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in ("case_id", "case", "pseudonym", "role", "participant_id") if c in segments.columns]
    if "segment_id" not in segments.columns or not cols:
        return codings
    seg = segments.set_index("segment_id")[cols]
    out = codings.copy()
    for col in cols:
        if col not in out.columns:
            out[col] = None
        ids = out["segment_id"]
        fill = ids.map(lambda s, c=col: seg[c].get(int(s)) if optional_int(s) is not None and int(s) in seg.index
                       else None)
        out[col] = out[col].where(out[col].notna(), fill)
    return out


def drafts_to_claims(drafts: Iterable[ClaimDraft], first_id: int = 1) -> list[InfluenceClaim]:
    """Claims to store: each merged claim plus its parts with ``merged_into`` set (so a merge is reversible)."""
    out: list[InfluenceClaim] = []
    next_id, next_ev = first_id, 1
    for d in drafts:
        claim = d.to_claim(next_id, next_ev)
        out.append(claim)
        next_id, next_ev = next_id + 1, next_ev + len(claim.evidence)
        if d.is_merged:
            for p in d.parts:
                part = replace(p.to_claim(next_id, next_ev), merged_into=claim.id)
                out.append(part)
                next_id, next_ev = next_id + 1, next_ev + len(part.evidence)
    return out


# --------------------------------------------------------------------------- editing persisted claims

def active_claims(claims: Iterable[InfluenceClaim]) -> list[InfluenceClaim]:
    """The claims a reader sees: those not folded into another claim."""
    return [c for c in claims if c.merged_into is None]


def merge_claims(claims: Sequence[InfluenceClaim], new_id: int, by: str | None = None) -> list[InfluenceClaim]:
    """A person merges claims: returns the new claim first, then the originals pointing at it."""
    if len(claims) < 2:
        raise ValueError("merging needs at least two claims")
    cases = {(c.case_id, c.case_name) for c in claims}
    if len(cases) > 1:
        raise ValueError("claims from different cases cannot be merged")
    seed = claims[0]
    unique: dict[tuple[int, int, int], Evidence] = {}
    for ev in (ev for c in claims for ev in c.evidence):  # one passage in two claims is one witness
        unique.setdefault((ev.source_id, ev.start, ev.end), ev)
    evidence = [replace(ev, id=i + 1, claim_id=new_id) for i, ev in enumerate(unique.values())]
    dates = sorted(c.date for c in claims if c.date)
    # A headline a person wrote is kept; otherwise the merged evidence chooses one, like a proposal's.
    edited = [c for c in claims if c.edited_by]
    change = edited[0].change if edited else (claim_headline(evidence) or seed.change)
    levels = [c.level for c in claims if c.level != Level.UNCLEAR.value]
    merged = InfluenceClaim(id=new_id, case_id=seed.case_id, case_name=seed.case_name, activity=seed.activity,
                            change=change, level=_most_common(levels) if levels else seed.level,
                            domain=_most_common([c.domain for c in claims]),
                            status=_merged_status([c.status for c in claims]),
                            date=dates[0] if dates else None, evidence=evidence, edited_by=by,
                            note="merged from claims " + ", ".join(
                                str(c.number if c.number is not None else c.id) for c in claims))
    return [merged] + [replace(c, merged_into=new_id) for c in claims]


def unmerge_claim(merged: InfluenceClaim, claims: Iterable[InfluenceClaim]) -> list[InfluenceClaim]:
    """Undo a merge: the claims that were folded into ``merged``, visible again."""
    return [replace(c, merged_into=None) for c in claims if c.merged_into == merged.id]


EDITABLE = frozenset({"activity", "change", "level", "domain", "status", "date", "note"})
"""What a person may change on a claim; evidence strength is not among them (it stays rule-based)."""


def edit_claim(claim: InfluenceClaim, by: str, **changes: str | None) -> InfluenceClaim:
    """A person's edit of the wording or coding of a claim: it is theirs from now on (a rebuild keeps it)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"cannot edit {', '.join(sorted(unknown))} (editable: {', '.join(sorted(EDITABLE))})")
    return replace(claim, edited_by=by, **changes)  # type: ignore[arg-type]


def mark_stance(claim: InfluenceClaim, evidence_id: int, stance: Stance, by: str) -> InfluenceClaim:
    """A person says a passage contradicts (or supports) the claim."""
    if not any(ev.id == evidence_id for ev in claim.evidence):
        raise ValueError(f"claim {claim.id} has no evidence item {evidence_id}")
    evidence = [replace(ev, stance=stance) if ev.id == evidence_id else ev for ev in claim.evidence]
    return replace(claim, evidence=evidence, edited_by=by)


# --------------------------------------------------------------------------- evidence strength

def _role(ev: Evidence) -> ParticipantRole | None:
    if not ev.speaker_role:
        return None
    try:
        return ParticipantRole(ev.speaker_role)
    except ValueError:
        return None


def is_formal_record(ev: Evidence) -> bool:
    """A passage in minutes, a strategy or a work plan that records a decision."""
    return (ev.source_type == "document" and ev.source_kind in FORMAL_RECORD_KINDS
            and DECISION_MARKERS.search(ev.text) is not None)


def explain_strength(evidence: Sequence[Evidence]) -> tuple[EvidenceStrength, str]:
    """The strength of a claim's evidence and the rule that gave it, in words for the report."""
    support = [ev for ev in evidence if ev.stance == Stance.SUPPORTS]
    for ev in support:
        if ev.coded_strength == EvidenceStrength.DOCUMENTED.value:
            return EvidenceStrength.DOCUMENTED, f"a coder marked {ev.source_name} as a formal record"
    for ev in support:
        if is_formal_record(ev):
            return EvidenceStrength.DOCUMENTED, f"{ev.source_name} ({ev.source_kind}) records the decision"
    types = {ev.source_type for ev in support}
    if "document" in types and "transcript" in types:
        return EvidenceStrength.CORROBORATED, "a document and an interview both report it"
    roles = {r for ev in support if ev.source_type == "transcript"
             for r in [_role(ev)] if r is not None and r is not ParticipantRole.INTERVIEWER}
    if len(roles) >= 2:
        return EvidenceStrength.CORROBORATED, "interviewees in different roles (" + ", ".join(
            sorted(r.value for r in roles)) + ") report it"
    for ev in support:
        r = _role(ev)
        if r is not None and r.is_decision_maker:
            return EvidenceStrength.CORROBORATED, f"a decision-maker ({r.value}) confirms it"
    for ev in support:
        if ev.coded_strength == EvidenceStrength.CORROBORATED.value:
            return EvidenceStrength.CORROBORATED, f"a coder marked the passage in {ev.source_name} as corroborated"
    if not support:
        return EvidenceStrength.CLAIMED, "no supporting evidence is left"
    return EvidenceStrength.CLAIMED, "one party reports it, with no formal record or independent confirmation"


def evidence_strength(evidence: Sequence[Evidence]) -> EvidenceStrength:
    """documented > corroborated > claimed, by the rules in docs/claims.md; contradictions never raise it."""
    return explain_strength(evidence)[0]


def contradictions(claim: InfluenceClaim | ClaimDraft) -> list[Evidence]:
    return [ev for ev in claim.evidence if ev.stance == Stance.CONTRADICTS]


def claim_strength(claim: InfluenceClaim | ClaimDraft) -> EvidenceStrength:
    return evidence_strength(claim.evidence)


# --------------------------------------------------------------------------- profiles

STRENGTHS = [s.value for s in (EvidenceStrength.CLAIMED, EvidenceStrength.CORROBORATED, EvidenceStrength.DOCUMENTED)]
STATUSES = [s.value for s in ClaimStatus]
LEVELS = [lv.value for lv in LEVEL_ORDER]


def _level_rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def claims_frame(claims: Iterable[InfluenceClaim]) -> pd.DataFrame:
    """One row per active claim, with its computed strength and contradiction count."""
    rows = []
    for c in active_claims(claims):
        strength, why = explain_strength(c.evidence)
        rows.append({
            "claim_id": c.id, "case_id": c.case_id, "case": c.case_name, "activity": c.activity,
            "change": c.change, "level": c.level, "domain": c.domain, "status": c.status, "date": c.date,
            "evidence_strength": strength.value, "strength_reason": why,
            "n_evidence": len(c.evidence), "n_contradicting": len(contradictions(c)),
            "n_sources": len({ev.source_id for ev in c.evidence if ev.stance == Stance.SUPPORTS}),
            "edited_by": c.edited_by, "note": c.note,
        })
    cols = ["claim_id", "case_id", "case", "activity", "change", "level", "domain", "status", "date",
            "evidence_strength", "strength_reason", "n_evidence", "n_contradicting", "n_sources",
            "edited_by", "note"]
    return pd.DataFrame(rows, columns=cols)


def influence_profile(claims: Iterable[InfluenceClaim]) -> pd.DataFrame:
    """Per case × level × domain: claim counts, split by status and by evidence strength.

    Columns: case_id, case, level, domain, n_claims, status_<status>…, claimed, corroborated,
    documented, n_contradicted, claim_ids. Only combinations with claims appear.
    """
    frame = claims_frame(claims)
    cols = (["case_id", "case", "level", "domain", "n_claims"] + [f"status_{s}" for s in STATUSES]
            + STRENGTHS + ["n_contradicted", "claim_ids"])
    if frame.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    keyed = frame.assign(_case=frame["case"].fillna(""), _cid=frame["case_id"].fillna(-1))
    for (case_name, case_id, level, domain), g in keyed.groupby(["_case", "_cid", "level", "domain"], sort=False):
        row: dict[str, Any] = {"case_id": None if case_id == -1 else int(case_id),
                               "case": case_name or None, "level": level, "domain": domain,
                               "n_claims": len(g)}
        for s in STATUSES:
            row[f"status_{s}"] = int((g["status"] == s).sum())
        for s in STRENGTHS:
            row[s] = int((g["evidence_strength"] == s).sum())
        row["n_contradicted"] = int((g["n_contradicting"] > 0).sum())
        row["claim_ids"] = sorted(int(x) for x in g["claim_id"])
        rows.append(row)
    out = pd.DataFrame(rows, columns=cols)
    out["_lr"] = out["level"].map(_level_rank)
    out = out.sort_values(["case", "_lr", "domain"], na_position="last").drop(columns="_lr")
    return out.reset_index(drop=True)


def grassroots_strategic_balance(claims: Iterable[InfluenceClaim]) -> pd.DataFrame:
    """Per case: how many claims landed at each level and where the weight lies.

    ``strategic`` counts strategic commissioning and national policy together (the study's aim);
    ``strategic_corroborated`` those of them corroborated or documented. ``balance`` is
    "grass-roots" when grass-roots claims outnumber strategic ones, "strategic" when the reverse,
    "even" when equal, "none" with no claims at either level.
    """
    frame = claims_frame(claims)
    cols = ["case_id", "case", "n_claims", "grassroots", "organisational", "strategic", "unclear",
            "strategic_corroborated", "share_grassroots", "share_strategic", "balance",
            "grassroots_claim_ids", "organisational_claim_ids", "strategic_claim_ids", "unclear_claim_ids",
            "strategic_corroborated_claim_ids"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    strategic_levels = {lv.value for lv in Level if lv.is_strategic}
    rows = []
    keyed = frame.assign(_case=frame["case"].fillna(""), _cid=frame["case_id"].fillna(-1))
    for (case_name, case_id), g in keyed.groupby(["_case", "_cid"], sort=True):
        ids = {
            "grassroots": g[g["level"] == Level.GRASSROOTS.value]["claim_id"],
            "organisational": g[g["level"] == Level.ORGANISATIONAL.value]["claim_id"],
            "strategic": g[g["level"].isin(strategic_levels)]["claim_id"],
            "unclear": g[~g["level"].isin([Level.GRASSROOTS.value, Level.ORGANISATIONAL.value,
                                           *strategic_levels])]["claim_id"],
        }
        strong = g[g["level"].isin(strategic_levels)
                   & g["evidence_strength"].isin([EvidenceStrength.CORROBORATED.value,
                                                  EvidenceStrength.DOCUMENTED.value])]["claim_id"]
        n = len(g)
        gr, st = len(ids["grassroots"]), len(ids["strategic"])
        balance = "none" if gr == st == 0 else "grass-roots" if gr > st else "strategic" if st > gr else "even"
        row: dict[str, Any] = {"case_id": None if case_id == -1 else int(case_id), "case": case_name or None,
                               "n_claims": n}
        for k, v in ids.items():
            row[k] = len(v)
            row[f"{k}_claim_ids"] = sorted(int(x) for x in v)
        row["strategic_corroborated"] = len(strong)
        row["strategic_corroborated_claim_ids"] = sorted(int(x) for x in strong)
        row["share_grassroots"] = gr / n if n else math.nan
        row["share_strategic"] = st / n if n else math.nan
        row["balance"] = balance
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)


OUTCOMES: dict[str, tuple[str, ...]] = {
    "changed": (ClaimStatus.IMPLEMENTED.value, ClaimStatus.SUSTAINED.value),
    "under_way": (ClaimStatus.IN_PROGRESS.value,),
    "not_yet": (ClaimStatus.PROPOSED.value, ClaimStatus.PLANNED.value),
    "declined": (ClaimStatus.NOT_ADOPTED.value,),
}
"""What came of a claim, from its status: a change made, under way, still only asked for, or turned down.
Set against the level, it shows where groups pushed and where they actually changed things."""


def outcome_by_level(claims: Iterable[InfluenceClaim]) -> pd.DataFrame:
    """Per level × outcome (see ``OUTCOMES``): how many claims, and which.

    Columns: level, outcome, n_claims, claim_ids — every level in ``LEVELS`` and every outcome, zeros
    included, levels in order; a status outside ``OUTCOMES`` counts as "changed" (the codebook's default).
    """
    frame = claims_frame(claims)
    outcome_of = {s: o for o, statuses in OUTCOMES.items() for s in statuses}
    frame["outcome"] = frame["status"].map(lambda s: outcome_of.get(s, "changed"))
    rows = []
    for level in LEVELS:
        for outcome in OUTCOMES:
            ids = frame[(frame["level"] == level) & (frame["outcome"] == outcome)]["claim_id"]
            rows.append({"level": level, "outcome": outcome, "n_claims": len(ids),
                         "claim_ids": sorted(int(i) for i in ids)})
    return pd.DataFrame(rows, columns=["level", "outcome", "n_claims", "claim_ids"])
