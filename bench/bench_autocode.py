"""Benchmark machine-assisted coding: raw model throughput vs the combined suggester end to end, memory,
and (cross-validated) quality per suggester on the seed statements and the gold set when present.

Run: .venv/bin/python bench/bench_autocode.py [--n 2000] [--folds 5] [--no-quality]
Prints a Markdown section to paste into docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import random
import resource
import time
import tracemalloc

from voicetrace.analysis.autocoding.classifier import ClassifierSuggester
from voicetrace.analysis.autocoding.combined import CombinedSuggester
from voicetrace.analysis.autocoding.defaults import default_codebook, load_gold, load_statements
from voicetrace.analysis.autocoding.embedders import CachedEmbedder, local_embedder
from voicetrace.analysis.autocoding.lexicon import LexiconSuggester
from voicetrace.analysis.autocoding.predictions import CodeSpace
from voicetrace.analysis.autocoding.zeroshot import ZeroShotSuggester
from voicetrace.analysis.evaluation import compare_suggesters, evaluate

SUBJECTS = ["The patient panel", "Our Healthwatch team", "Carers on the forum", "The lay member", "Service users",
            "The PPI group", "Young people on the youth board", "Members of the partnership group"]
ACTIONS = ["asked for", "surveyed 120 people about", "lobbied the trust about", "reviewed the leaflet on",
           "co-designed", "raised concerns about", "were consulted on", "visited the ward to look at"]
TOPICS = ["parking charges", "the discharge pathway", "waiting-room seating", "appointment letters",
          "funding for a lymphoedema nurse", "the carers' strategy", "staff training on dementia",
          "the trial's consent form", "phone access to the clinic", "the terms of reference of the panel"]
OUTCOMES = ["and the change was introduced in May.", "; the board agreed to act.", "but nothing has changed yet.",
            "and the trust confirmed it will change this.", ".", "— the next meeting is on 3 June.",
            "and, as a result, the service now works differently on all wards."]


def synthetic(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        s = f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} {rng.choice(TOPICS)} {rng.choice(OUTCOMES)}"
        if rng.random() < 0.3:
            s += " " + " ".join(rng.choice(TOPICS) for _ in range(rng.randint(5, 40)))
        out.append(s)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-quality", action="store_true")
    args = ap.parse_args()
    texts = synthetic(args.n)
    space = CodeSpace(default_codebook())
    model = local_embedder()
    model.encode(["warm up"])  # load outside the timings
    seed = load_statements()

    combined = CombinedSuggester(space, CachedEmbedder(model)).fit([e.text for e in seed], [e.labels for e in seed])
    fresh = CombinedSuggester(space, model)  # uncached embedder: the end-to-end cost a new project pays
    fresh.classifier, fresh.n_trained, fresh.zeroshot = combined.classifier, combined.n_trained, combined.zeroshot
    fresh.zeroshot.embedder = model
    # The machine is shared, so raw and end-to-end timings alternate chunk by chunk: load drift hits both.
    raw = e2e = 0.0
    suggestions = []
    for start in range(0, len(texts), 250):
        chunk = texts[start:start + 250]
        t0 = time.perf_counter()
        model.encode(chunk)
        raw += time.perf_counter() - t0
        t0 = time.perf_counter()
        suggestions += fresh.suggest(chunk)
        e2e += time.perf_counter() - t0
    # tracemalloc slows allocation-heavy code a lot, so memory is measured on a separate, smaller pass
    tracemalloc.start()
    fresh.suggest(texts[:200])
    _, peak_py = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"## Autocoding ({args.n} synthetic segments, mean {sum(map(len, texts)) / len(texts):.0f} chars)\n")
    print("| measure | value |\n|---|---|")
    print(f"| raw encode ({model.name}, {model.threads} threads) | {args.n / raw:.0f} segments/s |")
    print(f"| combined suggester end to end | {args.n / e2e:.0f} segments/s |")
    print(f"| ratio end-to-end / raw (goal ≥ 0.8) | {raw / e2e:.2f} |")
    print(f"| suggestions produced | {sum(map(len, suggestions))} |")
    print(f"| peak Python heap, suggest on 200 segments (tracemalloc) | {peak_py / 1e6:.1f} MB |")
    print(f"| peak RSS of the process | {rss_mb:.0f} MB |\n")
    if args.no_quality:
        return

    emb = CachedEmbedder(model)
    factories = {
        "lexicon": lambda: LexiconSuggester(space),
        "zero-shot": lambda: ZeroShotSuggester(space, emb),
        "classifier": lambda: ClassifierSuggester(space, emb),
        "combined": lambda: CombinedSuggester(space, emb),
    }
    dims = ["claim", "level", "domain", "activity", "evidence", "status", "enabler", "barrier"]
    sets = [("seed statements", seed)]
    gold = load_gold(space)
    if gold:
        sets.append(("sample-study gold", gold))
    for title, data in sets:
        res = compare_suggesters([e.text for e in data], [e.labels for e in data], factories, folds=args.folds,
                                 groups=[e.group for e in data])
        print(f"### {title}: {len(data)} passages, {args.folds}-fold grouped CV — macro-F1 / Cohen's kappa\n")
        print("| suggester | " + " | ".join(dims) + " |\n" + "|---" * (len(dims) + 1) + "|")
        for name, r in res.items():
            cells = []
            for d in dims:
                v = r.per_dimension.get(d, {})
                f1, k = v.get("macro_f1"), v.get("kappa")
                cells.append("-" if f1 is None else f"{f1:.2f}" + ("" if k is None else f" / {k:.2f}"))
            print(f"| {name} | " + " | ".join(cells) + " |")
        print()
        curve = evaluate([e.text for e in data], [e.labels for e in data], factories["combined"], args.folds,
                         groups=[e.group for e in data]).learning_curve
        if curve:
            print(f"Learning curve (combined, macro-F1 by training size) on {title}:\n")
            print("| trained on | " + " | ".join(dims[:4]) + " |\n" + "|---" * 5 + "|")
            for size, v in curve.items():
                print(f"| {size} | " + " | ".join("-" if v.get(d) is None else f"{v[d]:.2f}" for d in dims[:4]) + " |")
            print()


if __name__ == "__main__":
    main()
