"""How well a suggester agrees with human coders, measured honestly.

Cross-validation is grouped by source: every passage is scored by a model that never saw it nor any other
passage from its source (near-duplicates of one document would otherwise flatter the numbers). The same
figures a reader compares with human–human agreement are reported: per-code precision/recall/F1,
macro-F1 and Cohen's kappa per dimension (with "none" — not a claim — as a category, because telling
claims from non-claims is part of the job).
"""
from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sklearn.metrics import cohen_kappa_score

from voicetrace.analysis.autocoding.predictions import (
    MULTI_DIMENSIONS,
    NONE,
    SINGLE_DIMENSIONS,
    Labels,
    Prediction,
)

SuggesterFactory = Callable[[], Any]
LEARNING_CURVE_SIZES = (25, 50, 100, 200)


@dataclass
class CodeScore:
    precision: float
    recall: float
    f1: float
    support: int

    def to_json(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "support": self.support}


@dataclass
class EvaluationResult:
    n: int
    folds: int
    per_dimension: dict[str, dict[str, float | int | None]]
    per_code: dict[str, CodeScore]
    learning_curve: dict[int, dict[str, float | None]] = field(default_factory=dict)

    def macro_f1(self, dimension: str) -> float | None:
        v = self.per_dimension.get(dimension, {}).get("macro_f1")
        return None if v is None else float(v)

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "folds": self.folds,
            "per_dimension": self.per_dimension,
            "per_code": {c: s.to_json() for c, s in self.per_code.items()},
            "learning_curve": {str(k): v for k, v in self.learning_curve.items()},
        }


def assign_folds(groups: Sequence[str], folds: int, seed: int = 0) -> list[int]:
    """Whole groups to folds, shuffled, round-robin — so fold sizes stay even with many small groups."""
    unique = sorted(set(groups))
    random.Random(seed).shuffle(unique)
    k = max(1, min(folds, len(unique)))
    fold_of = {g: i % k for i, g in enumerate(unique)}
    return [fold_of[g] for g in groups]


def _fit_predict(factory: SuggesterFactory, train_t: list[str], train_l: list[Labels],
                 test_t: list[str]) -> list[Prediction]:
    suggester = factory()
    if hasattr(suggester, "fit") and train_t:
        suggester.fit(train_t, train_l)
    return list(suggester.predict(test_t))


def cross_validated_predictions(texts: Sequence[str], labels: Sequence[Labels], factory: SuggesterFactory,
                                folds: int = 5, groups: Sequence[str] | None = None,
                                train_size: int | None = None, seed: int = 0) -> list[Prediction]:
    n = len(texts)
    groups = list(groups) if groups is not None else [str(i) for i in range(n)]
    fold = assign_folds(groups, folds, seed)
    preds: list[Prediction | None] = [None] * n
    for f in sorted(set(fold)):
        train = [i for i in range(n) if fold[i] != f]
        test = [i for i in range(n) if fold[i] == f]
        if train_size is not None and len(train) > train_size:
            train = sorted(random.Random(seed + f).sample(train, train_size))
        if len(set(fold)) == 1:
            train = []  # one group only: nothing can be held out, score untrained
        out = _fit_predict(factory, [texts[i] for i in train], [labels[i] for i in train], [texts[i] for i in test])
        for i, p in zip(test, out):
            preds[i] = p
    return [p for p in preds if p is not None]


def predicted_label(pred: Prediction, dimension: str, claim_threshold: float = 0.5) -> str:
    if pred.is_claim < claim_threshold:
        return NONE
    return pred.top(dimension)


