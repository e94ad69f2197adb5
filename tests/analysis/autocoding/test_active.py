from __future__ import annotations

import pytest

from voicetrace.analysis.autocoding.active import RetrainPolicy, entropy, margin, review_order
from voicetrace.analysis.autocoding.predictions import Prediction


def _p(claim: float, top: float) -> Prediction:
    return Prediction(claim, {"level": {"a": top, "b": 1 - top}, "domain": {"x": top, "y": 1 - top}})


def test_uncertain_first() -> None:
    preds = [_p(0.99, 0.95), _p(0.55, 0.5), _p(0.9, 0.7)]
    assert review_order(preds, "margin") == [1, 2, 0]
    assert review_order(preds, "entropy") == [1, 2, 0]
    assert margin(preds[1]) < margin(preds[0])
    assert entropy(preds[1]) > entropy(preds[0])
    with pytest.raises(ValueError):
        review_order(preds, "random")  # type: ignore[arg-type]


def test_retrain_policy() -> None:
    policy = RetrainPolicy(every=3)
    assert [policy.record() for _ in range(3)] == [False, False, True]
    policy.retrained()
    assert policy.pending == 0 and policy.retrains == 1
    with pytest.raises(ValueError):
        RetrainPolicy(every=0)
