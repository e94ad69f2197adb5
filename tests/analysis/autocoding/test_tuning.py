"""The tuning knobs the shipped classify model uses, and the packaged statement files they were tuned on."""
from __future__ import annotations

import logging
from collections import Counter

import pytest

from voicetrace.analysis.autocoding.combined import CombinedSuggester
from voicetrace.analysis.autocoding.defaults import load_statements, training_files
from voicetrace.analysis.autocoding.embedders import quiet_model_loading
from voicetrace.analysis.autocoding.predictions import CodeSpace, Prediction
from voicetrace.analysis.classify import _record


def test_training_files_are_all_read_and_disjoint(space: CodeSpace) -> None:
    files = training_files()
    names = [p.name for p in files]
    assert names[0] == "statements.jsonl" and "statements_holdout.jsonl" in names and len(names) >= 3
    per_file = [load_statements(p) for p in files]
    assert sum(len(x) for x in per_file) == len(load_statements())
    texts = [e.text for part in per_file for e in part]
    assert len(texts) == len(set(texts)), "a statement appears twice across the training files"
    groups = [g for part in per_file for g in {e.group for e in part}]
    assert len(groups) == len(set(groups)), "a CV group spans two files"


def test_every_claim_code_has_enough_examples(space: CodeSpace, seed) -> None:
    for dim in ("level", "domain", "activity"):
        counts = Counter(e.labels.single(dim) for e in seed if e.labels.is_claim)
        for code in space.ids(dim):
            assert counts[code] >= 25, (dim, code, counts[code])


def test_holdout_block_has_claims_non_claims_and_residuals(space: CodeSpace) -> None:
    [hold] = [p for p in training_files() if p.name == "statements_holdout.jsonl"]
    block = load_statements(hold)
    assert 60 <= len(block) <= 120
    claims = [e for e in block if e.labels.is_claim]
    assert 0.15 <= 1 - len(claims) / len(block) <= 0.45
    assert any(e.labels.level == "unclear_level" for e in claims)
    assert any(e.labels.domain == "other_domain" for e in claims)


def _fitted(space: CodeSpace, fake, seed, boost: float) -> CombinedSuggester:
    return CombinedSuggester(space, fake, residual_boost=boost, c=2.0).fit(
        [e.text for e in seed[:200]], [e.labels for e in seed[:200]])


def test_residual_boost_raises_only_the_residual_share(space: CodeSpace, fake, small_seed) -> None:
    texts = ["Things are better now.", "The ward installed new chairs after our survey."]
    plain = _fitted(space, fake, small_seed, 1.0).predict(texts)
    boosted = _fitted(space, fake, small_seed, 3.0).predict(texts)
    for p, b in zip(plain, boosted):
        assert p.is_claim == pytest.approx(b.is_claim)
        for dim in ("level", "domain", "activity"):
            res = space.residual(dim)
            assert abs(sum(b.scores[dim].values()) - 1.0) < 1e-6
            assert b.scores[dim][res] > p.scores[dim][res]
            others_p = {c: v for c, v in p.scores[dim].items() if c != res}
            others_b = {c: v for c, v in b.scores[dim].items() if c != res}
            assert max(others_b, key=others_b.get) == max(others_p, key=others_p.get)


def test_record_honours_the_claim_threshold() -> None:
    pred = Prediction(0.6, {"level": {"grassroots_operational": 0.7, "unclear_level": 0.3}})
    assert _record("a", pred, empty=False, threshold=0.5)["level"] == "grassroots_operational"
    low = _record("a", pred, empty=False, threshold=0.65)
    assert low["is_claim"] is False and low["level"] == "none" and low["domain"] == "none"
    assert low["scores"]["level"]["grassroots_operational"] == 0.7
    assert _record("a", pred, empty=True)["is_claim"] is False


def test_quiet_loading_restores_library_settings() -> None:
    hf = pytest.importorskip("transformers.utils.logging")
    before_level, before_bars = hf.get_verbosity(), hf.is_progress_bar_enabled()
    st = logging.getLogger("sentence_transformers")
    st_before = st.level
    with quiet_model_loading():
        assert not hf.is_progress_bar_enabled()
        assert hf.get_verbosity() == hf.ERROR
    assert hf.get_verbosity() == before_level and hf.is_progress_bar_enabled() == before_bars
    assert st.level == st_before


@pytest.mark.slow
def test_loading_the_real_model_writes_nothing_to_stderr(tmp_path) -> None:
    import subprocess
    import sys

    code = ("from voicetrace.analysis.autocoding.embedders import OnnxEmbedder as S;"
            "print(S().encode(['a statement']).shape)")
    run = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=300,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "(1, 384)"
    assert run.stderr == ""
