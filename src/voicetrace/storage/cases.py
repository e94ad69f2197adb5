"""Cases and participants: the aggregates and lookups analyses and pages need.

Plain functions over a connection, so that each query's cost is visible in one place; the
indexes they rely on are registered in :mod:`voicetrace.storage.migrations`.
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, text

from . import tables
from .database import pk


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


def case_ids_by_name(conn: Connection) -> dict[str, int]:
    return {str(r.name): int(r.id) for r in conn.execute(select(tables.cases.c.name, tables.cases.c.id))}


def set_case_attribute(conn: Connection, case_id: int, name: str, value: Any, position: int) -> None:
    """Set one attribute of a case (a JSON value); a new attribute takes ``position``, an old one keeps its own."""
    conn.execute(text(
        "INSERT INTO case_attributes(case_id, name, value, position) VALUES (:c, :n, :v, :p) "
        "ON CONFLICT(case_id, name) DO UPDATE SET value=excluded.value"),
        {"c": case_id, "n": name, "v": json.dumps(value), "p": position})


def participant_id(conn: Connection, pseudonym: str, case_id: int | None) -> int | None:
    """The participant of that pseudonym in that case (or with no case)."""
    par = tables.participants
    pid = conn.execute(select(par.c.id).where(
        par.c.pseudonym == pseudonym, par.c.case_id.is_(None) if case_id is None else par.c.case_id == case_id)).scalar()
    return None if pid is None else int(pid)


def insert_participant(conn: Connection, pseudonym: str, role: str, case_id: int | None) -> None:
    conn.execute(insert(tables.participants).values(pseudonym=pseudonym, role=role, case_id=case_id, aliases="[]"))


def case_id_by_name(conn: Connection, name: str) -> int | None:
    cid = conn.execute(select(tables.cases.c.id).where(tables.cases.c.name == name)).scalar()
    return None if cid is None else int(cid)


def insert_case(conn: Connection, name: str, description: str = "") -> int:
    return pk(conn.execute(insert(tables.cases).values(name=name, description=description)))


def participant_labels(conn: Connection) -> list[Row[Any]]:
    """Every participant's id, pseudonym, aliases (JSON), case and role: what transcripts' speakers match."""
    p = tables.participants
    return list(conn.execute(select(p.c.id, p.c.pseudonym, p.c.case_id, p.c.aliases, p.c.role)).all())
