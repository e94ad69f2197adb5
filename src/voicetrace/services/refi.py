"""REFI-QDA projects in and out: the mapping between exchange.QdaProject and a voicetrace project.

Import is one transaction: a hostile, corrupt or inconsistent file leaves the project exactly as it
was (and a project file that the import itself created is removed again).
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text

from ..core.codebook import Codebook
from ..core.codings import Origin
from ..core.segments import paragraph_spans
from ..core.sources import ParsedSource, SourceKind, SourceType
from ..exchange import (
    QdaCase,
    QdaCoding,
    QdaNote,
    QdaProject,
    QdaSelection,
    QdaSource,
    QdaUser,
    QdaVariable,
    guid_for,
    read_qdpx,
    write_qdpx,
)
from ..exchange.tabular_qdc import codebook_to_qda, codes_from_qda
from ..ingest import looks_like_transcript
from ..storage import tables
from ..storage.codebooks import write_codebook
from ..storage.database import now_iso
from . import importing
from .base import ProjectCore


@dataclass
class QdpxImportSummary:
    sources: int = 0
    codes_added: int = 0
    codings: int = 0
    memos: int = 0
    cases: int = 0
    variables: int = 0
    coders: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _jsonable(v: Any) -> Any:
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v


class RefiMixin(ProjectCore):
    """Methods of :class:`Project` for REFI-QDA exchange."""

    def import_qdpx(self, path: str | Path, actor: str = "qdpx-import") -> QdpxImportSummary:
        qp = read_qdpx(Path(path))
        summary = QdpxImportSummary(skipped=dict(qp.skipped), warnings=list(qp.warnings))
        users = {u.guid: (u.name or f"user-{u.guid[:8]}") for u in qp.users}
        cb = self.codebook()
        codes, guid_to_code = codes_from_qda(qp.codes, taken={c.id for c in cb.codes},
                                             by_label={c.label: c.id for c in cb.codes})
        existing = {c.id for c in cb.codes}
        new_codes = [c for c in codes if c.id not in existing]
        merged = Codebook(cb.name, cb.version, [*cb.codes, *[
            type(c)(**{**c.__dict__, "position": len(cb.codes) + i}) for i, c in enumerate(new_codes)]],
            cb.decision_rules)
        summary.codes_added = len(new_codes)
        var_names = {v.guid: v.name for v in qp.variables}
        with self.db.begin() as conn:
            write_codebook(conn, merged, replace=False)
            taken = {r[0] for r in conn.execute(select(tables.sources.c.name))}
            source_ids: dict[str, int] = {}
            coding_ids: dict[str, int] = {}
            case_of_source: dict[str, str] = {}
            for case in qp.cases:
                for sg in case.source_guids:
                    case_of_source.setdefault(sg, case.name or case.guid)
            case_ids: dict[str, int] = {}
            for case in qp.cases:
                name = case.name or f"case-{case.guid[:8]}"
                cid = self._case_id(conn, name, create=True, actor=actor)
                case_ids[case.guid] = cid  # type: ignore[assignment]
                for pos, (vg, value) in enumerate(case.variable_values.items()):
                    conn.execute(text("INSERT INTO case_attributes(case_id, name, value, position) VALUES "
                                      "(:c, :n, :v, :p) ON CONFLICT(case_id, name) DO UPDATE SET value=excluded.value"),
                                 {"c": cid, "n": var_names.get(vg, vg), "v": json.dumps(_jsonable(value)), "p": pos})
                if case.description:
                    self._memo(conn, "case", name, case.description, actor, "Case description")
                    summary.memos += 1
                summary.cases += 1
            for src in qp.sources:
                body = src.text or ""
                if not body.strip():
                    summary.skipped["empty_sources"] = summary.skipped.get("empty_sources", 0) + 1
                    continue
                ttype = SourceType.TRANSCRIPT if looks_like_transcript(body) else SourceType.DOCUMENT
                parsed = ParsedSource(text=body, type=SourceType.DOCUMENT, paragraphs=paragraph_spans(body),
                                      title=src.name, metadata={"qdpx_guid": src.guid})
                name = src.name
                n = 2
                while name in taken:
                    name, n = f"{src.name} ({n})", n + 1
                taken.add(name)
                case_name = case_of_source.get(src.guid)
                case_id = self._case_id(conn, case_name, create=True, actor=actor) if case_name else None
                job = importing.FileJob(Path(name), name, case_name, None, None, src.name)
                sid, _ = importing.insert_source(self.db, conn, job, body.encode("utf-8"), parsed, case_id,
                                                 SourceKind.INTERVIEW.value if ttype is SourceType.TRANSCRIPT
                                                 else SourceKind.OTHER.value, name, actor)
                if ttype is SourceType.TRANSCRIPT:
                    conn.execute(text("UPDATE sources SET type='transcript' WHERE id=:s"), {"s": sid})
                for vg, value in src.variable_values.items():
                    self._memo(conn, "source", name, f"{var_names.get(vg, vg)}: {_jsonable(value)}", actor, "Variable")
                source_ids[src.guid] = sid
                summary.sources += 1
                if src.description:
                    self._memo(conn, "source", name, src.description, actor, "Source description")
                    summary.memos += 1
                for sel in src.selections:
                    for cod in sel.codings:
                        code_id = guid_to_code.get(cod.code_guid)
                        if code_id is None:
                            continue
                        coder = users.get(cod.user_guid or sel.creating_user or "", "imported")
                        cid = self._insert_coding(conn, sid, sel.start, sel.end, code_id, coder, Origin.IMPORTED, None)
                        summary.codings += 1
                        if coder not in summary.coders:
                            summary.coders.append(coder)
                        coding_ids[cod.guid] = cid
                        coding_ids.setdefault(sel.guid, cid)
                    if sel.guid not in coding_ids:
                        source_ids[sel.guid] = sid  # a memo-only selection: its notes go on the source
            targets = self._note_targets(source_ids, coding_ids, guid_to_code, case_ids, conn)
            for note in qp.notes:
                ttype, tid = targets(note)
                self._memo(conn, ttype, tid, note.text or note.name, users.get(note.author or "", note.author or actor),
                           note.name)
                summary.memos += 1
            summary.variables = len(qp.variables)
            if qp.sets:
                summary.skipped["sets"] = len(qp.sets)
                summary.warnings.append(f"{len(qp.sets)} set(s) not imported (voicetrace has no sets yet)")
            self.db.log(conn, actor, "import_qdpx", "project", None, file=str(path), origin=qp.origin,
                        sources=summary.sources, codings=summary.codings, memos=summary.memos,
                        skipped=summary.skipped)
        self._codebook = None
        return summary

    def _memo(self, conn: Any, target_type: str, target_id: Any, body: str, author: str, title: str) -> None:
        now = now_iso()
        conn.execute(insert(tables.memos).values(target_type=target_type, target_id=None if target_id is None
                                                 else str(target_id), author=author or "imported", title=title or "",
                                                 body=body or "", created_at=now, updated_at=now))

    def _note_targets(self, sources: dict[str, int], codings: dict[str, int], codes: dict[str, str],
                      cases: dict[str, int], conn: Any) -> Any:
        names = {sid: n for sid, n in conn.execute(select(tables.sources.c.id, tables.sources.c.name))}
        case_names = {cid: n for cid, n in conn.execute(select(tables.cases.c.id, tables.cases.c.name))}

        def resolve(note: QdaNote) -> tuple[str, Any]:
            for t in note.targets:
                if t in codes:
                    return "code", codes[t]
                if t in codings:
                    return "coding", codings[t]
                if t in sources:
                    return "source", names.get(sources[t])
                if t in cases:
                    return "case", case_names.get(cases[t])
            return "project", None
        return resolve

    def export_qdpx(self, path: str | Path, *, audit: bool = True) -> Path:
        cb = self.codebook()
        coders = self.coders()
        users = [QdaUser(guid=guid_for("user", c), name=c) for c in coders]
        user_guid = {c: guid_for("user", c) for c in coders}
        cases = self.cases()
        attr_types: dict[str, str] = {}
        for c in cases:
            for k, v in c.attributes.items():
                t = "Boolean" if isinstance(v, bool) else "Integer" if isinstance(v, int) else \
                    "Float" if isinstance(v, float) else "Text"
                if v is None:
                    continue
                prev = attr_types.get(k)
                attr_types[k] = t if prev in (None, t) else ("Float" if {prev, t} == {"Integer", "Float"} else "Text")
        variables = [QdaVariable(guid=guid_for("variable", k), name=k, type=t) for k, t in attr_types.items()]  # type: ignore[arg-type]

        def typed(k: str, v: Any) -> Any:
            t = attr_types.get(k)
            if t == "Text":
                return str(v)
            if t == "Float":
                return float(v)
            return v
        infos = self.sources()
        by_case: dict[str | None, list[str]] = defaultdict(list)
        for s in infos:
            by_case[s.case].append(guid_for("source", s.id))
        qcases = [QdaCase(guid=guid_for("case", c.id), name=c.name, description=c.description,
                          variable_values={guid_for("variable", k): typed(k, v) for k, v in c.attributes.items()
                                           if v is not None and k in attr_types},
                          source_guids=by_case.get(c.name, [])) for c in cases]
        codings = self.codings()
        sel_map: dict[tuple[str, int, int], QdaSelection] = {}
        coding_guid: dict[int, str] = {}
        for rec in codings:
            key = (rec.source, rec.start, rec.end)
            if key not in sel_map:
                sel_map[key] = QdaSelection(guid=guid_for("selection", f"{rec.source}:{rec.start}:{rec.end}"), start=rec.start,
                                            end=rec.end, text=rec.text, creating_user=user_guid.get(rec.coder))
            g = guid_for("coding", rec.id)
            coding_guid[rec.id] = g
            sel_map[key].codings.append(QdaCoding(guid=g, code_guid=guid_for("code", rec.code),
                                                  user_guid=user_guid.get(rec.coder),
                                                  created=datetime.fromisoformat(rec.created_at)))
        sources = []
        for s in infos:
            sels = sorted((v for (src, _, _), v in sel_map.items() if src == s.name), key=lambda x: (x.start, x.end))
            sources.append(QdaSource(guid=guid_for("source", s.id), name=s.name, text=self.text(s.name), selections=sels))
        src_guid = {s.name: guid_for("source", s.id) for s in infos}
        case_guid = {c.name: guid_for("case", c.id) for c in cases}
        notes = []
        for m in self.memos():
            target = {"code": lambda t: guid_for("code", t), "source": lambda t: src_guid.get(t),
                      "case": lambda t: case_guid.get(t),
                      "coding": lambda t: coding_guid.get(int(t)) if t and t.isdigit() else None,
                      "project": lambda t: None}[m.target_type.value](m.target_id)
            notes.append(QdaNote(guid=guid_for("memo", m.id), name=m.title or f"Memo {m.id}", text=m.body,
                                 author=user_guid.get(m.author) if m.author in user_guid else None,
                                 created=datetime.fromisoformat(m.created_at), targets=[target] if target else []))
        for m in self.memos():
            if m.author not in user_guid:
                user_guid[m.author] = guid_for("user", m.author)
                users.append(QdaUser(guid=user_guid[m.author], name=m.author))
        for n, m in zip(notes, self.memos()):
            n.author = user_guid[m.author]
        qp = QdaProject(name=self.name, origin="", users=users, codes=codebook_to_qda(cb), variables=variables,
                        cases=qcases, sources=sources, notes=notes)
        out = Path(path)
        write_qdpx(qp, out)
        if not audit:  # a web download reads the project; it changes nothing worth an event
            return out
        with self.db.begin() as conn:
            self.db.log(conn, "user", "export_qdpx", "project", None, file=str(out), sources=len(sources),
                        codings=len(codings))
        return out
