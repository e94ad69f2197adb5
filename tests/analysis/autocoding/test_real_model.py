from __future__ import annotations

import numpy as np
import pytest

from voicetrace.analysis.autocoding.embedders import OnnxEmbedder
from voicetrace.analysis.autocoding.zeroshot import ZeroShotSuggester

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real() -> OnnxEmbedder:
    return OnnxEmbedder()  # the default route


def test_real_model_encodes_normalised_and_chunks_long_text(real) -> None:
    long = "The group asked for better parking at the hospital. " * 200  # ~10k chars: many windows
    v = real.encode(["short text", long, "Texte en français sur le parking de l'hôpital."])
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)


def test_zero_shot_sanity(space, real) -> None:
    zs = ZeroShotSuggester(space, real)
    [pred] = zs.predict(["The car park charges were scrapped after the group lobbied"])
    ranked = sorted(pred.scores["domain"], key=lambda c: -pred.scores["domain"][c])
    assert "access_to_services" in ranked[:2]
