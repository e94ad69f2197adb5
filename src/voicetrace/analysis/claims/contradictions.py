"""Evidence against a claim, kept beside it rather than averaged away."""
from __future__ import annotations

import re
from dataclasses import replace

from ...core.claims import ClaimStatus, Evidence, InfluenceClaim, Stance
from .drafts import ClaimDraft

CONTRADICTABLE_STATUSES = frozenset({ClaimStatus.IN_PROGRESS.value, ClaimStatus.IMPLEMENTED.value,
                                     ClaimStatus.SUSTAINED.value})


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


def with_stances(draft: ClaimDraft) -> ClaimDraft:
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


def contradictions(claim: InfluenceClaim | ClaimDraft) -> list[Evidence]:
    return [ev for ev in claim.evidence if ev.stance == Stance.CONTRADICTS]
