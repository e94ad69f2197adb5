"""Issue 15, the stronger learned part: fine-tune the bundled MiniLM end to end on CPU, then code with it.

The encoder is trained on the training statements with its weights unfrozen, by one of two objectives:
* ``ce``: a cosine-softmax head per dimension (claim, level, domain, activity; class-balanced cross-entropy,
  heads started at the class means of the base model's vectors), the encoder trained through the heads;
* ``supcon``: SetFit-style contrastive training without heads — in each batch, passages with the same level
  (or the same domain) are pulled together and the others pushed apart (supervised contrastive loss);
* ``both``: the sum.
The fine-tuned encoder then replaces the ONNX MiniLM under the unchanged v2.1 coder (`classify`'s
CombinedSuggester settings: calibrated logistic heads on embedding + lexicon + zero-shot, where-it-landed
expert, claim prior), so the only thing that differs from the baseline row is the encoder.

Same data and views as `bench_classifier_quality.py --versions`: trained on the v2.1 seed (every
statements*.jsonl except the old held-out block), scored on the old held-out block, the held-out block in
unseen registers and the sample gold (none of which is trained on), plus grouped k-fold CV on the seed
with an encoder fine-tuned per fold (the baseline is scored on the same folds). Needs the [torch] extra.

Run: nice -n 10 .venv/bin/python bench/bench_finetune.py [--objective ce|supcon|both] [--epochs 2]
     [--folds 3] [--no-cv]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_classifier_quality as bq

from voicetrace.analysis.autocoding import (
    CachedEmbedder,
    CodeSpace,
    CombinedSuggester,
    SqliteCache,
    default_codebook,
    load_gold,
    load_statements,
    user_cache_dir,
)
from voicetrace.analysis.autocoding import finetune as tuned
from voicetrace.analysis.autocoding.defaults import Example, training_files
from voicetrace.analysis.autocoding.embedders import (
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    resolve_model_path,
)
from voicetrace.analysis.classify import CLASSIFY_SETTINGS
from voicetrace.analysis.evaluation import assign_folds

BASE = resolve_model_path(tuned=False)  # the packaged MiniLM even when `train-encoder` has made a tuned one


def finetune(train: Sequence[Example], space: CodeSpace, **kw: Any) -> Any:
    return tuned.finetune(train, space, base=BASE, **kw)


class TunedEmbedder(SentenceTransformerEmbedder):
    """The torch route over an in-memory fine-tuned model (long texts windowed as in LocalModel)."""

    def __init__(self, model: Any, tag: str) -> None:
        super().__init__(BASE)
        self._model = model
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim = int(getter())
        self.version = f"{self.version}+ft:{tag}"


def rows_for(factory: Callable[[], Any], vec: Any, train: Sequence[Example],
             tests: dict[str, list[Example]]) -> dict[str, list[Any]]:
    return {label: bq.fit_predict(factory, vec, train, t) for label, t in tests.items()}


def print_row(name: str, label: str, examples: Sequence[Example], preds: Sequence[Any]) -> None:
    s, g = bq.scores(examples, preds), bq.gated_claims(examples, preds)
    print(f"| {name} | {label} | {bq.cell(s, 'claim')} | {bq.cell(s, 'level')} | {bq.cell(s, 'domain')} | "
          f"{bq.cell(g, 'level')} | {bq.cell(g, 'domain')} |", flush=True)
    print(f"<!-- {name} | {label} | gated level F1 {g['level'].get('macro_f1', 0):.4f} kappa "
          f"{g['level'].get('kappa', 0):.4f}, domain F1 {g['domain'].get('macro_f1', 0):.4f} kappa "
          f"{g['domain'].get('kappa', 0):.4f} -->", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--objective", choices=("ce", "supcon", "both"), default="ce")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=3, help="grouped CV folds (bench_classifier_quality uses 5)")
    ap.add_argument("--no-cv", action="store_true")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--baseline-only", action="store_true", help="score the v2.1 baseline, no fine-tuning")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cache", type=Path, default=user_cache_dir() / "embeddings.sqlite3")
    args = ap.parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        import sentence_transformers  # noqa: F401
        import torch
    except ImportError:
        print("bench_finetune: needs the optional extra: pip install 'voicetrace[torch]'", file=sys.stderr)
        return 2

    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()

    def log(msg: str) -> None:
        print(f"<!-- {msg} -->", file=sys.stderr, flush=True)

    space = CodeSpace(default_codebook())
    folder = training_files()[0].parent
    seed = [e for p in training_files() if p.name != bq.HOLDOUT for e in load_statements(p)]
    tests = {"held-out block (old registers)": load_statements(folder / bq.HOLDOUT),
             "held-out, unseen registers": load_statements(folder / "heldout" / "unseen_registers.jsonl"),
             "sample gold": load_gold(space)}
    everything = seed + [e for t in tests.values() for e in t]
    settings = dict(CLASSIFY_SETTINGS)
    tag = f"{args.objective},e{args.epochs},lr{args.lr:g},b{args.batch},len{args.max_len},s{args.seed}"
    print(f"# Fine-tuned MiniLM under the v2.1 coder ({tag}; seed n={len(seed)}; CV {args.folds}-fold)\n")
    print("| coder | test set | claim | level | domain | level (claims, gated) | domain (claims, gated) |")
    print("|---|---|---|---|---|---|---|")
    fold = assign_folds([e.group for e in seed], args.folds, seed=0)
    if not args.no_baseline:
        base = CachedEmbedder(OnnxEmbedder(BASE), SqliteCache(args.cache))
        vec = bq.Vectors(base, everything)

        def factory_b() -> CombinedSuggester:
            return CombinedSuggester(space, base, **settings)

        if not args.no_cv:
            print_row("v2.1 (ONNX MiniLM)", f"seed {args.folds}-fold CV", seed,
                      bq.cross_validate(factory_b, vec, seed, args.folds))
        for label, preds in rows_for(factory_b, vec, seed, tests).items():
            print_row("v2.1 (ONNX MiniLM)", label, tests[label], preds)
    if args.baseline_only:
        return 0
    name = f"fine-tuned ({args.objective}, {args.epochs} ep, seed {args.seed})"
    t1 = time.perf_counter()
    model = finetune(seed, space, objective=args.objective, epochs=args.epochs, lr=args.lr, batch=args.batch,
                     max_len=args.max_len, seed=args.seed, log=log)
    log(f"fine-tune on {len(seed)}: {time.perf_counter() - t1:.0f} s")
    emb = TunedEmbedder(model, tag)
    t1 = time.perf_counter()
    vec = bq.Vectors(emb, everything)
    log(f"encode {len(vec.row)} texts: {time.perf_counter() - t1:.0f} s")

    def factory_t() -> CombinedSuggester:
        return CombinedSuggester(space, emb, **settings)

    for label, preds in rows_for(factory_t, vec, seed, tests).items():
        print_row(name, label, tests[label], preds)
    if not args.no_cv:
        preds_cv: list[Any] = [None] * len(seed)
        for f in range(args.folds):
            train = [e for e, k in zip(seed, fold) if k != f]
            idx = [i for i, k in enumerate(fold) if k == f]
            fm = finetune(train, space, objective=args.objective, epochs=args.epochs, lr=args.lr,
                          batch=args.batch, max_len=args.max_len, seed=args.seed, log=log)
            femb = TunedEmbedder(fm, f"{tag},fold{f}")
            fvec = bq.Vectors(femb, seed)

            def factory_f(femb: Any = femb) -> CombinedSuggester:
                return CombinedSuggester(space, femb, **settings)

            for i, p in zip(idx, bq.fit_predict(factory_f, fvec, train, [seed[i] for i in idx])):
                preds_cv[i] = p
            log(f"fold {f + 1}/{args.folds} done, {time.perf_counter() - t0:.0f} s")
        print_row(name, f"seed {args.folds}-fold CV", seed, preds_cv)
    print(f"\n_{time.perf_counter() - t0:.0f} s; load at end: {os.getloadavg()[0]:.1f}_")
    return 0


if __name__ == "__main__":
    sys.exit(main())
