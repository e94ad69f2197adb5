"""The impact log drawn from claims, and what a reporting period holds.

A claim says a change was asked for or made; its passages, each coded with a status and dated by
its source, say *when* each stage was reached. An entry made from a claim has one step per stage
that a passage evidences — nothing is filled in between — and is "verified" only when the evidence
reaches corroborated or documented strength by the rules of :mod:`voicetrace.analysis.claims.strength`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..core.claims import Evidence, EvidenceStrength, InfluenceClaim, Stance
from ..core.impact import CLAIM_STAGE, RESPONSE_DAYS, EvidenceRef, ImpactEntry, Period, Stage, Step, due_date
from .claims.strength import claim_strength, evidence_strength, explain_strength

PassageStatus = Mapping[tuple[int, int, int], str]
"""The status code coded on a passage, keyed by (source id, start, end) of the evidence item."""

QUOTE_CHARS = 220


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """A passage cut at a word boundary, for a table cell or a reason line."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",;:-") + "…"


def _ref(e: Evidence, claim: InfluenceClaim, dates: Mapping[int, str | None],
         consent: Callable[[str | None, str | None], bool]) -> EvidenceRef:
    return EvidenceRef(source_id=e.source_id, source=e.source_name, start=e.start, end=e.end, text=e.text,
                       claim_id=claim.id, source_kind=e.source_kind, source_type=e.source_type,
                       source_date=dates.get(e.source_id), speaker=e.speaker, role=e.speaker_role,
                       consented=consent(e.speaker, claim.case_name))


def _by_date(pairs: list[tuple[Evidence, EvidenceRef]]) -> list[tuple[Evidence, EvidenceRef]]:
    return sorted(pairs, key=lambda p: (p[1].source_date is None, p[1].source_date or "", p[1].source, p[1].start))


def _asked_by(claim: InfluenceClaim, refs: Sequence[EvidenceRef]) -> str:
    people = []
    for r in refs:
        if r.speaker and r.role in ("service_user", "carer", "facilitator"):
            who = f"{r.speaker} ({r.role.replace('_', ' ')})"
            if who not in people:
                people.append(who)
    group = claim.case_name or "the group"
    return f"{group}: {', '.join(people)}" if people else group


def _meeting(refs: Sequence[EvidenceRef]) -> str:
    minutes = [r for r in refs if r.source_kind == "minutes"]
    if not (minutes or refs):
        return ""
    first = (minutes or list(refs))[0]
    kind = first.source_kind.replace("_", " ")
    return f"{kind} {first.source_date or '(undated)'} ({first.source})"


