"""Spreadsheet-safe cells: a quotation beginning with ``=`` must not run as a formula when a CSV opens.

Excel, LibreOffice and Google Sheets evaluate a cell that starts with ``= + - @`` (and a leading
tab or carriage return hides one), so a participant's words like ``=HYPERLINK(...)`` would become a
live link. The OWASP remedy: prefix such text with an apostrophe. Plain numbers ("-3", "+4.5") stay
numbers, and non-text values are left alone.
"""
from __future__ import annotations

import re

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def formula_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_LEADS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: dict[str, object]) -> dict[str, object]:
    return {k: formula_safe(v) for k, v in row.items()}


def formula_unescaped(value: str) -> str:
    """Undo :func:`formula_safe` when reading our own CSV back (a codebook round trip stays exact)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_LEADS) and not _NUMBER.fullmatch(value[1:]):
        return value[1:]
    return value
