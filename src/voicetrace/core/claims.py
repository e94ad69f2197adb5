"""Influence claims: an involvement activity said to have led to a change, with its evidence.

Evidence strength is never typed in by hand: it follows from the evidence by the rules in
:func:`voicetrace.analysis.claims.strength.evidence_strength` (documented in docs/claims.md).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    GRASSROOTS = "grassroots_operational"
    ORGANISATIONAL = "organisational_network"
    STRATEGIC = "strategic_commissioning"
    NATIONAL = "national_policy"
    UNCLEAR = "unclear_level"

    @property
    def is_strategic(self) -> bool:
        """The study's 'strategic' aim: commissioning and policy levels."""
        return self in (Level.STRATEGIC, Level.NATIONAL)


LEVEL_ORDER = [Level.GRASSROOTS, Level.ORGANISATIONAL, Level.STRATEGIC, Level.NATIONAL, Level.UNCLEAR]


class EvidenceStrength(StrEnum):
    CLAIMED = "claimed"
    CORROBORATED = "corroborated"
    DOCUMENTED = "documented"

    @property
    def rank(self) -> int:
        return {"claimed": 0, "corroborated": 1, "documented": 2}[self.value]


class ClaimStatus(StrEnum):
    PROPOSED = "proposed"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    SUSTAINED = "sustained"
    NOT_ADOPTED = "not_adopted"


class Stance(StrEnum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"


@dataclass(frozen=True)
class Evidence:
    """A passage that supports or contradicts a claim, with what the rules need to weigh it."""

    id: int
    claim_id: int
    source_id: int
    source_name: str
    start: int
    end: int
    text: str
    stance: Stance = Stance.SUPPORTS
    source_type: str = "document"          # document | transcript
    source_kind: str = "other"
    speaker: str | None = None
    speaker_role: str | None = None        # ParticipantRole value when known
    coded_strength: str | None = None      # an F-dimension code applied to this passage


@dataclass
class InfluenceClaim:
    id: int
    case_id: int | None
    case_name: str | None
    activity: str
    change: str
    level: str
    domain: str
    status: str
    date: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    merged_into: int | None = None
    edited_by: str | None = None
    note: str = ""
    number: int | None = None
    """What people call the claim ("claim 12"): numbered per project among the claims a reader sees,
    1, 2, 3 … without the gaps that merged parts leave in ``id``, and kept across rebuilds."""


@dataclass
class ClaimPage:
    """One page of the claims ledger: the claims shown, how many match the filters, how many there are."""
    claims: list[InfluenceClaim]
    matched: int
    total: int
