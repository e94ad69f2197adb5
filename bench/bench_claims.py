"""Claims against the sample study's bible, and claim building at scale.

    .venv/bin/python bench/bench_claims.py                 # sample study quality (builds a project)
    .venv/bin/python bench/bench_claims.py --db study.db   # measure an existing demo project instead
    .venv/bin/python bench/bench_claims.py --scale 100000  # build time / memory at 10^5 coded passages

Quality uses bench/data/sample_changes.yaml, a labelled list of the changes bible.md gives each group.
Each claim is mapped to the change of its case that most of its evidence is about (regular expressions
in the list); then: the share of headlines that state their change, the duplicate rate (claims beyond
the first for one change, over all claims), and how many of the bible's changes the ledger finds.
"""
from __future__ import annotations

import argparse
import re
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CHANGES = HERE / "data" / "sample_changes.yaml"


@dataclass
class Change:
    id: str
    case: str
    change: str
    evidence: re.Pattern[str]
    headline: re.Pattern[str]


def load_changes(path: Path = CHANGES) -> list[Change]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Change(c["id"], c["case"], c["change"], re.compile(c["evidence"], re.I),
                   re.compile(c.get("headline") or c["evidence"], re.I)) for c in data["changes"]]


def _score(pattern: re.Pattern[str], text: str) -> int:
    return len({m.group(0).lower() for m in pattern.finditer(text)})


def map_claim(claim: object, changes: list[Change], texts: list[str] | None = None) -> Change | None:
    """The bible change this claim's evidence is most about (None when it matches none of its case's)."""
    case = getattr(claim, "case_name", None) or ""
    if texts is None:
        texts = [e.text for e in getattr(claim, "evidence")] + [getattr(claim, "change")]
    best, best_score = None, 0
    for ch in changes:
        if not case.startswith(ch.case):
            continue
        score = sum(_score(ch.evidence, t) for t in texts)
        if score > best_score:
            best, best_score = ch, score
    return best


BAD_START = re.compile(r"^(?:yes|yeah|no|well|oh|erm|um|so|and|but|i'd|i think|i know)\b", re.I)


def quality(claims: list, changes: list[Change]) -> dict[str, object]:
    by_change: dict[str, list] = {}
    unmatched, headline_ok, bad_form = [], 0, []
    stray = 0  # passages merged into a claim about a different change
    for c in claims:
        ch = map_claim(c, changes)
        if ch is None:
            unmatched.append(c)
            continue
        for e in c.evidence:
            own = map_claim(c, changes, [e.text])
            if own is not None and own.id != ch.id:
                stray += 1
        by_change.setdefault(ch.id, []).append(c)
        form_bad = "?" in c.change or BAD_START.search(c.change) is not None
        if ch.headline.search(c.change) and not form_bad:
            headline_ok += 1
        else:
            bad_form.append((ch.id, c.change))
    n = len(claims)
    extra = sum(len(v) - 1 for v in by_change.values())
    return {
        "claims": n, "bible_changes": len(changes),
        "found": sum(1 for ch in changes if ch.id in by_change),
        "missing": [ch.id for ch in changes if ch.id not in by_change],
        "unmatched": unmatched, "headline_ok": headline_ok, "bad_headlines": bad_form,
        "duplicates": extra, "split_changes": {k: len(v) for k, v in by_change.items() if len(v) > 1},
        "by_change": by_change, "stray": stray, "passages": sum(len(c.evidence) for c in claims),
    }


def build_sample(out: Path) -> Path:
    from voicetrace.sample.build import build_corpus
    from voicetrace.services.demo import gold_files
    from voicetrace.services.project import Project

    corpus = out / "corpus"
    build_corpus(corpus)
    db = out / "study.db"
    with Project.create(db) as p:
        p.import_paths([corpus], actor="bench")
        p.import_anchored_codings(gold_files(), coder="gold")
    return db


