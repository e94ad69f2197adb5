"""Cases (the sampled groups) with their attributes, the participants registered in them, and their
connections to other organisations; and the frames analyses read them as."""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..core.cases import AttributeValue, Case, Connection, Participant, ParticipantRole, parse_role
from ..core.choices import one_of
from ..core.errors import InputError, NotFound
from ..core.pages import Page
from ..storage import cases as store
from .context import Context


class Cases:
    """Each write one audited transaction; a case named by a participant or a connection is created."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # ---- cases ---------------------------------------------------------------------------------
    def add_case(self, name: str, attributes: dict[str, AttributeValue] | None = None,
                 actor: str = "user") -> Case:
        if not name.strip():
            raise InputError("case", "a case needs a name")
        with self.ctx.db.begin() as conn:
            cid = self.ctx.case_id(conn, name, create=True, actor=actor)
            assert cid is not None
            for pos, (k, v) in enumerate((attributes or {}).items()):
                store.set_case_attribute(conn, cid, k, v, pos)
            if attributes:
                self.ctx.db.log(conn, actor, "set_case_attributes", "case", cid, **dict(attributes))
        return self.case(name)

    def case_name(self, name: str, subject: str = "case") -> str:
        """An existing case's name, or one line naming the cases there are (with the nearest one)."""
        with self.ctx.db.read() as conn:
            names = store.case_names(conn)
        return one_of(name, names, subject, what="case")

    def case(self, name: str) -> Case:
        with self.ctx.db.read() as conn:
            found = _cases(conn, name)
        if not found:
            raise NotFound(f"unknown case {name!r}")
        return found[0]

    def cases(self) -> list[Case]:
        with self.ctx.db.read() as conn:
            return _cases(conn)

    def case_names_page(self, *, offset: int = 0, limit: int = 200) -> Page[str]:
        """``limit`` case names in order from ``offset``, with how many cases there are."""
        offset, limit = max(0, offset), max(1, limit)
        with self.ctx.db.read() as conn:
            return Page(store.case_names(conn, offset=offset, limit=limit), store.count_cases(conn), offset, limit)

    # ---- participants ----------------------------------------------------------------------------
    def add_participant(self, pseudonym: str, role: str | ParticipantRole, case: str | None = None,
                        consent_date: str | None = None, aliases: Sequence[str] = (),
                        actor: str = "user") -> Participant:
        """Register a participant; the same pseudonym in the same case is updated, not duplicated."""
        try:
            r = parse_role(str(role))
        except ValueError as e:
            raise InputError("participant", str(e)) from None
        with self.ctx.db.begin() as conn:
            cid = self.ctx.case_id(conn, case, create=True, actor=actor)
            names = json.dumps(list(aliases), ensure_ascii=False)
            pid = store.participant_id(conn, pseudonym, cid)
            if pid is not None:
                store.update_participant(conn, pid, pseudonym=pseudonym, role=r.value, case_id=cid,
                                         consent_date=consent_date, aliases=names)
            else:
                pid = store.insert_participant(conn, pseudonym, r.value, cid, consent_date, names)
            self.ctx.db.log(conn, actor, "register_participant", "participant", pid, pseudonym=pseudonym, role=r.value)
            return _participant(store.participant_rows(conn, pid)[0])

    def participants(self, offset: int = 0, limit: int | None = None) -> list[Participant]:
        with self.ctx.db.read() as conn:
            return [_participant(r) for r in store.participant_rows(conn, offset=offset, limit=limit)]

    def participant_roles(self) -> list[str]:
        """The roles registered participants have, for filters."""
        with self.ctx.db.read() as conn:
            return store.participant_roles(conn)

    def participant_counts(self) -> dict[int | None, int]:
        """Registered participants per case id (None: no case), counted by SQLite."""
        with self.ctx.db.read() as conn:
            return store.participants_per_case(conn)

    # ---- connections -----------------------------------------------------------------------------
    def add_connection(self, case: str, target: str, target_type: str = "other", relationship: str = "",
                       strength: str = "", actor: str = "user") -> None:
        """Connect a case to an outside body; connecting it to the same target again updates that one."""
        values = {"target_type": target_type, "relationship": relationship, "strength": strength}
        with self.ctx.db.begin() as conn:
            cid = self.ctx.case_id(conn, case, create=True, actor=actor)
            assert cid is not None
            found = store.connection_id(conn, cid, target)
            if found is not None:
                store.update_connection(conn, found, **values)
            else:
                found = store.insert_connection(conn, cid, target, **values)
            self.ctx.db.log(conn, actor, "set_connection", "connection", found, case=case, target=target)

    def connections(self) -> list[Connection]:
        with self.ctx.db.read() as conn:
            rows = store.connection_rows(conn)
        return [Connection(id=r.id, case_id=r.case_id, target=r.target, target_type=r.target_type,
                           relationship=r.relationship, strength=r.strength) for r in rows]

    # ---- frames for analysis ---------------------------------------------------------------------
    def cases_frame(self) -> pd.DataFrame:
        rows = [{"case_id": c.id, "case": c.name, **c.attributes} for c in self.cases()]
        return pd.DataFrame(rows, columns=None if rows else ["case_id", "case"])

    def participants_frame(self) -> pd.DataFrame:
        names = self._case_names()
        rows = [{"participant_id": p.id, "pseudonym": p.pseudonym, "role": p.role.value, "case_id": p.case_id,
                 "case": names.get(p.case_id) if p.case_id else None, "consent_date": p.consent_date}
                for p in self.participants()]
        return pd.DataFrame(rows, columns=["participant_id", "pseudonym", "role", "case_id", "case", "consent_date"])

    def connections_frame(self) -> pd.DataFrame:
        names = self._case_names()
        rows = [{"case_id": c.case_id, "case": names.get(c.case_id), "target": c.target,
                 "target_type": c.target_type, "relationship": c.relationship} for c in self.connections()]
        return pd.DataFrame(rows, columns=["case_id", "case", "target", "target_type", "relationship"])

    def _case_names(self) -> dict[int, str]:
        with self.ctx.db.read() as conn:
            return {int(r.id): str(r.name) for r in store.case_rows(conn)}


def _cases(conn: Any, name: str | None = None) -> list[Case]:
    rows = store.case_rows(conn, name)
    if not rows:
        return []
    attrs = store.case_attribute_rows(conn, rows[0].id if name is not None else None)
    by_case: dict[int, dict[str, AttributeValue]] = {}
    for a in attrs:
        by_case.setdefault(a.case_id, {})[a.name] = json.loads(a.value) if a.value is not None else None
    return [Case(id=r.id, name=r.name, attributes=by_case.get(r.id, {}), description=r.description) for r in rows]


def _participant(r: Any) -> Participant:
    return Participant(id=r.id, pseudonym=r.pseudonym, role=ParticipantRole(r.role), case_id=r.case_id,
                       consent_date=r.consent_date, aliases=json.loads(r.aliases))
