"""Scale benchmarks at 10^4, 10^5 and 10^6 segments (issue 12, data path). Prints numbers; never asserts.

    .venv/bin/python bench/bench_scale.py build --segments 100000     # once per size; reused afterwards
    .venv/bin/python bench/bench_scale.py run --segments 100000        # every measurement, one at a time
    .venv/bin/python bench/bench_scale.py table                        # Markdown table of all sizes run

``build`` generates a corpus with ``voicetrace.sample.synth``, imports it with the ``voicetrace import``
command in a child process (wall time and the child's peak RSS), then codes a share of the segments
(10 % below 10^6 segments, 1 % at 10^6) as coder ``bench``: each coded passage gets a level, a domain and
an activity, and every other one a status. The coding is fixture setup written straight into the
tables in one transaction (so it takes seconds, not the hours the per-click API would need to code
10^5 passages); ``run`` then measures the per-click API separately. Projects and results live under
``$VOICETRACE_BENCH_DIR`` (default /tmp/h12data-bench) so the 10^6 import happens once.

Each heavy step of ``run`` (claims, report, web) is its own child process so that its peak RSS is its own.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASE = Path(os.environ.get("VOICETRACE_BENCH_DIR", "/tmp/h12data-bench"))
VOICETRACE = str(Path(sys.executable).with_name("voicetrace"))

SELECTIVE = ["zebracrossing", "refurbished", "wheelchair", "\"quiet room\"", "Saltby", "jargon"]
BROAD = ["the", "group", "patients"]


SHARE = float(os.environ.get("VOICETRACE_BENCH_CODED", "0") or 0)  # e.g. 0.1: code 10 % at any size


def tag(n: int) -> str:
    """A project's name: its size, and the coded share when it is not the default one."""
    return f"{n}" if not SHARE else f"{n}-coded{round(SHARE * 100)}"


def project(n: int) -> Path:
    return BASE / f"p{tag(n)}.db"


def results_file(n: int) -> Path:
    return BASE / f"results-{tag(n)}.json"


def load_results(n: int) -> dict[str, Any]:
    f = results_file(n)
    return json.loads(f.read_text()) if f.exists() else {}


def save_result(n: int, key: str, value: Any) -> None:
    res = load_results(n)
    res[key] = value
    results_file(n).write_text(json.dumps(res, indent=1))


def run_child(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MiB) and stdout of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    wall = time.perf_counter() - t
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: right for the one import `build` runs;
    # the steps of `run` report their own peak instead.
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.strip()[-2000:]}")
    return wall, rss, out


def coded_share(n: int) -> float:
    if SHARE:
        return SHARE
    return 0.01 if n >= 1_000_000 else 0.10


def build(n: int) -> None:
    BASE.mkdir(parents=True, exist_ok=True)
    db = project(n)
    if db.exists() and load_results(n).get("coded"):
        print(f"{db} exists; reusing it")
        return
    corpus = BASE / f"corpus{n}"  # one corpus per size, whatever share of it is coded
    if not corpus.exists():
        subprocess.run([sys.executable, "-m", "voicetrace.sample.synth", str(corpus), "--segments", str(n)],
                       check=True, stdout=subprocess.DEVNULL)
    if db.exists():
        db.unlink()
    subprocess.run([VOICETRACE, "init", str(db)], check=True, stdout=subprocess.DEVNULL)
    wall, rss, _ = run_child([VOICETRACE, "import", str(db), str(corpus)])
    save_result(n, "import", {"seconds": wall, "rss_mib": rss})
    print(f"import {n}: {wall:.1f} s, peak RSS {rss:.0f} MiB")
    code_fixture(db, n)


