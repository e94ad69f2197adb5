"""The Project: the one API that the CLI, the web app and Python users call.

Each public method is one user action: it validates, runs in one transaction, writes an audit
event, and returns plain records. Interfaces never touch storage directly.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import pandas as pd
from sqlalchemy import and_, delete, func, insert, select, text, update
from sqlalchemy.exc import OperationalError

from ..core.cases import AttributeValue, Case, Connection, Participant, ParticipantRole, parse_role
from ..core.choices import one_of
from ..core.codebook import Codebook
from ..core.codings import Origin, check_span
from ..core.errors import InputError, NotFound
from ..core.memos import Memo, MemoTarget
from ..core.projects import ProjectInfo, clean_description, clean_title, default_title
from ..core.segments import Segment
from ..storage import tables
from ..storage.cases import participant_roles, participants_per_case, set_case_attribute
from ..storage.codebooks import load_default_codebook, write_codebook
from ..storage.codings import case_progress, coder_counts, coders, coding_progress, coding_rows, count_codings
from ..storage.database import Database, now_iso, open_database, pk
from ..storage.segments import span_text_and_segment
from .context import Context, check_coder_name
from .records import CodingRecord, SourceInfo


class ProjectCore:
    """Projects, sources, segments, search, coding, memos, audit: what every other part stands on.

    The use cases of later layers (suggestions, findings, exchange, agreement) are mixins over this
    class, assembled into :class:`voicetrace.services.project.Project`.
    """

    def __init__(self, db: Database, location: str) -> None:
        self.ctx = Context(db, location)
        self.db = db
        self.location = location

    if TYPE_CHECKING:  # defined by the Project facade (services/sources.py); the mixins reach them via self
        def source(self, name: str) -> SourceInfo: ...
        def sources(self, case: str | None = None, offset: int = 0, limit: int | None = None, *,
                    no_case: bool = False) -> list[SourceInfo]: ...
        def segments(self, source: str | None = None, *, start: int | None = None, end: int | None = None,
                     offset: int = 0, limit: int | None = None) -> list[Segment]: ...
        def text(self, source: str) -> str: ...
        def segments_frame(self, *, coded_only: bool = False, first_per_source: bool = False) -> pd.DataFrame: ...

    # ---- lifecycle -------------------------------------------------------------------------
    @classmethod
    def create(cls, location: str | Path, codebook: Codebook | None = None, actor: str = "init", *,
               title: str | None = None, description: str | None = None) -> Self:
        about: dict[str, str] = {}  # checked before the file exists, so a bad title leaves nothing behind
        if title is not None:
            about["title"] = clean_title(title)
        if description is not None:
            about["description"] = clean_description(description)
        try:
            db = open_database(location, create=True)
        except FileExistsError as e:
            raise InputError(str(location), "already exists; choose another name or open it") from e
        p = cls(db, str(location))
        cb = codebook or load_default_codebook()
        with db.begin() as conn:
            write_codebook(conn, cb, replace=True)
            for key, value in about.items():
                db.set_meta(conn, key, value)
            db.log(conn, actor, "create_project", "project", None, codebook=cb.name, version=cb.version, **about)
        return p

    @classmethod
    def open(cls, location: str | Path) -> Self:
        try:
            db = open_database(location, create=False)
        except FileNotFoundError:
            raise InputError(str(location), "no such project (create it with `voicetrace init`)") from None
        except (ValueError, RuntimeError, sqlite3.DatabaseError) as e:
            raise InputError(str(location), str(e).split(": ", 1)[-1]) from None
        except OperationalError as e:
            raise InputError(str(location), f"cannot open project: {e.orig}") from None
        return cls(db, str(location))

    def close(self) -> None:
        self.db.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def title(self) -> str:
        """What every report and summary is headed with: the title set, else one made from the file name."""
        return self.db.get_meta("title") or self.db.get_meta("name") or default_title(self.location)

    @property
    def description(self) -> str:
        return self.db.get_meta("description") or ""

    @property
    def name(self) -> str:
        """The title (kept under its older name: REFI-QDA and the web app call it the project name)."""
        return self.title

    def describe(self) -> ProjectInfo:
        """Title, description and where the project lives, as the `project` command shows them."""
        return ProjectInfo(title=self.title, description=self.description,
                           title_is_default=not (self.db.get_meta("title") or self.db.get_meta("name")),
                           location=self.location, created_at=self.db.get_meta("created_at"))

    def update_project(self, *, title: str | None = None, description: str | None = None,
                       actor: str = "user") -> ProjectInfo:
        """Set the title and/or description together, in one audited transaction."""
        values: dict[str, str] = {}
        if title is not None:
            values["title"] = clean_title(title)
        if description is not None:
            values["description"] = clean_description(description)
        if values:
            with self.db.begin() as conn:
                for key, value in values.items():
                    self.db.set_meta(conn, key, value)
                self.db.log(conn, actor, "describe_project", "project", None, **values)
        return self.describe()

    def set_title(self, title: str, actor: str = "user") -> ProjectInfo:
        return self.update_project(title=title, actor=actor)

    def set_description(self, description: str, actor: str = "user") -> ProjectInfo:
        return self.update_project(description=description, actor=actor)

    def set_name(self, name: str, actor: str = "user") -> None:
        self.set_title(name, actor=actor)

    def setting(self, key: str) -> str | None:
        """A small per-project preference (e.g. the web app's coder name)."""
        return self.ctx.setting(key)

    def set_setting(self, key: str, value: str, actor: str = "user") -> None:
        self.ctx.set_setting(key, value, actor)

    # ---- who is working --------------------------------------------------------------------
    def coder(self, explicit: str | None = None) -> str:
        return self.ctx.coder(explicit)

    def set_coder(self, name: str) -> str:
        """Remember the coder name in the project, for every command and the web app from now on."""
        clean = check_coder_name(name, "coder")
        self.set_setting("coder", clean, actor=clean)
        return clean

    # ---- codebook --------------------------------------------------------------------------
    def codebook(self) -> Codebook:
        return self.ctx.codebook()

    def set_codebook(self, cb: Codebook, *, replace: bool = False, actor: str = "user") -> dict[str, int]:
        problems = cb.validate()
        if problems:
            raise InputError("codebook", "; ".join(problems[:3]))
        with self.db.begin() as conn:
            counts = write_codebook(conn, cb, replace=replace)
            self.db.log(conn, actor, "import_codebook", "codebook", None, name=cb.name, version=cb.version, **counts)
        self.ctx.forget_codebook()
        return counts

    def import_codebook(self, path: str | Path, *, replace: bool = False, actor: str = "user") -> dict[str, int]:
        from ..exchange.tabular import read_codebook_file
        cb = read_codebook_file(Path(path))
        return self.set_codebook(cb, replace=replace, actor=actor)

    def export_codebook(self, path: str | Path) -> Path:
        from ..exchange.tabular import write_codebook_file
        return write_codebook_file(self.codebook(), Path(path))

    # ---- cases, participants, connections ---------------------------------------------------
    def _case_id(self, conn: Any, name: str | None, *, create: bool, actor: str = "user") -> int | None:
        return self.ctx.case_id(conn, name, create=create, actor=actor)

    def add_case(self, name: str, attributes: dict[str, AttributeValue] | None = None,
                 actor: str = "user") -> Case:
        if not name.strip():
            raise InputError("case", "a case needs a name")
        with self.db.begin() as conn:
            cid = self._case_id(conn, name, create=True, actor=actor)
            for pos, (k, v) in enumerate((attributes or {}).items()):
                set_case_attribute(conn, cid, k, v, pos)  # type: ignore[arg-type]
            if attributes:
                self.db.log(conn, actor, "set_case_attributes", "case", cid, **{k: v for k, v in attributes.items()})
        return self.case(name)

    def case_name(self, name: str, subject: str = "case") -> str:
        """An existing case's name, or one line naming the cases there are (with the nearest one)."""
        with self.db.read() as conn:
            names = list(conn.execute(select(tables.cases.c.name).order_by(tables.cases.c.name)).scalars())
        return one_of(name, names, subject, what="case")

    def case(self, name: str) -> Case:
        for c in self.cases():
            if c.name == name:
                return c
        raise NotFound(f"unknown case {name!r}")

    def cases(self) -> list[Case]:
        with self.db.read() as conn:
            rows = conn.execute(select(tables.cases).order_by(tables.cases.c.name)).all()
            attrs = conn.execute(select(tables.case_attributes).order_by(tables.case_attributes.c.position)).all()
        by_case: dict[int, dict[str, AttributeValue]] = {}
        for a in attrs:
            by_case.setdefault(a.case_id, {})[a.name] = json.loads(a.value) if a.value is not None else None
        return [Case(id=r.id, name=r.name, attributes=by_case.get(r.id, {}), description=r.description)
                for r in rows]

    def add_participant(self, pseudonym: str, role: str | ParticipantRole, case: str | None = None,
                        consent_date: str | None = None, aliases: Sequence[str] = (),
                        actor: str = "user") -> Participant:
        try:
            r = parse_role(str(role))
        except ValueError as e:
            raise InputError("participant", str(e)) from None
        with self.db.begin() as conn:
            cid = self._case_id(conn, case, create=True, actor=actor)
            existing = conn.execute(select(tables.participants.c.id).where(and_(
                tables.participants.c.pseudonym == pseudonym,
                tables.participants.c.case_id.is_(None) if cid is None else tables.participants.c.case_id == cid))).scalar()
            values = dict(pseudonym=pseudonym, role=r.value, case_id=cid, consent_date=consent_date,
                          aliases=json.dumps(list(aliases), ensure_ascii=False))
            if existing:
                conn.execute(update(tables.participants).where(tables.participants.c.id == existing).values(**values))
                pid = existing
            else:
                pid = pk(conn.execute(insert(tables.participants).values(**values)))
            self.db.log(conn, actor, "register_participant", "participant", pid, pseudonym=pseudonym, role=r.value)
        with self.db.read() as conn:
            row = conn.execute(select(tables.participants).where(tables.participants.c.id == pid)).one()
        return Participant(id=row.id, pseudonym=row.pseudonym, role=ParticipantRole(row.role), case_id=row.case_id,
                           consent_date=row.consent_date, aliases=json.loads(row.aliases))

    def participants(self, offset: int = 0, limit: int | None = None) -> list[Participant]:
        q = select(tables.participants).order_by(tables.participants.c.pseudonym, tables.participants.c.id)
        if offset or limit is not None:
            q = q.offset(offset).limit(limit)
        with self.db.read() as conn:
            rows = conn.execute(q).all()
        return [Participant(id=r.id, pseudonym=r.pseudonym, role=ParticipantRole(r.role), case_id=r.case_id,
                            consent_date=r.consent_date, aliases=json.loads(r.aliases)) for r in rows]

    def add_connection(self, case: str, target: str, target_type: str = "other", relationship: str = "",
                       strength: str = "", actor: str = "user") -> None:
        with self.db.begin() as conn:
            cid = self._case_id(conn, case, create=True, actor=actor)
            dup = conn.execute(select(tables.connections.c.id).where(and_(
                tables.connections.c.case_id == cid, tables.connections.c.target == target))).scalar()
            if dup:
                conn.execute(update(tables.connections).where(tables.connections.c.id == dup).values(
                    target_type=target_type, relationship=relationship, strength=strength))
            else:
                dup = pk(conn.execute(insert(tables.connections).values(
                    case_id=cid, target=target, target_type=target_type, relationship=relationship,
                    strength=strength)))
            self.db.log(conn, actor, "set_connection", "connection", dup, case=case, target=target)

    def connections(self) -> list[Connection]:
        with self.db.read() as conn:
            rows = conn.execute(select(tables.connections).order_by(tables.connections.c.id)).all()
        return [Connection(id=r.id, case_id=r.case_id, target=r.target, target_type=r.target_type,
                           relationship=r.relationship, strength=r.strength) for r in rows]

    def participant_roles(self) -> list[str]:
        """The roles registered participants have, for filters."""
        with self.db.read() as conn:
            return participant_roles(conn)

    # ---- coding ----------------------------------------------------------------------------
    def code(self, source: str, start: int, end: int, code: str, coder: str = "me",
             origin: str | Origin = Origin.HUMAN, suggestion_id: int | None = None) -> CodingRecord:
        cb = self.codebook()
        if code not in cb:
            raise InputError(code, "unknown code id (see `voicetrace codebook show`)")
        if not cb.get(code).codable:
            raise InputError(code, "is a folder in the codebook, not a code that can be applied")
        if not coder.strip():
            raise InputError("coder", "a coding needs a coder name")
        info = self.source(source)
        check_span(info.chars, start, end, f"{info.name} [{start}, {end})")
        org = Origin(origin)
        k = tables.codings
        with self.db.begin() as conn:
            same = conn.execute(select(k.c.id).where(k.c.source_id == info.id, k.c.start == start, k.c.end == end,
                                                     k.c.code_id == code, k.c.coder == coder)).scalar()
            if same is not None:
                raise InputError(f"{info.name} [{start}, {end})", f"already coded {code} by {coder} (coding {same})")
            cid = self._insert_coding(conn, info.id, start, end, code, coder, org, suggestion_id)
        return self.coding(cid)

    def _insert_coding(self, conn: Any, source_id: int, start: int, end: int, code: str, coder: str,
                       origin: Origin, suggestion_id: int | None) -> int:
        snippet, seg = self._snippet_and_segment(conn, source_id, start, end)
        cid = pk(conn.execute(insert(tables.codings).values(
            source_id=source_id, start=start, end=end, text=snippet, code_id=code, coder=coder,
            origin=origin.value, created_at=now_iso(), suggestion_id=suggestion_id, segment_id=seg)
        ))
        self.db.log(conn, coder, "code", "coding", cid, source_id=source_id, start=start, end=end, code=code,
                    origin=origin.value)
        return int(cid)

    def import_anchored_codings(self, paths: Iterable[str | Path], coder: str,
                                origin: str | Origin = Origin.IMPORTED) -> int:
        """Code whole segments located by quotation (see services/anchored.py); all files or nothing."""
        from .anchored import quote_in, read_anchored
        cb = self.codebook()
        by_name = {s.name: s for s in self.sources()}
        segs_by_source: dict[int, list[Segment]] = {}
        planned: list[tuple[int, int, int, str]] = []
        problems: list[str] = []
        for path in map(Path, paths):
            for rec in read_anchored(path):
                src = by_name.get(rec.file)
                if src is None:
                    problems.append(f"{path.name} line {rec.line}: unknown source {rec.file!r}")
                    continue
                unknown = [c for c in rec.codes if c not in cb or not cb.get(c).codable]
                if unknown:
                    problems.append(f"{path.name} line {rec.line}: unknown code(s) {', '.join(unknown)}")
                    continue
                if src.id not in segs_by_source:
                    segs_by_source[src.id] = self.segments(src.name)
                hit = [g for g in segs_by_source[src.id] if quote_in(rec.quote, g.text)]
                if not hit:
                    problems.append(f"{path.name} line {rec.line}: quote not found in {rec.file}: {rec.quote[:40]!r}")
                    continue
                for code_id in rec.codes:
                    planned.append((src.id, hit[0].start, hit[0].end, code_id))
        if problems:
            raise InputError(problems[0].split(" line ")[0],
                             problems[0].split(": ", 1)[1] + (f" (and {len(problems) - 1} more problems)"
                                                             if len(problems) > 1 else ""))
        org = Origin(origin)
        with self.db.begin() as conn:
            seen: set[tuple[int, int, int, str]] = set()
            for item in planned:
                if item in seen:
                    continue
                seen.add(item)
                self._insert_coding(conn, item[0], item[1], item[2], item[3], coder, org, None)
        return len(seen)

    @staticmethod
    def _snippet_and_segment(conn: Any, source_id: int, start: int, end: int) -> tuple[str, int | None]:
        return span_text_and_segment(conn, source_id, start, end)

    def uncode(self, coding_id: int, actor: str = "user", *, others: bool = True) -> int:
        """Remove one coding, kept in the trash for `undo`; returns the trash entry's id.

        ``others=False`` (the web's one-click ×) refuses another coder's coding — a gold standard
        must not vanish by a stray click — until the person confirms.
        """
        from ..storage import trash
        with self.db.begin() as conn:
            row = conn.execute(select(tables.codings).where(tables.codings.c.id == coding_id)).first()
            if row is None:
                raise NotFound(f"unknown coding {coding_id}")
            if not others and row.coder != actor:
                raise InputError(f"coding {coding_id}", f"is by {row.coder}, not by you ({actor}); confirm to remove "
                                                        "another coder's coding")
            tid = trash.put(conn, actor, "uncode", f"coding {coding_id} ({row.code_id} by {row.coder}: "
                                                   f"{row.text[:40]!r})", [("codings", [dict(row._mapping)])])
            conn.execute(delete(tables.codings).where(tables.codings.c.id == coding_id))
            self.db.log(conn, actor, "uncode", "coding", coding_id, source_id=row.source_id, start=row.start,
                        end=row.end, code=row.code_id, coder=row.coder, trash=tid)
        return tid

    def coding(self, coding_id: int) -> CodingRecord:
        found = self.codings(coding_id=coding_id)
        if not found:
            raise NotFound(f"unknown coding {coding_id}")
        return found[0]

    def coders(self) -> list[str]:
        with self.db.read() as conn:
            return coders(conn)

    def codings(self, coder: str | None = None, source: str | None = None,
                coding_id: int | None = None, *, ids: Sequence[int] | None = None, case: str | None = None,
                code: str | None = None, start: int | None = None, end: int | None = None,
                offset: int = 0, limit: int | None = None) -> list[CodingRecord]:
        """Codings ordered by source, position and id; filtered (``start``/``end``: those overlapping that
        span of ``source``), and one page of them when asked."""
        source_id = self.source(source).id if source is not None else None
        with self.db.read() as conn:
            rows = coding_rows(conn, coder=coder, source_id=source_id, coding_id=coding_id, ids=ids,
                                       case=case, code=code, start=start, end=end, offset=offset, limit=limit)
        cb = self.codebook()
        return [CodingRecord(id=r.id, source=r.source_name, case=r.case_name, start=r.start, end=r.end,
                             text=r.text, code=r.code_id, code_path=cb.path(r.code_id) if r.code_id in cb else r.code_id,
                             coder=r.coder, origin=r.origin, created_at=r.created_at, segment_id=r.segment_id)
                for r in rows]

    def coder_counts(self, source: str) -> dict[str, int]:
        """Codings per coder in one source."""
        sid = self.source(source).id
        with self.db.read() as conn:
            return coder_counts(conn, sid)

    def participant_counts(self) -> dict[int | None, int]:
        """Registered participants per case id (None: no case), counted by SQLite."""
        with self.db.read() as conn:
            return participants_per_case(conn)

    def coding_count(self) -> int:
        with self.db.read() as conn:
            return count_codings(conn)

    def coding_progress(self, source_ids: Sequence[int] | None = None) -> dict[int, tuple[int, int]]:
        """Per source id (every one, or the given ones): (codings, distinct coded segments), counted by SQLite."""
        with self.db.read() as conn:
            rows = coding_progress(conn, source_ids)
        return {int(r.source_id): (int(r.codings), int(r.coded_segments)) for r in rows}

    def case_progress(self) -> dict[int | None, dict[str, int]]:
        """Per case id: sources, segments, codings and coded segments, summed by SQLite."""
        with self.db.read() as conn:
            return {r.case_id: {"sources": int(r.sources), "segments": int(r.segments), "codings": int(r.codings),
                                "coded_segments": int(r.coded_segments)} for r in case_progress(conn)}

    # ---- memos and audit -------------------------------------------------------------------
    def add_memo(self, target_type: str, target_id: str | int | None, body: str, author: str = "user",
                 title: str = "") -> Memo:
        try:
            tt = MemoTarget(target_type)
        except ValueError:
            raise InputError("memo", f"unknown target {target_type!r}") from None
        if not body.strip():
            raise InputError("memo", "empty memo")
        now = now_iso()
        with self.db.begin() as conn:
            mid = pk(conn.execute(insert(tables.memos).values(
                target_type=tt.value, target_id=None if target_id is None else str(target_id), author=author,
                title=title, body=body, created_at=now, updated_at=now)))
            self.db.log(conn, author, "add_memo", "memo", mid, target=f"{tt.value}:{target_id}")
        return next(m for m in self.memos() if m.id == mid)

    def update_memo(self, memo_id: int, body: str, author: str = "user") -> None:
        with self.db.begin() as conn:
            n = conn.execute(update(tables.memos).where(tables.memos.c.id == memo_id).values(
                body=body, updated_at=now_iso())).rowcount
            if not n:
                raise NotFound(f"unknown memo {memo_id}")
            self.db.log(conn, author, "update_memo", "memo", memo_id)

    def delete_memo(self, memo_id: int, author: str = "user") -> None:
        with self.db.begin() as conn:
            if not conn.execute(delete(tables.memos).where(tables.memos.c.id == memo_id)).rowcount:
                raise NotFound(f"unknown memo {memo_id}")
            self.db.log(conn, author, "delete_memo", "memo", memo_id)

    def memos(self, target_type: str | None = None, target_id: str | int | None = None) -> list[Memo]:
        q = select(tables.memos).order_by(tables.memos.c.id)
        if target_type is not None:
            q = q.where(tables.memos.c.target_type == target_type)
        if target_id is not None:
            q = q.where(tables.memos.c.target_id == str(target_id))
        with self.db.read() as conn:
            rows = conn.execute(q).all()
        return [Memo(id=r.id, target_type=MemoTarget(r.target_type), target_id=r.target_id, author=r.author,
                     title=r.title, body=r.body, created_at=r.created_at, updated_at=r.updated_at) for r in rows]

    def events(self, limit: int | None = None) -> list[dict[str, Any]]:
        q = select(tables.events).order_by(tables.events.c.id.desc())
        if limit:
            q = q.limit(limit)
        with self.db.read() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def audit_counts(self) -> dict[str, int]:
        with self.db.read() as conn:
            rows = conn.execute(select(tables.events.c.action, func.count()).group_by(tables.events.c.action)).all()
        return {r[0]: int(r[1]) for r in rows}

    # ---- frames for analysis ---------------------------------------------------------------
    def codings_frame(self, coder: str | None = None, *, code: str | None = None) -> pd.DataFrame:
        sql = """
            SELECT k.id AS coding_id, k.source_id, s.name AS source, s.case_id, c.name AS "case",
                   s.type AS source_type, s.kind AS source_kind, s.date AS source_date,
                   k.start, k."end", k.text, k.code_id AS code, k.coder, k.origin, k.created_at,
                   k.segment_id, g.speaker, g.participant_id, p.pseudonym,
                   COALESCE(p.role, g.speaker_role) AS role
            FROM codings k JOIN sources s ON s.id = k.source_id
            LEFT JOIN cases c ON c.id = s.case_id
            LEFT JOIN segments g ON g.id = k.segment_id
            LEFT JOIN participants p ON p.id = g.participant_id
            {where} ORDER BY s.name, k.start, k.id"""
        with self.db.read() as conn:
            where = [w for w, v in (("k.coder = :coder", coder), ("k.code_id = :code", code)) if v]
            df = pd.read_sql_query(text(sql.format(where="WHERE " + " AND ".join(where) if where else "")), conn,
                                   params={"coder": coder, "code": code})
        cb = self.codebook()
        df.insert(df.columns.get_loc("code") + 1, "code_path",
                  [cb.path(x) if x in cb else x for x in df["code"]])
        df.insert(df.columns.get_loc("code_path") + 1, "dimension",
                  [cb.dimension_of(x) if x in cb else None for x in df["code"]])
        return df

    def cases_frame(self) -> pd.DataFrame:
        rows = [{"case_id": c.id, "case": c.name, **c.attributes} for c in self.cases()]
        return pd.DataFrame(rows, columns=None if rows else ["case_id", "case"])

    def participants_frame(self) -> pd.DataFrame:
        names = {c.id: c.name for c in self.cases()}
        rows = [{"participant_id": p.id, "pseudonym": p.pseudonym, "role": p.role.value, "case_id": p.case_id,
                 "case": names.get(p.case_id) if p.case_id else None, "consent_date": p.consent_date}
                for p in self.participants()]
        return pd.DataFrame(rows, columns=["participant_id", "pseudonym", "role", "case_id", "case", "consent_date"])

    def connections_frame(self) -> pd.DataFrame:
        names = {c.id: c.name for c in self.cases()}
        rows = [{"case_id": c.case_id, "case": names.get(c.case_id), "target": c.target,
                 "target_type": c.target_type, "relationship": c.relationship} for c in self.connections()]
        return pd.DataFrame(rows, columns=["case_id", "case", "target", "target_type", "relationship"])

