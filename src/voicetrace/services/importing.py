"""Importing files and corpus folders: one file, one transaction, all or nothing."""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, insert, select, text

from ..core.cases import parse_role
from ..core.errors import InputError
from ..core.sources import ParsedSource, SourceKind, SourceType, check_date, check_kind, sha256_hex
from ..ingest import SUPPORTED_EXTENSIONS
from ..storage import tables
from ..storage.database import Database, now_iso, pk
from .manifests import SIDE_FILES, Manifest, find_manifest, read_manifest
from .records import ImportReport

Progress = Callable[[str], None]

INTERVIEWER_LABELS = {"interviewer", "int", "i", "q", "researcher", "moderator", "interviewer 1", "interviewer 2"}

_KIND_HINTS: list[tuple[str, SourceKind]] = [
    (r"minute", SourceKind.MINUTES), (r"annual[-_ ]?report", SourceKind.ANNUAL_REPORT),
    (r"work[-_ ]?plan", SourceKind.WORK_PLAN), (r"newsletter", SourceKind.NEWSLETTER),
    (r"grant", SourceKind.GRANT_APPLICATION), (r"strateg", SourceKind.STRATEGY),
    (r"focus[-_ ]?group", SourceKind.FOCUS_GROUP), (r"interview", SourceKind.INTERVIEW),
    (r"report", SourceKind.REPORT),
]


@dataclass(frozen=True)
class FileJob:
    path: Path
    name: str
    case: str | None
    kind: str | None
    date: str | None
    title: str | None = None


def guess_kind(name: str, parsed: ParsedSource) -> str:
    low = name.lower()
    for pattern, kind in _KIND_HINTS:
        if re.search(pattern, low):
            return kind.value
    return SourceKind.INTERVIEW.value if parsed.type is SourceType.TRANSCRIPT else SourceKind.OTHER.value


def plan_jobs(paths: Iterable[Path], case: str | None, kind: str | None, date: str | None,
              report: ImportReport, *, case_from_folder: bool = False) -> tuple[list[FileJob], list[Manifest]]:
    """Expand the user's paths into file jobs; folders with a manifest follow it.

    Without a manifest, ``case_from_folder`` makes each first-level sub-folder's name the case of
    the files under it (files at the top level get ``case``). Everything is checked here, before
    anything is written, so a refused command leaves the project as it was.
    """
    jobs: list[FileJob] = []
    manifests: list[Manifest] = []
    for p in paths:
        if not p.exists():
            raise InputError(str(p), "no such file or folder")
        if p.is_file():
            jobs.append(FileJob(p, display_name(Path(p.name)), case, kind, date))
            continue
        if not p.is_dir():
            raise InputError(str(p), "not a regular file or a folder (a device or pipe cannot be imported)")
        if find_manifest(p) is not None:
            m = read_manifest(p)
            manifests.append(m)
            listed = set()
            for s in m.sources:
                fp = (p / s.file)
                try:
                    fp.resolve().relative_to(p.resolve())
                except ValueError:
                    report.failed.append((s.file, "manifest names a file outside the corpus folder"))
                    continue
                listed.add(fp.resolve())
                jobs.append(FileJob(fp, Path(s.file).as_posix(), s.case or case, s.kind or kind,
                                    s.date or date, s.title))
            for fp in sorted(p.rglob("*")):
                if fp.is_file() and fp.resolve() not in listed and fp.name not in SIDE_FILES \
                        and not fp.name.startswith("."):
                    report.skipped.append((display_name(fp.relative_to(p)), "not listed in the manifest"))
            continue
        found = 0
        for fp in sorted(p.rglob("*")):
            if not fp.is_file() or fp.name.startswith("."):
                continue
            found += 1
            rel_path = fp.relative_to(p)
            rel = display_name(rel_path)
            if "\ufffd" in rel:
                report.failed.append((rel, "the file name is not valid in any known encoding; rename the file"))
                continue
            file_case = rel.split("/", 1)[0] if case_from_folder and len(rel_path.parts) > 1 else case
            jobs.append(FileJob(fp, rel, file_case, kind, date))
        if not found:
            raise InputError(str(p), "the folder holds no files to import")
    return jobs, manifests