def code_fixture(db: Path, n: int) -> None:
    rng = random.Random(12)
    con = sqlite3.connect(db)
    codes: dict[str, list[str]] = {}
    for cid, parent in con.execute("SELECT id, parent_id FROM codes WHERE codable"):
        codes.setdefault(parent, []).append(cid)
    segs = con.execute("SELECT id, source_id, start, \"end\", text FROM segments").fetchall()
    chosen = rng.sample(segs, max(1, int(len(segs) * coded_share(n))))
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rows = []
    for i, (sid, src, start, end, txt) in enumerate(chosen):
        picks = [rng.choice(codes["level"]), rng.choice(codes["domain"]), rng.choice(codes["activity"])]
        if i % 2:
            picks.append(rng.choice(codes["status"]))
        rows += [(src, start, end, txt, c, "bench", "human", now, sid) for c in picks]
    with con:
        con.executemany('INSERT INTO codings(source_id, start, "end", text, code_id, coder, origin, created_at, '
                        "segment_id) VALUES (?,?,?,?,?,?,?,?,?)", rows)
    con.close()
    save_result(n, "coded", {"passages": len(chosen), "codings": len(rows), "segments": len(segs)})
    print(f"coded {len(chosen)} passages ({len(rows)} codings) of {len(segs)} segments")


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def summary_ms(xs: list[float]) -> dict[str, float]:
    return {"p50_ms": statistics.median(xs) * 1000, "p95_ms": pct(xs, 0.95) * 1000, "n": len(xs)}


# ---------------------------------------------------------------------------------------- steps
def step_open(n: int) -> dict[str, Any]:
    """Opening the project the first time with this voicetrace (applies pending migrations)."""
    import voicetrace
    t = time.perf_counter()
    voicetrace.open(project(n)).close()
    return {"seconds": time.perf_counter() - t}


def step_code(n: int) -> dict[str, Any]:
    """Project.code on random sources, then undone, so the project is left as it was."""
    import voicetrace
    rng = random.Random(1)
    with voicetrace.open(project(n)) as p:
        con = sqlite3.connect(project(n))
        srcs = con.execute("SELECT name, chars FROM sources").fetchall()
        con.close()
        times, made = [], []
        for _ in range(60):
            name, chars = rng.choice(srcs)
            a = rng.randrange(0, max(1, chars - 40))
            t = time.perf_counter()
            rec = p.code(name, a, a + 30, "grassroots_operational", coder="bench-click")
            times.append(time.perf_counter() - t)
            made.append(rec.id)
        for cid in made:
            p.uncode(cid, actor="bench")
    return summary_ms(times[5:])


def step_search(n: int) -> dict[str, Any]:
    import voicetrace
    out: dict[str, Any] = {}
    with voicetrace.open(project(n)) as p:
        for label, queries in (("selective", SELECTIVE), ("broad", BROAD)):
            times = []
            for _ in range(5):
                for q in queries:
                    t = time.perf_counter()
                    p.search(q, limit=50)
                    times.append(time.perf_counter() - t)
            out[label] = summary_ms(times)
    return out


def step_claims(n: int) -> dict[str, Any]:
    import voicetrace
    with voicetrace.open(project(n)) as p:
        t = time.perf_counter()
        built = p.build_claims()
        first = time.perf_counter() - t
        t = time.perf_counter()
        p.build_claims()
        again = time.perf_counter() - t
    return {"build_s": first, "rebuild_s": again, "claims": built if isinstance(built, int) else None}


def step_report(n: int) -> dict[str, Any]:
    import voicetrace
    out_dir = BASE / f"report{n}"
    out_dir.mkdir(exist_ok=True)
    from voicetrace.reports import build_content, write_html, write_xlsx
    with voicetrace.open(project(n)) as p:
        t = time.perf_counter()
        data = p.report_data()
        load = time.perf_counter() - t
        # as `voicetrace report --out --xlsx` does: the content once, shared by both documents
        t = time.perf_counter()
        content = build_content(data)
        built = time.perf_counter() - t
        t = time.perf_counter()
        write_html(data, out_dir / "report.html", content)
        html = time.perf_counter() - t
        t = time.perf_counter()
        write_xlsx(data, out_dir / "report.xlsx", content)
        xlsx = time.perf_counter() - t
    return {"load_s": load, "content_s": built, "html_s": html, "xlsx_s": xlsx,
            "html_mib": (out_dir / "report.html").stat().st_size / 2**20,
            "xlsx_mib": (out_dir / "report.xlsx").stat().st_size / 2**20}


