from __future__ import annotations

import pytest

from voicetrace.analysis.autocoding.classifier import ClassifierSuggester
from voicetrace.analysis.autocoding.defaults import default_codebook
from voicetrace.analysis.autocoding.embedders import CachedEmbedder, FakeEmbedder
from voicetrace.analysis.autocoding.lexicon import LexiconSuggester
from voicetrace.analysis.autocoding.predictions import CodeSpace, Labels, Prediction
from voicetrace.analysis.evaluation import assign_folds, compare_suggesters, evaluate


class Memoriser:
    """Cheats by remembering training texts — so we can check no test text was ever trained on."""

    name, version = "memo", "1"

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def fit(self, texts, labels):
        self.seen = set(texts)
        return self

    def predict(self, texts):
        assert not (set(texts) & self.seen), "a scored text was in the training fold"
        return [Prediction(1.0, {"level": {"grassroots_operational": 1.0}}) for _ in texts]


def test_folds_keep_groups_together() -> None:
    groups = ["a", "a", "b", "c", "c", "c", "d"]
    folds = assign_folds(groups, 3)
    for g in set(groups):
        assert len({f for f, gg in zip(folds, groups) if gg == g}) == 1


def test_never_scores_a_training_text() -> None:
    texts = [f"text {i}" for i in range(30)]
    labels = [Labels(True, level="grassroots_operational") for _ in texts]
    res = evaluate(texts, labels, Memoriser, folds=5, groups=[str(i // 3) for i in range(30)],
                   learning_curve=(10,))
    assert res.per_dimension["level"]["macro_f1"] == 1.0
    assert 10 in res.learning_curve


def test_seed_cv_with_fake_embedder_and_comparison(small_seed) -> None:
    space = CodeSpace(default_codebook())
    ex = small_seed
    emb = CachedEmbedder(FakeEmbedder())
    res = compare_suggesters([e.text for e in ex], [e.labels for e in ex], {
        "lexicon": lambda: LexiconSuggester(space),
        "classifier": lambda: ClassifierSuggester(space, emb),
    }, folds=3)
    for r in res.values():
        for dim in ("claim", "level", "domain", "activity"):
            assert 0.0 <= r.macro_f1(dim) <= 1.0
        assert -1.0 <= r.per_dimension["level"]["kappa"] <= 1.0
    assert res["lexicon"].to_json()["per_code"]


def test_bad_input() -> None:
    with pytest.raises(ValueError):
        evaluate([], [], Memoriser)
    with pytest.raises(ValueError):
        evaluate(["a"], [], Memoriser)


def test_single_matches_sklearn_and_gwet_by_hand() -> None:
    import random

    from sklearn.metrics import cohen_kappa_score, f1_score

    from voicetrace.analysis.evaluation import _single
    rng = random.Random(3)
    codes = ["a", "b", "c", "none"]
    gold = [rng.choice(codes) for _ in range(200)]
    pred = [g if rng.random() < 0.7 else rng.choice(codes) for g in gold]
    per_code: dict = {}
    out = _single(gold, pred, per_code)
    assert out["kappa"] == pytest.approx(cohen_kappa_score(gold, pred), abs=1e-4)
    assert out["macro_f1"] == pytest.approx(f1_score(gold, pred, labels=["a", "b", "c"], average="macro"), abs=1e-4)
    # Gwet's AC1 from its definition: chance agreement from the mean marginals, spread over Q categories
    n, q = len(gold), 4
    po = sum(g == p for g, p in zip(gold, pred)) / n
    pi = {c: (gold.count(c) + pred.count(c)) / (2 * n) for c in codes}
    pe = sum(v * (1 - v) for v in pi.values()) / (q - 1)
    assert out["ac1"] == pytest.approx((po - pe) / (1 - pe), abs=1e-4)
    for key in ("macro_f1", "kappa", "ac1"):
        lo, hi = out[f"{key}_ci"]
        assert lo <= out[key] <= hi and hi - lo < 0.3
    lo, hi = per_code["a"].ci["f1"]
    assert lo <= per_code["a"].f1 <= hi


def test_ac1_stays_high_where_kappa_collapses_on_a_rare_code() -> None:
    from voicetrace.analysis.evaluation import _single
    gold = ["none"] * 95 + ["x"] * 5
    pred = ["none"] * 94 + ["x"] + ["none"] * 4 + ["x"]
    out = _single(gold, pred, {})
    assert out["accuracy"] == 0.95
    assert out["ac1"] > 0.9 > out["kappa"]


def test_versus_humans_flags_codes_where_the_machine_is_worse() -> None:
    from voicetrace.analysis.evaluation import labels_as_predictions, score, versus_humans
    gold = [Labels(True, level="grassroots_operational")] * 6 + [Labels(True, level="national_policy")] * 4
    human = list(gold)
    human[0] = Labels(True, level="national_policy")
    machine = [Prediction(1.0, {"level": {"grassroots_operational": 1.0}}) for _ in gold]
    m_dims, m_codes = score(gold, machine, ["level"])
    h_dims, h_codes = score(gold, labels_as_predictions(human), ["level"])
    from voicetrace.analysis.evaluation import EvaluationResult
    res = versus_humans(EvaluationResult(10, 1, m_dims, m_codes), h_dims, h_codes)
    assert res["per_dimension"]["level"]["machine_worse"] is True
    assert "national_policy" in res["machine_worse_codes"]
    assert res["per_code"]["national_policy"]["machine_f1"] == 0.0
