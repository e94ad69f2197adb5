"""Suggestions from the codebook's own words: indicator phrases, and distinctive terms of definitions.

Transparent by construction — every suggestion names the phrase it matched — and needs no model, so it is
both the fallback and a prior for the other suggesters. Matching is tolerant of inflection (light suffix
stripping), of curly quotes and hyphens, and of a few words in between ("leaflets were revised" matches
"leaflet was revised").
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from voicetrace.analysis.autocoding.predictions import (
    DEFAULT_THRESHOLDS,
    CodeSpace,
    Prediction,
    SuggesterBase,
    Thresholds,
    normalise,
)

_TOKEN = re.compile(r"[a-z0-9]+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"',
                         "‐": "-", "‑": "-", "–": "-", "—": "-"})
STOPWORDS = frozenset(
    ["a", "an", "the", "of", "to", "on", "in", "for", "was", "were", "is", "are", "be", "been", "being", "we", "our", "us", "it", "its", "and", "by", "with", "at", "as", "this", "that", "these", "those", "from", "into", "or", "their", "they", "them", "has", "have", "had", "i"]
)
_SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ed", "es", "s", "ly", "e")


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A deliberately light stemmer: enough for revise/revised/revising and leaflet/leaflets.

    Cached: a corpus repeats its words, and stemming was a fifth of the lexicon's time per passage."""
    w = word.lower()
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("ied") and len(w) > 4:
        return w[:-3] + "y"
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # planned -> plan, scrapped -> scrap
    return w


class Token(NamedTuple):
    """A tuple, not a dataclass: a passage makes dozens and a frozen dataclass is slow to build."""

    stem: str
    start: int
    end: int


def fold(text: str) -> str:
    """Lowercase, straighten quotes, strip accents (décor → decor) without moving offsets."""
    text = text.translate(_QUOTES)
    if text.isascii():  # the common case: one C call gives what the loop below gives an ASCII text
        return text.lower()
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch.lower())
            continue
        base = "".join(b for b in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(b)) or ch
        out.append((base[0].lower() or ch)[0])
    return "".join(out)