def score(labels: Sequence[Labels], preds: Sequence[Prediction], dimensions: Sequence[str] | None = None,
          multi_threshold: float = 0.5) -> tuple[dict[str, dict[str, float | int | None]], dict[str, CodeScore]]:
    per_dim: dict[str, dict[str, float | int | None]] = {}
    per_code: dict[str, CodeScore] = {}
    gold_claim = ["claim" if lab.is_claim else NONE for lab in labels]
    pred_claim = ["claim" if p.is_claim >= 0.5 else NONE for p in preds]
    per_dim["claim"] = _single(gold_claim, pred_claim, per_code, prefix="claim:")
    dims = list(dimensions) if dimensions is not None else list(SINGLE_DIMENSIONS + MULTI_DIMENSIONS)
    for dim in dims:
        if dim in SINGLE_DIMENSIONS:
            pairs = [(lab.single(dim), predicted_label(p, dim)) for lab, p in zip(labels, preds)
                     if lab.single(dim) != ""]
            if not pairs:
                continue
            per_dim[dim] = _single([g for g, _ in pairs], [q for _, q in pairs], per_code)
        elif dim in MULTI_DIMENSIONS:
            idx = [i for i, lab in enumerate(labels) if lab.multi_labelled]
            codes = sorted({c for i in idx for c in labels[i].multi(dim)})
            f1s = []
            for code in codes:
                g = [code in labels[i].multi(dim) for i in idx]
                q = [(preds[i].scores.get(dim) or {}).get(code, 0.0) >= multi_threshold for i in idx]
                cs = _prf(g, q)
                per_code[code] = cs
                f1s.append(cs.f1)
            per_dim[dim] = {"macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else None, "kappa": None,
                            "accuracy": None, "n": len(idx)}
    return per_dim, per_code


def _prf(gold: Sequence[bool], pred: Sequence[bool]) -> CodeScore:
    tp = sum(1 for g, q in zip(gold, pred) if g and q)
    fp = sum(1 for g, q in zip(gold, pred) if q and not g)
    fn = sum(1 for g, q in zip(gold, pred) if g and not q)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return CodeScore(p, r, f, tp + fn)


def _single(gold: list[str], pred: list[str], per_code: dict[str, CodeScore],
            prefix: str = "") -> dict[str, float | int | None]:
    codes = sorted(set(gold) - {NONE}) or sorted(set(gold))
    f1s = []
    for code in codes:
        cs = _prf([g == code for g in gold], [q == code for q in pred])
        per_code[prefix + code] = cs
        f1s.append(cs.f1)
    if len(set(gold) | set(pred)) < 2:
        kappa: float | None = 1.0 if gold == pred else 0.0
    else:
        kappa = float(cohen_kappa_score(gold, pred))
    return {
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else None,
        "kappa": None if kappa is None else round(kappa, 4),
        "accuracy": round(sum(g == q for g, q in zip(gold, pred)) / len(gold), 4),
        "n": len(gold),
    }


def evaluate(texts: Sequence[str], gold_labels: Sequence[Labels], suggester_factory: SuggesterFactory,
             folds: int = 5, *, groups: Sequence[str] | None = None,
             learning_curve: Sequence[int] | None = LEARNING_CURVE_SIZES, seed: int = 0) -> EvaluationResult:
    """Grouped k-fold scores of a suggester, and macro-F1 when it is trained on only N passages."""
    if len(texts) != len(gold_labels):
        raise ValueError("evaluate needs one gold Labels per text")
    if not texts:
        raise ValueError("evaluate needs at least one labelled passage")
    texts = list(texts)
    labels = list(gold_labels)
    preds = cross_validated_predictions(texts, labels, suggester_factory, folds, groups, seed=seed)
    per_dim, per_code = score(labels, preds)
    curve: dict[int, dict[str, float | None]] = {}
    probe = suggester_factory()
    if learning_curve and hasattr(probe, "fit"):
        max_train = len(texts) - len(texts) // max(2, folds)
        for size in learning_curve:
            if size > max_train:
                continue
            cp = cross_validated_predictions(texts, labels, suggester_factory, folds, groups, train_size=size,
                                             seed=seed)
            dims, _ = score(labels, cp)
            curve[size] = {d: v.get("macro_f1") for d, v in dims.items()}  # type: ignore[misc]
    return EvaluationResult(len(texts), folds, per_dim, per_code, curve)


def compare_suggesters(texts: Sequence[str], gold_labels: Sequence[Labels],
                       factories: dict[str, SuggesterFactory], folds: int = 5, *,
                       groups: Sequence[str] | None = None, learning_curve: Sequence[int] | None = None,
                       ) -> dict[str, EvaluationResult]:
    """Same folds for every suggester, so differences are the suggesters', not the split's."""
    return {name: evaluate(texts, gold_labels, f, folds, groups=groups, learning_curve=learning_curve)
            for name, f in factories.items()}