def entry_from_claim(claim: InfluenceClaim, passage_status: PassageStatus, dates: Mapping[int, str | None],
                     consent: Callable[[str | None, str | None], bool] | None = None,
                     response_days: int = RESPONSE_DAYS, by: str = "voicetrace") -> ImpactEntry:
    """One impact-log entry from a claim: a step for each stage its dated passages evidence.

    The request is dated by the claim's earliest passage (it was asked no later than first recorded);
    a later stage by the earliest passage coded at that stage, never earlier than the stage before it;
    'verified' by the first date the evidence, read in date order, reaches corroborated strength with
    the change done.
    """
    allow = consent or (lambda _s, _c: False)
    pairs = _by_date([(e, _ref(e, claim, dates, allow)) for e in claim.evidence if e.stance is Stance.SUPPORTS])
    if not pairs:  # every passage contradicts: keep them as the record of what was said
        pairs = _by_date([(e, _ref(e, claim, dates, allow)) for e in claim.evidence])
    final = CLAIM_STAGE.get(claim.status, Stage.ASKED)

    def stage_of(e: Evidence) -> Stage:
        return CLAIM_STAGE.get(passage_status.get((e.source_id, e.start, e.end), claim.status), final)

    staged = [(e, r, stage_of(e)) for e, r in pairs]
    refs = [r for _, r, _ in staged]
    dated = [r.source_date for r in refs if r.source_date]
    first_date = min(dated) if dated else None
    steps: list[Step] = []
    asked_refs = [r for _, r, st in staged if st is Stage.ASKED] or refs[:1]
    steps.append(Step(Stage.ASKED, first_date, "" if any(st is Stage.ASKED for *_, st in staged)
                      else "first recorded here; the request itself is not in the sources", asked_refs,
                      recorded_by=by))
    ladder = [Stage.AGREED, Stage.IN_PROGRESS, Stage.DONE]
    for stage in ladder:
        if final is not Stage.DECLINED and stage.rank > final.rank:
            break
        at = [r for _, r, st in staged if st is stage]
        if at:
            days = [r.source_date for r in at if r.source_date]
            steps.append(Step(stage, min(days) if days else None, "", at, recorded_by=by))
    if final is Stage.DECLINED:
        at = [r for _, r, st in staged if st is Stage.DECLINED] or refs[-1:]
        days = [r.source_date for r in at if r.source_date]
        steps.append(Step(Stage.DECLINED, min(days) if days else None, shorten(at[0].text) if at else "", at,
                          recorded_by=by))
    elif not any(s.stage is final for s in steps):
        # The claim's status was set by a person, not by a coded passage: date it by the latest record.
        steps.append(Step(final, max(dated) if dated else None, f"status '{claim.status}' set on claim {claim.id}",
                          refs, recorded_by=by))
    if final is Stage.DONE:
        verified = _verification(staged)
        if verified is not None:
            steps.append(verified)
    _monotone(steps)
    for s in steps:
        s.recorded_by = by
    contra = [e for e in claim.evidence if e.stance is Stance.CONTRADICTS]
    if contra:
        steps[-1].note = (steps[-1].note + "; " if steps[-1].note else "") + (
            f"{len(contra)} passage(s) contradict it: " + ", ".join(sorted({e.source_name for e in contra})))
    responses = [s for s in steps if s.stage.is_response]
    return ImpactEntry(
        id=0, request=claim.change, case=claim.case_name, asked_by=_asked_by(claim, refs), asked_on=first_date,
        meeting=_meeting(refs), response=shorten(responses[0].evidence[0].text) if responses and responses[0].evidence
        else "", level=claim.level, domain=claim.domain, due=due_date(first_date, response_days),
        claim_ids=[claim.id], steps=steps, origin="claims", created_by=by)


def _verification(staged: list[tuple[Evidence, EvidenceRef, Stage]]) -> Step | None:
    """The first point, in date order, where the change is done and the evidence is corroborated."""
    seen: list[Evidence] = []
    done = False
    for e, r, st in staged:
        seen.append(e)
        done = done or st.is_change
        if done and evidence_strength(seen).rank >= EvidenceStrength.CORROBORATED.rank:
            _, why = explain_strength(seen)
            return Step(Stage.VERIFIED, r.source_date, why, [r])
    return None


def _monotone(steps: list[Step]) -> None:
    """A later stage is never dated before an earlier one: an earlier stage takes the later date's bound."""
    for i in range(len(steps) - 2, -1, -1):
        nxt = steps[i + 1].date
        if nxt and steps[i].date and steps[i].date > nxt:  # type: ignore[operator]
            steps[i].date = nxt
    for i in range(1, len(steps)):
        prev = steps[i - 1].date
        if prev and steps[i].date and steps[i].date < prev:  # type: ignore[operator]
            steps[i].date = prev


def _status_codings(codings: Iterable[Mapping[str, object]]) -> dict[int, list[tuple[int, int, str]]]:
    out: dict[int, list[tuple[int, int, str]]] = {}
    for c in codings:
        if c.get("dimension") == "status":
            out.setdefault(int(str(c["source_id"])), []).append(
                (int(str(c["start"])), int(str(c["end"])), str(c["code"])))
    return out


