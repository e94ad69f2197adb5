"""autocode / review / evaluate / classify from the command line (fake embedder via VOICETRACE_EMBEDDER)."""
import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import voicetrace
from voicetrace.cli import app
from voicetrace.cli.review import run_review

runner = CliRunner()
# about the commands, not about the bundled seed set
pytestmark = pytest.mark.usefixtures("small_default_seed")


@pytest.fixture
def proj(tmp_path: Path, corpus: Path, monkeypatch) -> Path:
    monkeypatch.setenv("VOICETRACE_EMBEDDER", "fake")
    p = tmp_path / "m.db"
    with voicetrace.create(p) as pr:
        pr.import_paths([corpus])
        m = "northvale/minutes-2008-03-12.txt"
        for g in pr.segments(m)[1:3]:
            pr.code(m, g.start, g.end, "grassroots_operational", coder="gold")
    return p


def test_autocode_then_review_with_keys(proj: Path) -> None:
    r = runner.invoke(app, ["autocode", str(proj)])
    assert r.exit_code == 0 and "suggestions queued" in r.stdout
    p = voicetrace.open(proj)
    n = len(p.suggestions())
    assert n > 0
    keys = iter(["a", "x", " ", "u", "a", "q"])
    console = Console(record=True, width=100)
    counts = run_review(p, "ann", lambda: next(keys), console, retrain_every=0)
    assert counts == {"accept": 2, "reject": 1, "skip": 1, "undo": 1}
    assert p.suggestion_counts().get("accepted") == 2
    shown = console.export_text()
    assert "score" in shown and "a accept" in shown


def test_review_refuses_without_a_terminal(proj: Path) -> None:
    r = runner.invoke(app, ["review", str(proj)])
    assert r.exit_code != 0 and "terminal" in r.stderr


def test_evaluate_json(proj: Path, tmp_path: Path) -> None:
    with voicetrace.open(proj) as p:
        for g in p.segments():
            if g.speaker != "Interviewer":
                p.code(p.sources()[0].name if False else next(s.name for s in p.sources() if s.id == g.source_id),
                       g.start, g.end, "grassroots_operational" if g.index % 2 else "organisational_network", coder="g2")
    r = runner.invoke(app, ["evaluate", str(proj), "--gold", "g2", "--folds", "2", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    res = json.loads(r.stdout)
    assert set(res["suggesters"]) == {"lexicon", "zero-shot", "classifier", "combined"}
    assert "level" in res["suggesters"]["combined"]["per_dimension"]


def test_classify_reads_jsonl_and_keeps_order(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VOICETRACE_EMBEDDER", "fake")
    f = tmp_path / "in.jsonl"
    f.write_text('{"id": "b", "text": "The car park charges were scrapped after the group lobbied."}\n'
                 '{"id": "a", "text": "We meet monthly.", "extra": 1}\n')
    r = runner.invoke(app, ["classify", str(f)])
    assert r.exit_code == 0, r.stderr
    rows = [json.loads(l) for l in r.stdout.splitlines()]
    assert [x["id"] for x in rows] == ["b", "a"]
    for x in rows:
        assert set(x) >= {"id", "is_claim", "level", "domain", "activity", "scores"}
        if not x["is_claim"]:
            assert x["level"] == x["domain"] == x["activity"] == "none"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    r = runner.invoke(app, ["classify", str(bad)])
    assert r.exit_code != 0 and "bad.jsonl line 1" in r.stderr
    r = runner.invoke(app, ["classify", str(f), "--claim-prior", "0.5"])
    assert r.exit_code == 0, r.stderr
    assert [json.loads(l)["id"] for l in r.stdout.splitlines()] == ["b", "a"]
    r = runner.invoke(app, ["classify", str(f), "--claim-prior", "1.5"])
    assert r.exit_code != 0 and "--claim-prior" in r.stderr


def test_evaluate_table_shows_ac1_intervals_and_a_second_human(proj: Path) -> None:
    with voicetrace.open(proj) as p:
        names = {s.id: s.name for s in p.sources()}
        segs = [g for g in p.segments() if g.speaker != "Interviewer"]
        for g in segs:
            code = "grassroots_operational" if g.index % 2 else "organisational_network"
            p.code(names[g.source_id], g.start, g.end, code, coder="g2")
            other = "national_policy" if g.index % 5 == 0 else code
            p.code(names[g.source_id], g.start, g.end, other, coder="g3")
    r = runner.invoke(app, ["evaluate", str(proj), "--gold", "g2", "--folds", "2"])
    assert r.exit_code == 0, r.stderr
    assert "Gwet's AC1" in r.stdout and "[" in r.stdout
    assert "vs g3" in r.stdout
    r = runner.invoke(app, ["evaluate", str(proj), "--gold", "g2", "--folds", "2", "--format", "json"])
    vs = json.loads(r.stdout)["versus_humans"]["g3"]
    assert vs["shared_segments"] >= 5
    assert vs["per_dimension"]["level"]["human_kappa"] < 1.0
    assert "ac1_ci" in json.loads(r.stdout)["suggesters"]["combined"]["per_dimension"]["level"]


def test_train_encoder_reset_and_bad_epochs(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VOICETRACE_CACHE_DIR", str(tmp_path / "cache"))
    enc = tmp_path / "cache" / "encoders"
    (enc / "m-tuned-x").mkdir(parents=True)
    (enc / "m-tuned-x" / "model.safetensors").write_bytes(b"w")
    (enc / "current").write_text("m-tuned-x\n")
    r = runner.invoke(app, ["train-encoder", "--reset"])
    assert r.exit_code == 0 and "packaged encoder again" in r.stdout
    assert not (enc / "current").exists()
    r = runner.invoke(app, ["train-encoder", "--reset"])
    assert r.exit_code == 0 and "no fine-tuned encoder" in r.stdout
    r = runner.invoke(app, ["train-encoder", "--epochs", "0"])
    assert r.exit_code != 0 and "--epochs" in r.stderr and "Traceback" not in r.stderr
    assert not (enc / "current").exists()
