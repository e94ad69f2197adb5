"""`voicetrace classify`: statements in, influence-claim labels out, no project needed.

The default model is the combined suggester trained on the packaged seed statements (plus the sample
study's gold quotes when they are installed). Embeddings of that training text are cached in the user's
cache folder, so only the first run pays for encoding it; the statements being classified are not
cached, as they may be sensitive. Nothing touches the network.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from voicetrace.analysis.autocoding.combined import CombinedSuggester
from voicetrace.analysis.autocoding.defaults import Example, default_codebook, load_gold, load_statements
from voicetrace.analysis.autocoding.embedders import (
    CachedEmbedder,
    Embedder,
    SqliteCache,
    local_embedder,
    user_cache_dir,
)
from voicetrace.analysis.autocoding.predictions import NONE, CodeSpace, Prediction, Thresholds
from voicetrace.core.codebook import Codebook
from voicetrace.core.errors import InputError

OUTPUT_DIMENSIONS = ("level", "domain", "activity")
# Chosen by grouped 5-fold CV on the packaged seed statements only (bench/bench_classifier_quality.py):
# the sample-study gold and the held-out statement block were never used to pick them.
CLASSIFY_SETTINGS: dict[str, Any] = {"c": 16.0, "residual_boost": 1.0}
CLASSIFY_THRESHOLDS = Thresholds(claim=0.5)
BATCH = 256
_MODELS: dict[str, CombinedSuggester] = {}


def default_training(space: CodeSpace) -> list[Example]:
    return load_statements() + load_gold(space)


def default_embedder() -> CachedEmbedder:
    """The packaged model behind an on-disk cache (user cache dir) for the training text."""
    return CachedEmbedder(local_embedder(), SqliteCache(user_cache_dir() / "embeddings.sqlite3"))


def train_default_model(embedder: Embedder | None = None, training: Sequence[Example] | None = None,
                        codebook: Codebook | None = None) -> CombinedSuggester:
    """Build (or reuse, within this process) the combined suggester for classify."""
    space = CodeSpace(codebook or default_codebook())
    examples = list(training) if training is not None else default_training(space)
    emb = embedder if embedder is not None else default_embedder()
    digest = hashlib.sha256()
    for ex in examples:
        digest.update(ex.text.encode("utf-8", "surrogatepass"))
        digest.update(repr(ex.labels).encode())
    key = f"{emb.version}|{space.codebook.name}@{space.codebook.version}|{digest.hexdigest()}"
    if key not in _MODELS:
        model = CombinedSuggester(space, emb, thresholds=CLASSIFY_THRESHOLDS, **CLASSIFY_SETTINGS)
        model.fit([e.text for e in examples], [e.labels for e in examples])
        _MODELS.clear()  # keep one model in memory
        _MODELS[key] = model
    return _MODELS[key]


def _record(item_id: str, pred: Prediction, empty: bool, threshold: float = 0.5) -> dict[str, Any]:
    is_claim = (not empty) and pred.is_claim >= threshold
    out: dict[str, Any] = {"id": item_id, "is_claim": bool(is_claim)}
    for dim in OUTPUT_DIMENSIONS:
        out[dim] = pred.top(dim) if is_claim else NONE
    out["scores"] = {dim: {c: round(float(p), 4) for c, p in (pred.scores.get(dim) or {}).items()}
                     for dim in OUTPUT_DIMENSIONS}
    return out


def _validated(items: Iterable[Any]) -> Iterator[tuple[str, str]]:
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise InputError(f"input record {n}", "expected a JSON object with 'id' and 'text'")
        text = item.get("text")
        if not isinstance(text, str):
            raise InputError(f"input record {n}", "missing 'text' (a string)")
        item_id = item.get("id")
        yield (str(item_id) if item_id is not None else str(n)), text


def classify_statements(items: Iterable[dict[str, Any]], *, embedder: Embedder | None = None,
                        training: Sequence[Example] | None = None, codebook: Codebook | None = None,
                        batch_size: int = BATCH) -> Iterator[dict[str, Any]]:
    """One output record per input item, same order, in the CLI.md `classify` shape.

    `scores[dim]` is the distribution over the dimension's codes given that the passage is a claim (so it
    is filled for non-claims too, for review); non-claims have level/domain/activity "none".
    """
    model = train_default_model(embedder, training, codebook)
    # Classify with the uncached model: the statements may be sensitive, and they are rarely repeated.
    runner = model
    inner = getattr(model.embedder, "inner", None)
    stream = _validated(items)
    while True:
        batch = list(islice(stream, batch_size))
        if not batch:
            return
        texts = [t for _, t in batch]
        vectors = (inner or model.embedder).encode(texts)
        preds = runner.predict_with_vectors(texts, vectors)
        for (item_id, text), pred in zip(batch, preds):
            yield _record(item_id, pred, empty=not text.strip(), threshold=model.thresholds.claim)