def status_of_passages(claims: Iterable[InfluenceClaim],
                       codings: Iterable[Mapping[str, object]]) -> dict[tuple[int, int, int], str]:
    """For each evidence passage, the status code whose coding overlaps it most (none when uncoded)."""
    by_source = _status_codings(codings)
    out: dict[tuple[int, int, int], str] = {}
    for c in claims:
        for e in c.evidence:
            best, best_overlap = None, 0
            for s, t, code in by_source.get(e.source_id, []):
                overlap = min(t, e.end) - max(s, e.start)
                if overlap > best_overlap:
                    best, best_overlap = code, overlap
            if best is not None:
                out[(e.source_id, e.start, e.end)] = best
    return out


# ----------------------------------------------------------------------------- periods

@dataclass
class PeriodSummary:
    """What happened to the log's entries in one period (each list holds entries, each countable)."""

    period: Period
    active: list[ImpactEntry] = field(default_factory=list)
    asked: list[ImpactEntry] = field(default_factory=list)
    responded: list[ImpactEntry] = field(default_factory=list)
    changed: list[ImpactEntry] = field(default_factory=list)
    verified: list[ImpactEntry] = field(default_factory=list)
    declined: list[ImpactEntry] = field(default_factory=list)
    open_at_end: list[ImpactEntry] = field(default_factory=list)
    overdue: list[ImpactEntry] = field(default_factory=list)
    responded_in_time: list[ImpactEntry] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: len(getattr(self, k)) for k in ("active", "asked", "responded", "changed", "verified",
                                                   "declined", "open_at_end", "overdue", "responded_in_time")}


def _reached_in(entry: ImpactEntry, stages: set[Stage], period: Period) -> bool:
    return any(s.stage in stages and period.contains(s.date) for s in entry.steps) or (
        not period.start and not period.end and any(s.stage in stages for s in entry.steps))


def filter_cases(entries: Iterable[ImpactEntry], cases: Sequence[str] | None) -> list[ImpactEntry]:
    if not cases:
        return list(entries)
    wanted = {c.lower() for c in cases}
    return [e for e in entries if (e.case or "").lower() in wanted]


def summarise(entries: Iterable[ImpactEntry], period: Period) -> PeriodSummary:
    """Entries by what happened to them in the period. An entry counts as changed when it reached done
    or verified in the period; open at the end when its stage on the last day is asked, agreed or in
    progress; overdue when its response was due by the period's end and none was recorded by then."""
    out = PeriodSummary(period)
    everything = not period.start and not period.end
    for e in entries:
        in_period = everything or any(period.contains(s.date) for s in e.steps)
        still_open = bool(period.end and e.asked_on and e.asked_on <= period.end
                          and (e.stage_on(period.end) or Stage.ASKED).is_open)
        if not in_period and not still_open:
            continue  # nothing happened to it in the period and it was not waiting at the end
        if in_period:
            out.active.append(e)
        if everything or period.contains(e.asked_on):
            out.asked.append(e)
        first = e.first_response()
        if first is not None and (everything or period.contains(first.date)):
            out.responded.append(e)
            if e.due and first.date and first.date <= e.due:
                out.responded_in_time.append(e)
        if _reached_in(e, {Stage.DONE, Stage.VERIFIED}, period):
            out.changed.append(e)
        if _reached_in(e, {Stage.VERIFIED}, period):
            out.verified.append(e)
        if _reached_in(e, {Stage.DECLINED}, period):
            out.declined.append(e)
        stage_end = e.stage_on(period.end) if period.end else e.status
        if stage_end is not None and stage_end.is_open:
            out.open_at_end.append(e)
            cutoff = period.end
            if e.due and (cutoff is None or e.due <= cutoff) and e.first_response(cutoff) is None:
                out.overdue.append(e)
    return out


def strength_of(entry: ImpactEntry, claims: Mapping[int, InfluenceClaim]) -> str | None:
    """The strongest evidence strength among the entry's claims (None for an entry made by hand)."""
    found = [claim_strength(claims[c]) for c in entry.claim_ids if c in claims]
    return max(found, key=lambda s: s.rank).value if found else None
