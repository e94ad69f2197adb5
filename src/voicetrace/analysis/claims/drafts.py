"""A claim proposed from codings, before a person has accepted or edited it, and its headline."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from ...core.claims import ClaimStatus, Evidence, EvidenceStrength, InfluenceClaim, Stance
from ..headlines import Passage, headline
from .strength import FORMAL_RECORD_KINDS, evidence_strength

DEFAULT_ACTIVITY = "unclear_activity"
DEFAULT_DOMAIN = "other_domain"
DEFAULT_STATUS = ClaimStatus.IMPLEMENTED.value
"""A passage coded with a level but no status reports a change as made: the codebook asks coders to
code status whenever the change is only proposed, planned or declined (decision rule 4)."""

CHANGE_MAX_CHARS = 160


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


def passage(ev: Evidence) -> Passage:
    return Passage(ev.text, written=ev.source_type != "transcript",
                   record=ev.source_type == "document" and ev.source_kind in FORMAL_RECORD_KINDS)


def claim_headline(evidence: Sequence[Evidence], status: str | None = None) -> str:
    """The headline of a claim from its supporting evidence (all of it when none supports); ``status``, the
    claim's, says whether the change to state is one made or one asked for (see ``headlines.headline``)."""
    support = [ev for ev in evidence if ev.stance == Stance.SUPPORTS] or list(evidence)
    return headline([passage(ev) for ev in support], status=status) if support else ""



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
