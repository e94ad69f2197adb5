from __future__ import annotations

import json

import pytest

from voicetrace.analysis.autocoding.defaults import default_codebook, load_statements
from voicetrace.analysis.autocoding.embedders import CachedEmbedder, FakeEmbedder
from voicetrace.analysis.autocoding.predictions import CodeSpace
from voicetrace.analysis.classify import classify_statements
from voicetrace.core.errors import InputError

SPACE = CodeSpace(default_codebook())


def _check(rec: dict, item_id: str) -> None:
    assert rec["id"] == item_id
    assert isinstance(rec["is_claim"], bool)
    for dim in ("level", "domain", "activity"):
        assert rec[dim] in SPACE.ids(dim) + ["none"]
        assert set(rec["scores"][dim]) <= set(SPACE.ids(dim))
        if rec["scores"][dim]:
            assert abs(sum(rec["scores"][dim].values()) - 1.0) < 0.01
        if not rec["is_claim"]:
            assert rec[dim] == "none"
    json.dumps(rec)


def test_classify_with_fake_embedder_keeps_order_and_shape(small_seed) -> None:
    emb = CachedEmbedder(FakeEmbedder())
    items = [{"id": "a", "text": "Following our Enter and View visit, the home put clocks in the lounge."},
             {"id": "b", "text": "Dates of next year's meetings are below.", "extra": 1},
             {"text": "   "}]
    out = list(classify_statements(items, embedder=emb, training=small_seed))
    assert [r["id"] for r in out] == ["a", "b", "3"]
    for r, i in zip(out, ["a", "b", "3"]):
        _check(r, i)
    assert out[2]["is_claim"] is False


def test_bad_records() -> None:
    emb = CachedEmbedder(FakeEmbedder())
    with pytest.raises(InputError, match="record 2"):
        list(classify_statements([{"id": "1", "text": "x"}, {"id": "2"}], embedder=emb,
                                 training=load_statements()[:50]))
    with pytest.raises(InputError):
        list(classify_statements(["just a string"], embedder=emb, training=load_statements()[:50]))


@pytest.mark.slow
def test_classify_with_real_model_on_five_statements(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("VOICETRACE_CACHE_DIR", str(tmp_path))
    items = [
        {"id": "1", "text": "You said the waiting room chairs were uncomfortable. We did: new chairs were bought."},
        {"id": "2", "text": "The patient panel meets every second Thursday. New members are welcome."},
        {"id": "3", "text": "After our survey, the ICB agreed to fund a new community mental health service."},
        {"id": "4", "text": "Lay members on the trial steering committee asked for a shorter consent form; it was cut to two pages."},
        {"id": "5", "text": "Thank you to all our volunteers."},
    ]
    out = list(classify_statements(items))
    for r, item in zip(out, items):
        _check(r, item["id"])
    # the gate assumes statements put forward as impact (prior 95 % claims), so only the claims are pinned;
    # meeting notices and thanks may pass it (bench/bench_classifier_quality.py --versions measures the cost)
    assert [out[i]["is_claim"] for i in (0, 2, 3)] == [True, True, True]
    assert out[0]["domain"] == "care_environment"
    assert out[2]["domain"] == "commissioning"
    assert (tmp_path / "embeddings.sqlite3").exists()
    assert list((tmp_path / "models").glob("model-*.pkl"))  # the fitted model is kept for the next run


def test_second_run_loads_the_fitted_model_instead_of_fitting(monkeypatch) -> None:
    from voicetrace.analysis import classify as classify_module
    from voicetrace.analysis.autocoding.combined import CombinedSuggester
    emb = CachedEmbedder(FakeEmbedder())
    store: dict[str, bytes] = {}
    small = load_statements()[:80]
    items = [{"id": "1", "text": "After our survey the ICB agreed to fund a new service."}]
    first = list(classify_statements(items, embedder=emb, training=small, store=store))
    assert len(store) == 1
    classify_module._MODELS.clear()

    def no_fit(*_a, **_k):
        raise AssertionError("refitted although a fitted model was stored")

    monkeypatch.setattr(CombinedSuggester, "fit", no_fit)
    assert list(classify_statements(items, embedder=emb, training=small, store=store)) == first


def test_claim_prior_follows_bayes_rule() -> None:
    import math

    from voicetrace.analysis.autocoding.combined import prior_shift
    assert prior_shift(0.5, 0.95) == pytest.approx(0.95)
    assert prior_shift(0.2, 0.5) == pytest.approx(0.2)
    odds = (0.3 / 0.7) * (0.95 / 0.05)
    assert prior_shift(0.3, 0.95) == pytest.approx(odds / (1 + odds))
    assert 0 < prior_shift(0.0, 0.95) < prior_shift(1.0, 0.95) < 1
    assert not math.isnan(prior_shift(1.0, 0.5))


def test_claim_prior_restates_the_claim_probability() -> None:
    emb = CachedEmbedder(FakeEmbedder())
    training = load_statements()[:120]
    items = [{"id": str(i), "text": t} for i, t in enumerate(
        ["After our survey the clinic opened on Saturdays.", "The group meets monthly.", "Thanks to all volunteers."])]
    default = list(classify_statements(items, embedder=emb, training=training))
    low = list(classify_statements(items, embedder=emb, training=training, claim_prior=0.05))
    assert sum(r["is_claim"] for r in low) <= sum(r["is_claim"] for r in default)
    assert [r["scores"] for r in low] == [r["scores"] for r in default]  # only the gate moves
    with pytest.raises(InputError, match="claim-prior"):
        list(classify_statements(items, embedder=emb, training=training, claim_prior=1.0))


def test_classify_restates_level_for_the_national_share_of_real_statements() -> None:
    from voicetrace.analysis.classify import CLASSIFY_SETTINGS, train_default_model
    emb = CachedEmbedder(FakeEmbedder())
    training = load_statements()[:200]
    model = train_default_model(emb, training, store={})
    target = CLASSIFY_SETTINGS["material_mix"]["level"]["national_policy"]
    assert model.training_mix["level"]["national_policy"] < target  # our text is less national than real
    [rec] = classify_statements([{"id": "1", "text": "NHS England updated its guidance after our report."}],
                                embedder=emb, training=training, store={})
    model.material_mix = {}
    try:
        [plain] = model.predict(["NHS England updated its guidance after our report."])
    finally:
        model.material_mix = dict(CLASSIFY_SETTINGS["material_mix"])
    assert rec["scores"]["level"]["national_policy"] > plain.scores["level"]["national_policy"]
