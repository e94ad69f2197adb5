"""The seed statements must follow the codebook they train for."""
from __future__ import annotations

from collections import Counter

from voicetrace.analysis.autocoding.predictions import CodeSpace


def test_every_label_is_a_codebook_code(space: CodeSpace, seed) -> None:
    for ex in seed:
        lab = ex.labels
        if not lab.is_claim:
            assert {lab.level, lab.domain, lab.activity, lab.evidence, lab.status} == {"none"}
            continue
        for dim in ("level", "domain", "activity", "evidence", "status"):
            assert lab.single(dim) in space.ids(dim), (ex.text, dim)
        assert set(lab.enablers) <= set(space.ids("enabler"))
        assert set(lab.barriers) <= set(space.ids("barrier"))


def test_coverage(space: CodeSpace, seed) -> None:
    assert len(seed) >= 330
    assert 0.2 <= sum(not e.labels.is_claim for e in seed) / len(seed) <= 0.4
    for dim in ("level", "domain", "activity"):
        counts = Counter(e.labels.single(dim) for e in seed if e.labels.is_claim)
        for code in space.ids(dim):
            assert counts[code] >= 12, (dim, code, counts[code])
    assert len({e.text for e in seed}) == len(seed)
