"""What a report may say about a case or a claim in words, by thresholds stated once (docs/claims.md).

A reader who catches one sentence that its own table contradicts stops trusting the rest, so every
characterisation ("mainly grass-roots", "rarely written down", "best-evidenced") is computed here from
the claims, with the figures that justify it kept beside the words.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..core.claims import InfluenceClaim, Level, Stance
from .claims.editing import active_claims
from .claims.profiles import OUTCOMES
from .claims.strength import FORMAL_RECORD_KINDS, claim_strength

MAINLY_SHARE = 0.5
"""A case's influence is "mainly" at a level when more than this share of its claims are there."""
RARELY_RECORDED_SHARE = 0.2
"""What changed was "rarely written down" in a case when fewer than this share of its claims have any
supporting passage in a formal record (minutes, a strategy or a work plan)."""
BEST_EVIDENCED = 3
"""How many changes per case the board summary shows."""
CHANGE_OUTCOMES = ("changed", "under_way")
"""The outcomes that count as a change (made or under way) when picking best-evidenced changes."""

OUTCOME_OF = {s: o for o, statuses in OUTCOMES.items() for s in statuses}
OUTCOME_RANK = {o: i for i, o in enumerate(OUTCOMES)}
STRATEGIC_LEVELS = frozenset(lv.value for lv in Level if lv.is_strategic)


def outcome(claim: InfluenceClaim) -> str:
    """changed / under_way / not_yet / declined, from the status (an unknown status counts as changed)."""
    return OUTCOME_OF.get(claim.status, "changed")


def supporting_sources(claim: InfluenceClaim) -> int:
    """How many different sources support the claim (two passages of one interview are one source)."""
    return len({ev.source_id for ev in claim.evidence if ev.stance == Stance.SUPPORTS})


def in_formal_record(claim: InfluenceClaim) -> bool:
    """Whether any supporting passage comes from minutes, a strategy or a work plan, whatever it says.

    Wider than the *documented* strength (which also needs the passage to record a decision): a Trust
    strategy that mentions the change is a written record of it, even when it does not decide it.
    """
    return any(ev.stance == Stance.SUPPORTS and ev.source_type == "document" and ev.source_kind in FORMAL_RECORD_KINDS
               for ev in claim.evidence)


def evidence_order(claim: InfluenceClaim) -> tuple[int, int, int, int]:
    """Sort key, best first: strength, then number of supporting sources, then outcome (made before
    under way before asked for), then the claim id so ties read in a stable order."""
    return (-claim_strength(claim).rank, -supporting_sources(claim), OUTCOME_RANK[outcome(claim)], claim.id)


def best_evidenced(claims: Iterable[InfluenceClaim], n: int = BEST_EVIDENCED, *,
                   levels: Iterable[str] | None = None, changes_only: bool = True) -> list[InfluenceClaim]:
    """The ``n`` best-evidenced claims, ordered by :func:`evidence_order`.

    With ``changes_only`` only changes made or under way are candidates: a request still being asked
    for, or one turned down, is not a change however well it is evidenced.
    """
    wanted = set(levels) if levels is not None else None
    pool = [c for c in active_claims(claims)
            if (wanted is None or c.level in wanted) and (not changes_only or outcome(c) in CHANGE_OUTCOMES)]
    return sorted(pool, key=evidence_order)[:n]


@dataclass(frozen=True)
class CaseCharacter:
    """A case described in words, with the claim ids behind each word (for links and tests)."""

    case: str
    claim_ids: tuple[int, ...]
    grassroots_ids: tuple[int, ...]
    strategic_ids: tuple[int, ...]
    recorded_ids: tuple[int, ...]
    """Claims with a supporting passage in a formal record (see :func:`in_formal_record`)."""

    @property
    def n_claims(self) -> int:
        return len(self.claim_ids)

    @property
    def emphasis(self) -> str:
        """mainly grass-roots | mainly strategic | more grass-roots | more strategic | even | none.

        "mainly" needs more than MAINLY_SHARE of all the case's claims (organisational and unclear
        claims count in the whole); "more" only that one level outnumbers the other.
        """
        n, gr, st = self.n_claims, len(self.grassroots_ids), len(self.strategic_ids)
        if gr == st == 0:
            return "none"
        if gr > MAINLY_SHARE * n:
            return "mainly grass-roots"
        if st > MAINLY_SHARE * n:
            return "mainly strategic"
        return "more grass-roots" if gr > st else "more strategic" if st > gr else "even"

    @property
    def rarely_recorded(self) -> bool:
        return self.n_claims > 0 and len(self.recorded_ids) < RARELY_RECORDED_SHARE * self.n_claims


def characterise_cases(claims: Iterable[InfluenceClaim], cases: Sequence[str] | None = None) -> list[CaseCharacter]:
    """One :class:`CaseCharacter` per case (in ``cases`` order when given, else by name)."""
    by_case: dict[str, list[InfluenceClaim]] = {}
    for c in active_claims(claims):
        by_case.setdefault(c.case_name or "", []).append(c)
    names = list(cases) if cases is not None else sorted(by_case)
    out = []
    for name in names:
        mine = sorted(by_case.get(name, []), key=lambda c: c.id)
        out.append(CaseCharacter(
            case=name, claim_ids=tuple(c.id for c in mine),
            grassroots_ids=tuple(c.id for c in mine if c.level == Level.GRASSROOTS.value),
            strategic_ids=tuple(c.id for c in mine if c.level in STRATEGIC_LEVELS),
            recorded_ids=tuple(c.id for c in mine if in_formal_record(c))))
    return out
