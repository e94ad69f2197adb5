"""`autocode` end to end on a fresh project vs the raw ONNX encode of the same segments, in one run.

Run: .venv/bin/python bench/bench_autocode_e2e.py [--n 1000] [--torch]
The project is new (no embeddings cached, no fitted model); the per-user caches of packaged text
(seed statements, codebook prototypes, the seed-only fit) are warm, as on any machine that has run
autocode once (warming them is timed too). Raw encode is timed before and after the end-to-end run and averaged, so load drift on a shared
machine hits both sides. With --torch (and the [torch] extra installed) the torch route's raw encode
rate is measured in the same run. Prints a Markdown section for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_autocode import synthetic

import voicetrace
from voicetrace.analysis.autocoding.embedders import (
    LocalModel,
    OnnxEmbedder,
    SentenceTransformerEmbedder,
)
from voicetrace.services.autocode import autocode_project


def clock(fn):  # type: ignore[no-untyped-def]
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0, time.process_time() - c0


def raw_rate(model: LocalModel, texts: list[str]) -> tuple[float, float]:
    _, wall, cpu = clock(lambda: model.encode(texts))
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--torch", action="store_true")
    args = ap.parse_args()
    texts = synthetic(args.n, seed=7)
    work = Path(tempfile.mkdtemp(prefix="vt-autocode-"))
    corpus = work / "corpus"
    corpus.mkdir()
    for i in range(0, len(texts), 50):  # 50 passages a file, one paragraph each
        (corpus / f"minutes-{i // 50:03d}.txt").write_text("\n\n".join(texts[i:i + 50]) + "\n", encoding="utf-8")
    p = voicetrace.create(work / "bench.db")
    p.import_paths([corpus], case="Bench")
    segs = [s.text for s in p.segments()]

    raw = OnnxEmbedder()
    raw.encode(["warm up"])  # graph build/load outside the timings
    # Warm the per-user caches (seed-statement and prototype vectors, the seed-only fit) with a one-file
    # project, as any earlier autocode or classify on this machine would; its time is the one-off cost.
    warm = voicetrace.create(work / "warm.db")
    (work / "warm").mkdir()
    (work / "warm" / "one.txt").write_text(texts[0] + "\n", encoding="utf-8")
    warm.import_paths([work / "warm"], case="Warm")
    _, cold_wall, _ = clock(lambda: autocode_project(warm, embedder=OnnxEmbedder(), by="bench"))
    warm.close()
    w1, c1 = raw_rate(raw, segs)
    (n, _, _, _), e2e_wall, e2e_cpu = clock(lambda: autocode_project(p, embedder=OnnxEmbedder(), by="bench"))
    w2, c2 = raw_rate(raw, segs)
    raw_wall, raw_cpu = (w1 + w2) / 2, (c1 + c2) / 2
    torch_row = ""
    if args.torch:
        try:
            st = SentenceTransformerEmbedder()
            st.encode(["warm up"])
            tw, tc = raw_rate(st, segs)
            ow, oc = raw_rate(raw, segs)
            torch_row = (f"| raw encode, torch route (same run) | {len(segs) / tw:.1f} segments/s wall, "
                         f"{len(segs) / tc:.1f} per CPU-s (ONNX right after: {len(segs) / ow:.1f} wall, "
                         f"{len(segs) / oc:.1f} per CPU-s) |\n")
        except Exception as exc:  # noqa: BLE001 - the extra is optional
            torch_row = f"| raw encode, torch route | not measured ({exc}) |\n"
    p.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mean_chars = sum(map(len, segs)) / len(segs)
    print(f"## autocode end to end vs raw encode ({len(segs)} segments, mean {mean_chars:.0f} chars, fresh project)\n")
    print("| measure | value |\n|---|---|")
    print(f"| raw ONNX encode ({raw.threads} threads) | {len(segs) / raw_wall:.1f} segments/s wall, "
          f"{len(segs) / raw_cpu:.1f} per CPU-s |")
    print(f"| `autocode` end to end (train on seed, encode, suggest, store {n} suggestions) | "
          f"{len(segs) / e2e_wall:.1f} segments/s wall, {len(segs) / e2e_cpu:.1f} per CPU-s |")
    print(f"| ratio end to end / raw, wall (goal ≥ 0.8) | {raw_wall / e2e_wall:.2f} |")
    print(f"| ratio end to end / raw, CPU | {raw_cpu / e2e_cpu:.2f} |")
    print(f"| one-off: autocode of a one-segment project with these per-user caches as found | {cold_wall:.1f} s |")
    print(torch_row + f"| peak RSS | {rss:.0f} MB |")
    print(f"| 1-min load average at the end | {os.getloadavg()[0]:.1f} |\n")


if __name__ == "__main__":
    main()
