"""Benchmark: applying a code from the browser, round trip, on a 10,000-segment project.

Builds a throwaway project (50 documents × 200 paragraphs), serves it with uvicorn on loopback,
and times POST /api/codings over real HTTP (UTF-16 offsets in, coding out) as the page's script
sends it. Prints a Markdown table. Goal: p95 under 100 ms.

    .venv/bin/python bench/bench_web_code.py [--requests 300]
"""
from __future__ import annotations

import argparse
import random
import socket
import statistics
import tempfile
import time
from pathlib import Path

import httpx

import voicetrace
from voicetrace.web.app import create_app
from voicetrace.web.security import Secrets
from voicetrace.web.server import BackgroundServer

WORDS = ["the", "group", "asked", "for", "a", "quiet", "room", "and", "new", "chairs", "in", "the", "waiting", "area", "while", "the", "trust", "reviewed", "parking", "charges", "and", "the", "leaflet", "was", "rewritten", "in", "plain", "English", "😀", "after", "the", "survey"]


def build(tmp: Path, sources: int, paragraphs: int) -> voicetrace.Project:
    rng = random.Random(7)
    corpus = tmp / "corpus"
    corpus.mkdir()
    for i in range(sources):
        paras = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40))) for _ in range(paragraphs)]
        (corpus / f"doc-{i:03d}.txt").write_text("\n\n".join(paras) + "\n", encoding="utf-8")
    p = voicetrace.create(tmp / "bench.db")
    rep = p.import_paths([corpus], case="Bench")
    assert rep.ok, rep.failed
    return p


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, round(q * (len(xs) - 1))))
    return xs[k]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--sources", type=int, default=50)
    ap.add_argument("--paragraphs", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        p = build(Path(d), args.sources, args.paragraphs)
        n_segments = sum(s.segments for s in p.sources())
        build_s = time.perf_counter() - t0
        sec = Secrets()
        app = create_app(p, secrets=sec, coder="bench")
        bg = BackgroundServer(app).__enter__()
        segs = p.segments()
        codes = ["care_environment", "access_to_services", "patient_information", "grassroots_operational"]
        rng = random.Random(11)
        headers = {"X-Voicetrace-Token": sec.token, "X-CSRF-Token": sec.csrf}
        times: list[float] = []
        first_ms = 0.0
        # Browsers set TCP_NODELAY; without it the client's Nagle delay (~40 ms) would be measured instead.
        transport = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        with httpx.Client(base_url=bg.url, headers=headers, transport=transport) as client:
            for i in range(args.requests + 1):
                g = rng.choice(segs)
                n16 = len(g.text.encode("utf-16-le")) // 2
                a = rng.randrange(0, n16 - 5)
                b = rng.randrange(a + 1, n16)
                body = {"segment_id": g.id, "code": rng.choice(codes), "start": a, "end": b}
                t = time.perf_counter()
                r = client.post("/api/codings", json=body)
                ms = (time.perf_counter() - t) * 1000
                assert r.status_code in (201, 400), r.text  # 400: a cut inside a surrogate pair snapped empty
                if i == 0:
                    first_ms = ms  # the first request loads the segment index
                else:
                    times.append(ms)
            t = time.perf_counter()
            client.get("/sources/doc-000.txt")
            page_ms = (time.perf_counter() - t) * 1000
        bg.__exit__()
        p.close()
    print(f"Applying a code, round trip over HTTP (POST /api/codings), {n_segments:,} segments "
          f"in {args.sources} sources; project built in {build_s:.1f} s.\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| requests | {len(times)} |")
    print(f"| first request (loads the segment index) | {first_ms:.1f} ms |")
    print(f"| p50 | {statistics.median(times):.1f} ms |")
    print(f"| p95 | {percentile(times, 0.95):.1f} ms |")
    print(f"| max | {max(times):.1f} ms |")
    print(f"| goal p95 | < 100 ms: {'met' if percentile(times, 0.95) < 100 else 'NOT met'} |")
    print(f"| reader page, {args.paragraphs}-paragraph source | {page_ms:.1f} ms |")


if __name__ == "__main__":
    main()