def tokens(text: str) -> list[Token]:
    folded = fold(text)
    return [Token(stem(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(folded)]


def phrase_stems(phrase: str) -> tuple[str, ...]:
    toks = [t.stem for t in tokens(phrase)]
    content = tuple(t for t in toks if t not in STOPWORDS)
    return content or tuple(toks)


@dataclass(frozen=True)
class Cue:
    code_id: str
    phrase: str
    stems: tuple[str, ...]
    weight: float


def find(stems: tuple[str, ...], toks: list[Token], positions: dict[str, list[int]]) -> tuple[int, int] | None:
    """Token span where every stem occurs within a short window; None when the phrase is absent."""
    if not stems or any(s not in positions for s in stems):
        return None
    span = len(stems) + 3
    anchor = min(stems, key=lambda s: len(positions[s]))
    for p in positions[anchor]:
        lo, hi = p, p
        ok = True
        for s in stems:
            if s == anchor:
                continue
            near = [q for q in positions[s] if abs(q - p) <= span]
            if not near:
                ok = False
                break
            q = min(near, key=lambda q: abs(q - p))
            lo, hi = min(lo, q), max(hi, q)
        if ok and hi - lo < span + 1:
            return lo, hi
    return None


# Cues that a passage reports a change or an attempt at one (codebook rule 9), and cues of the
# announcements, thanks and aspirations that are not claims. Generic English, not any source's wording.
CHANGE_CUES = (
    "as a result", "led to", "following", "in response", "because of", "changed", "introduced", "installed",
    "revised", "rewritten", "redesigned", "updated", "improved", "now", "agreed", "approved", "adopted",
    "created", "set up", "launched", "funded", "commissioned", "appointed", "extended", "moved", "replaced",
    "removed", "scrapped", "reduced", "added", "recommended", "called for", "lobbied", "escalated", "raised",
    "recommendations", "no longer", "new", "decided", "implemented", "reinstated", "declined", "rejected",
    "took forward", "put in place", "was included", "were included", "embedded", "amended", "ordered",
    "you said", "we did", "made a difference", "influenced", "shaped", "did not respond", "plans to",
    "will be", "working on", "piloted", "trialled", "restored", "provided", "allocated", "reviewed",
)
NON_CLAIM_CUES = (
    "meets", "next meeting", "will meet", "meeting dates", "welcome", "join us", "join the", "recruiting",
    "volunteers", "vacancy", "apply", "thank", "thanks", "we hope", "we aim", "we would like", "interested",
    "contact us", "email", "register", "sign up", "members", "membership", "elected", "chair", "dates",
    "held on", "open to", "deadline", "please", "looking for", "we want to", "our vision", "aspire",
    "no changes", "no decisions", "apologies", "minutes of the last meeting", "agenda",
)


def _cue_list(phrases: Iterable[str]) -> list[tuple[str, tuple[str, ...]]]:
    out = []
    for p in phrases:
        toks = tuple(t.stem for t in tokens(p))
        if toks:
            out.append((p, toks))
    return out


def _by_first_stem(stem_lists: Iterable[tuple[str, ...]]) -> dict[str, list[int]]:
    """Cue positions keyed by their first stem. A cue can only match a passage holding that stem, so a
    passage is tried against the few cues its own words open instead of all of them (most of the
    lexicon's time went to cues that could not match)."""
    index: dict[str, list[int]] = {}
    for i, stems in enumerate(stem_lists):
        if stems:
            index.setdefault(stems[0], []).append(i)
    return index


def _candidates(index: dict[str, list[int]], positions: dict[str, list[int]]) -> list[int]:
    """The cues worth trying, in their original order so the first-matched reason stays the same."""
    found: list[int] = []
    for stem_ in positions:
        found.extend(index.get(stem_, ()))
    found.sort()
    return found


_CHANGE = _cue_list(CHANGE_CUES)
_NON_CLAIM = _cue_list(NON_CLAIM_CUES)
_CHANGE_INDEX = _by_first_stem(s for _, s in _CHANGE)
_NON_CLAIM_INDEX = _by_first_stem(s for _, s in _NON_CLAIM)
_SPLIT = re.compile(r"[,;/()]|\band\b|\bor\b|\bincl\.?|\betc\.?|\be\.g\.|→|\bexcl\.?", re.IGNORECASE)
_GENERIC = frozenset(stem(w) for w in ["change", "service", "services", "single", "care", "day", "delivery", "users", "user", "patients", "patient", "people", "group", "groups", "new", "including", "national", "local", "own", "project", "how", "what", "kind", "other", "none", "above", "use", "rather", "than", "guess"])


class LexiconSuggester(SuggesterBase):
    """Counts codebook indicator phrases (strong) and definition/include terms unique to one code (weak)."""

    name = "lexicon"
    version = "1"

    def __init__(self, space: CodeSpace, *, thresholds: Thresholds = DEFAULT_THRESHOLDS,
                 indicator_weight: float = 0.6, term_weight: float = 0.3, residual_prior: float = 0.2) -> None:
        self.space = space
        self.thresholds = thresholds
        self.residual_prior = residual_prior
        self.cues: dict[str, list[Cue]] = {}
        self.default_prior: dict[str, float] = {}
        for dim in space.dimensions:
            cues: list[Cue] = []
            term_owner: dict[tuple[str, ...], set[str]] = {}
            term_text: dict[tuple[str, ...], str] = {}
            for code in space.codes[dim]:
                for ind in code.indicators:
                    stems = phrase_stems(ind)
                    if stems:
                        w = indicator_weight + (0.15 if len(stems) > 1 else 0.0)
                        cues.append(Cue(code.id, ind, stems, w))
                source = " , ".join(x for x in (code.label, code.definition, code.include) if x)
                for piece in _SPLIT.split(source):
                    stems = phrase_stems(piece)
                    stems = tuple(s for s in stems if s not in _GENERIC)
                    if 1 <= len(stems) <= 3 and all(len(s) > 2 for s in stems):
                        term_owner.setdefault(stems, set()).add(code.id)
                        term_text.setdefault(stems, piece.strip())
                if code.include.lower().startswith("default"):
                    self.default_prior[code.id] = 0.35
            for stems, owners in term_owner.items():
                if len(owners) == 1:
                    cues.append(Cue(next(iter(owners)), term_text[stems], stems, term_weight))
            self.cues[dim] = cues
        self._by_first_stem = {dim: _by_first_stem([c.stems for c in cues]) for dim, cues in self.cues.items()}
        self.version = f"1+{space.codebook.name}@{space.codebook.version}"

    def claim_probability(self, toks: list[Token], positions: dict[str, list[int]], code_hits: int) -> float:
        change = sum(1 for i in _candidates(_CHANGE_INDEX, positions) if find(_CHANGE[i][1], toks, positions))
        non = sum(1 for i in _candidates(_NON_CLAIM_INDEX, positions) if find(_NON_CLAIM[i][1], toks, positions))
        z = -1.0 + 0.9 * change + 0.5 * min(code_hits, 4) - 1.1 * non
        return 1.0 / (1.0 + math.exp(-z))

    def predict(self, texts: list[str]) -> list[Prediction]:
        return [self._one(t) for t in texts]

    def _one(self, text: str) -> Prediction:
        toks = tokens(text)
        positions: dict[str, list[int]] = {}
        for i, t in enumerate(toks):
            positions.setdefault(t.stem, []).append(i)
        scores: dict[str, dict[str, float]] = {}
        reasons: dict[str, str] = {}
        claim_hits = 0
        for dim, cues in self.cues.items():
            raw: dict[str, float] = {}
            for i in _candidates(self._by_first_stem[dim], positions):
                cue = cues[i]
                hit = find(cue.stems, toks, positions)
                if hit is None:
                    continue
                raw[cue.code_id] = 1.0 - (1.0 - raw.get(cue.code_id, 0.0)) * (1.0 - cue.weight)
                if cue.code_id not in reasons:
                    matched = text[toks[hit[0]].start:toks[hit[1]].end]
                    reasons[cue.code_id] = f'matched "{matched}" (codebook: "{cue.phrase}")'
            if dim in ("level", "domain", "activity"):
                claim_hits += len(raw)
            if dim in self.space.multi_dimensions():
                scores[dim] = raw
                continue
            for cid, prior in self.default_prior.items():
                if self.space.dimension_of(cid) == dim:
                    raw[cid] = max(raw.get(cid, 0.0), prior)
                    reasons.setdefault(cid, "codebook default for this dimension")
            residual = self.space.residual(dim)
            if residual:
                raw[residual] = max(raw.get(residual, 0.0), self.residual_prior)
                reasons.setdefault(residual, "no indicator of a specific code matched")
            scores[dim] = normalise(raw)
        return Prediction(self.claim_probability(toks, positions, claim_hits), scores, reasons)