def run_quality(db: Path | None, verbose: bool) -> None:
    from voicetrace.services.project import Project

    tmp = None
    if db is None:
        tmp = tempfile.TemporaryDirectory()
        db = build_sample(Path(tmp.name))
    with Project.open(db) as p:
        t0 = time.perf_counter()
        p.build_claims(by="bench")
        took = time.perf_counter() - t0
        claims = p.claims()
    changes = load_changes()
    q = quality(claims, changes)
    n = q["claims"]
    assert isinstance(n, int)
    print(f"sample study (gold codings only): {n} claims built in {took:.2f} s")
    print("| measurement | result |\n|---|---|")
    print(f"| claims in the ledger | {n} (bible: {q['bible_changes']} changes) |")
    print(f"| bible changes found | {q['found']} of {q['bible_changes']}"
          + (f" (missing: {', '.join(q['missing'])})" if q["missing"] else "") + " |")
    print(f"| claims that are a bible change | {n - len(q['unmatched'])} of {n} |")
    print(f"| headlines that state their change | {q['headline_ok']} of {n} ({q['headline_ok'] / max(n, 1):.0%}) |")
    print(f"| duplicate rate (claims beyond the first for one change) | {q['duplicates']} of {n} "
          f"({q['duplicates'] / max(n, 1):.0%}); changes split over several claims: {len(q['split_changes'])} |")
    print(f"| passages merged into a claim about another change | {q['stray']} of {q['passages']} |")
    if verbose:
        for cid, cs in sorted(q["by_change"].items()):
            for c in cs:
                print(f"  {cid} #{c.number} [{c.level[:5]} {c.domain}] n={len(c.evidence)}: {c.change}")
        for c in q["unmatched"]:
            print(f"  ?? #{c.number} {c.case_name[:12]}: {c.change}")
        for cid, h in q["bad_headlines"]:
            print(f"  bad headline {cid}: {h}")
    if tmp is not None:
        tmp.cleanup()


def run_scale(n: int) -> None:
    import gc
    import tracemalloc

    import pandas as pd

    from voicetrace.analysis.claims import proposal

    cods, segs = synth_frames(n)
    gc.collect()
    tracemalloc.start()
    t0 = time.perf_counter()
    drafts = proposal.propose_claims(segs, cods, None)
    took = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cases = pd.Series([d.case_name for d in drafts]).nunique()
    print(f"| coded passages (level codings) | {n:,} in {cods['case'].nunique()} cases |")
    print(f"| propose + merge claims | {took:.1f} s → {len(drafts):,} claims in {cases} cases |")
    print(f"| peak Python memory (tracemalloc) | {peak / 2**20:.0f} MiB; process peak RSS {rss:.0f} MiB |")


def synth_frames(n: int) -> tuple:
    """``n`` level-coded passages (two codings each: level and domain) over about n/1500 + 2 cases, in the
    synthetic corpus generator's own wording (voicetrace.sample.synth), as the codings frame gives them."""
    import random

    import pandas as pd

    from voicetrace.sample import synth

    rng = random.Random(0)
    names = synth._Namer(rng)
    n_cases = max(2, n // 1500 + 2)
    levels = ["grassroots_operational", "organisational_network", "strategic_commissioning", "unclear_level"]
    domains = ["patient_information", "access_to_services", "care_environment", "commissioning", "policy"]
    rows = []
    for i in range(n):
        case = i % n_cases
        spoken = rng.random() < 0.5
        text = synth._claim(rng, names, {"venue": "Community Hall"})
        base = {"source_id": i // 20 + 1, "source": f"s{i // 20}.txt", "case_id": case + 1, "case": f"Case {case}",
                "source_type": "transcript" if spoken else "document",
                "source_kind": "interview" if spoken else rng.choice(["minutes", "annual_report", "newsletter"]),
                "source_date": "2008-01-01", "start": 0, "end": len(text), "text": text, "coder": "gold",
                "segment_id": i + 1, "pseudonym": None, "role": "service_user" if spoken else None}
        rows.append({**base, "coding_id": 2 * i + 1, "code": rng.choice(levels), "dimension": "level"})
        rows.append({**base, "coding_id": 2 * i + 2, "code": rng.choice(domains), "dimension": "domain"})
    return pd.DataFrame(rows), pd.DataFrame(columns=["segment_id"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="an existing project with the sample study's gold codings")
    ap.add_argument("--scale", type=int, help="measure building claims from this many coded passages")
    ap.add_argument("-v", "--verbose", action="store_true", help="list each claim with its bible change")
    a = ap.parse_args()
    if a.scale:
        run_scale(a.scale)
    else:
        run_quality(a.db, a.verbose)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
