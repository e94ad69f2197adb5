"""The Project: the one API that the CLI, the web app and Python users call.

Each public method is one user action: it validates, runs in one transaction, writes an audit
event, and returns plain records. The methods live in small modules by concern and are assembled here.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Self

import pandas as pd

from ..analysis.agreement import AgreementResult
from ..core.cases import AttributeValue, Case, Connection, Participant, ParticipantRole
from ..core.claims import ClaimPage, InfluenceClaim
from ..core.codebook import Codebook
from ..core.codings import Origin
from ..core.impact import ImpactEntry, Period
from ..core.memos import Memo
from ..core.pages import Page
from ..core.projects import ProjectInfo
from ..core.segments import Segment
from ..core.suggestions import Suggestion
from ..storage.database import Database
from .agreement import Agreement
from .audit import Audit
from .cases import Cases
from .claims import Claims
from .codebooks import Codebooks
from .coding import Coding
from .context import Context
from .edits import SourceEdits
from .exchange import Exchange, QdpxImportSummary, import_qdpx_project
from .impact import Impact
from .importing import Importing, ProgressFactory
from .memos import Memos
from .projects import ProjectDetails, create_database, open_existing
from .records import CodingRecord, ImportReport, PassageRecord, SearchHit, SourceInfo
from .reports import Reports
from .search import Search
from .sources import Sources
from .suggestions import NewSuggestion, Suggestions


class Project:
    """An open voicetrace project (one SQLite file, or a database URL).

    A facade: each public method is one user action, delegated to the service that owns that use case
    (services/<concern>.py), all sharing one :class:`~voicetrace.services.context.Context`.
    """

    def __init__(self, db: Database, location: str) -> None:
        self.ctx = Context(db, location)
        self.db = db
        self.location = location
        # composed services, one per concern (each section below delegates to one of them)
        self._sources = Sources(self.ctx)
        self._details = ProjectDetails(self.ctx)
        self._codebooks = Codebooks(self.ctx)
        self._cases = Cases(self.ctx)
        self._coding = Coding(self.ctx, self._sources)
        self._memos = Memos(self.ctx, self._sources, self._cases, self._coding)
        self._audit = Audit(self.ctx)
        self._suggestions = Suggestions(self.ctx, self._coding, self._sources)
        self._agreement = Agreement(self.ctx, self._coding, self._sources, self._suggestions)
        self._claims = Claims(self.ctx, self._sources, self._coding)
        self._impact = Impact(self.ctx, self._sources, self._cases, self._coding, self._details, self._claims)
        self._exchange = Exchange(self.ctx, self._sources, self._cases, self._coding, self._memos, self._details)
        self._search = Search(self.ctx, self._cases)
        self._edits = SourceEdits(self.ctx, self._cases)
        self._importing = Importing(self.ctx, self._cases)
        self._reports = Reports(self.ctx, self._details, self._sources, self._cases, self._coding, self._memos,
                                self._audit, self._claims)

    # ---- project: lifecycle, title, settings, coder ----
    @classmethod
    def create(cls, location: str | Path, codebook: Codebook | None = None, actor: str = "init", *,
               title: str | None = None, description: str | None = None) -> Self:
        return cls(create_database(location, codebook, actor, title=title, description=description), str(location))

    @classmethod
    def open(cls, location: str | Path) -> Self:
        return cls(open_existing(location), str(location))

    def close(self) -> None:
        self.db.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def title(self) -> str:
        return self._details.title

    @property
    def description(self) -> str:
        return self._details.description

    @property
    def name(self) -> str:
        """The title (kept under its older name: REFI-QDA and the web app call it the project name)."""
        return self._details.title

    def describe(self) -> ProjectInfo:
        return self._details.describe()

    def update_project(self, *, title: str | None = None, description: str | None = None,
                       actor: str | None = None) -> ProjectInfo:
        return self._details.update_project(title=title, description=description, actor=self.coder(actor))

    def set_title(self, title: str, actor: str | None = None) -> ProjectInfo:
        return self._details.update_project(title=title, actor=self.coder(actor))

    def set_description(self, description: str, actor: str | None = None) -> ProjectInfo:
        return self._details.update_project(description=description, actor=self.coder(actor))

    def set_name(self, name: str, actor: str | None = None) -> None:
        self._details.update_project(title=name, actor=self.coder(actor))

    def setting(self, key: str) -> str | None:
        return self.ctx.setting(key)

    def set_setting(self, key: str, value: str, actor: str | None = None) -> None:
        self.ctx.set_setting(key, value, self.coder(actor))

    def coder(self, explicit: str | None = None) -> str:
        return self.ctx.coder(explicit)

    def set_coder(self, name: str) -> str:
        return self._details.set_coder(name)

    # ---- codebook ----
    def codebook(self) -> Codebook:
        return self.ctx.codebook()

    def set_codebook(self, cb: Codebook, *, replace: bool = False, actor: str | None = None) -> dict[str, int]:
        return self._codebooks.set_codebook(cb, replace=replace, actor=actor)

    def import_codebook(self, path: str | Path, *, replace: bool = False, actor: str | None = None) -> dict[str, int]:
        return self._codebooks.import_codebook(path, replace=replace, actor=actor)

    def export_codebook(self, path: str | Path) -> Path:
        return self._codebooks.export_codebook(path)

    # ---- cases, participants, connections ----
    def add_case(self, name: str, attributes: dict[str, AttributeValue] | None = None,
                 actor: str | None = None) -> Case:
        return self._cases.add_case(name, attributes, self.coder(actor))

    def case_name(self, name: str, subject: str = "case") -> str:
        return self._cases.case_name(name, subject)

    def case(self, name: str) -> Case:
        return self._cases.case(name)

    def case_names_page(self, *, offset: int = 0, limit: int = 200) -> Page[str]:
        return self._cases.case_names_page(offset=offset, limit=limit)

    def cases(self) -> list[Case]:
        return self._cases.cases()

    def add_participant(self, pseudonym: str, role: str | ParticipantRole, case: str | None = None,
                        consent_date: str | None = None, aliases: Sequence[str] = (),
                        actor: str | None = None) -> Participant:
        return self._cases.add_participant(pseudonym, role, case, consent_date, aliases, self.coder(actor))

    def participants(self, offset: int = 0, limit: int | None = None) -> list[Participant]:
        return self._cases.participants(offset, limit)

    def participant_roles(self) -> list[str]:
        return self._cases.participant_roles()

    def participant_counts(self) -> dict[int | None, int]:
        return self._cases.participant_counts()

    def add_connection(self, case: str, target: str, target_type: str = "other", relationship: str = "",
                       strength: str = "", actor: str | None = None) -> None:
        self._cases.add_connection(case, target, target_type, relationship, strength, self.coder(actor))

    def connections(self) -> list[Connection]:
        return self._cases.connections()

    def cases_frame(self) -> pd.DataFrame:
        return self._cases.cases_frame()

    def participants_frame(self) -> pd.DataFrame:
        return self._cases.participants_frame()

    def connections_frame(self) -> pd.DataFrame:
        return self._cases.connections_frame()

    # ---- coding ----
    def code(self, source: str, start: int, end: int, code: str, coder: str | None = None,
             origin: str | Origin = Origin.HUMAN, suggestion_id: int | None = None) -> CodingRecord:
        return self._coding.code(source, start, end, code, self.coder(coder), origin, suggestion_id)

    def uncode(self, coding_id: int, actor: str | None = None, *, others: bool = True) -> int:
        return self._coding.uncode(coding_id, self.coder(actor), others=others)

    def import_anchored_codings(self, paths: Iterable[str | Path], coder: str,
                                origin: str | Origin = Origin.IMPORTED) -> int:
        return self._coding.import_anchored_codings(paths, coder, origin)

    def coding(self, coding_id: int) -> CodingRecord:
        return self._coding.coding(coding_id)

    def codings(self, coder: str | None = None, source: str | None = None,
                coding_id: int | None = None, *, ids: Sequence[int] | None = None, case: str | None = None,
                code: str | None = None, start: int | None = None, end: int | None = None,
                offset: int = 0, limit: int | None = None) -> list[CodingRecord]:
        return self._coding.codings(coder, source, coding_id, ids=ids, case=case, code=code, start=start, end=end,
                                    offset=offset, limit=limit)

    def coders(self) -> list[str]:
        return self._coding.coders()

    def coder_counts(self, source: str) -> dict[str, int]:
        return self._coding.coder_counts(source)

    def coding_count(self) -> int:
        return self._coding.coding_count()

    def coding_progress(self, source_ids: Sequence[int] | None = None) -> dict[int, tuple[int, int]]:
        return self._coding.coding_progress(source_ids)

    def case_progress(self) -> dict[int | None, dict[str, int]]:
        return self._coding.case_progress()

    def codings_frame(self, coder: str | None = None, *, code: str | None = None) -> pd.DataFrame:
        return self._coding.codings_frame(coder, code=code)

    # ---- memos and audit ----
    def add_memo(self, target_type: str, target_id: str | int | None, body: str, author: str | None = None,
                 title: str = "") -> Memo:
        return self._memos.add_memo(target_type, target_id, body, self.coder(author), title)

    def update_memo(self, memo_id: int, body: str, author: str | None = None) -> None:
        self._memos.update_memo(memo_id, body, self.coder(author))

    def delete_memo(self, memo_id: int, author: str | None = None) -> None:
        self._memos.delete_memo(memo_id, self.coder(author))

    def memo(self, memo_id: int) -> Memo:
        return self._memos.memo(memo_id)

    def memos(self, target_type: str | None = None, target_id: str | int | None = None) -> list[Memo]:
        return self._memos.memos(target_type, target_id)

    def memos_page(self, target_type: str | None = None, target_id: str | int | None = None, *,
                   offset: int = 0, limit: int = 100) -> Page[Memo]:
        return self._memos.memos_page(target_type, target_id, offset=offset, limit=limit)

    def memo_count(self) -> int:
        return self._memos.memo_count()

    def events(self, limit: int | None = None) -> list[dict[str, Any]]:
        return self._audit.events(limit)

    def audit_counts(self) -> dict[str, int]:
        return self._audit.audit_counts()

    # ---- suggestions and agreement ----
    def add_suggestions(self, items: Iterable[NewSuggestion], actor: str = "autocode",
                        replace_pending: bool = False) -> int:
        return self._suggestions.add_suggestions(items, actor, replace_pending)

    def suggestions(self, status: str | None = "pending", *, code: str | None = None, source: str | None = None,
                    limit: int | None = None, order: str = "id") -> list[Suggestion]:
        return self._suggestions.suggestions(status, code=code, source=source, limit=limit, order=order)

    def suggestion(self, suggestion_id: int) -> Suggestion:
        return self._suggestions.suggestion(suggestion_id)

    def decide(self, suggestion_id: int, decision: str, by: str) -> Suggestion:
        return self._suggestions.decide(suggestion_id, decision, by)

    def undo_decision(self, suggestion_id: int, by: str) -> Suggestion:
        return self._suggestions.undo_decision(suggestion_id, by)

    def last_decision(self, by: str | None = None) -> Suggestion | None:
        return self._suggestions.last_decision(by)

    def accept_above(self, threshold: float, by: str, codes: Sequence[str] | None = None) -> int:
        return self._suggestions.accept_above(threshold, by, codes)

    def suggestion_counts(self) -> dict[str, int]:
        return self._suggestions.suggestion_counts()

    def agreement(self, coder_a: str, coder_b: str, unit: str = "segment", scope: str = "both",
                  codes: list[str] | None = None, machine_threshold: float = 0.5) -> AgreementResult:
        return self._agreement.agreement(coder_a, coder_b, unit, scope, codes, machine_threshold)

    # ---- claims ----
    def build_claims(self, coder: str | None = None, by: str | None = None,
                     coders: Sequence[str] | None = None) -> int:
        return self._claims.build_claims(coder, by, coders)

    def ensure_claims(self, coder: str | None = None, *, rebuild: bool = False, by: str | None = None) -> int | None:
        return self._claims.ensure_claims(coder, rebuild=rebuild, by=by)

    def claims(self, include_merged: bool = False, ids: Sequence[int] | None = None) -> list[InfluenceClaim]:
        return self._claims.claims(include_merged, ids)

    def claims_page(self, *, case: str = "", level: str = "", domain: str = "", status: str = "",
                    words: str = "", strength: str = "", offset: int = 0, limit: int = 50) -> ClaimPage:
        return self._claims.claims_page(case=case, level=level, domain=domain, status=status, words=words,
                                        strength=strength, offset=offset, limit=limit)

    def claim_by_number(self, number: int) -> InfluenceClaim:
        return self._claims.claim_by_number(number)

    def claim_parts(self, claim_id: int) -> list[InfluenceClaim]:
        return self._claims.claim_parts(claim_id)

    def claim(self, claim_id: int) -> InfluenceClaim:
        return self._claims.claim(claim_id)

    claim_strength = staticmethod(Claims.claim_strength)

    def claims_json(self) -> list[dict[str, Any]]:
        return self._claims.claims_json()

    def add_claim(self, case: str, change: str, level: str, domain: str, activity: str = "unclear_activity",
                  status: str = "implemented", by: str | None = None, date: str | None = None) -> InfluenceClaim:
        return self._claims.add_claim(case, change, level, domain, activity, status, self.coder(by), date)

    def update_claim(self, claim_id: int, by: str, **fields: Any) -> InfluenceClaim:
        return self._claims.update_claim(claim_id, by, **fields)

    def link_evidence(self, claim_id: int, source: str, start: int, end: int, stance: str = "supports",
                      by: str | None = None) -> InfluenceClaim:
        return self._claims.link_evidence(claim_id, source, start, end, stance, self.coder(by))

    def unlink_evidence(self, evidence_id: int, by: str | None = None) -> None:
        self._claims.unlink_evidence(evidence_id, self.coder(by))

    def set_stance(self, evidence_id: int, stance: str, by: str | None = None) -> None:
        self._claims.set_stance(evidence_id, stance, self.coder(by))

    def merge_claims(self, claim_ids: Sequence[int], by: str | None = None) -> InfluenceClaim:
        return self._claims.merge_claims(claim_ids, self.coder(by))

    def unmerge_claim(self, claim_id: int, by: str | None = None) -> list[InfluenceClaim]:
        return self._claims.unmerge_claim(claim_id, self.coder(by))

    def set_cell_summary(self, case: str, code: str, summary: str, by: str | None = None) -> None:
        self._claims.set_cell_summary(case, code, summary, self.coder(by))

    def cell_summaries(self) -> dict[tuple[str, str], str]:
        return self._claims.cell_summaries()

    # ---- matrices, analyses and the report (services/reports.py) ----
    def framework_matrix(self, coder: str | None = None, codes: Iterable[str] | None = None) -> pd.DataFrame:
        return self._reports.framework_matrix(coder, codes)

    def matrix_counts(self, codes: Sequence[str]) -> list[dict[str, Any]]:
        return self._reports.matrix_counts(codes)

    def matrix_page(self, codes: Sequence[str], *, offset: int = 0, limit: int | None = None) -> Page[dict[str, Any]]:
        return self._reports.matrix_page(codes, offset=offset, limit=limit)

    def matrix_top(self, codes: Sequence[str]) -> int:
        return self._reports.matrix_top(codes)

    def matrix_cell(self, case: str | None, code: str, coder: str | None = None) -> dict[str, Any] | None:
        return self._reports.matrix_cell(case, code, coder)

    def co_occurrence(self, coder: str | None = None, unit: str = "segment") -> pd.DataFrame:
        return self._reports.co_occurrence(coder, unit)

    def enablers_barriers(self, coder: str | None = None) -> pd.DataFrame:
        return self._reports.enablers_barriers(coder)

    def influence_profile(self) -> pd.DataFrame:
        return self._reports.influence_profile()

    def grassroots_strategic_balance(self) -> pd.DataFrame:
        return self._reports.grassroots_strategic_balance()

    def claims_frame(self) -> pd.DataFrame:
        return self._reports.claims_frame()

    def connections_analysis(self) -> pd.DataFrame:
        return self._reports.connections_analysis()

    def cross_case_comparison(self, coder: str | None = None) -> pd.DataFrame:
        return self._reports.cross_case_comparison(coder)

    def report_data(self, coder: str | None = None, agreement: dict[str, Any] | None = None,
                    evaluation: dict[str, Any] | None = None) -> Any:
        return self._reports.report_data(coder, agreement, evaluation)

    def write_report(self, html_path: str | Path, xlsx_path: str | Path | None = None,
                     coder: str | None = None, agreement: dict[str, Any] | None = None,
                     evaluation: dict[str, Any] | None = None, by: str | None = None, audit: bool = True,
                     board_path: str | Path | None = None) -> Any:
        """Write the HTML report, optionally the board summary and the workbook; returns the ReportData used."""
        return self._reports.write_report(html_path, xlsx_path, coder, agreement, evaluation, self.coder(by), audit, board_path)

    # ---- impact log and involvement outputs ----
    def impact_entries(self, cases: Sequence[str] | None = None) -> list[ImpactEntry]:
        return self._impact.impact_entries(cases)

    def impact_entry(self, entry_id: int) -> ImpactEntry:
        return self._impact.impact_entry(entry_id)

    def impact_json(self, cases: Sequence[str] | None = None) -> list[dict[str, Any]]:
        return self._impact.impact_json(cases)

    def impact_csv(self, cases: Sequence[str] | None = None) -> str:
        return self._impact.impact_csv(cases)

    @property
    def response_days(self) -> int:
        return self._impact.response_days

    def add_impact(self, request: str, *, case: str | None = None, asked_by: str = "", asked_on: str | None = None,
                   meeting: str = "", level: str | None = None, domain: str | None = None, due: str | None = None,
                   claim_ids: Sequence[int] = (), by: str | None = None) -> ImpactEntry:
        return self._impact.add_impact(request, case=case, asked_by=asked_by, asked_on=asked_on, meeting=meeting,
                                       level=level, domain=domain, due=due, claim_ids=claim_ids, by=self.coder(by))

    def update_impact(self, entry_id: int, *, status: str | None = None, on: str | None = None, note: str = "",
                      response: str | None = None, due: str | None = None, claim_ids: Sequence[int] = (),
                      by: str | None = None) -> ImpactEntry:
        return self._impact.update_impact(entry_id, status=status, on=on, note=note, response=response, due=due,
                                          claim_ids=claim_ids, by=self.coder(by))

    def impact_from_claims(self, claim_ids: Sequence[int] | None = None, by: str | None = None) -> dict[str, int]:
        return self._impact.impact_from_claims(claim_ids, self.coder(by))

    def delete_impact(self, entry_id: int, by: str | None = None) -> None:
        self._impact.delete_impact(entry_id, self.coder(by))

    def export_impact(self, path: str | Path, cases: Sequence[str] | None = None, fmt: str | None = None,
                      by: str | None = None) -> Path:
        return self._impact.export_impact(path, cases, fmt, self.coder(by))

    def outputs_data(self, period: Period, cases: Sequence[str] | None = None,
                     organisation: str | None = None) -> Any:
        return self._impact.outputs_data(period, cases, organisation)

    def write_outputs(self, kind: str, out_dir: str | Path, period: Period | None = None,
                      cases: Sequence[str] | None = None, templates: str | Path | None = None,
                      logo: str | Path | None = None, organisation: str | None = None,
                      by: str | None = None, audit: bool = True) -> list[Path]:
        return self._impact.write_outputs(kind, out_dir, period, cases, templates, logo, organisation, self.coder(by), audit)

    # ---- REFI-QDA exchange ----
    def import_qdpx(self, path: str | Path, actor: str | None = None) -> QdpxImportSummary:
        return self._exchange.import_qdpx(path, actor)

    @classmethod
    def import_qdpx_project(cls, location: str | Path, path: str | Path, *, default_codebook: bool = False,
                            actor: str | None = None) -> tuple[Project, QdpxImportSummary]:
        """Import into the project at ``location``, created if missing (and removed again if the import fails)."""
        return import_qdpx_project(location, path, default_codebook=default_codebook, actor=actor)

    def export_qdpx(self, path: str | Path, *, audit: bool = True) -> Path:
        return self._exchange.export_qdpx(path, audit=audit)


    # ---- sources, segments and search (services/sources.py, services/search.py) ----
    def sources(self, case: str | None = None, offset: int = 0, limit: int | None = None, *,
                no_case: bool = False) -> list[SourceInfo]:
        return self._sources.sources(case, offset, limit, no_case=no_case)

    def source(self, name: str) -> SourceInfo:
        return self._sources.source(name)

    def source_names(self, ids: Iterable[int]) -> dict[int, str]:
        return self._sources.source_names(ids)

    def source_kinds(self) -> list[str]:
        return self._sources.source_kinds()

    def source_count(self) -> int:
        return self._sources.source_count()

    def neighbour_sources(self, source: str) -> dict[str, str | None]:
        return self._sources.neighbour_sources(source)

    def text(self, source: str) -> str:
        return self._sources.text(source)

    def original_file(self, source: str) -> tuple[str, bytes]:
        return self._sources.original_file(source)

    def segments(self, source: str | None = None, *, start: int | None = None, end: int | None = None,
                 offset: int = 0, limit: int | None = None) -> list[Segment]:
        return self._sources.segments(source, start=start, end=end, offset=offset, limit=limit)

    def segment(self, segment_id: int) -> Segment:
        return self._sources.segment(segment_id)

    def passage(self, segment_id: int) -> PassageRecord:
        return self._sources.passage(segment_id)

    def passages(self, source: str, *, start: int | None = None, end: int | None = None,
                 offset: int = 0, limit: int | None = None) -> list[PassageRecord]:
        return self._sources.passages(source, start=start, end=end, offset=offset, limit=limit)

    def segments_frame(self, *, coded_only: bool = False, first_per_source: bool = False,
                       offset: int = 0, limit: int | None = None) -> pd.DataFrame:
        return self._sources.segments_frame(coded_only=coded_only, first_per_source=first_per_source,
                                            offset=offset, limit=limit)

    def segment_frames(self, size: int = 20_000) -> Iterator[pd.DataFrame]:
        return self._sources.segment_frames(size)

    def search(self, query: str, *, case: str | None = None, kind: str | None = None, role: str | None = None,
               limit: int = 200) -> list[SearchHit]:
        return self._search.search(query, case=case, kind=kind, role=role, limit=limit)

    # ---- importing (services/importing.py) ----
    def import_paths(self, paths: Iterable[str | Path], *, case: str | None = None, kind: str | None = None,
                     date: str | None = None, actor: str | None = None, case_from_folder: bool = False,
                     progress: ProgressFactory | None = None) -> ImportReport:
        return self._importing.import_paths(paths, case=case, kind=kind, date=date, actor=self.coder(actor),
                                            case_from_folder=case_from_folder, progress=progress)

    def import_files(self, files: Iterable[tuple[str, bytes]], *, case: str | None = None,
                     kind: str | None = None, date: str | None = None, actor: str | None = None) -> ImportReport:
        return self._importing.import_files(files, case=case, kind=kind, date=date, actor=self.coder(actor))

    # ---- source edits and undo (services/edits.py) ----
    def source_dependents(self, source: str) -> dict[str, int]:
        return self._edits.source_dependents(source)

    def delete_source(self, source: str, actor: str | None = None) -> dict[str, int]:
        return self._edits.delete_source(source, self.coder(actor))

    def edit_source(self, source: str, *, case: str | None = None, kind: str | None = None,
                    date: str | None = None, create_case: bool = False, actor: str | None = None) -> SourceInfo:
        return self._edits.edit_source(source, case=case, kind=kind, date=date, create_case=create_case, actor=self.coder(actor))

    def undo(self, actor: str | None = None) -> str:
        return self._edits.undo(actor)

    def last_undoable(self, actor: str | None = None) -> dict[str, Any] | None:
        return self._edits.last_undoable(actor)

    def undoable(self, actor: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        return self._edits.undoable(actor, limit)

    def purge_trash(self, older_than_days: float, actor: str | None = None) -> int:
        return self._edits.purge_trash(older_than_days, self.coder(actor))


def create(location: str | Path, codebook: Codebook | None = None, *, title: str | None = None,
           description: str | None = None) -> Project:
    """Create a new project file with the default (or a given) codebook."""
    return Project.create(location, codebook, title=title, description=description)


def open_project(location: str | Path) -> Project:
    return Project.open(location)
