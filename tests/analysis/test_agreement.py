from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicetrace.analysis.agreement import (
    Table,
    cohen_kappa,
    compute_agreement,
    krippendorff_alpha_binary,
)

A20 = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0]
B20 = [1, 1, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0]


def krippendorff_alpha_nominal(reliability_data: list[list]) -> float:
    """The general definition (any number of coders, None for a missing value), as the reference the
    two-coder closed form of voicetrace.analysis.agreement is checked against: each unit with m >= 2
    values adds 1/(m - 1) to the coincidence of every ordered pair of its values; alpha = 1 - D_o / D_e."""
    coincidence: dict[tuple, float] = {}
    for unit in zip(*reliability_data):
        values = [v for v in unit if v is not None]
        m = len(values)
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    coincidence[c, k] = coincidence.get((c, k), 0.0) + 1 / (m - 1)
    totals: dict = {}
    for (c, _k), o in coincidence.items():
        totals[c] = totals.get(c, 0.0) + o
    n = sum(totals.values())
    observed = sum(o for (c, k), o in coincidence.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k) / (n - 1)
    return 1.0 if expected == 0 else 1.0 - observed / expected


def _segments_and_codings(a: list[int], b: list[int], code: str = "c"):
    segs = [("s", 10 * i, 10 * i + 10) for i in range(len(a))]
    ca = [("s", 10 * i + 2, 10 * i + 5, code) for i, v in enumerate(a) if v]
    cb = [("s", 10 * i + 1, 10 * i + 9, code) for i, v in enumerate(b) if v]
    return segs, ca, cb


def test_twenty_segment_check_against_hand_formulas() -> None:
    # Hand computation: N=20; A yes=9, B yes=8; both yes=7, both no=10 -> po=17/20.
    po = 17 / 20
    pe = (9 / 20) * (8 / 20) + (11 / 20) * (12 / 20)
    kappa = (po - pe) / (1 - pe)
    # Krippendorff nominal, 2 coders: n=40 values; n_yes=17, n_no=23; 3 disagreeing units.
    alpha = 1 - (40 - 1) * 3 / (17 * 23)
    res = compute_agreement(*_segments_and_codings(A20, B20))
    assert res.overall.percent_agreement == pytest.approx(0.85)
    assert res.overall.cohen_kappa == pytest.approx(kappa, abs=0.005)
    assert res.overall.krippendorff_alpha == pytest.approx(alpha, abs=0.005)
    assert res.overall.cohen_kappa == pytest.approx(0.6939, abs=0.005)
    assert res.overall.krippendorff_alpha == pytest.approx(0.7008, abs=0.005)
    assert len(res.disagreements) == 3
    assert {(d.start, d.coder_a, d.coder_b) for d in res.disagreements} == {(40, True, False), (90, False, True),
                                                                             (150, True, False)}


def test_textbook_cohen_kappa() -> None:
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> po .70, pe .50, kappa .40
    assert cohen_kappa(Table(20, 5, 10, 15)) == pytest.approx(0.4)


def test_krippendorff_published_nominal_example() -> None:
    # Krippendorff (2011) "Computing Krippendorff's alpha-reliability", nominal data, 4 observers, 12 units.
    n = None
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    assert krippendorff_alpha_nominal(data) == pytest.approx(0.743, abs=0.001)


@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=2, max_size=60))
@settings(max_examples=60, deadline=None)
def test_binary_formulas_match_reference_implementations(pairs) -> None:
    from sklearn.metrics import cohen_kappa_score

    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    t = Table.from_vectors(a, b)
    if len(set(a.tolist()) | set(b.tolist())) > 1:
        assert krippendorff_alpha_binary(t) == pytest.approx(
            krippendorff_alpha_nominal([a.astype(int).tolist(), b.astype(int).tolist()]), abs=1e-9)
    if len(set(a.tolist())) > 1 or len(set(b.tolist())) > 1:
        assert cohen_kappa(t) == pytest.approx(cohen_kappa_score(a, b), abs=1e-9)


def test_degenerate_convention() -> None:
    segs = [("s", 0, 10), ("s", 10, 20)]
    res = compute_agreement(segs, [], [], codes=["unused"])
    s = res.per_code["unused"]
    assert (s.percent_agreement, s.cohen_kappa, s.krippendorff_alpha, s.degenerate) == (1.0, 1.0, 1.0, True)
    assert "0/0" in res.to_json()["conventions"]
    empty = compute_agreement([], [], [], codes=["x"])
    assert empty.overall.cohen_kappa is None


def test_character_units_and_per_source() -> None:
    segs = [("s1", 0, 10), ("s2", 0, 4)]
    a = [("s1", 0, 5, "x"), ("s2", 0, 4, "y")]
    b = [("s1", 2, 5, "x"), ("s2", 0, 4, "y")]
    res = compute_agreement(segs, a, b, unit="character", source_lengths={"s1": 10, "s2": 4})
    # code x: 10 + 4 chars, 2 disagree; code y: 14 chars, all agree
    assert res.per_code["x"].percent_agreement == pytest.approx(12 / 14)
    assert res.per_code["y"].percent_agreement == 1.0
    assert res.overall.units == 28
    assert res.per_source["s2"].percent_agreement == 1.0
    [d] = res.disagreements
    assert (d.source_id, d.start, d.end, d.code, d.coder_a, d.coder_b) == ("s1", 0, 2, "x", True, False)
    out = res.to_json()
    assert set(out) >= {"unit", "coders", "overall", "per_code"}
    assert set(out["overall"]) >= {"percent_agreement", "cohen_kappa", "krippendorff_alpha"}


def test_segment_overlap_rule_and_ignored_sources() -> None:
    segs = [("s", 0, 10), ("s", 10, 20)]
    a = [("s", 8, 12, "x"), ("other", 0, 5, "x")]  # touches both segments; other source not compared
    b = [("s", 10, 11, "x")]
    res = compute_agreement(segs, a, b)
    assert res.per_code["x"].units == 2 and res.per_code["x"].percent_agreement == 0.5


def test_bad_input() -> None:
    with pytest.raises(ValueError):
        compute_agreement([("s", 5, 2)], [], [])
    with pytest.raises(ValueError):
        compute_agreement([("s", 0, 2)], [], [], unit="word")  # type: ignore[arg-type]


def test_character_units_without_source_lengths_use_last_span_end() -> None:
    res = compute_agreement([("s", 0, 5)], [("s", 0, 8, "x")], [], unit="character")
    assert res.per_code["x"].units == 8 and res.per_code["x"].percent_agreement == 0.0
