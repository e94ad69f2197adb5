"""The default (ONNX) route must give the vectors sentence-transformers + torch gives for the same model."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from voicetrace.analysis.autocoding import embedders, onnx_graph
from voicetrace.analysis.autocoding.embedders import (
    FakeEmbedder,
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    local_embedder,
    resolve_model_path,
)
from voicetrace.core.errors import InputError

REFERENCE = Path(__file__).resolve().parent / "fixtures" / "minilm_reference.json"


def _model_dir(tmp_path: Path, **pooling: bool) -> Path:
    """A model folder with the packaged configs but stand-in weights: enough for everything but encoding."""
    src = Path(resolve_model_path())
    dst = tmp_path / "model"
    (dst / "1_Pooling").mkdir(parents=True)
    for rel in ("config.json", "modules.json", "sentence_bert_config.json", "tokenizer.json"):
        (dst / rel).write_bytes((src / rel).read_bytes())
    cfg = json.loads((src / "1_Pooling" / "config.json").read_text())
    cfg.update(pooling)
    (dst / "1_Pooling" / "config.json").write_text(json.dumps(cfg))
    (dst / "model.safetensors").write_bytes(b"weights one")
    return dst


def test_graph_cache_is_keyed_by_the_weights_content(tmp_path) -> None:
    model = _model_dir(tmp_path)
    emb = OnnxEmbedder(model, cache_dir=tmp_path / "cache")
    first = emb.graph_path()
    assert first.parent == tmp_path / "cache" and first.suffix == ".onnx"
    assert emb.graph_path() == first
    (model / "model.safetensors").write_bytes(b"weights two")  # same size, other content
    assert emb.graph_path() != first
    assert emb.dim == 384 and emb.max_tokens == 256


def test_unsupported_pooling_is_refused_not_approximated(tmp_path) -> None:
    model = _model_dir(tmp_path, pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    with pytest.raises(InputError, match="mean-pooled"):
        onnx_graph.build_model(model)


def test_non_bert_models_are_refused(tmp_path) -> None:
    model = _model_dir(tmp_path)
    cfg = json.loads((model / "config.json").read_text())
    (model / "config.json").write_text(json.dumps({**cfg, "model_type": "roberta"}))
    with pytest.raises(InputError, match="only BERT"):
        onnx_graph.build_model(model)


def test_local_embedder_picks_the_runtime(monkeypatch) -> None:
    monkeypatch.delenv(embedders.EMBEDDER_ENV, raising=False)
    assert isinstance(local_embedder(), OnnxEmbedder)
    assert isinstance(local_embedder("torch"), SentenceTransformerEmbedder)
    monkeypatch.setenv(embedders.EMBEDDER_ENV, "fake")
    assert isinstance(local_embedder(), FakeEmbedder)
    with pytest.raises(InputError, match="unknown embedder"):
        local_embedder("gpu")


def test_torch_route_without_the_extra_says_how_to_get_it(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # as if not installed
    with pytest.raises(InputError, match=r"voicetrace\[torch\]"):
        SentenceTransformerEmbedder().encode(["x"])


@pytest.fixture(scope="module")
def onnx_model(tmp_path_factory) -> OnnxEmbedder:
    """Built from the packaged weights into a fresh folder, so the build itself is under test."""
    return OnnxEmbedder(cache_dir=tmp_path_factory.mktemp("onnx-cache"))


@pytest.mark.slow
def test_onnx_vectors_match_the_torch_reference(onnx_model) -> None:
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    assert ref["model_version"] == onnx_model.version
    expected = np.asarray(ref["vectors"], dtype=np.float32)
    got = onnx_model.encode(ref["texts"])
    assert got.shape == expected.shape == (len(ref["texts"]), 384) and got.dtype == np.float32
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    cosine = (got * expected).sum(axis=1) / np.linalg.norm(expected, axis=1)
    assert cosine.min() >= 0.9999, dict(zip(ref["texts"], cosine.round(6)))


@pytest.mark.slow
def test_onnx_vectors_do_not_depend_on_batch_company(onnx_model) -> None:
    """Padding to the longest piece of a batch must not leak into the shorter ones."""
    texts = json.loads(REFERENCE.read_text(encoding="utf-8"))["texts"]
    together = onnx_model.encode(texts)
    alone = np.stack([onnx_model.encode([t])[0] for t in texts[::3]])
    assert np.abs(together[::3] - alone).max() < 1e-5
    assert onnx_model.encode([]).shape == (0, 384)


@pytest.mark.slow
def test_a_cached_graph_is_loaded_not_rebuilt(onnx_model, monkeypatch) -> None:
    onnx_model.encode(["warm"])
    built = onnx_model.graph_path()
    stamp = built.stat().st_mtime_ns
    monkeypatch.setattr(onnx_graph, "write_model", lambda *a: pytest.fail("graph rebuilt"))
    again = OnnxEmbedder(cache_dir=onnx_model.cache_dir)
    assert np.allclose(again.encode(["a statement"]), onnx_model.encode(["a statement"]), atol=1e-6)
    assert built.stat().st_mtime_ns == stamp and len(list(onnx_model.cache_dir.iterdir())) == 1


@pytest.mark.slow
def test_onnx_matches_torch_live_when_the_extra_is_installed(onnx_model) -> None:
    pytest.importorskip("sentence_transformers")
    texts = ["The panel asked for parking.", "Nothing changed.", "Les patients ont été écoutés. " * 80]
    torch_vecs = SentenceTransformerEmbedder().encode(texts)
    assert ((onnx_model.encode(texts) * torch_vecs).sum(axis=1) >= 0.9999).all()
