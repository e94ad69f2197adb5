"""The workbook: framework matrix, claims with their evidence, codings and cases, for analysts.

Cells are always written as text or numbers, never formulas: a quote starting with "=" must not run
in a spreadsheet. People appear by pseudonym and role only (the raw speaker column is left out).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from copy import copy
from pathlib import Path
from typing import Any

import pandas as pd
from lxml import etree
from openpyxl import LXML, Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter

from ..analysis.frames import plain_values
from .content import ReportData, build_content
from .files import replacing
from .labels import code_label, who
from .sections import ReportContent

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def _value(v: Any) -> Any:
    if type(v) is str:  # most cells: text, then plain numbers (the order of the tests is the speed)
        return ILLEGAL_CHARACTERS_RE.sub("", v)
    if v is None or type(v) is int:
        return v
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
        fmt = cell.number_format  # a date's format, set with its value, outlives the sheet's style
        cell._style = copy(style._style)
        if fmt != "General":
            cell.number_format = fmt
    return cell


PLAIN = (str, int, float, bool, type(None))
MAX_TEXT = 32767
"""Excel's longest cell text; openpyxl cuts longer text to this, and so does the row writer."""


class _Plain(list[Any]):
    """A body row of plain values (text, numbers, booleans, blanks) for :class:`_RowWriter`."""


class _RowWriter(WorksheetWriter):
    """openpyxl's streaming sheet writer, serialising a body row of plain values in one go.

    openpyxl binds each value to a cell object and writes it through one nested XML context per cell
    (70,000-150,000 cells a second, 75 s for a workbook of 10^5 codings); a row of plain values needs
    none of that: its XML is written as text and parsed once into the element lxml streams out. Each
    cell is written as openpyxl writes it (the same ``r``, ``s`` and ``t`` attributes, text inline and
    never a formula, ``xml:space`` kept, text cut at 32,767 characters), so a reader sees the same
    values, types and styles; the header row, any other value, and openpyxl without lxml still take
    openpyxl's own path. Relies on openpyxl 3.1's writer (pinned in pyproject;
    tests/reports/test_xlsx.py reads the workbook back cell by cell against openpyxl's own)."""

    def __init__(self, ws: Any, style_id: int | None) -> None:
        super().__init__(ws)
        self._letters: list[str] = []
        self._style = None if style_id is None else str(style_id)
        self._parser = etree.XMLParser(resolve_entities=False, no_network=True)

    def write_row(self, xf: Any, row: Any, row_idx: int) -> None:
        if not isinstance(row, _Plain) or not LXML:
            super().write_row(xf, row, row_idx)
            return
        if len(row) > len(self._letters):
            self._letters = [get_column_letter(j) for j in range(1, len(row) + 1)]
        r = str(row_idx)
        s = "" if self._style is None else f' s="{self._style}"'
        parts = [f'<row r="{r}">']
        for letter, v in zip(self._letters, row, strict=False):
            if v is None:
                if s:  # a blank cell still carries the sheet's style, as openpyxl writes it
                    parts.append(f'<c r="{letter}{r}"{s} t="n"/>')
            elif type(v) is str:
                if not v:
                    parts.append(f'<c r="{letter}{r}"{s} t="inlineStr"/>')
                    continue
                v = v[:MAX_TEXT]
                space = ' xml:space="preserve"' if v != v.strip() else ""
                parts.append(f'<c r="{letter}{r}"{s} t="inlineStr"><is><t{space}>{_escape(v)}</t></is></c>')
            else:
                parts.append(f'<c r="{letter}{r}"{s} t="{"b" if type(v) is bool else "n"}"><v>{safe_string(v)}</v></c>')
        parts.append("</row>")
        # One parse of the row's text is C work; building it element by element cost 5 µs a cell.
        xf.write(etree.fromstring("".join(parts), self._parser))