def step_web(n: int) -> dict[str, Any]:
    """Server time per page through the ASGI app in-process (no network), median of a few requests."""
    from fastapi.testclient import TestClient

    import voicetrace
    from voicetrace.web.app import create_app
    p = voicetrace.open(project(n))
    con = sqlite3.connect(project(n))
    src = con.execute("SELECT s.name FROM sources s ORDER BY s.id LIMIT 1").fetchone()[0]
    claim = con.execute("SELECT id FROM claims ORDER BY id LIMIT 1").fetchone()
    con.close()
    from urllib.parse import quote

    from voicetrace.web.security import Secrets
    client = TestClient(create_app(p, secrets=Secrets(token="t", csrf="c"), coder="bench"),
                        base_url="http://127.0.0.1", headers={"X-Voicetrace-Token": "t", "X-CSRF-Token": "c"})
    pages = {"overview": "/", "matrix": "/matrix", "claims": "/claims", "search (broad)": "/search?q=the",
             "reader": f"/sources/{quote(src)}", "api source": f"/api/sources/{quote(src)}",
             "api codings": "/api/codings", "api overview": "/api/overview",
             "claims page 20": "/claims?page=20", "claims by level": "/claims?level=strategic_commissioning",
             "claims by words": "/claims?q=room", "claims by strength": "/claims?strength=corroborated",
             "api claims": "/api/claims?offset=1000&limit=50", "api matrix": "/api/matrix",
             "memos": "/memos", "api memos": "/api/memos"}
    if claim:
        pages["one claim"] = f"/claims/{claim[0]}"
    out: dict[str, Any] = {}
    for label, url in pages.items():
        times, size, status = [], 0, 0
        for _ in range(4):
            t = time.perf_counter()
            r = client.get(url)
            times.append(time.perf_counter() - t)
            size, status = len(r.content), r.status_code
        # the first request is kept apart: it may do one-off work (e.g. rating claims a migration left unrated)
        out[label] = {"p50_ms": statistics.median(times[1:]) * 1000, "first_ms": times[0] * 1000, "bytes": size,
                      "status": status}
    times = []
    for _ in range(4):  # an unknown segment id: one index probe, not a reload of every segment
        t = time.perf_counter()
        r = client.post("/api/codings", json={"segment_id": 10**9, "code": "care_environment"})
        times.append(time.perf_counter() - t)
    out["code unknown segment (404)"] = {"p50_ms": statistics.median(times[1:]) * 1000, "status": r.status_code}
    p.close()
    return out


STEPS = {"open": step_open, "code": step_code, "search": step_search, "claims": step_claims,
         "report": step_report, "web": step_web}


def run(n: int, only: list[str]) -> None:
    for name in only or list(STEPS):
        wall, _rss, out = run_child([sys.executable, __file__, "step", name, "--segments", str(n)])
        value = json.loads(out.strip().splitlines()[-1])
        value["wall_s"] = wall
        save_result(n, name, value)
        print(name, json.dumps(value))


