"""Passages (or stored claims) of one case that describe the same change, folded into one claim, reversibly."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ...core.claims import ClaimStatus, Evidence, InfluenceClaim, Level
from ..headlines import change_sentences
from .contradictions import with_stances
from .drafts import DEFAULT_ACTIVITY, ClaimDraft, claim_headline
from .items import ASK_KINDS, ASK_STATUSES, ITEM_KINDS, ItemIndex, response_ask
from .similarity import FOLLOW_UP, Profile, group_block, name_words
from .strength import FORMAL_RECORD_KINDS, STRENGTHS, evidence_strength
from .turns import TurnIndex

STATUS_ORDER = [s.value for s in (ClaimStatus.PROPOSED, ClaimStatus.PLANNED, ClaimStatus.IN_PROGRESS,
                                  ClaimStatus.IMPLEMENTED, ClaimStatus.SUSTAINED)]
SIMILARITY_THRESHOLD = 0.17
"""Centroid score a passage needs to join a claim; tuned on the sample study (docs/benchmarks.md)."""


def _merged_status(statuses: list[str]) -> str:
    """One status for passages coded with several: a change made wins over a refusal (it happened in the
    end); an ask, a plan, or a campaign under way that most of the passages say was turned down was
    turned down ("850 signatures so far" in January, declined in July and again in October)."""
    positive = [s for s in statuses if s != ClaimStatus.NOT_ADOPTED.value]
    if not positive:
        return ClaimStatus.NOT_ADOPTED.value
    counts = Counter(positive)
    best = max(counts.values())
    tied = [s for s in counts if counts[s] == best]
    status = max(tied, key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else -1)
    declines = len(statuses) - len(positive)
    if declines and status in (ClaimStatus.PROPOSED.value, ClaimStatus.PLANNED.value):
        return ClaimStatus.NOT_ADOPTED.value  # the proposal's outcome is that it was declined
    if declines > len(positive) and status == ClaimStatus.IN_PROGRESS.value:
        return ClaimStatus.NOT_ADOPTED.value
    return status


def claim_level(levels: Sequence[str], evidence: Sequence[Sequence[Evidence]]) -> str:
    """The level of a claim whose passages were coded at different levels.

    Each passage's level gets a vote weighted by the strength of that passage's own evidence
    (claimed 1, corroborated 2, documented 3); ``unclear_level`` votes only when no passage names a
    level. Ties go to the level of the earliest passage among them."""
    votes: dict[str, int] = {}
    for lv, evs in zip(levels, evidence):
        if lv == Level.UNCLEAR.value:
            continue
        votes[lv] = votes.get(lv, 0) + 1 + STRENGTHS.index(evidence_strength(evs).value)
    if not votes:
        return levels[0] if levels else Level.UNCLEAR.value
    best = max(votes.values())
    return next(lv for lv in votes if votes[lv] == best)


def _combine(members: list[ClaimDraft], reasons: list[str]) -> ClaimDraft:
    seed = members[0]
    if len(members) == 1:
        return with_stances(seed)
    level = claim_level([m.level for m in members], [m.evidence for m in members])
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
    merged = with_stances(merged)
    return replace(merged, change=claim_headline(merged.evidence, merged.status))


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


def _item(draft: ClaimDraft, items: ItemIndex | None) -> tuple[int, object] | None:
    ev = draft.evidence[0] if draft.evidence else None
    if items is None or ev is None or ev.source_kind not in ITEM_KINDS:
        return None
    key = items.item_of(ev.source_id, ev.start)
    return None if key is None else (ev.source_id, key)


def _response(draft: ClaimDraft) -> int | None:
    """The document a passage is a recommendation of (its source id), when it is one (``items.response_ask``)."""
    ev = draft.evidence[0] if draft.evidence else None
    if ev is None or not response_ask(ev.text, ev.source_type, ev.source_kind):
        return None
    return ev.source_id


def _item_text(draft: ClaimDraft, items: ItemIndex | None) -> str:
    """A passage's words for merging, read with the title it is filed under, which names the change even
    when the passage does not: a minutes passage with its item's title ("3. Radiotherapy leaflet"), a
    written response's recommendation with the response's title."""
    text = " ".join(ev.text for ev in draft.evidence)
    ev = draft.evidence[0] if draft.evidence else None
    if items is None or ev is None:
        return text
    if _response(draft) is not None:
        title = items.document_title(ev.source_id)
    elif ev.source_kind in ITEM_KINDS:
        title = items.title_of(ev.source_id, ev.start)
    else:
        title = ""
    return f"{title}. {text}" if title else text


def _application_asks(drafts: Sequence[ClaimDraft], members: list[int]) -> list[int | None]:
    """Per member of a block, the member (local index) that is the ask of the grant application it is a
    paragraph of (``items.ASK_KINDS``): the application's first passage coded as proposed or planned.
    None for the ask itself, for passages of other sources and for an application with no such passage."""
    firsts = [drafts[i].evidence[0] if drafts[i].evidence else None for i in members]
    asks: dict[int, tuple[int, int]] = {}  # source -> (start, member) of its ask
    for j, ev in enumerate(firsts):
        if (ev is not None and ev.source_kind in ASK_KINDS and drafts[members[j]].status in ASK_STATUSES
                and (ev.source_id not in asks or ev.start < asks[ev.source_id][0])):
            asks[ev.source_id] = (ev.start, j)
    out: list[int | None] = []
    for j, ev in enumerate(firsts):
        ask = asks.get(ev.source_id) if ev is not None and ev.source_kind in ASK_KINDS else None
        out.append(ask[1] if ask is not None and ask[1] != j else None)
    return out


def _follows(drafts: Sequence[ClaimDraft], members: list[int], turns: TurnIndex | None) -> list[int | None]:
    """Per member of a block, the member (local index) it continues when its own words reach no claim:
    the answer an interview answer follows up (``turns``), or the ask of the grant application a
    paragraph belongs to (``_application_asks``); None otherwise."""
    asks = _application_asks(drafts, members)
    if turns is None:
        return asks
    firsts = [drafts[i].evidence[0] if drafts[i].evidence else None for i in members]
    by_source: dict[int, list[tuple[int, int]]] = {}
    for j, ev in enumerate(firsts):
        if ev is not None and ev.source_type == "transcript":
            by_source.setdefault(ev.source_id, []).append((ev.start, j))
    for spots in by_source.values():
        spots.sort()
    out: list[int | None] = []
    for ev in firsts:
        hit = None
        if ev is not None and ev.source_id in by_source:
            span = turns.answer_before(ev.source_id, ev.start)
            if span is not None:
                hit = next((j for start, j in by_source[ev.source_id] if span[0] <= start < span[1]), None)
        out.append(hit)
    return [a if a is not None else t for a, t in zip(asks, out)]


def merge_drafts(drafts: Sequence[ClaimDraft], threshold: float = SIMILARITY_THRESHOLD,
                 items: ItemIndex | None = None, turns: TurnIndex | None = None) -> list[ClaimDraft]:
    """Fold drafts that describe the same change in the same case into one claim.

    Blocked by case (nothing is compared across cases); within a case each passage joins the claim
    whose centroid of change words it is closest to (see ``similarity``), when the score reaches
    ``threshold``; the level each passage was coded at does not decide it (see ``claim_level``).
    ``items`` says which item of its minutes each minutes passage records: two items of one set of
    minutes never share a claim. The recommendations one written response makes are asks of that one
    response and share a claim (``items.response_ask``). ``turns`` finds the interview answers given to a
    follow-up question ("And what happened?"): such an answer joins the claim of the answer it follows up
    unless its own words pick out a claim (``turns``). Groups come out in the order of their first
    draft, so the result is deterministic.
    """
    blocks: dict[tuple[int | None, str | None], list[int]] = {}
    for i, d in enumerate(drafts):
        blocks.setdefault((d.case_id, d.case_name), []).append(i)
    found: list[tuple[int, list[int], list[str]]] = []
    for members in blocks.values():
        texts = [_item_text(drafts[i], items) for i in members]
        profiles = [Profile(drafts[i].domain, drafts[i].activity) for i in members]
        local = {i: j for j, i in enumerate(members)}
        order = [local[i] for i in _draft_order(drafts, members)]
        names = name_words([ev.speaker for i in members for ev in drafts[i].evidence if ev.speaker])
        groups, scores = group_block(texts, profiles, order, threshold, names,
                                     [_item(drafts[i], items) for i in members],
                                     [_response(drafts[i]) for i in members],
                                     _follows(drafts, members, turns), change_text=change_sentences)
        for g, sc in zip(groups, scores):
            idx = [members[j] for j in g]
            why = [_why(drafts[members[j]], s) for j, s in zip(g[1:], sc)]
            found.append((min(idx), sorted(idx), why))
    found.sort(key=lambda t: t[0])
    return [_combine([drafts[m] for m in idx], why) for _, idx, why in found]


def _why(draft: ClaimDraft, score: float) -> str:
    """The merge note's reason for one passage that joined a claim."""
    if score != FOLLOW_UP:
        return f"same case, change words alike (score {score:.2f})"
    ev = draft.evidence[0] if draft.evidence else None
    if ev is not None and ev.source_kind in ASK_KINDS:
        return "same case, a paragraph of the grant application whose ask it continues"
    return "same case, an answer to a follow-up question about the answer before it"


def unmerge_draft(draft: ClaimDraft) -> list[ClaimDraft]:
    """Undo a merge: the single-passage drafts it was made from, each with its own stance rules."""
    if not draft.parts:
        return [draft]
    return [with_stances(p) for p in draft.parts]


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
    status = _merged_status([c.status for c in claims])
    change = edited[0].change if edited else (claim_headline(evidence, status) or seed.change)
    merged = InfluenceClaim(id=new_id, case_id=seed.case_id, case_name=seed.case_name, activity=seed.activity,
                            change=change, level=claim_level([c.level for c in claims], [c.evidence for c in claims]),
                            domain=_most_common([c.domain for c in claims]),
                            status=status,
                            date=dates[0] if dates else None, evidence=evidence, edited_by=by,
                            note="merged from claims " + ", ".join(
                                str(c.number if c.number is not None else c.id) for c in claims))
    return [merged] + [replace(c, merged_into=new_id) for c in claims]


def unmerge_claim(merged: InfluenceClaim, claims: Iterable[InfluenceClaim]) -> list[InfluenceClaim]:
    """Undo a merge: the claims that were folded into ``merged``, visible again."""
    return [replace(c, merged_into=None) for c in claims if c.merged_into == merged.id]
