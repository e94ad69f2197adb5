"""How well the machine coder agrees with human coding, as a Markdown table.

Three views, none of which the model was tuned on except the first:
* grouped 5-fold CV on the seed statements (statements.jsonl + statements_more.jsonl — what the defaults
  were tuned on),
* the held-out block (statements_holdout.jsonl: registers the tuning text does not use — social posts,
  spoken quotes, action logs, newsletters, research-paper sentences), scored by a model trained on the
  seed statements only,
* the sample-study gold quotes (a different domain: 2008 UK cancer network groups), same model.
Then the claim-threshold sweep on the CV predictions, which is how `Thresholds.claim` was chosen.

Run: .venv/bin/python bench/bench_classifier_quality.py [--cache PATH] [--fake]
Embeddings are cached (user cache dir by default), so reruns take a couple of minutes.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from voicetrace.analysis.autocoding import (
    CachedEmbedder,
    ClassifierSuggester,
    CodeSpace,
    CombinedSuggester,
    FakeEmbedder,
    LexiconSuggester,
    Prediction,
    SqliteCache,
    ZeroShotSuggester,
    default_codebook,
    load_gold,
    load_statements,
    local_embedder,
    user_cache_dir,
)
from voicetrace.analysis.autocoding.defaults import Example, training_files
from voicetrace.analysis.classify import CLASSIFY_SETTINGS
from voicetrace.analysis.evaluation import _single, assign_folds, predicted_label

DIMS = ("claim", "level", "domain", "activity")
HOLDOUT = "statements_holdout.jsonl"
THRESHOLDS = (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)


def scores(examples: Sequence[Example], preds: Sequence[Prediction], threshold: float = 0.5) -> dict[str, Any]:
    labels = [e.labels for e in examples]
    out = {"claim": _single(["claim" if lab.is_claim else "none" for lab in labels],
                            ["claim" if p.is_claim >= threshold else "none" for p in preds], {})}
    for dim in DIMS[1:]:
        pairs = [(lab.single(dim), predicted_label(p, dim, threshold)) for lab, p in zip(labels, preds)
                 if lab.single(dim) != ""]
        out[dim] = _single([g for g, _ in pairs], [q for _, q in pairs], {})
    return out


class Vectors:
    """Embeds every text once; folds then slice the matrix."""

    def __init__(self, embedder: Any, examples: Sequence[Example]) -> None:
        texts = sorted({e.text for e in examples})
        self.row = {t: i for i, t in enumerate(texts)}
        self.matrix = embedder.encode(texts)

    def of(self, examples: Sequence[Example]) -> np.ndarray:
        return self.matrix[[self.row[e.text] for e in examples]]


def fit_predict(factory: Callable[[], Any], vec: Vectors, train: Sequence[Example],
                test: Sequence[Example]) -> list[Prediction]:
    model = factory()
    texts = [e.text for e in test]
    if isinstance(model, LexiconSuggester):
        return model.predict(texts)
    if isinstance(model, ZeroShotSuggester):
        return model.predict_vectors(vec.of(test))
    model.fit_vectors(vec.of(train), [e.labels for e in train], [e.text for e in train])
    if isinstance(model, CombinedSuggester):
        return model.predict_with_vectors(texts, vec.of(test))
    return model.predict_vectors(vec.of(test), texts)


def cross_validate(factory: Callable[[], Any], vec: Vectors, data: Sequence[Example],
                   folds: int = 5) -> list[Prediction]:
    fold = assign_folds([e.group for e in data], folds, seed=0)
    preds: list[Prediction | None] = [None] * len(data)
    for f in range(folds):
        train = [e for e, k in zip(data, fold) if k != f]
        idx = [i for i, k in enumerate(fold) if k == f]
        for i, p in zip(idx, fit_predict(factory, vec, train, [data[i] for i in idx])):
            preds[i] = p
    return [p for p in preds if p is not None]


def cell(s: dict[str, Any], dim: str) -> str:
    d = s.get(dim) or {}
    return f"{d.get('macro_f1', 0):.2f} / {d.get('kappa', 0):.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=user_cache_dir() / "embeddings.sqlite3")
    ap.add_argument("--fake", action="store_true", help="hashing embedder instead of the real model (smoke test)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    space = CodeSpace(default_codebook())
    files = training_files()
    seed = [e for p in files if p.name != HOLDOUT for e in load_statements(p)]
    holdout = [e for p in files if p.name == HOLDOUT for e in load_statements(p)]
    gold = load_gold(space)
    inner: Any = FakeEmbedder() if args.fake else local_embedder()
    emb = CachedEmbedder(inner, SqliteCache(args.cache))
    vec = Vectors(emb, seed + holdout + gold)
    factories: dict[str, Callable[[], Any]] = {
        "lexicon": lambda: LexiconSuggester(space),
        "zero-shot": lambda: ZeroShotSuggester(space, emb),
        "classifier": lambda: ClassifierSuggester(space, emb),
        "combined (classify settings)": lambda: CombinedSuggester(space, emb, **CLASSIFY_SETTINGS),
    }
    print(f"# Classifier quality ({emb.name}; seed n={len(seed)}, held-out n={len(holdout)}, "
          f"sample gold n={len(gold)})\n")
    print("macro-F1 / Cohen's kappa; `none` (not a claim) counts as a category.\n")
    print("| suggester | test set | " + " | ".join(DIMS) + " |")
    print("|---|---|" + "---|" * len(DIMS))
    cv_combined: list[Prediction] = []
    for name, factory in factories.items():
        cv = cross_validate(factory, vec, seed)
        if name.startswith("combined"):
            cv_combined = cv
        rows = [("seed 5-fold CV", scores(seed, cv)),
                ("held-out block", scores(holdout, fit_predict(factory, vec, seed, holdout))),
                ("sample gold", scores(gold, fit_predict(factory, vec, seed, gold)))]
        for label, s in rows:
            print(f"| {name} | {label} | " + " | ".join(cell(s, d) for d in DIMS) + " |")
    print("\n## Claim threshold sweep (combined, seed CV)\n")
    print("| threshold | " + " | ".join(DIMS) + " |")
    print("|---|" + "---|" * len(DIMS))
    for t in THRESHOLDS:
        s = scores(seed, cv_combined, t)
        print(f"| {t:.2f} | " + " | ".join(cell(s, d) for d in DIMS) + " |")
    print(f"\n_{time.perf_counter() - t0:.0f} s; embeddings cached in {args.cache}_")
    return 0


if __name__ == "__main__":
    sys.exit(main())
