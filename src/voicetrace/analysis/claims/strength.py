"""Evidence strength: documented > corroborated > claimed, by the rules in docs/claims.md."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...core.cases import ParticipantRole
from ...core.claims import Evidence, EvidenceStrength, InfluenceClaim, Stance

if TYPE_CHECKING:
    from .drafts import ClaimDraft

FORMAL_RECORD_KINDS = frozenset({"minutes", "strategy", "work_plan"})
"""Source kinds written by a decision body (or adopted by one) rather than by the group about itself."""

DECISION_MARKERS = re.compile(
    r"\b(agreed|approved|decided|decision|resolved|ratified|endorsed|signed off|adopted|"
    r"commissioned|allocated|awarded|funded|funding (?:was|has been|is) (?:agreed|approved|confirmed)|"
    r"minuted|the (?:board|committee|group) (?:noted|accepted))\b",
    re.IGNORECASE,
)
"""Words that show a formal record is recording a decision, not just discussing a topic."""


STRENGTHS = [s.value for s in (EvidenceStrength.CLAIMED, EvidenceStrength.CORROBORATED, EvidenceStrength.DOCUMENTED)]


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


def claim_strength(claim: InfluenceClaim | ClaimDraft) -> EvidenceStrength:
    return evidence_strength(claim.evidence)
