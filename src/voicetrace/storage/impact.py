"""The impact log on disk: entries, their dated steps, the passages behind each step, claim links."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from ..core.impact import EvidenceRef, ImpactEntry, Stage, Step
from . import tables
from .database import now_iso, pk

ENTRY_FIELDS = ("request", "asked_by", "asked_on", "meeting", "response", "level", "domain", "due")


def read_entries(conn: Connection, entry_ids: Iterable[int] | None = None) -> list[ImpactEntry]:
    """Every entry (or the given ones) with its steps, evidence and claim links, oldest first."""
    e, c = tables.impact_entries, tables.cases
    q = select(e, c.c.name.label("case_name")).select_from(e.outerjoin(c, c.c.id == e.c.case_id)).order_by(e.c.id)
    if entry_ids is not None:
        q = q.where(e.c.id.in_(list(entry_ids)))
    rows = conn.execute(q).all()
    ids = [r.id for r in rows]
    if not ids:
        return []
    steps = conn.execute(select(tables.impact_steps).where(tables.impact_steps.c.entry_id.in_(ids))
                         .order_by(tables.impact_steps.c.id)).all()
    step_ids = [s.id for s in steps]
    ev = tables.impact_evidence
    s_, p_, g_ = tables.sources, tables.participants, tables.segments
    evidence = conn.execute(
        select(ev, s_.c.name, s_.c.kind, s_.c.type, s_.c.date, p_.c.pseudonym, p_.c.role, p_.c.consent_date)
        .select_from(ev.join(s_, s_.c.id == ev.c.source_id)
                     .outerjoin(g_, (g_.c.source_id == ev.c.source_id) & (g_.c.start <= ev.c.start)
                                & (g_.c.end >= ev.c.end))
                     .outerjoin(p_, p_.c.id == g_.c.participant_id))
        .where(ev.c.step_id.in_(step_ids)).order_by(ev.c.id)).all() if step_ids else []
    links = conn.execute(select(tables.impact_claims).where(tables.impact_claims.c.entry_id.in_(ids))
                         .order_by(tables.impact_claims.c.claim_id)).all()
    by_step: dict[int, list[EvidenceRef]] = {}
    seen: set[int] = set()
    for r in evidence:
        if r.id in seen:  # a passage inside two overlapping segments: keep the first
            continue
        seen.add(r.id)
        by_step.setdefault(r.step_id, []).append(EvidenceRef(
            source_id=r.source_id, source=r.name, start=r.start, end=r.end, text=r.text, claim_id=r.claim_id,
            source_kind=r.kind, source_type=r.type, source_date=r.date, speaker=r.pseudonym, role=r.role,
            consented=bool(r.consent_date)))
    by_entry: dict[int, list[Step]] = {}
    for s in steps:
        by_entry.setdefault(s.entry_id, []).append(Step(
            stage=Stage(s.stage), date=s.date, note=s.note, evidence=by_step.get(s.id, []),
            recorded_by=s.recorded_by, recorded_at=s.recorded_at, id=s.id))
    claim_links: dict[int, list[int]] = {}
    for link in links:
        claim_links.setdefault(link.entry_id, []).append(link.claim_id)
    return [ImpactEntry(id=r.id, request=r.request, case=r.case_name, asked_by=r.asked_by, asked_on=r.asked_on,
                        meeting=r.meeting, response=r.response, level=r.level, domain=r.domain, due=r.due,
                        claim_ids=claim_links.get(r.id, []), steps=by_entry.get(r.id, []), origin=r.origin,
                        created_by=r.created_by) for r in rows]


def insert_entry(conn: Connection, entry: ImpactEntry, case_id: int | None) -> int:
    now = now_iso()
    values = {f: getattr(entry, f) for f in ENTRY_FIELDS}
    for f in ("asked_by", "meeting", "response"):
        values[f] = values[f] or ""
    eid = int(pk(conn.execute(insert(tables.impact_entries).values(
        case_id=case_id, origin=entry.origin, created_by=entry.created_by, created_at=now, updated_at=now,
        **values))))
    for step in entry.steps:
        insert_step(conn, eid, step)
    link_claims(conn, eid, entry.claim_ids)
    return eid


def insert_step(conn: Connection, entry_id: int, step: Step) -> int:
    sid = int(pk(conn.execute(insert(tables.impact_steps).values(
        entry_id=entry_id, stage=step.stage.value, date=step.date, note=step.note,
        recorded_by=step.recorded_by, recorded_at=step.recorded_at or now_iso()))))
    for r in step.evidence:
        conn.execute(insert(tables.impact_evidence).values(step_id=sid, source_id=r.source_id, start=r.start,
                                                           end=r.end, text=r.text, claim_id=r.claim_id))
    conn.execute(update(tables.impact_entries).where(tables.impact_entries.c.id == entry_id)
                 .values(updated_at=now_iso()))
    return sid


def link_claims(conn: Connection, entry_id: int, claim_ids: Iterable[int]) -> None:
    have = set(conn.execute(select(tables.impact_claims.c.claim_id)
                            .where(tables.impact_claims.c.entry_id == entry_id)).scalars())
    for cid in claim_ids:
        if cid not in have:
            conn.execute(insert(tables.impact_claims).values(entry_id=entry_id, claim_id=cid))
            have.add(cid)


def update_entry(conn: Connection, entry_id: int, fields: dict[str, Any]) -> None:
    conn.execute(update(tables.impact_entries).where(tables.impact_entries.c.id == entry_id)
                 .values(updated_at=now_iso(), **fields))


def delete_entry(conn: Connection, entry_id: int) -> None:
    conn.execute(delete(tables.impact_entries).where(tables.impact_entries.c.id == entry_id))


def evidence_spans(conn: Connection) -> dict[tuple[int, int, int], int]:
    """Which entry each stored passage belongs to, so claims rebuilt with new ids find their entry again."""
    ev, st = tables.impact_evidence, tables.impact_steps
    rows = conn.execute(select(ev.c.source_id, ev.c.start, ev.c.end, st.c.entry_id)
                        .select_from(ev.join(st, st.c.id == ev.c.step_id))).all()
    return {(r.source_id, r.start, r.end): r.entry_id for r in rows}


def linked_claim_ids(conn: Connection) -> set[int]:
    """Claims some entry already holds."""
    return {int(c) for c in conn.execute(select(tables.impact_claims.c.claim_id)).scalars()}