def display_name(path: Path) -> str:
    """A file name as people read it: a name not in UTF-8 (an old Windows or Mac folder) is decoded by
    its bytes' best guess (cp1252, then Mac Roman) instead of crashing on the surrogate escapes."""
    posix = path.as_posix()
    try:
        posix.encode("utf-8")
        return posix
    except UnicodeEncodeError:
        raw = os.fsencode(posix)
    for encoding in ("cp1252", "mac_roman"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


class SpeakerIndex:
    """Links a transcript's speaker labels to the participant register (pseudonyms and aliases)."""

    def __init__(self, conn: Connection) -> None:
        rows = conn.execute(select(tables.participants.c.id, tables.participants.c.pseudonym,
                                   tables.participants.c.case_id, tables.participants.c.aliases,
                                   tables.participants.c.role)).all()
        self._by_label: dict[str, list[tuple[int, int | None, str]]] = {}
        for r in rows:
            for label in [r.pseudonym, *json.loads(r.aliases)]:
                self._by_label.setdefault(label.strip().lower(), []).append((r.id, r.case_id, r.role))

    def match(self, speaker: str, case_id: int | None) -> tuple[int | None, str | None]:
        """(participant id, role): the same case's participant first, then anyone of that name."""
        label = speaker.strip()
        low = label.lower()
        if low in INTERVIEWER_LABELS or low.startswith("interviewer"):
            return None, "interviewer"
        paren = re.search(r"\(([^)]*)\)\s*$", label)
        role_hint = None
        if paren:
            try:
                role_hint = parse_role(paren.group(1)).value
            except ValueError:
                role_hint = None
        base = re.sub(r"\s*\([^)]*\)\s*$", "", low).strip()
        found = self._by_label.get(low) or self._by_label.get(base) or []
        for pid, pcase, role in found:
            if pcase == case_id:
                return pid, role
        if found:
            return found[0][0], found[0][2]
        return None, role_hint


def insert_source(db: Database, conn: Connection, job: FileJob, data: bytes, parsed: ParsedSource,
                  case_id: int | None, kind: str, name: str, actor: str,
                  speakers: SpeakerIndex | None = None) -> tuple[int, int]:
    sha = sha256_hex(data)
    file_id = pk(conn.execute(insert(tables.files).values(sha256=sha, filename=Path(job.name).name, size=len(data),
                                                       data=data)))
    ptext = parsed.text
    source_id = pk(conn.execute(insert(tables.sources).values(
        name=name, type=parsed.type.value, kind=kind, case_id=case_id, date=job.date, file_id=file_id,
        sha256=sha, text=ptext, text_sha256=sha256_hex(ptext), chars=len(ptext),
        title=job.title or parsed.title, metadata=json.dumps(parsed.metadata, ensure_ascii=False),
        imported_at=now_iso())))
    if parsed.type is SourceType.TRANSCRIPT and speakers is None:
        speakers = SpeakerIndex(conn)
    elif parsed.type is not SourceType.TRANSCRIPT:
        speakers = None
    rows = []
    for idx, (span, speaker) in enumerate(parsed.segment_spans()):
        pid, role = (speakers.match(speaker, case_id) if (speakers and speaker) else (None, None))
        rows.append({"source_id": source_id, "idx": idx, "start": span.start, "end": span.end,
                     "text": ptext[span.start:span.end], "speaker": speaker, "speaker_role": role,
                     "participant_id": pid})
    if rows:
        conn.execute(insert(tables.segments), rows)
        conn.execute(text(
            "INSERT INTO segments_fts(rowid, text) SELECT id, text FROM segments WHERE source_id=:s"),
            {"s": source_id})
    db.log(conn, actor, "import_source", "source", source_id, name=name, file=display_name(job.path), sha256=sha,
           segments=len(rows), warnings=parsed.warnings)
    return source_id, len(rows)


def validate_job(job: FileJob) -> None:
    if job.kind:
        check_kind(job.kind, job.name)
    if job.date:
        check_date(job.date, job.name)


def existing_copy(conn: Connection, sha: str, case: str | None) -> tuple[str, str | None] | None:
    """A source already holding this exact file (same SHA-256): (its name, its case), this case first.

    A re-import under another case is the same file, not a new one: the caller reports it and
    points at `voicetrace source move` rather than storing a silent duplicate.
    """
    sources, cases = tables.sources, tables.cases
    q = (select(sources.c.name, cases.c.name.label("case"))
         .select_from(sources.outerjoin(cases, sources.c.case_id == cases.c.id)).where(sources.c.sha256 == sha))
    rows = conn.execute(q).all()
    for r in rows:
        if r.case == case:
            return str(r.name), r.case
    return (str(rows[0].name), rows[0].case) if rows else None


def is_importable(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_EXTENSIONS
