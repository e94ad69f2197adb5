"""Claims, matrices and reports: from codings to findings, persisted and editable.

Claims are proposed by rules (analysis.influence) from coded segments, stored with their evidence,
and then belong to people: an edited claim survives a rebuild, merges are reversible, and evidence
strength is always recomputed from the evidence rather than stored.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import delete, insert, select, text, update

from ..analysis import crosscase, influence, matrices
from ..core.claims import ClaimStatus, Evidence, InfluenceClaim, Stance
from ..core.codings import check_span
from ..core.errors import InputError, NotFound
from ..storage import tables
from ..storage.claims import (
    active_claim_spans,
    claim_id_by_number,
    claim_rows,
    count_active_claims,
    delete_unkept_claims,
    evidence_rows,
    merged_parts,
    number_claims,
)
from ..storage.codings import matrix_counts
from ..storage.database import now_iso, pk
from ..storage.sources import source_cases
from .base import ProjectCore

EDITABLE = {"activity", "change", "level", "domain", "status", "date", "note"}


def _earlier_number(before: dict[int, set[tuple[int, int, int]]], spans: set[tuple[int, int, int]]) -> int | None:
    """The number of the earlier claim that shared most evidence with this one: a rebuild keeps
    "claim 12" meaning the same change."""
    best, most = None, 0
    for number, old in before.items():
        shared = len(old & spans)
        if shared > most or (shared == most and shared and best is not None and number < best):
            best, most = number, shared
    return best


class FindingsMixin(ProjectCore):
    """Methods of :class:`Project` for influence claims, matrices and reports."""

    # ---- building ------------------------------------------------------------------------------
    def build_claims(self, coder: str | None = None, by: str = "voicetrace",
                     coders: Sequence[str] | None = None) -> int:
        """Propose claims from coded segments, replacing earlier proposals nobody has edited."""
        cods = self.codings_frame(coder)
        segs = self.segments_frame(coded_only=True)
        if coders:
            cods = cods[cods.coder.isin(list(coders))]
        drafts = influence.propose_claims(segs, cods, self.codebook(), coder=None)
        claims = influence.drafts_to_claims(drafts)
        with self.db.begin() as conn:
            kept = conn.execute(select(tables.claims.c.id).where(
                (tables.claims.c.edited_by.is_not(None)) | (tables.claims.c.origin == "manual"))).scalars().all()
            kept_spans = {(r.source_id, r.start, r.end) for r in conn.execute(
                select(tables.claim_evidence).where(tables.claim_evidence.c.claim_id.in_(kept)))} if kept else set()
            before = active_claim_spans(conn)
            delete_unkept_claims(conn)
            idmap: dict[int, int] = {}
            active: list[int] = []
            wanted: dict[int, int] = {}
            for c in claims:
                if kept_spans and any((e.source_id, e.start, e.end) in kept_spans for e in c.evidence):
                    continue
                new_id = self._insert_claim(conn, c, origin="proposed",
                                            merged_into=idmap.get(c.merged_into) if c.merged_into else None)
                idmap[c.id] = new_id
                if c.merged_into is None:
                    active.append(new_id)
                    number = _earlier_number(before, {(e.source_id, e.start, e.end) for e in c.evidence})
                    if number is not None:
                        wanted[new_id] = number
            # An earlier number is kept while it stays within the ledger's size: numbers are stable,
            # and a ledger of 75 claims does not show "claim 240".
            cap = len(active) + count_active_claims(conn, exclude=active)
            number_claims(conn, active, {k: v for k, v in wanted.items() if v <= cap})
            n = len(active)
            self.db.log(conn, by, "build_claims", "claim", None, claims=n, coder=coder, drafts=len(drafts))
        return n

    def _insert_claim(self, conn: Any, c: InfluenceClaim, origin: str, merged_into: int | None) -> int:
        now = now_iso()
        cid = pk(conn.execute(insert(tables.claims).values(
            case_id=c.case_id, activity=c.activity, change=c.change, level=c.level, domain=c.domain,
            status=c.status, date=c.date, merged_into=merged_into, origin=origin, edited_by=c.edited_by,
            note=c.note or "", created_at=now, updated_at=now)))
        for e in c.evidence:
            self._insert_evidence(conn, cid, e.source_id, e.start, e.end, e.stance.value, e.coded_strength)
        return int(cid)

    def _insert_evidence(self, conn: Any, claim_id: int, source_id: int, start: int, end: int,
                         stance: str, coded_strength: str | None) -> int:
        snippet, seg = self._snippet_and_segment(conn, source_id, start, end)
        return int(pk(conn.execute(insert(tables.claim_evidence).values(
            claim_id=claim_id, source_id=source_id, segment_id=seg, start=start, end=end, text=snippet,
            stance=stance, coded_strength=coded_strength))))

    # ---- reading -------------------------------------------------------------------------------
    def claims(self, include_merged: bool = False, ids: Sequence[int] | None = None) -> list[InfluenceClaim]:
        """Claims with their evidence: the active ones (or all), or just the given ids."""
        with self.db.read() as conn:
            rows = claim_rows(conn, ids)
            evs = evidence_rows(conn, ids)
        by_claim: dict[int, list[Evidence]] = {}
        for e in evs:
            by_claim.setdefault(e.claim_id, []).append(Evidence(
                id=e.id, claim_id=e.claim_id, source_id=e.source_id, source_name=e.source_name, start=e.start,
                end=e.end, text=e.text, stance=Stance(e.stance), source_type=e.source_type,
                source_kind=e.source_kind, speaker=e.speaker, speaker_role=e.speaker_role,
                coded_strength=e.coded_strength))
        out = [InfluenceClaim(id=r.id, case_id=r.case_id, case_name=r.case_name, activity=r.activity,
                              change=r.change, level=r.level, domain=r.domain, status=r.status, date=r.date,
                              evidence=by_claim.get(r.id, []), merged_into=r.merged_into, edited_by=r.edited_by,
                              note=r.note, number=getattr(r, "number", None)) for r in rows]
        return out if include_merged or ids is not None else influence.active_claims(out)

    def claim_by_number(self, number: int) -> InfluenceClaim:
        """The claim people call "claim N" (its display number, as the ledger and reports show it)."""
        with self.db.read() as conn:
            cid = claim_id_by_number(conn, int(number))
        if cid is None:
            raise NotFound(f"no claim numbered {number}")
        return self.claim(cid)

    def claim_parts(self, claim_id: int) -> list[InfluenceClaim]:
        """The claims folded into a merged claim (empty for a claim made of one passage)."""
        with self.db.read() as conn:
            ids = merged_parts(conn, claim_id)
        return self.claims(ids=ids) if ids else []

    def claim(self, claim_id: int) -> InfluenceClaim:
        found = self.claims(ids=[claim_id])
        if not found:
            raise NotFound(f"unknown claim {claim_id}")
        return found[0]

    @staticmethod
    def claim_strength(claim: InfluenceClaim) -> tuple[str, str]:
        """Evidence strength by the documented rules, with the reason in words."""
        strength, why = influence.explain_strength(claim.evidence)
        return strength.value, why

    def claims_json(self) -> list[dict[str, Any]]:
        """The CLI contract's `claims --format jsonl` records."""
        out = []
        for c in self.claims():
            out.append({"id": c.id, "number": c.number, "case": c.case_name, "activity": c.activity, "change": c.change,
                        "level": c.level, "domain": c.domain, "status": c.status,
                        "evidence_strength": influence.claim_strength(c).value,
                        "evidence": [{"source": e.source_name, "start": e.start, "end": e.end, "text": e.text,
                                      "stance": e.stance.value, "speaker": e.speaker, "role": e.speaker_role}
                                     for e in c.evidence]})
        return out

    # ---- editing -------------------------------------------------------------------------------
    def _check_claim_fields(self, fields: dict[str, Any]) -> None:
        unknown = set(fields) - EDITABLE
        if unknown:
            raise InputError("claim", f"cannot edit {', '.join(sorted(unknown))}")
        cb = self.codebook()
        for key, dim in (("level", "level"), ("domain", "domain"), ("activity", "activity")):
            if key in fields and fields[key] not in {c.id for c in cb.codes_in(dim)}:
                raise InputError(key, f"{fields[key]!r} is not a {dim} code")
        if "status" in fields:
            try:
                ClaimStatus(fields["status"])
            except ValueError:
                raise InputError("status", f"unknown status {fields['status']!r}") from None
        if "change" in fields and not str(fields["change"]).strip():
            raise InputError("change", "a claim needs a description of the change")

    def add_claim(self, case: str, change: str, level: str, domain: str, activity: str = "unclear_activity",
                  status: str = "implemented", by: str = "user", date: str | None = None) -> InfluenceClaim:
        fields = dict(change=change, level=level, domain=domain, activity=activity, status=status)
        self._check_claim_fields(fields)
        with self.db.begin() as conn:
            case_id = self._case_id(conn, case, create=False)
            now = now_iso()
            cid = pk(conn.execute(insert(tables.claims).values(case_id=case_id, date=date, origin="manual",
                                                             edited_by=by, note="", created_at=now, updated_at=now,
                                                             **fields)))
            self.db.log(conn, by, "add_claim", "claim", cid, **fields)
        return self.claim(int(cid))

    def update_claim(self, claim_id: int, by: str, **fields: Any) -> InfluenceClaim:
        self.claim(claim_id)
        self._check_claim_fields(fields)
        with self.db.begin() as conn:
            conn.execute(update(tables.claims).where(tables.claims.c.id == claim_id).values(
                edited_by=by, updated_at=now_iso(), **fields))
            self.db.log(conn, by, "edit_claim", "claim", claim_id, **fields)
        return self.claim(claim_id)

    def link_evidence(self, claim_id: int, source: str, start: int, end: int,
                      stance: str = "supports", by: str = "user") -> InfluenceClaim:
        self.claim(claim_id)
        try:
            st = Stance(stance)
        except ValueError:
            raise InputError("stance", "supports or contradicts") from None
        info = self.source(source)
        check_span(info.chars, start, end, f"{info.name} [{start}, {end})")
        with self.db.begin() as conn:
            eid = self._insert_evidence(conn, claim_id, info.id, start, end, st.value, None)
            conn.execute(update(tables.claims).where(tables.claims.c.id == claim_id).values(
                edited_by=by, updated_at=now_iso()))
            self.db.log(conn, by, "link_evidence", "claim", claim_id, evidence_id=eid, source=info.name,
                        start=start, end=end, stance=st.value)
        return self.claim(claim_id)

    def unlink_evidence(self, evidence_id: int, by: str = "user") -> None:
        with self.db.begin() as conn:
            row = conn.execute(select(tables.claim_evidence).where(tables.claim_evidence.c.id == evidence_id)).first()
            if row is None:
                raise NotFound(f"unknown evidence item {evidence_id}")
            conn.execute(delete(tables.claim_evidence).where(tables.claim_evidence.c.id == evidence_id))
            conn.execute(update(tables.claims).where(tables.claims.c.id == row.claim_id).values(
                edited_by=by, updated_at=now_iso()))
            self.db.log(conn, by, "unlink_evidence", "claim", row.claim_id, evidence_id=evidence_id)

    def set_stance(self, evidence_id: int, stance: str, by: str = "user") -> None:
        try:
            st = Stance(stance)
        except ValueError:
            raise InputError("stance", "supports or contradicts") from None
        with self.db.begin() as conn:
            row = conn.execute(select(tables.claim_evidence).where(tables.claim_evidence.c.id == evidence_id)).first()
            if row is None:
                raise NotFound(f"unknown evidence item {evidence_id}")
            conn.execute(update(tables.claim_evidence).where(tables.claim_evidence.c.id == evidence_id).values(
                stance=st.value))
            conn.execute(update(tables.claims).where(tables.claims.c.id == row.claim_id).values(
                edited_by=by, updated_at=now_iso()))
            self.db.log(conn, by, "set_stance", "claim", row.claim_id, evidence_id=evidence_id, stance=st.value)

    def merge_claims(self, claim_ids: Sequence[int], by: str = "user") -> InfluenceClaim:
        parts = [self.claim(i) for i in claim_ids]
        if any(p.merged_into is not None for p in parts):
            raise InputError("merge", "a claim that is already merged cannot be merged again; unmerge first")
        try:
            merged = influence.merge_claims(parts, new_id=0, by=by)[0]
        except ValueError as e:
            raise InputError("merge", str(e)) from None
        with self.db.begin() as conn:
            new_id = self._insert_claim(conn, merged, origin="manual", merged_into=None)
            conn.execute(update(tables.claims).where(tables.claims.c.id.in_(list(claim_ids))).values(
                merged_into=new_id, updated_at=now_iso()))
            numbers = [p.number for p in parts if p.number is not None]
            if numbers:  # the merge is called by the lowest number of its parts; the parts keep theirs
                conn.execute(update(tables.claims).where(tables.claims.c.id == new_id).values(number=min(numbers)))
            else:
                number_claims(conn, [new_id])
            self.db.log(conn, by, "merge_claims", "claim", new_id, parts=list(claim_ids))
        return self.claim(new_id)

    def unmerge_claim(self, claim_id: int, by: str = "user") -> list[InfluenceClaim]:
        merged = self.claim(claim_id)
        with self.db.read() as conn:
            parts = self.claims(ids=merged_parts(conn, claim_id))
        if not parts:
            raise InputError(f"claim {claim_id}", "is not a merge of other claims")
        with self.db.begin() as conn:
            # A split is a person's decision: the parts count as edited, so a rebuild keeps them apart.
            conn.execute(update(tables.claims).where(tables.claims.c.merged_into == claim_id).values(
                merged_into=None, edited_by=by, updated_at=now_iso()))
            conn.execute(delete(tables.claim_evidence).where(tables.claim_evidence.c.claim_id == merged.id))
            conn.execute(delete(tables.claims).where(tables.claims.c.id == merged.id))
            # Parts with no number of their own (proposed together) are numbered now: the first takes
            # the merged claim's number, so "claim 12" still names part of the same change.
            unnumbered = [p.id for p in sorted(parts, key=lambda p: p.id) if p.number is None]
            number_claims(conn, unnumbered, {unnumbered[0]: merged.number} if unnumbered and merged.number else {})
            self.db.log(conn, by, "unmerge_claim", "claim", claim_id, parts=[p.id for p in parts])
        return [self.claim(p.id) for p in parts]

    # ---- matrices and analyses -----------------------------------------------------------------
    def set_cell_summary(self, case: str, code: str, summary: str, by: str = "user") -> None:
        if code not in self.codebook():
            raise InputError(code, "unknown code id")
        with self.db.begin() as conn:
            case_id = self._case_id(conn, case, create=False)
            if summary.strip():
                conn.execute(text(
                    "INSERT INTO cell_summaries(case_id, code_id, summary, updated_by, updated_at) "
                    "VALUES (:c, :k, :s, :b, :t) ON CONFLICT(case_id, code_id) DO UPDATE SET "
                    "summary=excluded.summary, updated_by=excluded.updated_by, updated_at=excluded.updated_at"),
                    {"c": case_id, "k": code, "s": summary, "b": by, "t": now_iso()})
            else:
                conn.execute(delete(tables.cell_summaries).where(
                    (tables.cell_summaries.c.case_id == case_id) & (tables.cell_summaries.c.code_id == code)))
            self.db.log(conn, by, "set_cell_summary", "matrix", f"{case}/{code}")

    def cell_summaries(self) -> dict[tuple[str, str], str]:
        with self.db.read() as conn:
            rows = conn.execute(select(tables.cases.c.name, tables.cell_summaries.c.code_id,
                                       tables.cell_summaries.c.summary).select_from(tables.cell_summaries.join(
                                           tables.cases, tables.cases.c.id == tables.cell_summaries.c.case_id))).all()
        return {(r[0], r[1]): r[2] for r in rows}

    def framework_matrix(self, coder: str | None = None, codes: Iterable[str] | None = None) -> pd.DataFrame:
        return matrices.framework_matrix(self.codings_frame(coder), self.segments_frame(first_per_source=True),
                                         codes=list(codes) if codes else None, summaries=self.cell_summaries())

    def matrix_counts(self, codes: Sequence[str]) -> list[dict[str, Any]]:
        """The framework matrix without quotes, every cell (empty ones too) counted by SQLite: what the
        matrix page shows, at a cost that does not grow with the segments. Quotes and coding ids of a
        cell come from :meth:`matrix_cell`."""
        with self.db.read() as conn:
            counted = {(r.case_id, r.code): r for r in matrix_counts(conn, codes)}
            cases = {(r.case_id, r.case) for r in source_cases(conn)}
        cases |= {(key[0], r.case) for key, r in counted.items()}
        summaries = self.cell_summaries()
        out = []
        for case_id, case in sorted(cases, key=lambda k: ((k[1] or "\uffff"), k[0] or 0)):
            for code in codes:
                r = counted.get((case_id, code))
                out.append({"case_id": case_id, "case": case, "code": code, "count": int(r.n) if r else 0,
                            "n_sources": int(r.n_sources) if r else 0,
                            "n_participants": int(r.n_participants) if r else 0,
                            "roles": sorted(set(r.roles.split(","))) if r and r.roles else [],
                            "summary": summaries.get((case or "", code), "")})
        return out

    def matrix_cell(self, case: str | None, code: str, coder: str | None = None) -> dict[str, Any] | None:
        """One framework-matrix cell in full (quotes, coding ids), from that code's codings only."""
        frame = self.codings_frame(coder, code=code)
        frame = frame[frame["case"].isna()] if case is None else frame[frame["case"] == case]
        if frame.empty:
            return None
        cell = matrices.framework_matrix(frame, None, codes=[code], summaries=self.cell_summaries())
        return dict(cell.to_dict("records")[0])

    def co_occurrence(self, coder: str | None = None, unit: str = "segment") -> pd.DataFrame:
        return matrices.co_occurrence(self.codings_frame(coder), unit=unit)

    def enablers_barriers(self, coder: str | None = None) -> pd.DataFrame:
        return matrices.enablers_barriers(self.codings_frame(coder), self.segments_frame(first_per_source=True))

    def influence_profile(self) -> pd.DataFrame:
        return influence.influence_profile(self.claims())

    def grassroots_strategic_balance(self) -> pd.DataFrame:
        return influence.grassroots_strategic_balance(self.claims())

    def claims_frame(self) -> pd.DataFrame:
        return influence.claims_frame(self.claims())

    def connections_analysis(self) -> pd.DataFrame:
        return crosscase.connections_analysis(self.connections_frame(), self.claims())

    def cross_case_comparison(self, coder: str | None = None) -> pd.DataFrame:
        return crosscase.cross_case_comparison(self.cases_frame(), self.claims(), self.codings_frame(coder))

    # ---- reports -------------------------------------------------------------------------------
    def report_data(self, coder: str | None = None, agreement: dict[str, Any] | None = None,
                    evaluation: dict[str, Any] | None = None) -> Any:
        from ..reports import ReportData
        return ReportData(
            project_name=self.title, project_description=self.description, codebook=self.codebook(),
            segments=self.segments_frame(first_per_source=True),
            codings=self.codings_frame(coder), cases=self.cases_frame(), claims=self.claims(include_merged=True),
            participants=self.participants_frame(), connections=self.connections_frame(), agreement=agreement,
            audit_counts=self.audit_counts(), coders=self.coders() if coder is None else [coder],
            generated_at=datetime.now(UTC).strftime("%d %B %Y, %H:%M UTC"),
            summaries=self.cell_summaries(), evaluation=evaluation, memos=self.memos())

    def write_report(self, html_path: str | Path, xlsx_path: str | Path | None = None,
                     coder: str | None = None, agreement: dict[str, Any] | None = None,
                     evaluation: dict[str, Any] | None = None, by: str = "user", audit: bool = True,
                     board_path: str | Path | None = None) -> Any:
        """Write the self-contained HTML report (the full evidence appendix), optionally the two-page board
        summary beside it and the XLSX workbook; returns the ReportData used.

        Both documents come from one computation of the content, so the board's figures are the report's
        and link into it (relative to the board's folder). ``audit=False`` for a web download: reading the
        project is not a change, so no event.
        """
        import os

        from ..reports import build_content, write_board, write_html, write_xlsx
        for path, flag in ((html_path, "--out"), (xlsx_path, "--xlsx"), (board_path, "--board")):
            if path is not None:  # checked (and folders made) before any work, so a bad path is one line
                if Path(path).is_dir():
                    raise InputError(flag, f"{path} is a folder; give a file name such as report.html")
                try:
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                except OSError as e:
                    raise InputError(flag, f"cannot create the folder {Path(path).parent} ({e.strerror})") from None
        data = self.report_data(coder, agreement, evaluation)
        content = build_content(data)
        write_html(data, Path(html_path), content)
        if board_path is not None:
            href = os.path.relpath(Path(html_path).resolve(), Path(board_path).resolve().parent)
            write_board(data, Path(board_path), href.replace(os.sep, "/"), content)
        if xlsx_path is not None:
            write_xlsx(data, Path(xlsx_path))
        if not audit:
            return data
        with self.db.begin() as conn:
            self.db.log(conn, by, "write_report", "report", None, html=str(html_path), xlsx=str(xlsx_path or ""),
                        board=str(board_path or ""))
        return data


