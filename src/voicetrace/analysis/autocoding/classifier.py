"""A classifier trained on human codings: logistic regression on sentence embeddings.

Linear models on frozen embeddings learn from a few hundred codings in a second on a laptop CPU, and their
probabilities are usable as review priorities. Each head abstains when its training data is too thin to
say anything (the combined suggester then leans on zero-shot and lexicon priors instead of guessing).
"""
from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from voicetrace.analysis.autocoding.embedders import Embedder
from voicetrace.analysis.autocoding.predictions import (
    DEFAULT_THRESHOLDS,
    NONE,
    CodeSpace,
    Labels,
    Prediction,
    SuggesterBase,
    Thresholds,
)

MIN_CLAIM_EXAMPLES = 4  # per class (claim / not claim)
MIN_DIMENSION_EXAMPLES = 8  # labelled claims in a dimension, with at least two codes
MIN_MULTI_POSITIVES = 3
CALIBRATE_MIN_PER_CLASS = 3  # CalibratedClassifierCV(cv=3) needs every class in every fold
CALIBRATE_MIN_TOTAL = 60


def _logreg(c: float, class_weight: str | None = "balanced") -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=2000, class_weight=class_weight)


def _fit(x: np.ndarray, y: Sequence[Any], c: float, calibrate: bool, class_weight: str | None = "balanced") -> Any:
    counts = Counter(y)
    # One BLAS thread: these problems are small, and OpenBLAS's thread pool on a busy 2-core machine made
    # each fit ~40x slower (measured: 6.3 s vs 0.17 s for the level head on 573 passages).
    with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="blas"):
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UserWarning)
        if calibrate and len(y) >= CALIBRATE_MIN_TOTAL and min(counts.values()) >= CALIBRATE_MIN_PER_CLASS:
            model: Any = CalibratedClassifierCV(_logreg(c, class_weight), cv=3, method="sigmoid")
        else:
            model = _logreg(c, class_weight)
        model.fit(x, np.asarray(y))
    return model


class ClassifierSuggester(SuggesterBase):
    """Per dimension: multinomial LR (single-label dims, given claim); one-vs-rest LR for enablers/barriers."""

    name = "classifier"

    def __init__(self, space: CodeSpace, embedder: Embedder, *, c: float = 4.0, calibrate: bool = True,
                 thresholds: Thresholds = DEFAULT_THRESHOLDS,
                 featurizer: Callable[[list[str], np.ndarray], np.ndarray] | None = None,
                 class_weight: str | None = "balanced", claim_c: float | None = None) -> None:
        self.space = space
        self.class_weight = class_weight
        self.claim_c = claim_c if claim_c is not None else c
        self.featurizer = featurizer
        self.embedder = embedder
        self.c = c
        self.calibrate = calibrate
        self.thresholds = thresholds
        self.version = f"1+{embedder.version}+untrained"
        self.claim_model: Any = None
        self.claim_prior = 0.5
        self.models: dict[str, Any] = {}
        self.multi_models: dict[str, dict[str, Any]] = {}
        self.n_trained = 0

    @property
    def trained_dimensions(self) -> list[str]:
        return list(self.models) + [d for d, m in self.multi_models.items() if m]

    @property
    def claim_trained(self) -> bool:
        return self.claim_model is not None

    def fit(self, texts: Sequence[str], labels: Sequence[Labels]) -> ClassifierSuggester:
        if len(texts) != len(labels):
            raise ValueError("fit needs one Labels per text")
        vectors = self.embedder.encode(list(texts)) if texts else np.zeros((0, self.embedder.dim), np.float32)
        return self.fit_vectors(vectors, labels, list(texts))

    def _features(self, x: np.ndarray, texts: list[str] | None) -> np.ndarray:
        if self.featurizer is None:
            return x
        if texts is None:
            raise ValueError("this classifier's features need the texts as well as their vectors")
        return self.featurizer(texts, x)

    def fit_vectors(self, x: np.ndarray, labels: Sequence[Labels],
                    texts: list[str] | None = None) -> ClassifierSuggester:
        x = self._features(x, texts)
        self.claim_model, self.models, self.multi_models = None, {}, {}
        self.n_trained = len(labels)
        if not labels:
            return self
        y_claim = [bool(lab.is_claim) for lab in labels]
        self.claim_prior = float(np.mean(y_claim))
        counts = Counter(y_claim)
        if len(counts) == 2 and min(counts.values()) >= MIN_CLAIM_EXAMPLES:
            self.claim_model = _fit(x, y_claim, self.claim_c, self.calibrate, self.class_weight)
        for dim in self.space.single_dimensions():
            known = set(self.space.ids(dim))
            idx = [i for i, lab in enumerate(labels) if lab.is_claim and lab.single(dim) in known]
            y = [labels[i].single(dim) for i in idx]
            if len(idx) >= MIN_DIMENSION_EXAMPLES and len(set(y)) >= 2:
                self.models[dim] = _fit(x[idx], y, self.c, self.calibrate, self.class_weight)
        for dim in self.space.multi_dimensions():
            idx = [i for i, lab in enumerate(labels) if lab.multi_labelled]
            heads: dict[str, Any] = {}
            for cid in self.space.ids(dim):
                yb = [cid in labels[i].multi(dim) for i in idx]
                pos = sum(yb)
                if pos >= MIN_MULTI_POSITIVES and len(yb) - pos >= MIN_MULTI_POSITIVES:
                    heads[cid] = _fit(x[idx], yb, self.c, calibrate=False)
            self.multi_models[dim] = heads
        self.version = f"1+{self.embedder.version}+n{self.n_trained}"
        return self

    def predict(self, texts: list[str]) -> list[Prediction]:
        if not texts:
            return []
        return self.predict_vectors(self.embedder.encode(list(texts)), list(texts))

    def predict_vectors(self, x: np.ndarray, texts: list[str] | None = None) -> list[Prediction]:
        return self.predict_features(self._features(x, texts))

    def predict_features(self, x: np.ndarray) -> list[Prediction]:
        """Predict from ready-made feature rows (lets the combined suggester build features once)."""
        n = len(x)
        if self.claim_model is not None:
            classes = list(self.claim_model.classes_)
            claim = self.claim_model.predict_proba(x)[:, classes.index(True)]
        else:
            claim = np.full(n, self.claim_prior)
        preds = [Prediction(float(claim[i])) for i in range(n)]
        for dim, model in self.models.items():
            proba = model.predict_proba(x)
            classes = [str(c) for c in model.classes_]
            for i, pred in enumerate(preds):
                pred.scores[dim] = {c: float(proba[i, j]) for j, c in enumerate(classes) if c != NONE}
        for dim, heads in self.multi_models.items():
            for cid, model in heads.items():
                col = list(model.classes_).index(True)
                p = model.predict_proba(x)[:, col]
                for i, pred in enumerate(preds):
                    pred.scores.setdefault(dim, {})[cid] = float(p[i])
        for pred in preds:
            for dim, dist in pred.scores.items():
                for cid, p in dist.items():
                    pred.reasons[cid] = f"trained on {self.n_trained} coded passages (p={p:.2f})"
        return preds
