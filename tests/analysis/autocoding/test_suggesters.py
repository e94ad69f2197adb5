from __future__ import annotations

import numpy as np
import pytest

from voicetrace.analysis.autocoding.classifier import ClassifierSuggester
from voicetrace.analysis.autocoding.combined import CombinedSuggester
from voicetrace.analysis.autocoding.defaults import codebook_from_mapping
from voicetrace.analysis.autocoding.predictions import CodeSpace, Labels, ScoredCode, Suggester
from voicetrace.analysis.autocoding.zeroshot import ZeroShotSuggester
from voicetrace.core.codebook import Codebook
from voicetrace.core.errors import InputError


def _check_predictions(preds, space: CodeSpace) -> None:
    for p in preds:
        assert 0.0 <= p.is_claim <= 1.0
        for dim in space.single_dimensions():
            dist = p.scores.get(dim) or {}
            if dist:
                assert abs(sum(dist.values()) - 1.0) < 1e-6
                assert set(dist) <= set(space.ids(dim))


def test_zeroshot_prefers_the_matching_definition(space, fake) -> None:
    zs = ZeroShotSuggester(space, fake)
    assert isinstance(zs, Suggester)
    preds = zs.predict(["New patient leaflets and booklets in plain English, with signposting on the website"])
    _check_predictions(preds, space)
    assert preds[0].top("domain") == "patient_information"
    assert "similar to definition of" in preds[0].reasons["patient_information"]


def test_classifier_learns_and_abstains_when_data_is_thin(space, fake, small_seed) -> None:
    seed = small_seed
    tiny = ClassifierSuggester(space, fake).fit([e.text for e in seed[:3]], [e.labels for e in seed[:3]])
    assert not tiny.claim_trained and tiny.trained_dimensions == []
    [p] = tiny.predict(["anything"])
    assert p.scores == {}
    clf = ClassifierSuggester(space, fake).fit([e.text for e in seed], [e.labels for e in seed])
    assert clf.claim_trained and {"level", "domain", "activity"} <= set(clf.trained_dimensions)
    preds = clf.predict([e.text for e in seed[:40]])
    _check_predictions(preds, space)
    hits = sum(p.top("domain") == e.labels.domain for p, e in zip(preds, seed[:40]) if e.labels.is_claim)
    assert hits >= 20  # seen data: a working fit gets most of these right


def test_classifier_with_no_training_data(space, fake) -> None:
    clf = ClassifierSuggester(space, fake).fit([], [])
    assert clf.predict([]) == []
    assert clf.predict(["x"])[0].is_claim == 0.5


def test_combined_gives_non_claims_no_claim_codes(space, fake, small_seed) -> None:
    comb = CombinedSuggester(space, fake).fit([e.text for e in small_seed], [e.labels for e in small_seed])
    texts = ["The Patient Participation Group meets on the first Tuesday of each month at 6pm. New members welcome.",
             "After our Enter and View visit the care home put clocks and calendars in every lounge."]
    preds = comb.predict(texts)
    _check_predictions(preds, space)
    sugg = comb.suggest(texts)
    assert all(isinstance(s, ScoredCode) for s in sugg[0] + sugg[1])
    assert preds[0].is_claim < 0.5 < preds[1].is_claim
    assert not [s for s in sugg[0] if s.dimension in ("level", "domain", "activity", "evidence", "status")]
    primaries = {s.dimension: s for s in sugg[1] if s.primary}
    assert {"level", "domain", "activity"} <= set(primaries)
    assert all(0.0 <= s.score <= 1.0 and s.reason for s in sugg[1])
    assert len({(s.dimension) for s in sugg[1] if s.primary}) == len([s for s in sugg[1] if s.primary])


def test_combined_untrained_uses_priors(space, fake) -> None:
    comb = CombinedSuggester(space, fake)
    [p] = comb.predict(["Following our campaign the hospital made parking free for patients."])
    assert comb.classifier_weight() == 0.0
    assert p.top("domain") == "access_to_services"


def test_long_and_odd_inputs_do_not_crash(space, fake, seed) -> None:
    comb = CombinedSuggester(space, fake).fit([e.text for e in seed[:60]], [e.labels for e in seed[:60]])
    long = "The panel asked for better parking. " * 3000  # ~100k characters
    out = comb.suggest([long, "", "Las sillas de la sala de espera fueron cambiadas.", "🙂" * 10])
    assert len(out) == 4


def test_empty_codebook_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="no codable codes"):
        CodeSpace(Codebook("empty", "1", []))
    with pytest.raises(InputError):
        codebook_from_mapping({"codes": [{"label": "no id"}]})


def test_labels_from_gold_codes(space) -> None:
    lab = space.labels_from_codes(["grassroots_operational", "care_environment", "enabler_relationships"])
    assert lab.is_claim and lab.level == "grassroots_operational" and lab.activity == ""
    assert lab.enablers == ["enabler_relationships"]
    assert not space.labels_from_codes(["barrier_tokenism"]).is_claim
    assert Labels.from_record({"is_claim": False}).level == "none"


def test_fit_vectors_matches_fit(space, fake, seed) -> None:
    texts = [e.text for e in seed[:80]]
    labels = [e.labels for e in seed[:80]]
    a = ClassifierSuggester(space, fake).fit(texts, labels).predict(texts[:5])
    b = ClassifierSuggester(space, fake).fit_vectors(fake.encode(texts), labels).predict(texts[:5])
    assert np.allclose([p.is_claim for p in a], [p.is_claim for p in b])
