"""The main job end to end on the bundled fictional sample study (`voicetrace demo`)."""
from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..sample import sample_dir
from ..sample.build import build_corpus
from .project import Project

DEMO_NAME = "Sample study: ten cancer network partnership groups (fictional)"
DEMO_DESCRIPTION = ("What did the involvement of service users and carers in ten cancer network partnership groups "
                    "change in cancer care? Minutes, annual reports, work plans, newsletters and strategies of all "
                    "ten groups, and interviews with members and stakeholders of five of them. The groups, people "
                    "and events are fictional, modelled on a published study of UK cancer networks.")
Step = Callable[[str], None]


@dataclass
class DemoResult:
    out: Path
    project: Path
    report: Path
    workbook: Path
    board: Path | None = None
    sources: int = 0
    segments: int = 0
    gold_codings: int = 0
    suggestions: int = 0
    accepted: int = 0
    claims: int = 0
    by_level: dict[str, int] = field(default_factory=dict)
    by_strength: dict[str, int] = field(default_factory=dict)
    by_case: dict[str, dict[str, int]] = field(default_factory=dict)
    agreement: dict[str, Any] | None = None
    evaluation: dict[str, Any] | None = None
    machine_note: str = ""
    impact_entries: int = 0
    outputs: dict[str, list[Path]] = field(default_factory=dict)


def gold_files() -> list[Path]:
    return sorted((sample_dir() / "gold").glob("*.jsonl"))


def run_demo(out: Path, *, step: Step | None = None, machine: bool = True, threshold: float = 0.9,
             autocode: Callable[[Project], tuple[int, int, dict[str, Any] | None, str]] | None = None,
             evaluate: Callable[[Project], dict[str, Any]] | None = None) -> DemoResult:
    """Build the corpus, import it, code it (gold set + machine suggestions), build claims, write the report.

    ``autocode`` is injected by the caller (the CLI passes the real one) so this module does not
    need the embedding model to be importable.
    """
    say = step or (lambda _m: None)
    out.mkdir(parents=True, exist_ok=True)
    db = out / "study.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    corpus = out / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    say("building the sample corpus (DOCX, PDF, ODT, HTML, TXT, MD)")
    build_corpus(corpus)
    res = DemoResult(out=out, project=db, report=out / "report.html", workbook=out / "report.xlsx",
                     board=out / "board-summary.html")
    with Project.create(db, actor="demo", title=DEMO_NAME, description=DEMO_DESCRIPTION) as p:
        say("importing 98 documents and transcripts")
        rep = p.import_paths([corpus], actor="demo")
        if rep.failed:
            raise RuntimeError(f"sample corpus failed to import: {rep.failed[:3]}")
        res.sources = len(rep.imported)
        res.segments = sum(n for _, _, n in rep.imported)
        say("importing the gold-coded set as coder 'gold'")
        res.gold_codings = p.import_anchored_codings(gold_files(), coder="gold")
        if machine and autocode is not None:
            say("machine suggestions for the passages the gold set leaves uncoded")
            res.suggestions, res.accepted, res.agreement, res.machine_note = autocode(p)
        if machine and evaluate is not None:
            say("measuring the machine coder against the gold set (cross-validated)")
            res.evaluation = evaluate(p)
        say("proposing influence claims and weighing their evidence")
        res.claims = p.build_claims(by="demo")
        claims = p.claims_json()
        res.by_level = dict(Counter(c["level"] for c in claims))
        res.by_strength = dict(Counter(c["evidence_strength"] for c in claims))
        per_case: dict[str, Counter[str]] = {}
        for c in claims:
            per_case.setdefault(c["case"] or "(none)", Counter())[c["level"]] += 1
        res.by_case = {k: dict(v) for k, v in sorted(per_case.items())}
        say("writing the report and the workbook")
        p.write_report(res.report, res.workbook, agreement=res.agreement, evaluation=res.evaluation, by="demo",
                       board_path=res.board)
        say("making the impact log from the claims and writing the involvement outputs")
        res.impact_entries = p.impact_from_claims(by="demo")["created"]
        from ..core.impact import financial_year
        from ..reports.outputs import KINDS
        for kind in KINDS:
            res.outputs[kind] = p.write_outputs(kind, out / "outputs" / kind, by="demo")
        # One year with its comparison: most of the sample's records fall in 2008-09.
        res.outputs["annual-report 2008-09"] = p.write_outputs(
            "annual-report", out / "outputs" / "annual-report-2008-09", period=financial_year(2008), by="demo")
    return res
