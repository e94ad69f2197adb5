"""The workbook: framework matrix, claims with their evidence, codings and cases, for analysts.

Cells are always written as text or numbers, never formulas: a quote starting with "=" must not run
in a spreadsheet. People appear by pseudonym and role only (the raw speaker column is left out).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import copy
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .content import ReportData, build_content
from .labels import code_label, who
from .sections import ReportContent

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def _value(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and pd.isna(v):
        return None
    if isinstance(v, (list, tuple, set)):
        v = ", ".join(str(x) for x in v)
    if isinstance(v, (bool, int, float)):
        return v
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return ILLEGAL_CHARACTERS_RE.sub("", str(v))


def _styled(ws: Any, style: dict[str, Any]) -> WriteOnlyCell | None:
    """A cell holding ``style`` once, whose style every cell of a row kind copies (registering a font or
    an alignment with the workbook per cell was most of the workbook's time)."""
    if not style:
        return None
    proto = WriteOnlyCell(ws)
    for k, v in style.items():
        setattr(proto, k, v)
    return proto


def _cell(ws: Any, value: Any, style: WriteOnlyCell | None) -> Any:
    """A value as openpyxl should write it: a plain value where openpyxl already keeps it as is (it then
    fills one reused cell per row), else a cell of its own, forced to text or carrying the style."""
    v = _value(value)
    needs_text = isinstance(v, str) and ((len(v) > 1 and v.startswith("=")) or v in ERROR_CODES)
    if style is None and not needs_text:
        return v
    cell = WriteOnlyCell(ws, value=v)
    if isinstance(v, str):
        cell.data_type = "s"  # text stays text, even "=cmd()" or "#N/A"
    if style is not None:
        cell._style = copy(style._style)
    return cell


def _sheet(wb: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]],
           widths: dict[int, int] | None = None, wrap: bool = False) -> None:
    """One sheet, streamed: openpyxl's write-only mode writes each row as it comes, so memory and time
    stay linear in the rows (a workbook of 10^5 codings no longer waits on per-row sheet lookups)."""
    ws = wb.create_sheet(title)
    for j in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(j)].width = (widths or {}).get(j, 18)
    ws.freeze_panes = "B2"
    head = _styled(ws, {"font": Font(bold=True), "fill": HEADER_FILL})
    ws.append([_cell(ws, h, head) for h in header])
    body = _styled(ws, {"alignment": Alignment(wrap_text=True, vertical="top")} if wrap else {})
    for row in rows:
        ws.append([_cell(ws, v, body) for v in row])


def write_xlsx(data: ReportData, path: str | Path, content: ReportContent | None = None) -> None:
    """Sheets Matrix, Matrix detail, Claims, Evidence, Codings, Cases; written atomically.

    The matrix and the claims' strengths are the report's own (``content``), never computed again here."""
    cb = data.codebook
    wb = Workbook(write_only=True)
    content = content if content is not None else build_content(data)
    codes, rows = content.matrix.codes, content.matrix.rows
    cases = content.matrix.cases()

    def charted(cell: dict[str, Any]) -> str:
        if not cell["count"]:
            return ""
        lines = [f"{cell['count']} codings · {cell['n_sources']} sources · {cell['n_participants']} participants"]
        if cell["summary"]:
            lines.append(cell["summary"])
        for q in cell["exemplars"]:
            lines.append(f"“{q['text']}” — {who(q['pseudonym'], q['role'], q['source'])}")
        return "\n".join(lines)

    cells = {(r["case"], r["code"]): r for r in rows}
    _sheet(wb, "Matrix", ["Case"] + [f"{code_label(cb, c)} [{c}]" for c in codes],
           ([case] + [charted(cells[(case, c)]) for c in codes] for case in cases),
           widths={1: 18, **{j: 40 for j in range(2, len(codes) + 2)}}, wrap=True)
    _sheet(wb, "Matrix detail", ["Case", "Code", "Codings", "Sources", "Participants", "Roles", "Summary",
                                 "Exemplar quotes", "Coding ids"],
           ([r["case"], r["code"], r["count"], r["n_sources"], r["n_participants"], r["roles"], r["summary"],
             "\n".join(f"“{q['text']}” — {who(q['pseudonym'], q['role'], q['source'])}" for q in r["exemplars"]),
             r["coding_ids"]] for r in rows),
           widths={7: 40, 8: 60}, wrap=True)

    claim_rows, ev_rows = [], []
    for card in content.claims.ledger:
        claim = card.claim
        claim_rows.append([claim.id, claim.case_name, claim.activity, claim.change, claim.level, claim.domain,
                           claim.status, claim.date, card.strength, card.why, len(claim.evidence), len(card.against),
                           claim.note, claim.edited_by])
        for e in claim.evidence:
            ev_rows.append([claim.id, e.stance.value, e.source_name, e.source_kind, e.start, e.end,
                            who(e.speaker, e.speaker_role, e.source_name), e.coded_strength, e.text])
    _sheet(wb, "Claims", ["Claim", "Case", "Activity", "Change", "Level", "Domain", "Status", "Date",
                          "Evidence strength", "Why", "Evidence items", "Contradicting", "Note", "Edited by"],
           claim_rows, widths={4: 60, 10: 40}, wrap=True)
    _sheet(wb, "Evidence", ["Claim", "Stance", "Source", "Kind", "Start", "End", "Who", "Coded strength", "Text"],
           ev_rows, widths={3: 30, 7: 24, 9: 80}, wrap=True)

    cols = ["coding_id", "source", "case", "source_kind", "start", "end", "code", "code_path", "dimension", "coder",
            "origin", "created_at", "pseudonym", "role", "text"]
    cod = data.codings
    _sheet(wb, "Codings", cols,
           ([r.get(k) if k in cod.columns else None for k in cols] for r in cod.to_dict("records")),
           widths={2: 30, 8: 40, 15: 80})

    case_cols = list(data.cases.columns)
    _sheet(wb, "Cases", case_cols, ([r.get(k) for k in case_cols] for r in data.cases.to_dict("records")))

    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    wb.save(tmp)
    tmp.replace(target)


__all__ = ["write_xlsx"]
