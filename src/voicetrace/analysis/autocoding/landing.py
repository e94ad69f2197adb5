"""A second opinion on level that looks only at where the change landed (codebook A and rule 1).

The learned level head maps a whole embedding to a level, so on real minutes and reports it follows the
topic ("parking", "a survey") rather than the body that changed ("the PCT paid for it", "the NSSG added a
user rep"). This expert sees nothing but the scope cues of `structure` — which bodies and places are
named, which comes first, which sits nearest a change verb — plus the vague-boast cue for `unclear_level`,
and is pooled with the combined suggester's level distribution as a product of experts,
p(level) ∝ p_combined · p_landing^weight. Given only a few dozen inputs it cannot learn topic, which is
the point; putting the same cues into the main classifier's inputs instead (`structure`) let it fit them
to the seed text's wording and lowered agreement on unseen registers.
"""
from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from voicetrace.analysis.autocoding.predictions import Labels, normalise
from voicetrace.analysis.autocoding.structure import feature_names, structure_features

MIN_EXAMPLES = 8
LANDING_FEATURES = tuple(n for n in feature_names() if n.startswith("scope:") or n == "vague")
_COLUMNS = [feature_names().index(n) for n in LANDING_FEATURES]


def landing_features(texts: Sequence[str]) -> np.ndarray:
    return structure_features(texts)[:, _COLUMNS]


class LandingExpert:
    """Multinomial logistic regression on the landing cues, fitted on the level-labelled claims."""

    def __init__(self, c: float = 1.0) -> None:
        self.c = c
        self.model: Any = None

    @property
    def trained(self) -> bool:
        return self.model is not None

    def fit(self, texts: Sequence[str], labels: Sequence[Labels], codes: Sequence[str]) -> LandingExpert:
        known = set(codes)
        idx = [i for i, lab in enumerate(labels) if lab.is_claim and lab.level in known]
        y = [labels[i].level for i in idx]
        self.model = None
        if len(idx) < MIN_EXAMPLES or len(set(y)) < 2:
            return self
        with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="blas"):
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.model = LogisticRegression(C=self.c, max_iter=2000, class_weight="balanced").fit(
                landing_features([texts[i] for i in idx]), np.asarray(y))
        return self

    def distributions(self, texts: Sequence[str]) -> list[dict[str, float]]:
        if self.model is None or not texts:
            return [{} for _ in texts]
        proba = self.model.predict_proba(landing_features(texts))
        classes = [str(c) for c in self.model.classes_]
        return [{c: float(row[j]) for j, c in enumerate(classes)} for row in proba]


def pool(dist: dict[str, float], landing: dict[str, float], weight: float) -> dict[str, float]:
    """Product of experts; a code the expert never saw keeps its learned probability unchanged."""
    if not dist or not landing or weight <= 0:
        return dist
    return normalise({c: p * max(landing[c], 1e-6) ** weight if c in landing else p for c, p in dist.items()})
