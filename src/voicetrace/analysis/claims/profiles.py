"""Claims as frames: one row per claim, per case × level × domain, per case, per level × outcome."""
from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ...core.claims import LEVEL_ORDER, ClaimStatus, EvidenceStrength, InfluenceClaim, Level, Stance
from .contradictions import contradictions
from .editing import active_claims
from .strength import STRENGTHS, explain_strength

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
