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


def test_classify_with_fake_embedder_keeps_order_and_shape() -> None:
    emb = CachedEmbedder(FakeEmbedder())
    items = [{"id": "a", "text": "Following our Enter and View visit, the home put clocks in the lounge."},
             {"id": "b", "text": "Dates of next year's meetings are below.", "extra": 1},
             {"text": "   "}]
    out = list(classify_statements(items, embedder=emb, training=load_statements()))
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
    assert [r["is_claim"] for r in out] == [True, False, True, True, False]
    assert out[0]["domain"] == "care_environment"
    assert out[2]["domain"] == "commissioning"
    assert (tmp_path / "embeddings.sqlite3").exists()
