"""JSON Lines records from text lines: one object a line, blank lines skipped.

Gold sets, training statements and `classify` input all arrive this way; a bad line is reported
once, the same way, naming the file and the line.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from .errors import InputError


def jsonl_records(lines: Iterable[str], subject: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line; InputError("SUBJECT line N", reason) otherwise."""
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"{subject} line {n}", f"not JSON ({e.msg})") from None
        if not isinstance(rec, dict):
            raise InputError(f"{subject} line {n}", "expected a JSON object")
        yield n, rec