def _escape(text: str) -> str:
    """Text as XML character data that parses back to itself (a carriage return would read as a newline)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


class _Sheet(WriteOnlyWorksheet):
    """A write-only sheet whose plain body rows go to :class:`_RowWriter` as they are."""

    def __init__(self, parent: Workbook, title: str) -> None:
        super().__init__(parent, title)
        self._body_style: WriteOnlyCell | None = None

    def _get_writer(self) -> None:
        if self._writer is None:
            self._writer = _RowWriter(self, None if self._body_style is None else self._body_style.style_id)
            self._writer.write_top()

    def _values_to_row(self, values: Any, row_idx: int) -> Any:
        return values if isinstance(values, _Plain) else super()._values_to_row(values, row_idx)


def _body(row: Sequence[Any], ws: Any, style: WriteOnlyCell | None) -> Any:
    """A row as the row writer takes it, or (for a value of another kind, e.g. a date) as openpyxl does."""
    values = _Plain(_value(v) for v in row)
    if all(type(v) in PLAIN for v in values):
        return values
    return [_cell(ws, v, style) for v in row]


def _sheet(wb: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]],
           widths: dict[int, int] | None = None, wrap: bool = False) -> None:
    """One sheet, streamed: openpyxl's write-only mode writes each row as it comes, so memory and time
    stay linear in the rows (a workbook of 10^5 codings no longer waits on per-row sheet lookups)."""
    ws = _Sheet(wb, title)
    wb._add_sheet(ws)  # what Workbook.create_sheet does in write-only mode, with the sheet class above
    body = ws._body_style = _styled(ws, {"alignment": Alignment(wrap_text=True, vertical="top")} if wrap else {})
    for j in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(j)].width = (widths or {}).get(j, 18)
    ws.freeze_panes = "B2"
    head = _styled(ws, {"font": Font(bold=True), "fill": HEADER_FILL})
    ws.append([_cell(ws, h, head) for h in header])
    for row in rows:
        ws.append(_body(row, ws, body))


CHUNK = 20_000
"""Frame rows are read a column at a time, this many rows at once: a list per column of the whole
codings table would be another copy of it in memory."""


def _frame_rows(frame: pd.DataFrame, columns: Sequence[str]) -> Iterator[list[Any]]:
    """The frame's values in ``columns`` (a column it lacks is blank), row by row, as plain values."""
    for start in range(0, len(frame), CHUNK):
        part = frame.iloc[start:start + CHUNK]
        blank = [None] * len(part)
        values = [plain_values(part[c]) if c in part.columns else blank for c in columns]
        yield from (list(row) for row in zip(*values, strict=True))


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

    ledger = content.claims.ledger
    _sheet(wb, "Claims", ["Claim", "Case", "Activity", "Change", "Level", "Domain", "Status", "Date",
                          "Evidence strength", "Why", "Evidence items", "Contradicting", "Note", "Edited by"],
           ([card.claim.id, card.claim.case_name, card.claim.activity, card.claim.change, card.claim.level,
             card.claim.domain, card.claim.status, card.claim.date, card.strength, card.why, len(card.claim.evidence),
             len(card.against), card.claim.note, card.claim.edited_by] for card in ledger),
           widths={4: 60, 10: 40}, wrap=True)
    _sheet(wb, "Evidence", ["Claim", "Stance", "Source", "Kind", "Start", "End", "Who", "Coded strength", "Text"],
           ([card.claim.id, e.stance.value, e.source_name, e.source_kind, e.start, e.end,
             who(e.speaker, e.speaker_role, e.source_name), e.coded_strength, e.text]
            for card in ledger for e in card.claim.evidence),
           widths={3: 30, 7: 24, 9: 80}, wrap=True)

    cols = ["coding_id", "source", "case", "source_kind", "start", "end", "code", "code_path", "dimension", "coder",
            "origin", "created_at", "pseudonym", "role", "text"]
    _sheet(wb, "Codings", cols, _frame_rows(data.codings, cols), widths={2: 30, 8: 40, 15: 80})

    case_cols = list(data.cases.columns)
    _sheet(wb, "Cases", case_cols, _frame_rows(data.cases, case_cols))

    with replacing(Path(path)) as tmp:
        wb.save(tmp)


__all__ = ["write_xlsx"]
