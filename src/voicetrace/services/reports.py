"""Matrices, analyses and the report: from codings and claims to findings, read-only.

The claims themselves (building, editing, merging, cell summaries) are :mod:`voicetrace.services.claims`;
what a report says is computed once by :func:`voicetrace.reports.content.build_content` and laid out by
each writer, so the report, the board summary and the workbook never disagree.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis import crosscase, matrices
from ..analysis.claims import profiles
from ..core.errors import InputError
from ..core.pages import Page
from ..storage.codings import matrix_counts, matrix_top
from ..storage.sources import count_matrix_cases, matrix_cases
from .audit import Audit
from .cases import Cases
from .claims import Claims
from .coding import Coding
from .context import Context
from .memos import Memos
from .projects import ProjectDetails
from .sources import Sources


class Reports:
    """The framework matrix, the analyses over claims and codings, and the written report."""

    def __init__(self, ctx: Context, details: ProjectDetails, sources: Sources, cases: Cases, coding: Coding,
                 memos: Memos, audit: Audit, claims: Claims) -> None:
        self.ctx = ctx
        self._details = details
        self._sources = sources
        self._cases = cases
        self._coding = coding
        self._memos = memos
        self._audit = audit
        self._claims = claims

    def framework_matrix(self, coder: str | None = None, codes: Iterable[str] | None = None) -> pd.DataFrame:
        return matrices.framework_matrix(self._coding.codings_frame(coder), self._sources.segments_frame(first_per_source=True),
                                         codes=list(codes) if codes else None, summaries=self._claims.cell_summaries())

    def matrix_counts(self, codes: Sequence[str]) -> list[dict[str, Any]]:
        """Every cell of the framework matrix without quotes (:meth:`matrix_page` without a page), row by row."""
        return [cell for row in self.matrix_page(codes).items for cell in row["cells"]]

    def matrix_page(self, codes: Sequence[str], *, offset: int = 0, limit: int | None = None) -> Page[dict[str, Any]]:
        """The framework matrix without quotes for ``limit`` cases (rows) from ``offset``: each row is
        ``{"case_id", "case", "cells"}`` with every cell of the row (empty ones too), counted by SQLite
        for those cases only; ``total`` counts the cases.
        Quotes and coding ids of a cell come from :meth:`matrix_cell`."""
        offset = max(0, offset)
        with self.ctx.db.read() as conn:
            total = count_matrix_cases(conn)
            cases = [(r.case_id, r.case) for r in matrix_cases(conn, offset=offset, limit=limit)]
            counted = {(r.case_id, r.code): r for r in matrix_counts(conn, codes, [c[0] for c in cases])} \
                if cases else {}
        summaries = self._claims.cell_summaries()
        out = []
        for case_id, case in cases:
            row: list[dict[str, Any]] = []
            out.append({"case_id": case_id, "case": case, "cells": row})
            for code in codes:
                r = counted.get((case_id, code))
                row.append({"case_id": case_id, "case": case, "code": code, "count": int(r.n) if r else 0,
                            "n_sources": int(r.n_sources) if r else 0,
                            "n_participants": int(r.n_participants) if r else 0,
                            "roles": sorted(set(r.roles.split(","))) if r and r.roles else [],
                            "summary": summaries.get((case or "", code), "")})
        return Page(out, total, offset, total if limit is None else limit)

    def matrix_top(self, codes: Sequence[str]) -> int:
        """The most codings in one cell of the whole matrix (every case), for a heat scale shared by all
        pages: read from the count of each cell the project keeps (migration 12), a row per case and code."""
        with self.ctx.db.read() as conn:
            return matrix_top(conn, codes)

    def matrix_cell(self, case: str | None, code: str, coder: str | None = None) -> dict[str, Any] | None:
        """One framework-matrix cell in full (quotes, coding ids), from that code's codings only."""
        frame = self._coding.codings_frame(coder, code=code)
        frame = frame[frame["case"].isna()] if case is None else frame[frame["case"] == case]
        if frame.empty:
            return None
        cell = matrices.framework_matrix(frame, None, codes=[code], summaries=self._claims.cell_summaries())
        return dict(cell.to_dict("records")[0])

    def co_occurrence(self, coder: str | None = None, unit: str = "segment") -> pd.DataFrame:
        return matrices.co_occurrence(self._coding.codings_frame(coder), unit=unit)

    def enablers_barriers(self, coder: str | None = None) -> pd.DataFrame:
        return matrices.enablers_barriers(self._coding.codings_frame(coder), self._sources.segments_frame(first_per_source=True))

    def influence_profile(self) -> pd.DataFrame:
        return profiles.influence_profile(self._claims.claims())

    def grassroots_strategic_balance(self) -> pd.DataFrame:
        return profiles.grassroots_strategic_balance(self._claims.claims())

    def claims_frame(self) -> pd.DataFrame:
        return profiles.claims_frame(self._claims.claims())

    def connections_analysis(self) -> pd.DataFrame:
        return crosscase.connections_analysis(self._cases.connections_frame(), self._claims.claims())

    def cross_case_comparison(self, coder: str | None = None) -> pd.DataFrame:
        return crosscase.cross_case_comparison(self._cases.cases_frame(), self._claims.claims(), self._coding.codings_frame(coder))

    # ---- reports -------------------------------------------------------------------------------
    def report_data(self, coder: str | None = None, agreement: dict[str, Any] | None = None,
                    evaluation: dict[str, Any] | None = None) -> Any:
        from ..reports import ReportData
        return ReportData(
            project_name=self._details.title, project_description=self._details.description, codebook=self.ctx.codebook(),
            segments=self._sources.segments_frame(first_per_source=True),
            codings=self._coding.codings_frame(coder), cases=self._cases.cases_frame(), claims=self._claims.claims(),
            participants=self._cases.participants_frame(), connections=self._cases.connections_frame(), agreement=agreement,
            audit_counts=self._audit.audit_counts(), coders=self._coding.coders() if coder is None else [coder],
            generated_at=datetime.now(UTC).strftime("%d %B %Y, %H:%M UTC"),
            summaries=self._claims.cell_summaries(), evaluation=evaluation, memos=self._memos.memos())

    def write_report(self, html_path: str | Path, xlsx_path: str | Path | None = None,
                     coder: str | None = None, agreement: dict[str, Any] | None = None,
                     evaluation: dict[str, Any] | None = None, by: str = "user", audit: bool = True,
                     board_path: str | Path | None = None) -> Any:
        """Write the self-contained HTML report (the full evidence appendix), optionally the two-page board
        summary beside it and the XLSX workbook; returns the ReportData used.

        Both documents come from one computation of the content, so the board's figures are the report's
        and link into it (relative to the board's folder). ``audit=False`` for a web download: reading the
        project is not a change, so no event; nor for a read-only project (the report went elsewhere).
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
            write_xlsx(data, Path(xlsx_path), content)
        if not audit or self.ctx.db.read_only:
            return data
        with self.ctx.db.begin() as conn:
            self.ctx.db.log(conn, by, "write_report", "report", None, html=str(html_path), xlsx=str(xlsx_path or ""),
                        board=str(board_path or ""))
        return data


