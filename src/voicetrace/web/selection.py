"""The web edge's one place for offsets: browser selections (UTF-16) to code points, and back.

The browser reports a selection as UTF-16 offsets within one segment's text node; the server
adds the segment's start to get code-point offsets into the source's canonical text. Segments
never change after import, so they are cached here by id (a miss reloads the index: a new import).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from ..core.errors import InputError, NotFound
from ..core.offsets import Utf16Map
from ..services.project import Project


@dataclass(frozen=True)
class SegmentView:
    id: int
    source: str
    index: int
    start: int
    end: int
    text: str
    speaker: str | None
    role: str | None

    def to_source(self, start16: int, end16: int) -> tuple[int, int]:
        """UTF-16 offsets within this segment's text to code points within the source."""
        m = Utf16Map(self.text)
        if not 0 <= start16 <= end16 <= m.utf16_length:
            raise InputError("selection", f"offsets {start16}..{end16} are outside the passage "
                                          f"(0..{m.utf16_length} UTF-16 units)")
        return self.start + m.to_codepoint(start16), self.start + m.to_codepoint(end16)

    def to_utf16(self, start: int, end: int) -> tuple[int, int]:
        """Code points within the source (clipped to this segment) to UTF-16 offsets in its text."""
        m = Utf16Map(self.text)
        a = min(max(start, self.start), self.end) - self.start
        b = min(max(end, self.start), self.end) - self.start
        return m.to_utf16(a), m.to_utf16(b)


class SegmentIndex:
    """All segments by id and by source, loaded once from the project."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._lock = threading.Lock()
        self._by_id: dict[int, SegmentView] = {}
        self._by_source: dict[str, list[SegmentView]] = {}
        self._loaded = False

    def _load(self) -> None:
        frame = self.project.segments_frame()
        by_id: dict[int, SegmentView] = {}
        by_source: dict[str, list[SegmentView]] = {}
        for row in frame.itertuples(index=False):
            speaker = row.speaker if isinstance(row.speaker, str) else None
            role = row.role if isinstance(row.role, str) else None
            v = SegmentView(int(row.segment_id), str(row.source), int(row.index), int(row.start), int(row.end),
                            str(row.text), speaker, role)
            by_id[v.id] = v
            by_source.setdefault(v.source, []).append(v)
        self._by_id, self._by_source, self._loaded = by_id, by_source, True

    def reload(self) -> None:
        with self._lock:
            self._load()

    def get(self, segment_id: int) -> SegmentView:
        with self._lock:
            if not self._loaded or segment_id not in self._by_id:
                self._load()
            try:
                return self._by_id[segment_id]
            except KeyError:
                raise NotFound(f"unknown segment {segment_id}") from None

    def of_source(self, source: str) -> list[SegmentView]:
        with self._lock:
            if not self._loaded or source not in self._by_source:
                self._load()
            return list(self._by_source.get(source, []))

    def covering(self, source: str, start: int, end: int) -> list[SegmentView]:
        return [s for s in self.of_source(source) if s.start < end and start < s.end]
