"""Cases, their attributes, participants and connections: lookups, listings, writes, aggregates.

Plain functions over a connection, so that each query's cost is visible in one place; the
indexes they rely on are registered in :mod:`voicetrace.storage.migrations`.
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, text, update

from . import tables
from .database import pk

SPEAKER_JOIN = "LEFT JOIN participants p ON p.id = g.participant_id"
"""A segment ``g``'s registered speaker ``p``, if the transcript turn was matched to a participant."""
SPEAKER_ROLE = "COALESCE(p.role, g.speaker_role)"
"""A segment's speaker role (with :data:`SPEAKER_JOIN`): the registered participant's, else the one
read from the transcript turn. Every query that shows or filters by role uses these two."""


def participant_roles(conn: Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute(text("SELECT DISTINCT role FROM participants ORDER BY role"))]


def participants_per_case(conn: Connection) -> dict[int | None, int]:
    return {r[0]: int(r[1]) for r in conn.execute(text(
        "SELECT case_id, count(*) FROM participants GROUP BY case_id"))}


def speaker_roles(conn: Connection) -> dict[int, dict[str, str]]:
    """Per source id, each speaker label and its role (the participant's, else the one read from the turn)."""
    seg, par = tables.segments, tables.participants
    q = (select(seg.c.source_id, seg.c.speaker, func.coalesce(par.c.role, seg.c.speaker_role))
         .select_from(seg.outerjoin(par, seg.c.participant_id == par.c.id))
         .where(seg.c.speaker.is_not(None)).distinct())
    out: dict[int, dict[str, str]] = {}
    for sid, speaker, role in conn.execute(q):
        if role:
            out.setdefault(int(sid), {}).setdefault(str(speaker), str(role))
    return out


def case_id_by_name(conn: Connection, name: str) -> int | None:
    cid = conn.execute(select(tables.cases.c.id).where(tables.cases.c.name == name)).scalar()
    return None if cid is None else int(cid)


def insert_case(conn: Connection, name: str, description: str = "") -> int:
    return pk(conn.execute(insert(tables.cases).values(name=name, description=description)))


def set_case_attribute(conn: Connection, case_id: int, name: str, value: Any, position: int) -> None:
    """Set one attribute of a case (a JSON value); a new attribute takes ``position``, an old one keeps its own."""
    conn.execute(text(
        "INSERT INTO case_attributes(case_id, name, value, position) VALUES (:c, :n, :v, :p) "
        "ON CONFLICT(case_id, name) DO UPDATE SET value=excluded.value"),
        {"c": case_id, "n": name, "v": json.dumps(value), "p": position})


def case_ids_by_name(conn: Connection) -> dict[str, int]:
    return {str(r.name): int(r.id) for r in conn.execute(select(tables.cases.c.name, tables.cases.c.id))}


def case_names(conn: Connection, *, offset: int = 0, limit: int | None = None) -> list[str]:
    """Case names in order (``limit`` of them from ``offset``)."""
    q = select(tables.cases.c.name).order_by(tables.cases.c.name).offset(offset)
    return [str(n) for n in conn.execute(q if limit is None else q.limit(limit)).scalars()]


def count_cases(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(tables.cases)).scalar_one())


def case_rows(conn: Connection, name: str | None = None) -> list[Row[Any]]:
    """Every case by name, or the one called ``name`` (through the unique index on cases.name)."""
    q = select(tables.cases).order_by(tables.cases.c.name)
    if name is not None:
        q = q.where(tables.cases.c.name == name)
    return list(conn.execute(q).all())


def case_attribute_rows(conn: Connection, case_id: int | None = None) -> list[Row[Any]]:
    """Attributes (values JSON-encoded) in their position order: every case's, or one case's."""
    a = tables.case_attributes
    q = select(a).order_by(a.c.position)
    if case_id is not None:
        q = q.where(a.c.case_id == case_id)
    return list(conn.execute(q).all())


def participant_id(conn: Connection, pseudonym: str, case_id: int | None) -> int | None:
    """The participant of that pseudonym in that case (or with no case)."""
    par = tables.participants
    pid = conn.execute(select(par.c.id).where(
        par.c.pseudonym == pseudonym, par.c.case_id.is_(None) if case_id is None else par.c.case_id == case_id)).scalar()
    return None if pid is None else int(pid)


def insert_participant(conn: Connection, pseudonym: str, role: str, case_id: int | None,
                       consent_date: str | None = None, aliases: str = "[]") -> int:
    """``aliases``: a JSON list of the other labels transcripts give this person."""
    return pk(conn.execute(insert(tables.participants).values(
        pseudonym=pseudonym, role=role, case_id=case_id, consent_date=consent_date, aliases=aliases)))


def update_participant(conn: Connection, participant: int, **values: Any) -> None:
    par = tables.participants
    conn.execute(update(par).where(par.c.id == participant).values(**values))


def participant_rows(conn: Connection, participant: int | None = None, *, offset: int = 0,
                     limit: int | None = None) -> list[Row[Any]]:
    """Participants by pseudonym then id (every one, a page, or the one with that id)."""
    par = tables.participants
    q = select(par).order_by(par.c.pseudonym, par.c.id)
    if participant is not None:
        q = q.where(par.c.id == participant)
    if offset or limit is not None:
        q = q.offset(offset).limit(limit)
    return list(conn.execute(q).all())


def connection_id(conn: Connection, case_id: int, target: str) -> int | None:
    c = tables.connections
    cid = conn.execute(select(c.c.id).where(c.c.case_id == case_id, c.c.target == target)).scalar()
    return None if cid is None else int(cid)


def insert_connection(conn: Connection, case_id: int, target: str, **values: str) -> int:
    """``values``: target_type, relationship, strength."""
    return pk(conn.execute(insert(tables.connections).values(case_id=case_id, target=target, **values)))


def update_connection(conn: Connection, connection: int, **values: str) -> None:
    c = tables.connections
    conn.execute(update(c).where(c.c.id == connection).values(**values))


def connection_rows(conn: Connection) -> list[Row[Any]]:
    return list(conn.execute(select(tables.connections).order_by(tables.connections.c.id)).all())


def participant_labels(conn: Connection) -> list[Row[Any]]:
    """Every participant's id, pseudonym, aliases (JSON), case and role: what transcripts' speakers match."""
    p = tables.participants
    return list(conn.execute(select(p.c.id, p.c.pseudonym, p.c.case_id, p.c.aliases, p.c.role)).all())
