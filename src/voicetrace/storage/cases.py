"""Cases and participants: the aggregates and lookups analyses and pages need.

Plain functions over a connection, so that each query's cost is visible in one place; the
indexes they rely on are registered in :mod:`voicetrace.storage.migrations`.
"""
from __future__ import annotations

from sqlalchemy import Connection, func, select, text

from . import tables


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
