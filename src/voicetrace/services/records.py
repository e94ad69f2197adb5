"""Plain records the service layer returns to every interface (CLI, web, Python API)."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from ..core.cells import safe_row


@dataclass(frozen=True)
class SourceInfo:
    id: int
    name: str
    case: str | None
    kind: str
    type: str
    date: str | None
    sha256: str
    segments: int
    chars: int
    title: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The CLI contract's `sources --format jsonl` record."""
        return {"name": self.name, "case": self.case, "kind": self.kind, "date": self.date,
                "sha256": self.sha256, "segments": self.segments, "chars": self.chars}


@dataclass(frozen=True)
class PassageRecord:
    """A segment as a reader shows it: with its source's name and the speaker's role."""
    id: int
    source: str
    index: int
    start: int
    end: int
    text: str
    speaker: str | None
    role: str | None


@dataclass(frozen=True)
class SearchHit:
    source: str
    case: str | None
    start: int
    end: int
    snippet: str
    segment_id: int
    kind: str
    speaker: str | None = None
    role: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"source": self.source, "case": self.case, "start": self.start, "end": self.end,
                "snippet": self.snippet}


@dataclass(frozen=True)
class CodingRecord:
    id: int
    source: str
    case: str | None
    start: int
    end: int
    text: str
    code: str
    code_path: str
    coder: str
    origin: str
    created_at: str
    segment_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"source": self.source, "case": self.case, "start": self.start, "end": self.end,
                "text": self.text, "code": self.code, "code_path": self.code_path, "coder": self.coder,
                "origin": self.origin}


CODING_CSV_FIELDS = ["source", "case", "start", "end", "text", "code", "code_path", "coder", "origin"]


def codings_csv(records: Iterable[CodingRecord]) -> str:
    """The codings CSV the CLI prints and the web offers, with formula-leading text made inert."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CODING_CSV_FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows(safe_row(r.as_json()) for r in records)
    return buf.getvalue()


@dataclass
class ImportReport:
    imported: list[tuple[str, str, int]] = field(default_factory=list)   # path, source name, segments
    duplicates: list[tuple[str, str]] = field(default_factory=list)      # path, existing source name
    failed: list[tuple[str, str]] = field(default_factory=list)          # path, reason
    skipped: list[tuple[str, str]] = field(default_factory=list)         # path, why (not imported on purpose)
    warnings: list[tuple[str, str]] = field(default_factory=list)        # path, what looks wrong (imported)
    cases: int = 0
    participants: int = 0
    connections: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_json(self) -> dict[str, Any]:
        return asdict(self)
