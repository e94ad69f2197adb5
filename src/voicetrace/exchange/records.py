"""Flat records out as CSV, XLSX or JSON Lines, chosen by the file's extension (or a format name)."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.cells import formula_safe

FORMATS = ("csv", "xlsx", "jsonl")


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(_flat(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def records_csv(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in records:
        w.writerow(["" if r.get(c) is None else formula_safe(_flat(r.get(c))) for c in columns])
    return buf.getvalue()


def records_jsonl(records: Sequence[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def write_records(path: Path, records: Sequence[dict[str, Any]], columns: Sequence[str],
                  sheet: str = "records", fmt: str | None = None) -> Path:
    """Write records; lists become "a; b" in CSV and XLSX cells and stay lists in JSON Lines."""
    kind = (fmt or path.suffix.lstrip(".")).lower()
    if kind not in FORMATS:
        raise ValueError(f"{path}: cannot write .{kind} (use .csv, .xlsx or .jsonl)")
    if kind == "csv":
        path.write_text(records_csv(records, columns), encoding="utf-8")
    elif kind == "jsonl":
        path.write_text(records_jsonl(records), encoding="utf-8")
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Font
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = sheet[:31]
        ws.append(list(columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in records:
            ws.append(["" if r.get(c) is None else _flat(r.get(c)) for c in columns])
        ws.freeze_panes = "A2"
        wb.save(path)
    return path
