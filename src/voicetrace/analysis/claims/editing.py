"""A person's work on stored claims: which ones a reader sees, edits, and stance."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ...core.claims import InfluenceClaim, Stance


def active_claims(claims: Iterable[InfluenceClaim]) -> list[InfluenceClaim]:
    """The claims a reader sees: those not folded into another claim."""
    return [c for c in claims if c.merged_into is None]


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
