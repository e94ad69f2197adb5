"""How well a suggester agrees with human coders, measured honestly.

Cross-validation is grouped by source: every passage is scored by a model that never saw it nor any other
passage from its source (near-duplicates of one document would otherwise flatter the numbers). The same
figures a reader compares with human–human agreement are reported: per-code precision/recall/F1,
macro-F1, Cohen's kappa and Gwet's AC1 per dimension (with "none" — not a claim — as a category, because
telling claims from non-claims is part of the job). Kappa punishes rare codes: with one dominant code a
coder can agree 95 % of the time and still score a low kappa, so AC1 stands beside it. Every figure
carries a 95 % bootstrap interval (passages resampled), because on a few hundred passages the second
decimal is noise; and when a project has two human coders, the machine is compared with how well the
people agree (`versus_humans`), code by code.
"""
from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from voicetrace.analysis.autocoding.predictions import (
    MULTI_DIMENSIONS,
    NONE,
    SINGLE_DIMENSIONS,
    Labels,
    Prediction,
)

SuggesterFactory = Callable[[], Any]
LEARNING_CURVE_SIZES = (25, 50, 100, 200)
BOOTSTRAP = 300
BOOTSTRAP_SEED = 7


@dataclass
class CodeScore:
    precision: float
    recall: float
    f1: float
    support: int
    ci: dict[str, tuple[float, float]] = field(default_factory=dict)  # 95 % bootstrap, per figure

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                               "f1": round(self.f1, 4), "support": self.support}
        for name, (lo, hi) in self.ci.items():
            out[f"{name}_ci"] = [round(lo, 4), round(hi, 4)]
        return out


@dataclass
class EvaluationResult:
    n: int
    folds: int
    per_dimension: dict[str, dict[str, Any]]
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
          multi_threshold: float = 0.5, bootstrap: int = BOOTSTRAP,
          ) -> tuple[dict[str, dict[str, Any]], dict[str, CodeScore]]:
    per_dim: dict[str, dict[str, Any]] = {}
    per_code: dict[str, CodeScore] = {}
    gold_claim = ["claim" if lab.is_claim else NONE for lab in labels]
    pred_claim = ["claim" if p.is_claim >= 0.5 else NONE for p in preds]
    per_dim["claim"] = _single(gold_claim, pred_claim, per_code, prefix="claim:", bootstrap=bootstrap)
    dims = list(dimensions) if dimensions is not None else list(SINGLE_DIMENSIONS + MULTI_DIMENSIONS)
    for dim in dims:
        if dim in SINGLE_DIMENSIONS:
            pairs = [(lab.single(dim), predicted_label(p, dim)) for lab, p in zip(labels, preds)
                     if lab.single(dim) != ""]
            if not pairs:
                continue
            per_dim[dim] = _single([g for g, _ in pairs], [q for _, q in pairs], per_code, bootstrap=bootstrap)
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


def _confusion_figures(cm: np.ndarray, code_idx: list[int]) -> dict[str, np.ndarray]:
    """P/R/F1 per code, macro-F1, kappa, AC1 and accuracy from confusion matrices (..., K, K): gold rows.

    Vectorised over a leading axis so the bootstrap costs one pass, not one sklearn call per resample."""
    n = cm.sum(axis=(-2, -1)).astype(float)
    tp = np.diagonal(cm, axis1=-2, axis2=-1).astype(float)
    gold = cm.sum(axis=-1).astype(float)
    pred = cm.sum(axis=-2).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        prec = np.where(pred > 0, tp / pred, 0.0)
        rec = np.where(gold > 0, tp / gold, 0.0)
        f1 = np.where(prec + rec > 0, 2 * prec * rec / (prec + rec), 0.0)
        po = tp.sum(axis=-1) / n
        pe = (gold * pred).sum(axis=-1) / (n * n)
        kappa = np.where(pe < 1, (po - pe) / (1 - pe), np.where(po == 1, 1.0, 0.0))
        k = cm.shape[-1]
        pi = (gold + pred) / (2 * n[..., None])
        pe_g = (pi * (1 - pi)).sum(axis=-1) / max(1, k - 1)
        ac1 = np.where(pe_g < 1, (po - pe_g) / (1 - pe_g), 1.0)
    return {"precision": prec, "recall": rec, "f1": f1, "macro_f1": f1[..., code_idx].mean(axis=-1),
            "kappa": kappa, "ac1": ac1, "accuracy": po}


def _interval(values: np.ndarray) -> tuple[float, float]:
    lo, hi = np.percentile(values, [2.5, 97.5])
    return float(lo), float(hi)


