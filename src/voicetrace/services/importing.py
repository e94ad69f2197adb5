"""Importing files, corpus folders and uploads: the whole use case, one file per transaction.

A path or an upload becomes a file job; each job is read (size limit checked once, by
:func:`voicetrace.ingest.file_bytes` or :func:`voicetrace.ingest.check_limit`), hashed (a file already in
the project is reported, not stored twice), parsed, and stored with its segments in one transaction:
a file imports whole or not at all, and a bad file is one line in the report, never an abort.
A folder's manifest (parsed in ingest/manifests.py) is checked whole before any of it is applied.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from ..core.cases import parse_role
from ..core.errors import InputError, VoicetraceError
from ..core.filenames import clean_filename, unique_name
from ..core.sources import ParsedSource, SourceKind, SourceType, check_date, check_kind, sha256_hex
from ..ingest import check_limit, file_bytes, parse_bytes
from ..ingest.manifests import SIDE_FILES, Manifest, check_cases, find_manifest, read_manifest
from ..storage import cases as case_store
from ..storage import search as search_store
from ..storage import segments as segment_store
from ..storage import sources as source_store
from ..storage.database import Database, now_iso
from .cases import Cases
from .context import Context
from .records import ImportReport

Progress = Callable[[str], None]
ProgressFactory = Callable[[int], Progress]
TRANSCRIPT_KINDS = {SourceKind.INTERVIEW.value, SourceKind.FOCUS_GROUP.value}

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
    """One file to import: on disk at ``path``, or (an upload) already in memory as ``data``."""
    path: Path
    name: str
    case: str | None
    kind: str | None
    date: str | None
    title: str | None = None
    data: bytes | None = None


class Importing:
    """``import_paths`` for files and corpus folders, ``import_files`` for uploads (name and bytes)."""

    def __init__(self, ctx: Context, cases: Cases) -> None:
        self.ctx = ctx
        self._cases = cases

    def import_paths(self, paths: Iterable[str | Path], *, case: str | None = None, kind: str | None = None,
                     date: str | None = None, actor: str = "user", case_from_folder: bool = False,
                     progress: ProgressFactory | None = None) -> ImportReport:
        """Import files and corpus folders; each file is atomic, failures are collected by name."""
        report = ImportReport()
        kind = _check_options(case, kind, date)
        jobs, manifests = plan_jobs([Path(p) for p in paths], case, kind, date, report,
                                    case_from_folder=case_from_folder)
        if manifests:
            known = [c.name for c in self._cases.cases()]
            for m in manifests:  # every manifest checked before any is applied
                check_cases(m, known)
            for m in manifests:
                self._apply_manifest(m, report, actor)
        return self._run(jobs, report, actor, progress)

    def import_files(self, files: Iterable[tuple[str, bytes]], *, case: str | None = None,
                     kind: str | None = None, date: str | None = None, actor: str = "user") -> ImportReport:
        """Import uploaded files (file name as the browser sent it, and the bytes); each file is atomic.

        The names are cleaned (no folders, no control characters) and made unique within the upload.
        """
        report = ImportReport()
        kind = _check_options(case, kind, date)
        named: set[str] = set()
        jobs = []
        for filename, data in files:
            name = unique_name(clean_filename(filename, fallback="upload"), named.__contains__)
            named.add(name)
            jobs.append(FileJob(Path(name), name, case, kind, date, data=data))
        return self._run(jobs, report, actor, None)

    def _run(self, jobs: Sequence[FileJob], report: ImportReport, actor: str,
             progress: ProgressFactory | None) -> ImportReport:
        tick = progress(len(jobs)) if progress else None
        with self.ctx.db.read() as conn:
            speakers = SpeakerIndex(conn)
        before = len(report.imported)
        for job in jobs:
            if tick:
                tick(job.name)
            try:
                self._import_one(job, report, actor, speakers)
            except VoicetraceError as e:
                report.failed.append((job.name, getattr(e, "reason", str(e))))
        self._tidy_index(sum(n for _path, _name, n in report.imported[before:]))
        return report

    def _tidy_index(self, added: int) -> None:
        """Merge the search index after an import that added a good share of it (see storage.search)."""
        if not added:
            return
        with self.ctx.db.begin() as conn:
            if search_store.needs_merging(added, search_store.indexed_passages(conn)):
                search_store.merge_index(conn)

    def _apply_manifest(self, m: Manifest, report: ImportReport, actor: str) -> None:
        for name, attrs in m.cases:
            self._cases.add_case(name, attrs, actor=actor)
            report.cases += 1
        for prow in m.participants:
            self._cases.add_participant(str(prow["pseudonym"]), str(prow["role"]), prow["case"],  # type: ignore[arg-type]
                                        prow["consent_date"], prow["aliases"], actor=actor)  # type: ignore[arg-type]
            report.participants += 1
        for c in m.connections:
            self._cases.add_connection(c["case"], c["target"], c["target_type"], c["relationship"], c["strength"],
                                       actor=actor)
            report.connections += 1

    def _import_one(self, job: FileJob, report: ImportReport, actor: str, speakers: SpeakerIndex) -> None:
        validate_job(job)
        if job.data is None:
            data = file_bytes(job.path, job.name)  # one file's bytes at a time; parsed from memory below
        else:
            check_limit(job.name, len(job.data))
            data = job.data
        sha = sha256_hex(data)
        with self.ctx.db.read() as conn:
            dup = existing_copy(conn, sha, job.case)
        if dup:
            name, in_case = dup
            report.duplicates.append((job.name, name if in_case == job.case else
                                      f"{name}, in case {in_case or '(none)'}; to change its case use "
                                      f"`voicetrace source move`"))
            return
        parsed = parse_bytes(job.name, data)
        kind = job.kind or guess_kind(job.name, parsed)
        if job.kind and parsed.type is SourceType.TRANSCRIPT and job.kind not in TRANSCRIPT_KINDS:
            report.warnings.append((job.name, f"is a transcript but was given kind {job.kind!r}"))
        with self.ctx.db.begin() as conn:
            cid = self.ctx.case_id(conn, job.case, create=True, actor=actor)
            name = unique_name(job.name, lambda n: source_store.name_taken(conn, n), before_extension=False)
            _sid, nseg = insert_source(self.ctx.db, conn, job, data, parsed, cid, kind, name, actor, speakers)
        report.imported.append((job.name, name, nseg))


def _check_options(case: str | None, kind: str | None, date: str | None) -> str | None:
    """The options given for every file, checked before anything is read; the kind in canonical form."""
    if date:
        check_date(date, "--date")
    if kind:
        kind = check_kind(kind, "--kind")
    if case is not None and not case.strip():
        raise InputError("--case", "a case needs a name (leave --case out for no case)")
    return kind


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
        self._by_label: dict[str, list[tuple[int, int | None, str]]] = {}
        for r in case_store.participant_labels(conn):
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
    """Store one parsed file as a source with its segments (speakers linked to the register), audited.

    The caller holds the transaction; a QDPX import stores its sources through here too.
    """
    sha = sha256_hex(data)
    file_id = source_store.insert_file(conn, sha256=sha, filename=Path(job.name).name, data=data)
    ptext = parsed.text
    source_id = source_store.insert_source(
        conn, name=name, type=parsed.type.value, kind=kind, case_id=case_id, date=job.date, file_id=file_id,
        sha256=sha, text=ptext, text_sha256=sha256_hex(ptext), chars=len(ptext),
        title=job.title or parsed.title, metadata=json.dumps(parsed.metadata, ensure_ascii=False),
        imported_at=now_iso())
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
    segment_store.insert_segments(conn, source_id, rows)
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
    rows = source_store.copies_of_file(conn, sha)
    for r in rows:
        if r.case == case:
            return str(r.name), r.case
    return (str(rows[0].name), rows[0].case) if rows else None
