"""The one place where code-point offsets meet other counting schemes (UTF-16, UTF-8 bytes).

Browsers and NVivo count UTF-16 code units; Python strings count code points. Every edge
that talks to such a system converts here, never inline.
"""
from __future__ import annotations

from bisect import bisect_right


class Utf16Map:
    """Converts offsets both ways for one text in O(log n) per call after O(n) setup."""

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._len = len(text)
        # UTF-16 index of each astral char, for the reverse direction
        self._astral16 = [i + k for k, i in enumerate(self._astral)]

    def to_utf16(self, cp: int) -> int:
        if not 0 <= cp <= self._len:
            raise ValueError(f"offset {cp} outside text of {self._len} characters")
        return cp + bisect_right(self._astral, cp - 1)

    def to_codepoint(self, u16: int) -> int:
        """Map a UTF-16 offset back; an offset inside a surrogate pair snaps to the character start."""
        k = bisect_right(self._astral16, u16 - 1)
        if k and self._astral16[k - 1] == u16 - 1:
            # points between the two halves of a surrogate pair
            return u16 - k
        cp = u16 - k
        if not 0 <= cp <= self._len:
            raise ValueError(f"UTF-16 offset {u16} outside text")
        return cp

    @property
    def utf16_length(self) -> int:
        return self._len + len(self._astral)
