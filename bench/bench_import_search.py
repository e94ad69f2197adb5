"""Import and search benchmarks (issue: the spine). Prints a Markdown table; never asserts timings.

    .venv/bin/python bench/bench_import_search.py [--segments 100000]

1. Import the bundled sample corpus (98 mixed DOCX/PDF/ODT/HTML/TXT/MD files) into a new project.
2. Generate a synthetic corpus of N segments, import it, and time selective and broad FTS queries.
3. Peak memory of the import (tracemalloc) against the largest single file.
"""
from __future__ import annotations

import argparse
import platform
import resource
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import voicetrace
from voicetrace.sample.build import build_corpus
from voicetrace.sample.synth import generate_corpus


def timed(fn, *a, **k):
    t = time.perf_counter()
    r = fn(*a, **k)
    return r, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--segments", type=int, default=100_000)
    args = ap.parse_args()
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        corpus = build_corpus(d / "sample")
        n_files = sum(1 for p in corpus.rglob("*") if p.is_file() and p.suffix != ".csv")
        with voicetrace.create(d / "sample.db") as p:
            rep, secs = timed(p.import_paths, [corpus])
        rows.append((f"import sample corpus ({n_files} mixed files, {sum(n for *_, n in rep.imported)} segments)",
                     f"{secs:.2f} s ({secs / n_files * 1000:.0f} ms per file)"))

        synth, gen_secs = timed(generate_corpus, d / "synth", args.segments)
        files = [p for p in synth.rglob("*.txt")]
        largest = max(p.stat().st_size for p in files)
        tracemalloc.start()
        with voicetrace.create(d / "synth.db") as p:
            rep, secs = timed(p.import_paths, [synth])
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            nseg = sum(n for *_, n in rep.imported)
            rows.append((f"import synthetic corpus ({len(files)} files, {nseg} segments)",
                         f"{secs:.1f} s ({nseg / secs:,.0f} segments/s); generation {gen_secs:.1f} s"))
            rows.append(("import peak Python memory (tracemalloc)",
                         f"{peak / 2**20:.1f} MiB; largest file {largest / 2**20:.2f} MiB"))
            selective = ["zebracrossing", "refurbished", "wheelchair", "\"quiet room\"", "Saltby", "jargon"]
            broad = ["the", "group", "patients"]
            for label, queries in (("selective", selective), ("broad", broad)):
                times = []
                hits = 0
                for _ in range(5):
                    for q in queries:
                        r, s = timed(p.search, q, limit=50)
                        times.append(s * 1000)
                        hits = max(hits, len(r))
                times.sort()
                rows.append((f"search, {label} queries ({', '.join(queries)}), top 50",
                             f"p50 {statistics.median(times):.2f} ms, p95 {times[int(0.95 * len(times)) - 1]:.2f} ms"))
            r, s = timed(p.search, "group", limit=100_000)
            rows.append(("search, broad query returning every hit", f"{len(r):,} hits in {s * 1000:.0f} ms"))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {platform.processor() or platform.machine()}, {platform.python_version()}, peak RSS {rss:.0f} MiB\n")
    print("| measurement | result |\n|---|---|")
    for a, b in rows:
        print(f"| {a} | {b} |")


if __name__ == "__main__":
    main()
