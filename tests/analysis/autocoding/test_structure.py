"""The codebook-question cues: where a change landed, what changed, its status, credit, vagueness."""
from __future__ import annotations

import numpy as np

from voicetrace.analysis.autocoding import CodeSpace, CombinedSuggester, FakeEmbedder, default_codebook
from voicetrace.analysis.autocoding.structure import feature_names, structure_features

NAMES = feature_names()


def on(text: str) -> set[str]:
    row = structure_features([text])[0]
    return {NAMES[i] for i in np.nonzero(row)[0]}


def test_scope_object_and_status_cues() -> None:
    assert {"scope:national:first", "object:policy:first", "status:done:first"} <= on(
        "NHS England has now published national guidance on discharge.")
    assert {"scope:strategic:first", "object:commissioning:first"} <= on(
        "The ICB agreed to fund a new service after our report.")
    assert {"scope:grassroots:first", "object:information:first"} <= on("Leaflets on Ward 7 were revised.")
    assert "status:planned:count" in on("The trust will introduce a new policy next year.")
    assert "status:refused:count" in on("The council declined to fund the scheme.")
    assert "vague" in on("Our volunteers have made a real difference this year.")
    assert "non_claim" in on("The group meets monthly and new members are welcome.")
    assert "credit" in on("As a result of patient feedback the clinic opens earlier.")


def test_scope_nearest_the_change_verb_is_where_it_landed() -> None:
    # rule 1: a national charity asked, one ward changed
    feats = on("A national charity raised concerns about the lighting, and the ward has had new lights fitted.")
    assert "scope:national:first" in feats
    assert "scope:grassroots:near_change" in feats


def test_shape_values_and_empty_input() -> None:
    x = structure_features(["", "x" * 5000, "Ünïcode — “quotes” and the ICB’s decision"])
    assert x.shape == (3, len(NAMES))
    assert (x >= 0).all() and (x <= 1).all()
    assert structure_features([]).shape == (0, len(NAMES))


def test_combined_suggester_adds_them_only_when_asked() -> None:
    space = CodeSpace(default_codebook())
    texts = ["The ICB agreed to fund it.", "We meet monthly."]
    vectors = FakeEmbedder().encode(texts)
    plain = CombinedSuggester(space, FakeEmbedder()).features(texts, vectors)
    with_s = CombinedSuggester(space, FakeEmbedder(), structure=0.5).features(texts, vectors)
    assert with_s.shape[1] == plain.shape[1] + len(NAMES)
    assert np.allclose(with_s[:, -len(NAMES):], 0.5 * structure_features(texts))
