"""What every suggester produces, and how a codebook becomes the label space they predict over.

All suggesters answer the same two questions per passage — is this an influence claim, and which code of
each dimension fits — as a `Prediction`. Turning that into reviewable `ScoredCode` suggestions is shared,
so thresholds mean the same thing whichever suggester made the numbers.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from voicetrace.core.codebook import Code, Codebook
from voicetrace.core.errors import InputError

NONE = "none"
SINGLE_DIMENSIONS: tuple[str, ...] = ("level", "domain", "activity", "evidence", "status")
MULTI_DIMENSIONS: tuple[str, ...] = ("enabler", "barrier")
# A passage is a claim when it has a level/domain/activity (codebook rule 9).
CLAIM_DIMENSIONS: tuple[str, ...] = ("level", "domain", "activity")
LABEL_KEYS: dict[str, str] = {"enabler": "enablers", "barrier": "barriers"}


@dataclass(frozen=True)
class ScoredCode:
    """One machine suggestion for one passage. Never a coding until a person accepts it."""

    code_id: str
    score: float
    reason: str
    dimension: str | None = None
    primary: bool = False


@dataclass
class Prediction:
    """Per passage: P(claim), and per dimension the code probabilities.

    For single-label dimensions `scores[dim]` is a distribution over the dimension's codes *given that
    the passage is a claim* (sums to 1); for enablers/barriers each code has its own probability.
    An empty dict means the suggester abstains on that dimension.
    """

    is_claim: float
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def top(self, dimension: str) -> str:
        dist = self.scores.get(dimension) or {}
        return max(dist, key=lambda c: dist[c]) if dist else NONE


@dataclass
class Labels:
    """A human's coding of one passage in the shape the suggesters learn from.

    `""` means "not labelled" (e.g. a gold set that never codes status) so the dimension is skipped in
    training and scoring; `"none"` means "coded as not applicable" (a non-claim).
    """

    is_claim: bool
    level: str = NONE
    domain: str = NONE
    activity: str = NONE
    evidence: str = NONE
    status: str = NONE
    enablers: list[str] = field(default_factory=list)
    barriers: list[str] = field(default_factory=list)
    multi_labelled: bool = True

    def single(self, dimension: str) -> str:
        return str(getattr(self, dimension))

    def multi(self, dimension: str) -> list[str]:
        return list(getattr(self, LABEL_KEYS[dimension]))

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> Labels:
        """Build from the seed-statement JSON shape; missing keys mean "not labelled"."""
        is_claim = bool(rec.get("is_claim", False))
        kw: dict[str, Any] = {}
        for dim in SINGLE_DIMENSIONS:
            value = rec.get(dim, "" if is_claim else NONE)
            kw[dim] = NONE if not is_claim else (value or "")
        return cls(
            is_claim=is_claim,
            enablers=list(rec.get("enablers") or []),
            barriers=list(rec.get("barriers") or []),
            multi_labelled="enablers" in rec or "barriers" in rec,
            **kw,
        )


class CodeSpace:
    """The codable codes of a codebook grouped by the dimensions the suggesters predict."""

    def __init__(self, codebook: Codebook) -> None:
        problems = codebook.validate()
        if problems:
            raise InputError(f"codebook {codebook.name!r}", problems[0])
        self.codebook = codebook
        self.codes: dict[str, list[Code]] = {}
        for dim in SINGLE_DIMENSIONS + MULTI_DIMENSIONS:
            codes = codebook.codes_in(dim)
            if codes:
                self.codes[dim] = codes
        if not self.codes:
            raise InputError(
                f"codebook {codebook.name!r}",
                "has no codable codes in any dimension (level, domain, activity, ...); nothing to suggest",
            )
        self._dim_of = {c.id: d for d, cs in self.codes.items() for c in cs}

    @property
    def dimensions(self) -> list[str]:
        return list(self.codes)

    def single_dimensions(self) -> list[str]:
        return [d for d in SINGLE_DIMENSIONS if d in self.codes]

    def multi_dimensions(self) -> list[str]:
        return [d for d in MULTI_DIMENSIONS if d in self.codes]

    def ids(self, dimension: str) -> list[str]:
        return [c.id for c in self.codes.get(dimension, [])]

    def dimension_of(self, code_id: str) -> str | None:
        return self._dim_of.get(code_id)

    def residual(self, dimension: str) -> str | None:
        for c in self.codes.get(dimension, []):
            if c.residual:
                return c.id
        return None

    def code(self, code_id: str) -> Code:
        return self.codebook.get(code_id)

    def labels_from_codes(self, code_ids: Sequence[str]) -> Labels:
        """Codes applied to one passage (e.g. a gold quote) → Labels; unknown ids are ignored."""
        by_dim: dict[str, list[str]] = {}
        for cid in code_ids:
            dim = self.dimension_of(cid)
            if dim:
                by_dim.setdefault(dim, []).append(cid)
        is_claim = any(by_dim.get(d) for d in CLAIM_DIMENSIONS)
        kw: dict[str, Any] = {}
        for dim in SINGLE_DIMENSIONS:
            kw[dim] = by_dim[dim][0] if by_dim.get(dim) else ("" if is_claim else NONE)
        return Labels(
            is_claim=is_claim,
            enablers=by_dim.get("enabler", []),
            barriers=by_dim.get("barrier", []),
            **kw,
        )


@dataclass(frozen=True)
class Thresholds:
    """When a prediction becomes a suggestion. Documented defaults, tuned on the seed statements."""

    claim: float = 0.5
    secondary: float = 0.3
    multi: float = 0.5


DEFAULT_THRESHOLDS = Thresholds()


def to_suggestions(pred: Prediction, space: CodeSpace, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[ScoredCode]:
    """Non-claims get no level/domain/activity/evidence/status codes; enablers and barriers stand alone."""
    out: list[ScoredCode] = []
    if pred.is_claim >= thresholds.claim:
        for dim in space.single_dimensions():
            dist = pred.scores.get(dim) or {}
            if not dist:
                continue
            ranked = sorted(dist.items(), key=lambda kv: -kv[1])
            for rank, (cid, p) in enumerate(ranked):
                if rank > 0 and p < thresholds.secondary:
                    break
                out.append(
                    ScoredCode(
                        code_id=cid,
                        score=round(float(min(1.0, max(0.0, pred.is_claim * p))), 4),
                        reason=pred.reasons.get(cid, f"{dim} p={p:.2f}"),
                        dimension=dim,
                        primary=rank == 0,
                    )
                )
    for dim in space.multi_dimensions():
        for cid, p in sorted((pred.scores.get(dim) or {}).items(), key=lambda kv: -kv[1]):
            if p >= thresholds.multi:
                out.append(ScoredCode(cid, round(float(p), 4), pred.reasons.get(cid, f"{dim} p={p:.2f}"), dim))
    return out


@runtime_checkable
class Suggester(Protocol):
    name: str
    version: str

    def predict(self, texts: list[str]) -> list[Prediction]: ...

    def suggest(self, texts: list[str]) -> list[list[ScoredCode]]: ...


class SuggesterBase:
    """Shared `suggest` so every suggester turns predictions into suggestions the same way."""

    name = "base"
    version = "0"
    space: CodeSpace
    thresholds: Thresholds = DEFAULT_THRESHOLDS

    def predict(self, texts: list[str]) -> list[Prediction]:  # pragma: no cover - abstract
        raise NotImplementedError

    def suggest(self, texts: list[str]) -> list[list[ScoredCode]]:
        return [to_suggestions(p, self.space, self.thresholds) for p in self.predict(list(texts))]


def normalise(dist: dict[str, float]) -> dict[str, float]:
    total = sum(max(0.0, v) for v in dist.values())
    if total <= 0:
        return {}
    return {k: max(0.0, v) / total for k, v in dist.items()}
