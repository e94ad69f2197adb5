from __future__ import annotations

import pytest

from voicetrace.analysis.autocoding.classifier import ClassifierSuggester
from voicetrace.analysis.autocoding.defaults import default_codebook, load_statements
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


def test_seed_cv_with_fake_embedder_and_comparison() -> None:
    space = CodeSpace(default_codebook())
    ex = load_statements()[::3]
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
