from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicetrace.analysis.autocoding.embedders import (
    CachedEmbedder,
    Embedder,
    FakeEmbedder,
    MemoryCache,
    SentenceTransformerEmbedder,
    SqliteCache,
    resolve_model_path,
    windows,
)
from voicetrace.core.errors import InputError


def test_fake_is_normalised_deterministic_and_similarity_aware() -> None:
    emb = FakeEmbedder(dim=128)
    assert isinstance(emb, Embedder)
    v = emb.encode(["free parking for patients", "free parking for cancer patients", "quarterly budget minutes"])
    assert v.dtype == np.float32 and v.shape == (3, 128)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(v, emb.encode(["free parking for patients", "free parking for cancer patients",
                                         "quarterly budget minutes"]))
    assert v[0] @ v[1] > v[0] @ v[2]


def test_fake_handles_empty_and_non_english() -> None:
    v = FakeEmbedder().encode(["", "   ", "患者の声でサービスが変わった", "Le dépliant a été révisé"])
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert FakeEmbedder().encode([]).shape == (0, 256)


@given(st.text(min_size=0, max_size=5000))
@settings(max_examples=50, deadline=None)
def test_windows_cover_the_text(text: str) -> None:
    parts = windows(text, size=300, overlap=30)
    assert all(len(p) <= 300 for p in parts)
    # every character falls in some window, in order
    pos = 0
    for p in parts:
        found = text.find(p, max(0, pos - 30))
        assert found != -1 and found <= pos
        pos = found + len(p)
    assert pos == len(text)


def test_cached_embedder_reuses_vectors_and_keys_by_model_version() -> None:
    inner = FakeEmbedder(dim=64)
    cache = MemoryCache()
    emb = CachedEmbedder(inner, cache)
    a = emb.encode(["one", "two", "one"])
    assert emb.misses == 2 and len(cache) == 2
    b = emb.encode(["two", "one"])
    assert emb.misses == 2 and emb.hits == 2
    assert np.array_equal(a[1], b[0])
    other = FakeEmbedder(dim=64)
    other.version = "2"
    assert CachedEmbedder(other, cache).key("one") != emb.key("one")


def test_sqlite_cache_persists(tmp_path) -> None:
    path = tmp_path / "c" / "emb.sqlite3"
    emb = CachedEmbedder(FakeEmbedder(dim=32), SqliteCache(path))
    first = emb.encode(["a passage", "another"])
    again = CachedEmbedder(FakeEmbedder(dim=32), SqliteCache(path))
    assert np.array_equal(again.encode(["another", "a passage"]), first[::-1])
    assert again.misses == 0 and len(again.cache) == 2
    del again.cache[next(iter(again.cache))]
    assert len(again.cache) == 1


def test_missing_model_folder_is_a_clear_input_error(tmp_path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        SentenceTransformerEmbedder(tmp_path / "nope")
    with pytest.raises(InputError):
        resolve_model_path(str(tmp_path / "missing" / "model"))


def test_packaged_model_resolves_without_loading() -> None:
    path = resolve_model_path()
    emb = SentenceTransformerEmbedder(path)
    assert emb.dim == 384 and emb.version.startswith(emb.name)


class _Counting(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__(dim=16)
        self.seen: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.seen += texts
        return super().encode(texts)


def test_prime_shares_only_the_given_texts_across_caches(tmp_path) -> None:
    inner = _Counting()
    shared = SqliteCache(tmp_path / "shared.sqlite3")
    first = CachedEmbedder(inner, MemoryCache())
    first.prime(["seed one", "seed two"], shared)
    first.encode(["private passage"])
    assert len(shared) == 2 and inner.seen == ["seed one", "seed two", "private passage"]
    second = CachedEmbedder(inner, MemoryCache())  # a new project: the seed comes from the shared cache
    second.prime(["seed one", "seed two"], shared)
    assert inner.seen == ["seed one", "seed two", "private passage"]
    assert np.array_equal(second.encode(["seed two"]), first.encode(["seed two"])) and second.misses == 0
    second.prime(["seed one"], shared)  # already there: nothing read or written
    assert len(shared) == 2
