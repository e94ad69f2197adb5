"""Run every benchmark one after another and write docs/benchmarks.md (numbers, machine, date, command).

    make bench        # or: .venv/bin/python bench/run_all.py [--quick]

Benchmarks measure; tests never assert timings. Run on a quiet machine: numbers taken while other
work shares the two cores are noted as such in the file by whoever runs it.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHES = [
    ("Import and search (issue: the spine)", ["bench/bench_import_search.py"], ["--segments", "100000"]),
    ("PDF reading", ["bench/bench_ingest_pdf.py"], []),
    ("Machine-assisted coding: throughput, memory, quality", ["bench/bench_autocode.py"], ["--n", "500"]),
    ("Classifier quality (seed statements, held-out block, sample gold)", ["bench/bench_classifier_quality.py"], []),
    ("Web app: applying a code, round trip", ["bench/bench_web_code.py"], ["--requests", "100"]),
    ("autocode end to end vs raw ONNX encode (issue 12)", ["bench/bench_autocode_e2e.py"], ["--n", "600", "--torch"]),
    ("Install size and CLI start-up (issue 12)", ["bench/bench_install.py"], []),
    ("Claims against the sample study's bible", ["bench/bench_claims.py"], []),
    ("Claims at scale: propose and merge", ["bench/bench_claims.py"], ["--scale", "100000"]),
]


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{cpu or platform.machine()}, {os.cpu_count()} cores{mem}; Python {platform.python_version()}; {platform.system()}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = ap.parse_args()
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    parts = [f"# Benchmarks\n\nWritten by `bench/run_all.py` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.\n\n"
             f"Machine: {machine()}.\n"]
    for title, script, default_args in BENCHES:
        cmd = [sys.executable, *script, *([] if args.quick else default_args)]
        t = time.time()
        r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        took = time.time() - t
        body = r.stdout.strip() if r.returncode == 0 else f"FAILED (exit {r.returncode}):\n\n```\n{r.stderr[-2000:]}\n```"
        parts.append(f"\n## {title}\n\nCommand: `{' '.join(['.venv/bin/python', *script, *([] if args.quick else default_args)])}` "
                     f"({took:.0f} s)\n\n{body}\n")
        print(f"{title}: {'ok' if r.returncode == 0 else 'FAILED'} in {took:.0f} s", flush=True)
    args.out.write_text("".join(parts), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