def _single(gold: list[str], pred: list[str], per_code: dict[str, CodeScore],
            prefix: str = "", bootstrap: int = BOOTSTRAP) -> dict[str, Any]:
    """One single-label dimension: per-code P/R/F1 into `per_code`; macro-F1, kappa, AC1, accuracy back,
    each with a 95 % bootstrap interval (`*_ci`) unless `bootstrap` is 0."""
    codes = sorted(set(gold) - {NONE}) or sorted(set(gold))
    cats = sorted(set(gold) | set(pred))
    index = {c: i for i, c in enumerate(cats)}
    k = len(cats)
    g = np.array([index[x] for x in gold], dtype=np.int64)
    q = np.array([index[x] for x in pred], dtype=np.int64)
    cm = np.bincount(g * k + q, minlength=k * k).reshape(k, k)
    code_idx = [index[c] for c in codes]
    fig = _confusion_figures(cm, code_idx)
    boot: dict[str, np.ndarray] = {}
    if bootstrap and len(gold) > 1:
        rng = np.random.default_rng(BOOTSTRAP_SEED)
        draws = rng.integers(0, len(gold), size=(bootstrap, len(gold)))
        flat = (g * k + q)[draws] + (np.arange(bootstrap) * k * k)[:, None]
        cms = np.bincount(flat.ravel(), minlength=bootstrap * k * k).reshape(bootstrap, k, k)
        boot = _confusion_figures(cms, code_idx)
    for code in codes:
        i = index[code]
        ci = {m: _interval(boot[m][:, i]) for m in ("precision", "recall", "f1")} if boot else {}
        per_code[prefix + code] = CodeScore(float(fig["precision"][i]), float(fig["recall"][i]),
                                            float(fig["f1"][i]), int(cm[i].sum()), ci)
    if k < 2:
        kappa, ac1 = (1.0, 1.0) if gold == pred else (0.0, 0.0)
    else:
        kappa, ac1 = float(fig["kappa"]), float(fig["ac1"])
    out: dict[str, Any] = {
        "macro_f1": round(float(fig["macro_f1"]), 4) if codes else None,
        "kappa": round(kappa, 4),
        "ac1": round(ac1, 4),
        "accuracy": round(float(fig["accuracy"]), 4),
        "n": len(gold),
    }
    if boot and k >= 2:
        for m in ("macro_f1", "kappa", "ac1"):
            lo, hi = _interval(boot[m])
            out[f"{m}_ci"] = [round(lo, 4), round(hi, 4)]
    return out


def labels_as_predictions(labels: Sequence[Labels]) -> list[Prediction]:
    """A human's coding in the machine's shape, so one `score` compares a coder with a coder."""
    out = []
    for lab in labels:
        pred = Prediction(1.0 if lab.is_claim else 0.0)
        for dim in SINGLE_DIMENSIONS:
            value = lab.single(dim)
            if value and value != NONE:
                pred.scores[dim] = {value: 1.0}
        for dim in MULTI_DIMENSIONS:
            pred.scores[dim] = {c: 1.0 for c in lab.multi(dim)}
        out.append(pred)
    return out


def versus_humans(machine: EvaluationResult, human_dims: dict[str, dict[str, Any]],
                  human_codes: dict[str, CodeScore], margin: float = 0.0) -> dict[str, Any]:
    """Where the machine agrees with the gold coder less well than a second person does.

    Per dimension (kappa) and per code (F1), the machine figure beside the human one; a code or dimension
    is flagged when the machine is below the human figure by more than `margin`."""
    dims: dict[str, Any] = {}
    for dim, h in human_dims.items():
        m = machine.per_dimension.get(dim) or {}
        hk, mk = h.get("kappa"), m.get("kappa")
        dims[dim] = {"machine_kappa": mk, "human_kappa": hk,
                     "machine_worse": None if hk is None or mk is None else bool(mk < hk - margin)}
    codes: dict[str, Any] = {}
    for code, hc in human_codes.items():
        mc = machine.per_code.get(code)
        if mc is None or hc.support == 0:
            continue
        codes[code] = {"machine_f1": round(mc.f1, 4), "human_f1": round(hc.f1, 4), "support": hc.support,
                       "machine_worse": bool(mc.f1 < hc.f1 - margin)}
    worse = sorted(c for c, v in codes.items() if v["machine_worse"])
    return {"per_dimension": dims, "per_code": codes, "machine_worse_codes": worse}


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
            dims, _ = score(labels, cp, bootstrap=0)
            curve[size] = {d: v.get("macro_f1") for d, v in dims.items()}
    return EvaluationResult(len(texts), folds, per_dim, per_code, curve)


def compare_suggesters(texts: Sequence[str], gold_labels: Sequence[Labels],
                       factories: dict[str, SuggesterFactory], folds: int = 5, *,
                       groups: Sequence[str] | None = None, learning_curve: Sequence[int] | None = None,
                       ) -> dict[str, EvaluationResult]:
    """Same folds for every suggester, so differences are the suggesters', not the split's."""
    return {name: evaluate(texts, gold_labels, f, folds, groups=groups, learning_curve=learning_curve)
            for name, f in factories.items()}
