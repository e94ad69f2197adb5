"""Turning a vendor's selection positions into code points over LF-normalised text.

The REFI-QDA spec counts Unicode code points, but NVivo counts UTF-16 code units and ATLAS.ti
counts CRLF as one character. Offsets are therefore resolved against the exact text the vendor
wrote (CRLF kept, BOM removed) under a detected counting scheme, and only then is the text
normalised to LF with the offsets remapped. Getting this wrong shifts every coding silently,
the most common complaint about REFI-QDA imports, so the choice is also checked afterwards.
"""
from __future__ import annotations

import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

from voicetrace.core.offsets import Utf16Map


@dataclass(frozen=True)
class CountingScheme:
    utf16: bool = False
    crlf_as_one: bool = False

    def describe(self) -> str:
        unit = "UTF-16 code units" if self.utf16 else "code points"
        return unit + (", CRLF counted as one character" if self.crlf_as_one else "")


CODE_POINTS = CountingScheme()


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


def on_word_boundary(text: str, i: int) -> bool:
    """A cut at ``i`` that does not split a word or detach a combining mark."""
    if i <= 0 or i >= len(text):
        return True
    if unicodedata.category(text[i]).startswith("M"):
        return False
    return not (_is_word_char(text[i - 1]) and _is_word_char(text[i]))


class PositionResolver:
    """Maps positions counted by some scheme over ``raw`` to code points over ``text`` (LF only)."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        # index of the CR of every CRLF pair: the characters normalisation removes
        self._crlf = [i for i in range(len(raw) - 1) if raw[i] == "\r" and raw[i + 1] == "\n"]
        # where each CRLF pair sits when CRLF counts as one character
        self._crlf_counted = [p - j for j, p in enumerate(self._crlf)]
        collapsed = raw.replace("\r\n", "\n")
        self.text = collapsed.replace("\r", "\n")
        self._maps: dict[bool, Utf16Map] = {}
        self._collapsed = collapsed

    @property
    def has_crlf(self) -> bool:
        return bool(self._crlf)

    @property
    def has_astral(self) -> bool:
        return any(ord(ch) > 0xFFFF for ch in self.raw)

    def _utf16(self, crlf_as_one: bool) -> Utf16Map:
        if crlf_as_one not in self._maps:
            self._maps[crlf_as_one] = Utf16Map(self._collapsed if crlf_as_one else self.raw)
        return self._maps[crlf_as_one]

    def resolve(self, pos: int, scheme: CountingScheme) -> int | None:
        """The LF-text code point for ``pos``, or None when it lies outside the text or inside a
        surrogate pair (a sign the scheme is wrong)."""
        counted_len = len(self._collapsed) if scheme.crlf_as_one else len(self.raw)
        if scheme.utf16:
            umap = self._utf16(scheme.crlf_as_one)
            if not 0 <= pos <= umap.utf16_length:
                return None
            cp = umap.to_codepoint(pos)
            if umap.to_utf16(cp) != pos:
                return None
        else:
            cp = pos
        if not 0 <= cp <= counted_len:
            return None
        if scheme.crlf_as_one:
            # the collapsed text and the LF text have the same length: lone CRs only change value
            return cp
        return cp - bisect_left(self._crlf, cp)

    def to_raw(self, lf_pos: int, scheme: CountingScheme) -> int:
        """Inverse of :meth:`resolve` for exporting in a vendor's scheme (tests use it too)."""
        if scheme.crlf_as_one:
            cp = lf_pos
        else:
            # each CRLF pair wholly before lf_pos adds one raw character (its CR)
            cp = lf_pos + bisect_left(self._crlf_counted, lf_pos)
        if scheme.utf16:
            return self._utf16(scheme.crlf_as_one).to_utf16(cp)
        return cp

    def score(self, spans: list[tuple[int, int]], scheme: CountingScheme) -> int:
        """How many span boundaries fall on word boundaries under ``scheme``."""
        total = 0
        for start, end in spans:
            for pos in (start, end):
                lf = self.resolve(pos, scheme)
                if lf is not None and on_word_boundary(self.text, lf):
                    total += 1
        return total


def choose_scheme(resolver: PositionResolver, spans: list[tuple[int, int]], origin: str) -> CountingScheme:
    """Pick the counting scheme: the vendor's known habit first, else the best-aligned candidate.

    Ties keep the spec's reading (code points, CRLF as two), so a heuristic never overrides the
    standard without evidence.
    """
    who = origin.lower()
    if who.startswith("voicetrace"):
        return CODE_POINTS  # our own exports state their convention in the origin
    if "nvivo" in who:
        units = [True]
    elif resolver.has_astral:
        units = [False, True]
    else:
        units = [False]
    if not resolver.has_crlf:
        crlf = [False]
    elif "atlas" in who:
        crlf = [True]
    else:
        crlf = [False, True]
    candidates = [CountingScheme(u, c) for u in units for c in crlf]
    if len(candidates) == 1 or not spans:
        return candidates[0]
    best = candidates[0]
    best_score = resolver.score(spans, best)
    for cand in candidates[1:]:
        s = resolver.score(spans, cand)
        if s > best_score:
            best, best_score = cand, s
    return best
