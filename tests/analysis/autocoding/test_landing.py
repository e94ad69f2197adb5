"""The where-it-landed level expert: fitted on scope cues only, pooled into the level distribution."""
from __future__ import annotations

import pytest

from voicetrace.analysis.autocoding import (
    CodeSpace,
    CombinedSuggester,
    FakeEmbedder,
    Labels,
    default_codebook,
)
from voicetrace.analysis.autocoding.landing import LANDING_FEATURES, LandingExpert, landing_features, pool
from voicetrace.analysis.autocoding.persist import dumps, loads_into, model_key

SPACE = CodeSpace(default_codebook())
LEVELS = SPACE.ids("level")
BODIES = {"grassroots_operational": ["the ward", "the clinic", "the waiting room"],
          "organisational_network": ["trust-wide", "the NSSG", "across the network"],
          "strategic_commissioning": ["the PCT", "the ICB", "the commissioners"],
          "national_policy": ["NHS England", "the government", "national guidance"]}
TEXTS = [f"After our survey {body} changed things{' again' * k}." for level, bodies in BODIES.items()
         for body in bodies for k in range(3)]
LABELS = [Labels(True, level=level, domain="other_domain") for level, bodies in BODIES.items()
          for _ in bodies for _ in range(3)]


def test_features_are_scope_cues_only() -> None:
    assert all(n.startswith("scope:") or n == "vague" for n in LANDING_FEATURES)
    assert landing_features(TEXTS[:2]).shape == (2, len(LANDING_FEATURES))


def test_expert_reads_the_body_that_changed() -> None:
    expert = LandingExpert().fit(TEXTS, LABELS, LEVELS)
    assert expert.trained
    for text, level in [("The PCT has agreed to pay for it.", "strategic_commissioning"),
                        ("New chairs on the ward.", "grassroots_operational")]:
        dist = expert.distributions([text])[0]
        assert max(dist, key=lambda c: dist[c]) == level
    assert not LandingExpert().fit(TEXTS[:3], LABELS[:3], LEVELS).trained  # too few to learn from
    assert LandingExpert().distributions(["x"]) == [{}]


def test_pool_is_a_product_of_experts() -> None:
    dist = {"a": 0.5, "b": 0.5}
    assert pool(dist, {"a": 0.8, "b": 0.2}, 1.0) == pytest.approx({"a": 0.8, "b": 0.2})
    assert pool(dist, {"a": 0.8, "b": 0.2}, 0.0) == dist
    assert pool(dist, {}, 1.0) == dist
    assert pool({"a": 0.5, "c": 0.5}, {"a": 0.5}, 1.0) == pytest.approx({"a": 1 / 3, "c": 2 / 3})


def test_combined_uses_it_for_level_only_and_persists_it() -> None:
    texts, labels = TEXTS * 2, LABELS * 2
    plain = CombinedSuggester(SPACE, FakeEmbedder()).fit(texts, labels)
    landed = CombinedSuggester(SPACE, FakeEmbedder(), landing=1.0).fit(texts, labels)
    assert landed.landing_expert.trained and not plain.landing_expert.trained
    assert model_key(plain, texts, labels) != model_key(landed, texts, labels)
    probe = ["The ICB agreed to fund it.", "The ward has new signs."]
    a, b = plain.predict(probe), landed.predict(probe)
    for p, q in zip(a, b):
        assert p.scores["domain"] == q.scores["domain"]
        assert p.is_claim == q.is_claim
    assert any(p.scores["level"] != q.scores["level"] for p, q in zip(a, b))
    assert "where it landed" in b[0].reasons["strategic_commissioning"]
    again = CombinedSuggester(SPACE, FakeEmbedder(), landing=1.0)
    assert loads_into(again, dumps(landed))
    assert [p.scores for p in again.predict(probe)] == [p.scores for p in b]
