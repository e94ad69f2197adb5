"""A fitted suggester is stored under a key of everything it depends on, and loads back identical."""
from __future__ import annotations

import os
import time

import numpy as np

from voicetrace.analysis.autocoding import CodeSpace, CombinedSuggester, FakeEmbedder, default_codebook
from voicetrace.analysis.autocoding.defaults import load_statements
from voicetrace.analysis.autocoding.persist import FileModelStore, dumps, fit_or_load, loads_into, model_key

SPACE = CodeSpace(default_codebook())
SMALL = load_statements()[:60]  # small: these tests are about storage, not about the seed set
TEXTS = [e.text for e in SMALL]
LABELS = [e.labels for e in SMALL]
PROBE = ["After our survey the clinic now opens at 7am.", "The group meets monthly."]


def _model(**kw) -> CombinedSuggester:
    return CombinedSuggester(SPACE, FakeEmbedder(), **kw)


def test_fit_once_then_load_gives_the_same_predictions() -> None:
    store: dict[str, bytes] = {}
    first = _model()
    assert fit_or_load(first, TEXTS, LABELS, store) is False
    assert len(store) == 1
    second = _model()
    assert fit_or_load(second, TEXTS, LABELS, store) is True
    assert second.classifier.trained_dimensions == first.classifier.trained_dimensions
    a, b = first.predict(PROBE), second.predict(PROBE)
    for pa, pb in zip(a, b):
        assert np.isclose(pa.is_claim, pb.is_claim)
        assert pa.scores == pb.scores


def test_key_follows_data_labels_settings_and_codebook() -> None:
    base = model_key(_model(), TEXTS, LABELS)
    assert model_key(_model(), TEXTS, LABELS) == base
    assert model_key(_model(), TEXTS[:-1], LABELS[:-1]) != base
    relabelled = list(LABELS)
    relabelled[0] = SMALL[1].labels if SMALL[1].labels != SMALL[0].labels else SMALL[2].labels
    assert model_key(_model(), TEXTS, relabelled) != base
    assert model_key(_model(c=2.0), TEXTS, LABELS) != base
    assert model_key(_model(structure=1.0), TEXTS, LABELS) != base
    # a prior applies after prediction, so the same fit serves it
    assert model_key(_model(claim_prior=0.9), TEXTS, LABELS) == base
    book = default_codebook()
    code = book.codes_in("level")[0]
    code.indicators = [*code.indicators, "brand new cue"]
    assert model_key(CombinedSuggester(CodeSpace(book), FakeEmbedder()), TEXTS, LABELS) != base


def test_damaged_payload_means_fit_again() -> None:
    model = _model()
    assert loads_into(model, b"not a pickle") is False
    store = {model_key(model, TEXTS, LABELS): b"garbage"}
    assert fit_or_load(model, TEXTS, LABELS, store) is False
    assert loads_into(_model(), store[model_key(model, TEXTS, LABELS)]) is True


def test_file_store_keeps_the_newest(tmp_path) -> None:
    store = FileModelStore(tmp_path / "models", keep=2)
    assert store.get("a" * 64) is None
    payload = dumps(_model().fit(TEXTS[:30], LABELS[:30]))
    for i, k in enumerate(("a", "b", "c")):
        store[k * 64] = payload
        path = store._path(k * 64)
        os.utime(path, (time.time() + i, time.time() + i))
    assert store.get("a" * 64) is None
    assert store.get("c" * 64) == payload
    assert len(list((tmp_path / "models").glob("model-*.pkl"))) == 2
