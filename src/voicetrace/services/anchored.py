"""Codings anchored by quotation rather than offsets (gold sets, hand-made coding sheets).

A line ``{"file": SOURCE, "quote": TEXT, "codes": [...]}`` codes the whole segment (paragraph or
turn) that contains ``quote``. Quotes survive re-rendering a document into another format, where
offsets would not, which is why the bundled gold set is kept this way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InputError
from ..core.jsonlines import jsonl_records


@dataclass(frozen=True)
class AnchoredCoding:
    file: str
    quote: str
    codes: tuple[str, ...]
    line: int


_SPACE = re.compile(r"\s+")


def quote_in(quote: str, text: str) -> bool:
    """Containment that forgives how a format wraps lines: PDFs and DOCX re-flow whitespace."""
    if not quote.strip():
        return False
    if quote in text:
        return True
    if _SPACE.sub(" ", quote).strip() in _SPACE.sub(" ", text):
        return True
    squash = _SPACE.sub("", quote).replace("\u00ad", "")
    return squash in _SPACE.sub("", text).replace("\u00ad", "").replace("-", "") or squash in _SPACE.sub("", text)


def read_anchored(path: Path) -> list[AnchoredCoding]:
    out: list[AnchoredCoding] = []
    try:
        lines = path.read_text("utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(path.name, f"cannot read ({e.__class__.__name__})") from None
    for i, rec in jsonl_records(lines, path.name):
        if not isinstance(rec.get("quote"), str) or not rec.get("file"):
            raise InputError(path.name, f"line {i}: needs 'file' and 'quote'")
        codes = rec.get("codes") or []
        if not isinstance(codes, list):
            raise InputError(path.name, f"line {i}: 'codes' must be a list")
        out.append(AnchoredCoding(str(rec["file"]), rec["quote"], tuple(str(c) for c in codes), i))
    return out
