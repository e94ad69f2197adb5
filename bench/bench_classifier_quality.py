"""How well the machine coder agrees with human coding, as a Markdown table.

Three views, none of which the model was tuned on except the first:
* grouped 5-fold CV on the seed statements (statements.jsonl + statements_more.jsonl — what the defaults
  were tuned on),
* the held-out block (statements_holdout.jsonl: registers the tuning text does not use — social posts,
  spoken quotes, action logs, newsletters, research-paper sentences), scored by a model trained on the
  seed statements only,
* the sample-study gold quotes (a different domain: 2008 UK cancer network groups), same model.
Then the claim-threshold sweep on the CV predictions, which is how `Thresholds.claim` was chosen.

`--versions` instead compares the present coder (before the 2026-12 round: statements.jsonl +
statements_more.jsonl, no claim prior) with v2 (plus statements_registers.jsonl, claim prior 0.95) and
v2.1 (plus the where-it-landed level expert, analysis.autocoding.landing, and statements_landing.jsonl)
and v2.2 (plus the level distribution restated for 18 % national, CLASSIFY_SETTINGS["material_mix"]; a
row adds candidates/where_national.jsonl, measured and not adopted)
on the same four views plus the held-out block in unseen registers (heldout/unseen_registers.jsonl). Real
statements are ~95 % claims, our test sets 15–47 % non-claims, so a "claims, gated" column scores the
passages people coded as claims only, with the claim gate applied — the closest these sets come to the
material `classify` is judged on.

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


PRESENT_FILES = ("statements.jsonl", "statements_more.jsonl")
LANDING_FILE = "statements_landing.jsonl"  # added with v2.1
WHERE_FILE = "candidates/where_national.jsonl"  # tried as v2.3 (level labels only), not adopted


def gated_claims(examples: Sequence[Example], preds: Sequence[Prediction]) -> dict[str, Any]:
    """Level and domain on the passages coded as claims, with the claim gate applied (a rejected claim
    scores as "none"): the view of material that is nearly all claims."""
    out = {}
    for dim in ("level", "domain"):
        pairs = [(e.labels.single(dim), predicted_label(p, dim)) for e, p in zip(examples, preds)
                 if e.labels.is_claim and e.labels.single(dim)]
        out[dim] = _single([g for g, _ in pairs], [q for _, q in pairs], {})
    return out


def versions(emb: Any, space: CodeSpace) -> None:
    folder = training_files()[0].parent
    seed_new = [e for p in training_files() if p.name != HOLDOUT for e in load_statements(p)]
    seed_old = [e for name in PRESENT_FILES for e in load_statements(folder / name)]
    seed_v2 = [e for p in training_files() if p.name not in (HOLDOUT, LANDING_FILE) for e in load_statements(p)]
    seed_v23 = seed_new + load_statements(folder / WHERE_FILE)
    tests = {"held-out block (old registers)": load_statements(folder / HOLDOUT),
             "held-out, unseen registers": load_statements(folder / "heldout" / "unseen_registers.jsonl"),
             "sample gold": load_gold(space)}
    vec = Vectors(emb, seed_v23 + [e for t in tests.values() for e in t])
    present = {k: v for k, v in CLASSIFY_SETTINGS.items() if k not in ("claim_prior", "landing", "material_mix")}
    v2 = {k: v for k, v in CLASSIFY_SETTINGS.items() if k not in ("landing", "material_mix")}
    v21 = {k: v for k, v in CLASSIFY_SETTINGS.items() if k != "material_mix"}
    coders: dict[str, tuple[Callable[[], Any], list[Example]]] = {
        "present (v1)": (lambda: CombinedSuggester(space, emb, **present), seed_old),
        "v2 (2026-12-01)": (lambda: CombinedSuggester(space, emb, **v2), seed_v2),
        "v2.1 (2026-12-02: + landing expert)": (lambda: CombinedSuggester(space, emb, **v21), seed_new),
        "v2.2 (classify: + 18 % national level mix)": (
            lambda: CombinedSuggester(space, emb, **CLASSIFY_SETTINGS), seed_new),
        "v2.2 + where-national candidates (not adopted)": (
            lambda: CombinedSuggester(space, emb, **CLASSIFY_SETTINGS), seed_v23),
    }
    print(f"# Machine coder v1 vs v2 vs v2.1 vs v2.2 ({emb.name}; seed n: v1 {len(seed_old)}, "
          f"v2 {len(seed_v2)}, v2.1/v2.2 {len(seed_new)}, + candidates {len(seed_v23)})\n")
    print("macro-F1 / Cohen's kappa. CV: grouped 5-fold on the v2.2 seed (same folds for every coder, each "
          "with its own settings). \"claims, gated\": passages coded as claims only, claim gate applied.\n")
    print("| coder | test set | claim | level | domain | level (claims, gated) | domain (claims, gated) |")
    print("|---|---|---|---|---|---|---|")
    for name, (factory, train) in coders.items():
        rows = [("v2.2 seed 5-fold CV", seed_new, cross_validate(factory, vec, seed_new))]
        rows += [(label, t, fit_predict(factory, vec, train, t)) for label, t in tests.items()]
        for label, t, preds in rows:
            s, g = scores(t, preds), gated_claims(t, preds)
            print(f"| {name} | {label} | {cell(s, 'claim')} | {cell(s, 'level')} | {cell(s, 'domain')} | "
                  f"{cell(g, 'level')} | {cell(g, 'domain')} |", flush=True)
            # four places for adoption rules that compare gated level/domain macro-F1 (stdout stays the table)
            print(f"{name} | {label} | gated level {g['level']['macro_f1']:.4f} domain {g['domain']['macro_f1']:.4f}",
                  file=sys.stderr, flush=True)
    classify_view(emb, space, vec, {"v2.1": v21, "v2.2 (classify)": dict(CLASSIFY_SETTINGS)})


def classify_view(emb: Any, space: CodeSpace, vec: Vectors, coders: dict[str, dict[str, Any]],
                  folds: int = 5) -> None:
    """The coders as `classify` fits them (every statements file, the old held-out block and the sample
    gold): the unseen-registers block scored by that model, and the gold in grouped CV over its source
    files with every statement in each training fold. The level mix `classify` restates from is this
    training text's (~10 % national), not the seed's, so this is the view of the shipped setting."""
    folder = training_files()[0].parent
    statements = [e for p in training_files() for e in load_statements(p)]
    gold = load_gold(space)
    unseen = load_statements(folder / "heldout" / "unseen_registers.jsonl")
    fold = assign_folds([e.group for e in gold], folds, seed=0)
    print(f"\n## As `classify` trains (statements n={len(statements)} + sample gold n={len(gold)})\n")
    print("claims, gated: macro-F1 / Cohen's kappa.\n")
    print("| coder | unseen registers level | unseen registers domain | gold CV level | gold CV domain |")
    print("|---|---|---|---|---|")
    for name, settings in coders.items():
        factory = lambda settings=settings: CombinedSuggester(space, emb, **settings)
        u = gated_claims(unseen, fit_predict(factory, vec, statements + gold, unseen))
        preds: list[Prediction | None] = [None] * len(gold)
        for f in range(folds):
            idx = [i for i, k in enumerate(fold) if k == f]
            train = statements + [e for e, k in zip(gold, fold) if k != f]
            for i, p in zip(idx, fit_predict(factory, vec, train, [gold[i] for i in idx])):
                preds[i] = p
        g = gated_claims(gold, [p for p in preds if p is not None])
        print(f"| {name} | {cell(u, 'level')} | {cell(u, 'domain')} | {cell(g, 'level')} | {cell(g, 'domain')} |",
              flush=True)
        print(f"{name} | classify view | unseen gated level {u['level']['macro_f1']:.4f} domain "
              f"{u['domain']['macro_f1']:.4f} | gold CV gated level {g['level']['macro_f1']:.4f} domain "
              f"{g['domain']['macro_f1']:.4f}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=user_cache_dir() / "embeddings.sqlite3")
    ap.add_argument("--fake", action="store_true", help="hashing embedder instead of the real model (smoke test)")
    ap.add_argument("--versions", action="store_true", help="present coder (v1) vs new (v2) instead")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    if args.versions:
        inner0: Any = FakeEmbedder() if args.fake else local_embedder()
        versions(CachedEmbedder(inner0, SqliteCache(args.cache)), CodeSpace(default_codebook()))
        print(f"\n_{time.perf_counter() - t0:.0f} s; embeddings cached in {args.cache}_")
        return 0
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
