"""Active learning: show reviewers first the passages the model is least sure about, retrain as they decide.

Reviewing uncertain passages teaches the classifier most per decision (uncertainty sampling); reviewing
confident ones mostly confirms what it knows. Retraining after every decision would stall the review screen,
so a simple policy retrains every N decisions.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from voicetrace.analysis.autocoding.predictions import CLAIM_DIMENSIONS, Prediction

Strategy = Literal["margin", "entropy"]


def _claim_margin(p: float) -> float:
    return abs(2.0 * p - 1.0)


def margin(pred: Prediction, dimensions: Sequence[str] = CLAIM_DIMENSIONS) -> float:
    """Smallest gap between the top two options over claim/non-claim and each dimension; 0 = a coin toss."""
    gaps = [_claim_margin(pred.is_claim)]
    for dim in dimensions:
        probs = sorted((pred.scores.get(dim) or {}).values(), reverse=True)
        if len(probs) >= 2:
            gaps.append(probs[0] - probs[1])
    return min(gaps)


def entropy(pred: Prediction, dimensions: Sequence[str] = CLAIM_DIMENSIONS) -> float:
    """Sum of normalised entropies (each 0..1) of the claim decision and each dimension's distribution."""
    def h(ps: Sequence[float]) -> float:
        ps = [p for p in ps if p > 0]
        if len(ps) <= 1:
            return 0.0
        return -sum(p * math.log(p) for p in ps) / math.log(len(ps))

    c = min(max(pred.is_claim, 0.0), 1.0)
    total = h([c, 1.0 - c]) if 0 < c < 1 else 0.0
    for dim in dimensions:
        dist = pred.scores.get(dim) or {}
        if len(dist) >= 2:
            total += h(list(dist.values()))
    return total


def review_order(predictions: Sequence[Prediction], strategy: Strategy = "margin",
                 dimensions: Sequence[str] = CLAIM_DIMENSIONS) -> list[int]:
    """Indexes of `predictions`, most uncertain first (ties keep document order)."""
    if strategy == "margin":
        keys = [margin(p, dimensions) for p in predictions]
        return sorted(range(len(predictions)), key=lambda i: (keys[i], i))
    if strategy == "entropy":
        keys = [entropy(p, dimensions) for p in predictions]
        return sorted(range(len(predictions)), key=lambda i: (-keys[i], i))
    raise ValueError(f"unknown strategy {strategy!r}; use 'margin' or 'entropy'")


@dataclass
class RetrainPolicy:
    """Retrain after every `every` accept/reject decisions (and on demand)."""

    every: int = 20
    pending: int = 0
    retrains: int = 0
    history: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.every < 1:
            raise ValueError("RetrainPolicy.every must be at least 1")

    def record(self, decisions: int = 1) -> bool:
        """Count decisions; True when it is time to retrain (the caller retrains, then calls `retrained`)."""
        self.pending += decisions
        return self.pending >= self.every

    def retrained(self) -> None:
        self.history.append(self.pending)
        self.pending = 0
        self.retrains += 1
