"""The fine-tuned encoder route: trained with torch, then found and run by the ONNX route without it."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from voicetrace.analysis.autocoding import CodeSpace, default_codebook, load_statements
from voicetrace.analysis.autocoding.embedders import (
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    encoders_dir,
    resolve_model_path,
    tuned_model_path,
)
from voicetrace.analysis.autocoding.finetune import reset_encoder, targets, train_encoder
from voicetrace.core.errors import InputError


@pytest.fixture()
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("VOICETRACE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("VOICETRACE_MODEL", raising=False)
    return tmp_path / "cache"


def _fake_tuned(name: str = "m-tuned-abc") -> Path:
    folder = encoders_dir() / name
    folder.mkdir(parents=True)
    (folder / "model.safetensors").write_bytes(b"w")
    (encoders_dir() / "current").write_text(name + "\n")
    return folder


def test_no_tuned_encoder_means_the_packaged_one(cache) -> None:
    assert tuned_model_path() is None
    assert resolve_model_path() == resolve_model_path(tuned=False)


def test_the_tuned_encoder_is_preferred_but_not_over_an_explicit_model(cache, tmp_path, monkeypatch) -> None:
    packaged = resolve_model_path(tuned=False)
    folder = _fake_tuned()
    assert resolve_model_path() == str(folder)
    assert resolve_model_path(tuned=False) == packaged
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setenv("VOICETRACE_MODEL", str(other))
    assert resolve_model_path() == str(other)


def test_a_pointer_to_a_missing_folder_is_ignored_and_reset_removes_it(cache) -> None:
    packaged = resolve_model_path(tuned=False)
    folder = _fake_tuned()
    (folder / "model.safetensors").unlink()
    assert resolve_model_path() == packaged
    assert reset_encoder() is True
    assert reset_encoder() is False


def test_targets_skip_unlabelled_and_non_claims() -> None:
    space = CodeSpace(default_codebook())
    data = load_statements()[:60]
    tg = targets(data, space)
    assert tg["claim"][1] == [int(e.labels.is_claim) for e in data]
    for e, y in zip(data, tg["level"][1]):
        assert (y == -100) == (not e.labels.is_claim or e.labels.level not in space.ids("level"))


def test_training_without_torch_says_how_to_get_it(cache, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)
    space = CodeSpace(default_codebook())
    with pytest.raises(InputError, match=r"voicetrace\[torch\]"):
        train_encoder(load_statements()[:10], space, base=resolve_model_path(tuned=False), epochs=1)
    assert tuned_model_path() is None


@pytest.mark.slow
def test_a_tuned_encoder_runs_on_the_onnx_route_like_torch(cache) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("sentence_transformers")
    space = CodeSpace(default_codebook())
    data = load_statements()[:24]
    folder = train_encoder(data, space, base=resolve_model_path(tuned=False), epochs=1, max_len=32)
    assert tuned_model_path() == folder and resolve_model_path() == str(folder)
    texts = [e.text for e in data[:6]] + ["The ward now runs a carers' hour every Tuesday."]
    onnx = OnnxEmbedder(cache_dir=cache / "onnx")
    assert onnx.path == str(folder) and "tuned" in onnx.version
    ref = SentenceTransformerEmbedder(folder).encode(texts)
    assert ((onnx.encode(texts) * ref).sum(axis=1) >= 0.9999).all()
    base = SentenceTransformerEmbedder(resolve_model_path(tuned=False)).encode(texts)
    assert not np.allclose(base, ref, atol=1e-3)  # training moved the weights
