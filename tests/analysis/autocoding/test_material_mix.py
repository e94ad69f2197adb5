"""Restating a dimension's distribution for the code mix of the material (combined.restate_mix)."""
from __future__ import annotations

import pytest

from voicetrace.analysis.autocoding import (
    CodeSpace,
    CombinedSuggester,
    FakeEmbedder,
    Labels,
    default_codebook,
)
from voicetrace.analysis.autocoding.combined import code_shares, restate_mix
from voicetrace.analysis.autocoding.persist import dumps, loads_into, model_key

SPACE = CodeSpace(default_codebook())
BODIES = {"grassroots_operational": ["the ward", "the clinic", "the waiting room", "the day unit"],
          "organisational_network": ["the trust", "the NSSG", "the network"],
          "strategic_commissioning": ["the PCT", "the commissioners"],
          "national_policy": ["NHS England"]}
TEXTS = [f"After our survey {body} changed the leaflet{' again' * k}." for bodies in BODIES.values()
         for body in bodies for k in range(6)]
LABELS = [Labels(True, level=level, domain="patient_information") for level, bodies in BODIES.items()
          for _ in bodies for _ in range(6)]


def test_code_shares_count_labelled_claims_only() -> None:
    labels = [Labels(True, level="a"), Labels(True, level="a"), Labels(True, level="b"), Labels(False),
              Labels(True, level="zzz")]
    assert code_shares(labels, "level", ["a", "b", "c"]) == pytest.approx({"a": 2 / 3, "b": 1 / 3, "c": 0.0})
    assert code_shares([Labels(False)], "level", ["a"]) == {}


def test_restate_mix_is_bayes_rule_for_the_named_codes() -> None:
    base = {"a": 0.5, "b": 0.3, "c": 0.2}
    dist = {"a": 0.5, "b": 0.3, "c": 0.2}  # a head that just repeats its training mix
    out = restate_mix(dist, {"c": 0.4}, base)
    assert out["c"] == pytest.approx(0.4)
    assert out["a"] / out["b"] == pytest.approx(0.5 / 0.3)  # the unnamed codes keep their proportions
    assert restate_mix(dist, dict(base), base) == pytest.approx(dist)  # same mix: nothing moves
    assert restate_mix(dist, {}, base) == dist
    assert restate_mix(dist, {"d": 0.5}, base) == dist  # a code the head does not score
    assert restate_mix(dist, {"c": 0.4}, {"a": 0.6, "b": 0.4, "c": 0.0}) == dist  # never seen: no ratio


def test_combined_restates_level_only_from_its_own_training_mix() -> None:
    mix = {"level": {"national_policy": 0.5}}
    plain = CombinedSuggester(SPACE, FakeEmbedder(), landing=0.25).fit(TEXTS, LABELS)
    mixed = CombinedSuggester(SPACE, FakeEmbedder(), landing=0.25, material_mix=mix).fit(TEXTS, LABELS)
    assert mixed.training_mix["level"]["national_policy"] == pytest.approx(6 / len(TEXTS))
    assert model_key(plain, TEXTS, LABELS) == model_key(mixed, TEXTS, LABELS)  # the fit does not depend on it
    assert plain.version != mixed.version
    probe = ["NHS England changed its guidance after our report.", "The ward changed its leaflet."]
    a, b = plain.predict(probe), mixed.predict(probe)
    for p, q in zip(a, b):
        assert p.is_claim == q.is_claim and p.scores["domain"] == q.scores["domain"]
        assert q.scores["level"]["national_policy"] > p.scores["level"]["national_policy"]
        assert sum(q.scores["level"].values()) == pytest.approx(1.0)
    again = CombinedSuggester(SPACE, FakeEmbedder(), landing=0.25, material_mix=mix)
    assert loads_into(again, dumps(mixed))
    assert [p.scores for p in again.predict(probe)] == [p.scores for p in b]


def test_untrained_combined_ignores_the_mix() -> None:
    comb = CombinedSuggester(SPACE, FakeEmbedder(), material_mix={"level": {"national_policy": 0.9}})
    plain = CombinedSuggester(SPACE, FakeEmbedder())
    probe = ["The ward changed its leaflet."]
    assert comb.predict(probe)[0].scores == plain.predict(probe)[0].scores
