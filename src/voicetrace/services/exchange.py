"""REFI-QDA projects in and out: the mapping between exchange.QdaProject and a voicetrace project.

Import is one transaction: a hostile, corrupt or inconsistent file leaves the project exactly as it
was, and :func:`import_qdpx_project` removes again a project file that the import itself created.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.cases import parse_role
from ..core.codebook import Codebook
from ..core.codings import Origin
from ..core.projects import clean_title
from ..core.segments import paragraph_spans
from ..core.sources import ParsedSource, SourceKind, SourceType, parse_kind
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
from ..exchange.qda_model import VariableValue
from ..exchange.tabular_qdc import codebook_to_qda, codes_from_qda
from ..ingest import looks_like_transcript
from ..ingest.transcripts import parse_plain_transcript
from ..storage.cases import (
    case_ids_by_name,
    insert_participant,
    participant_id,
    set_case_attribute,
    speaker_roles,
)
from ..storage.codebooks import write_codebook
from ..storage.memos import insert_memo
from ..storage.sources import source_metadata, source_names, source_names_by_id
from . import importing
from .context import Context
from .sources import Sources

if TYPE_CHECKING:
    from .cases import Cases
    from .coding import Coding
    from .memos import Memos
    from .project import Project
    from .projects import ProjectDetails

# Source variables a voicetrace export writes and reads back: what evidence strength needs (kind, date,
# type, case, who spoke in which role) survives a round trip, and other tools show them as file variables.
VAR_KIND, VAR_DATE, VAR_TYPE, VAR_CASE, VAR_SPEAKERS = (
    "Source kind", "Source date", "Source type", "Case", "Speaker roles")
SOURCE_VARIABLES = {VAR_KIND: "Text", VAR_DATE: "Date", VAR_TYPE: "Text", VAR_CASE: "Text", VAR_SPEAKERS: "Text"}
GUIDS_META = "qdpx_guids"
"""Meta key: the GUIDs a foreign project gave its codes, cases and users, kept so a re-export reuses them."""


def format_speakers(roles: dict[str, str]) -> str:
    """"Margaret = service_user; Dr Lomax = clinician" (labels sorted, so exports are stable)."""
    return "; ".join(f"{speaker} = {role}" for speaker, role in sorted(roles.items()))


def parse_speakers(value: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in str(value).split(";"):
        speaker, sep, role = part.rpartition("=")
        if sep and speaker.strip() and role.strip():
            out[speaker.strip()] = role.strip()
    return out


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


def _walk(roots: list[Any]) -> list[Any]:
    return [node for r in roots for node in r.walk()]


def _known_kind(value: Any) -> str | None:
    try:
        return parse_kind(str(value)).value if value else None
    except ValueError:
        return None


def _register_speakers(conn: Any, roles: dict[str, str], case_id: int | None) -> None:
    """Participants for the speakers an export named, so their turns carry their roles again."""
    for speaker, role in roles.items():
        try:
            value = parse_role(role).value
        except ValueError:
            continue
        if value == "interviewer":
            continue
        if participant_id(conn, speaker, case_id) is None:
            insert_participant(conn, speaker, value, case_id)


def _jsonable(v: Any) -> Any:
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v


def import_qdpx_project(location: str | Path, path: str | Path, *, default_codebook: bool = False,
                        actor: str | None = None) -> tuple[Project, QdpxImportSummary]:
    """Import a REFI-QDA file into the project at ``location``, creating it if there is none.

    A new project keeps the file's codes and only those (unless ``default_codebook``). If the import
    fails, a project it created is removed again, so a refused file leaves nothing behind.
    """
    from .project import Project  # late: project.py imports this module
    created = not Path(location).exists()
    if created and not default_codebook:
        p = Project.create(location, codebook=Codebook(Path(path).stem or "imported", "1", []))
    else:
        p = Project.create(location) if created else Project.open(location)
    try:
        return p, p.import_qdpx(path, actor)
    except BaseException:
        p.close()
        if created:
            for suffix in ("", "-wal", "-shm"):
                Path(str(location) + suffix).unlink(missing_ok=True)
        raise


class Exchange:
    """REFI-QDA (.qdpx) import and export of a whole project.

    What a project holds is read and written through the services that own it; an imported coding
    goes through the coding service's one insert.
    """

    def __init__(self, ctx: Context, sources: Sources, cases: Cases, coding: Coding, memos: Memos,
                 details: ProjectDetails) -> None:
        self.ctx = ctx
        self._sources = sources
        self._cases = cases
        self._coding = coding
        self._memos = memos
        self._details = details

    def import_qdpx(self, path: str | Path, actor: str | None = None) -> QdpxImportSummary:
        """Import a REFI-QDA project: sources with their kind, date, case and speakers' roles when a
        voicetrace export recorded them as variables, codes, codings, cases and memos. A project without a
        title of its own takes the file's project name; the file's GUIDs are kept for re-export."""
        actor = actor or self.ctx.coder()
        qp = read_qdpx(Path(path))
        summary = QdpxImportSummary(skipped=dict(qp.skipped), warnings=list(qp.warnings))
        users = {u.guid: (u.name or f"user-{u.guid[:8]}") for u in qp.users}
        cb = self.ctx.codebook()
        codes, guid_to_code = codes_from_qda(qp.codes, taken={c.id for c in cb.codes},
                                             by_label={c.label: c.id for c in cb.codes})
        existing = {c.id for c in cb.codes}
        new_codes = [c for c in codes if c.id not in existing]
        merged = Codebook(cb.name, cb.version, [*cb.codes, *[
            type(c)(**{**c.__dict__, "position": len(cb.codes) + i}) for i, c in enumerate(new_codes)]],
            cb.decision_rules)
        summary.codes_added = len(new_codes)
        var_names = {v.guid: v.name for v in qp.variables}
        kept: dict[str, str] = json.loads(self.ctx.db.get_meta(GUIDS_META) or "{}")
        kept.update({f"code:{guid_to_code[c.guid]}": c.guid for c in _walk(qp.codes) if c.guid in guid_to_code})
        kept.update({f"case:{c.name or 'case-' + c.guid[:8]}": c.guid for c in qp.cases})
        kept.update({f"user:{users[u.guid]}": u.guid for u in qp.users})
        with self.ctx.db.begin() as conn:
            write_codebook(conn, merged, replace=False)
            self.ctx.db.set_meta(conn, GUIDS_META, json.dumps(kept, sort_keys=True))
            if qp.name.strip() and not (self.ctx.db.get_meta("title") or self.ctx.db.get_meta("name")):
                self.ctx.db.set_meta(conn, "title", clean_title(qp.name))
            taken = set(source_names(conn))
            source_ids: dict[str, int] = {}
            coding_ids: dict[str, int] = {}
            case_of_source: dict[str, str] = {}
            for case in qp.cases:
                for sg in case.source_guids:
                    case_of_source.setdefault(sg, case.name or case.guid)
            case_ids: dict[str, int] = {}
            for case in qp.cases:
                name = case.name or f"case-{case.guid[:8]}"
                cid = self.ctx.case_id(conn, name, create=True, actor=actor)
                case_ids[case.guid] = cid  # type: ignore[assignment]
                for pos, (vg, value) in enumerate(case.variable_values.items()):
                    set_case_attribute(conn, cid, var_names.get(vg, vg), _jsonable(value), pos)  # type: ignore[arg-type]
                if case.description:
                    self._memo(conn, "case", name, case.description, actor, "Case description")
                    summary.memos += 1
                summary.cases += 1
            for src in qp.sources:
                body = src.text or ""
                if not body.strip():
                    summary.skipped["empty_sources"] = summary.skipped.get("empty_sources", 0) + 1
                    continue
                values = {var_names.get(vg, vg): value for vg, value in src.variable_values.items()}
                declared = str(values.get(VAR_TYPE) or "")
                is_transcript = declared == SourceType.TRANSCRIPT.value or (
                    declared != SourceType.DOCUMENT.value and looks_like_transcript(body))
                parsed = ParsedSource(text=body, type=SourceType.DOCUMENT, paragraphs=paragraph_spans(body),
                                      title=src.name, metadata={"qdpx_guid": src.guid})
                if is_transcript:
                    turns = parse_plain_transcript(body)
                    if turns.text == body and turns.turns:
                        parsed = ParsedSource(text=body, type=SourceType.TRANSCRIPT, turns=turns.turns,
                                              title=src.name, metadata={"qdpx_guid": src.guid})
                name = src.name
                n = 2
                while name in taken:
                    name, n = f"{src.name} ({n})", n + 1
                taken.add(name)
                case_name = case_of_source.get(src.guid) or (str(values[VAR_CASE]) if values.get(VAR_CASE) else None)
                case_id = self.ctx.case_id(conn, case_name, create=True, actor=actor) if case_name else None
                kind = _known_kind(values.get(VAR_KIND)) or (SourceKind.INTERVIEW.value if is_transcript
                                                             else SourceKind.OTHER.value)
                when = values.get(VAR_DATE)
                date_text = when.isoformat()[:10] if isinstance(when, (date, datetime)) else (
                    str(when)[:10] if when else None)
                speakers = None
                if parsed.type is SourceType.TRANSCRIPT:
                    _register_speakers(conn, parse_speakers(str(values.get(VAR_SPEAKERS) or "")), case_id)
                    speakers = importing.SpeakerIndex(conn)
                job = importing.FileJob(Path(name), name, case_name, kind, date_text, src.name)
                sid, _ = importing.insert_source(self.ctx.db, conn, job, body.encode("utf-8"), parsed, case_id,
                                                 kind, name, actor, speakers=speakers)
                for vg, value in src.variable_values.items():
                    if var_names.get(vg, vg) not in SOURCE_VARIABLES:
                        self._memo(conn, "source", name, f"{var_names.get(vg, vg)}: {_jsonable(value)}", actor,
                                   "Variable")
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
                        cid = self._coding.insert_coding(conn, sid, sel.start, sel.end, code_id, coder, Origin.IMPORTED)
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
            self.ctx.db.log(conn, actor, "import_qdpx", "project", None, file=str(path), origin=qp.origin,
                        sources=summary.sources, codings=summary.codings, memos=summary.memos,
                        skipped=summary.skipped)
        self.ctx.forget_codebook()
        return summary

    @staticmethod
    def _memo(conn: Any, target_type: str, target_id: Any, body: str, author: str, title: str) -> None:
        insert_memo(conn, target_type, None if target_id is None else str(target_id), author or "imported",
                    title or "", body or "")

    def _note_targets(self, sources: dict[str, int], codings: dict[str, int], codes: dict[str, str],
                      cases: dict[str, int], conn: Any) -> Any:
        names = source_names_by_id(conn, list(sources.values()))
        case_names = {cid: n for n, cid in case_ids_by_name(conn).items()}

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
        """Write a REFI-QDA project. Each source carries its kind, date, type, case and speakers' roles as
        variables (so a re-import weighs evidence the same); GUIDs a foreign project gave are reused."""
        cb = self.ctx.codebook()
        coders = self._coding.coders()
        kept: dict[str, str] = json.loads(self.ctx.db.get_meta(GUIDS_META) or "{}")

        def gid(kind: str, key: Any) -> str:
            return kept.get(f"{kind}:{key}") or guid_for(kind, key)
        users = [QdaUser(guid=gid("user", c), name=c) for c in coders]
        user_guid = {c: gid("user", c) for c in coders}
        cases = self._cases.cases()
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
        variables += [QdaVariable(guid=guid_for("source-variable", k), name=k, type=t)  # type: ignore[arg-type]
                      for k, t in SOURCE_VARIABLES.items()]

        def typed(k: str, v: Any) -> Any:
            t = attr_types.get(k)
            if t == "Text":
                return str(v)
            if t == "Float":
                return float(v)
            return v
        infos = self._sources.sources()
        with self.ctx.db.read() as conn:
            roles = speaker_roles(conn)
            meta = source_metadata(conn)
        source_guid = {s.id: json.loads(meta.get(s.id, "{}")).get("qdpx_guid") or guid_for("source", s.id)
                       for s in infos}
        by_case: dict[str | None, list[str]] = defaultdict(list)
        for s in infos:
            by_case[s.case].append(source_guid[s.id])
        qcases = [QdaCase(guid=kept.get(f"case:{c.name}") or guid_for("case", c.id), name=c.name, description=c.description,
                          variable_values={guid_for("variable", k): typed(k, v) for k, v in c.attributes.items()
                                           if v is not None and k in attr_types},
                          source_guids=by_case.get(c.name, [])) for c in cases]
        codings = self._coding.codings()
        sel_map: dict[tuple[str, int, int], QdaSelection] = {}
        coding_guid: dict[int, str] = {}
        for rec in codings:
            key = (rec.source, rec.start, rec.end)
            if key not in sel_map:
                sel_map[key] = QdaSelection(guid=guid_for("selection", f"{rec.source}:{rec.start}:{rec.end}"), start=rec.start,
                                            end=rec.end, text=rec.text, creating_user=user_guid.get(rec.coder))
            g = guid_for("coding", rec.id)
            coding_guid[rec.id] = g
            sel_map[key].codings.append(QdaCoding(guid=g, code_guid=gid("code", rec.code),
                                                  user_guid=user_guid.get(rec.coder),
                                                  created=datetime.fromisoformat(rec.created_at)))
        sources = []
        for s in infos:
            sels = sorted((v for (src, _, _), v in sel_map.items() if src == s.name), key=lambda x: (x.start, x.end))
            var: dict[str, VariableValue] = {guid_for("source-variable", VAR_KIND): s.kind, guid_for("source-variable", VAR_TYPE): s.type}
            if s.date:
                try:
                    var[guid_for("source-variable", VAR_DATE)] = date.fromisoformat(s.date[:10])
                except ValueError:
                    pass
            if s.case:
                var[guid_for("source-variable", VAR_CASE)] = s.case
            if roles.get(s.id):
                var[guid_for("source-variable", VAR_SPEAKERS)] = format_speakers(roles[s.id])
            sources.append(QdaSource(guid=source_guid[s.id], name=s.name, text=self._sources.text(s.name), selections=sels,
                                     variable_values=var))
        src_guid = {s.name: source_guid[s.id] for s in infos}
        case_guid = {c.name: kept.get(f"case:{c.name}") or guid_for("case", c.id) for c in cases}
        notes = []
        for m in self._memos.memos():
            target = {"code": lambda t: gid("code", t), "source": lambda t: src_guid.get(t),
                      "case": lambda t: case_guid.get(t),
                      "coding": lambda t: coding_guid.get(int(t)) if t and t.isdigit() else None,
                      "project": lambda t: None}[m.target_type.value](m.target_id)
            notes.append(QdaNote(guid=guid_for("memo", m.id), name=m.title or f"Memo {m.id}", text=m.body,
                                 author=user_guid.get(m.author) if m.author in user_guid else None,
                                 created=datetime.fromisoformat(m.created_at), targets=[target] if target else []))
        for m in self._memos.memos():
            if m.author not in user_guid:
                user_guid[m.author] = gid("user", m.author)
                users.append(QdaUser(guid=user_guid[m.author], name=m.author))
        for n, m in zip(notes, self._memos.memos()):
            n.author = user_guid[m.author]
        codes = codebook_to_qda(cb)
        by_guid = {guid_for("code", c.id): c.id for c in cb.codes}
        for node in _walk(codes):
            node.guid = gid("code", by_guid.get(node.guid, node.guid))
        qp = QdaProject(name=self._details.title, origin="", users=users, codes=codes, variables=variables,
                        cases=qcases, sources=sources, notes=notes)
        out = Path(path)
        write_qdpx(qp, out)
        if not audit:  # a web download reads the project; it changes nothing worth an event
            return out
        with self.ctx.db.begin() as conn:
            self.ctx.db.log(conn, self.ctx.coder(), "export_qdpx", "project", None, file=str(out), sources=len(sources),
                        codings=len(codings))
        return out