def table() -> str:
    def order(tag_: str) -> tuple[int, str]:
        size, _, share = tag_.partition("-")
        return int(size), share

    # a column per project: its size, and "-coded10" where a share other than the default was coded
    sizes = sorted((f.stem.removeprefix("results-") for f in BASE.glob("results-*.json")), key=order)
    res = {n: json.loads((BASE / f"results-{n}.json").read_text()) for n in sizes}

    def cell(n: str, *path: str, fmt: str = "{:.0f}") -> str:
        v: Any = res[n]
        for k in path:
            if not isinstance(v, dict) or k not in v:
                return "–"
            v = v[k]
        return fmt.format(v)

    rows = [
        ("coded passages / codings", lambda n: f"{cell(n, 'coded', 'passages')} / {cell(n, 'coded', 'codings')}"),
        ("import (s) / peak RSS (MiB)", lambda n: f"{cell(n, 'import', 'seconds', fmt='{:.1f}')} / "
                                                  f"{cell(n, 'import', 'rss_mib')}"),
        ("first open with migrations (s)", lambda n: cell(n, "open", "seconds", fmt="{:.2f}")),
        ("code one passage p50 / p95 (ms)", lambda n: f"{cell(n, 'code', 'p50_ms', fmt='{:.1f}')} / "
                                                      f"{cell(n, 'code', 'p95_ms', fmt='{:.1f}')}"),
        ("search selective p50 / p95 (ms)", lambda n: f"{cell(n, 'search', 'selective', 'p50_ms', fmt='{:.1f}')} / "
                                                      f"{cell(n, 'search', 'selective', 'p95_ms', fmt='{:.1f}')}"),
        ("search broad p50 / p95 (ms)", lambda n: f"{cell(n, 'search', 'broad', 'p50_ms', fmt='{:.1f}')} / "
                                                  f"{cell(n, 'search', 'broad', 'p95_ms', fmt='{:.1f}')}"),
        ("claims build / rebuild (s)", lambda n: f"{cell(n, 'claims', 'build_s', fmt='{:.1f}')} / "
                                                 f"{cell(n, 'claims', 'rebuild_s', fmt='{:.1f}')}"),
        ("claims peak RSS (MiB)", lambda n: cell(n, "claims", "rss_mib")),
        ("report: load data / content / HTML / XLSX (s)",
         lambda n: f"{cell(n, 'report', 'load_s', fmt='{:.1f}')} / {cell(n, 'report', 'content_s', fmt='{:.1f}')} / "
                   f"{cell(n, 'report', 'html_s', fmt='{:.1f}')} / {cell(n, 'report', 'xlsx_s', fmt='{:.1f}')}"),
        ("claims + report + XLSX (s)",
         lambda n: "–" if "claims" not in res[n] or "report" not in res[n] else
         f"{sum(res[n]['claims'].get(k, 0) for k in ('build_s',)) + sum(res[n]['report'].get(k, 0) for k in ('load_s', 'content_s', 'html_s', 'xlsx_s')):.1f}"),
        ("report peak RSS (MiB)", lambda n: cell(n, "report", "rss_mib")),
    ]
    web_pages = sorted({k for n in sizes for k in res[n].get("web", {}) if isinstance(res[n]["web"][k], dict)})
    for page in web_pages:
        rows.append((f"web {page} p50 (ms)", lambda n, page=page: cell(n, "web", page, "p50_ms", fmt="{:.0f}")))
    head = "| measurement | " + " | ".join(f"{order(n)[0]:,} segments" + (f" ({order(n)[1]})" if order(n)[1] else "")
                                           for n in sizes) + " |"
    lines = [head, "|---|" + "---|" * len(sizes)]
    lines += ["| " + label + " | " + " | ".join(fn(n) for n in sizes) + " |" for label, fn in rows]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["build", "run", "step", "table"])
    ap.add_argument("step", nargs="?")
    ap.add_argument("--segments", type=int, default=100_000)
    ap.add_argument("--only", default="", help="comma-separated steps for `run`: " + ",".join(STEPS))
    args = ap.parse_args()
    if args.what == "build":
        build(args.segments)
    elif args.what == "run":
        run(args.segments, [s for s in args.only.split(",") if s])
    elif args.what == "step":
        value = STEPS[args.step](args.segments)
        value["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # this step's own peak
        print(json.dumps(value))
    else:
        print(table())


if __name__ == "__main__":
    main()
