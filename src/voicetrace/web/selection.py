"""The web edge's one place for offsets: browser selections (UTF-16) to code points, and back.

The browser reports a selection as UTF-16 offsets within one segment's text node; the server
adds the segment's start to get code-point offsets into the source's canonical text.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import InputError, NotFound
from ..core.offsets import Utf16Map
from ..services.project import Project
from ..services.records import PassageRecord


@dataclass(frozen=True)
class SegmentView(PassageRecord):
    """A passage as the browser selects in it: adds the UTF-16 conversions."""

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
    """Segments by id and by source, each looked up through the project's indexed queries.

    Nothing is cached: a lookup is one B-tree probe, so an unknown id costs the same as a known one
    and a 10^6-segment project is never held in memory by the web app.
    """

    def __init__(self, project: Project) -> None:
        self.project = project

    def reload(self) -> None:
        """Kept for callers that imported new sources; there is no cache to refresh."""

    def get(self, segment_id: int) -> SegmentView:
        return _view(self.project.passage(segment_id))

    def of_source(self, source: str, offset: int = 0, limit: int | None = None) -> list[SegmentView]:
        try:
            return [_view(p) for p in self.project.passages(source, offset=offset, limit=limit)]
        except NotFound:
            return []

    def covering(self, source: str, start: int, end: int) -> list[SegmentView]:
        return [_view(p) for p in self.project.passages(source, start=start, end=end)]


def _view(p: PassageRecord) -> SegmentView:
    return SegmentView(**vars(p))
