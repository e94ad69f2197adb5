"""`voicetrace classify`: statements in, influence-claim labels out, no project needed.

The default model is the combined suggester trained on the packaged seed statements (plus the sample
study's gold quotes when they are installed). The fitted model is kept in the user's cache folder under a
key of its training data, settings and code (analysis.autocoding.persist), so only the first run pays for
encoding the training text and fitting; the statements being classified are not cached, as they may be
sensitive. Nothing touches the network.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from voicetrace.analysis.autocoding.combined import CombinedSuggester, prior_shift
from voicetrace.analysis.autocoding.defaults import Example, default_codebook, load_gold, load_statements
from voicetrace.analysis.autocoding.embedders import (
    CachedEmbedder,
    Embedder,
    SqliteCache,
    local_embedder,
    user_cache_dir,
)
from voicetrace.analysis.autocoding.persist import FileModelStore, fit_or_load, model_key
from voicetrace.analysis.autocoding.predictions import NONE, CodeSpace, Prediction, Thresholds
from voicetrace.core.codebook import Codebook
from voicetrace.core.errors import InputError

OUTPUT_DIMENSIONS = ("level", "domain", "activity")
# c chosen by grouped 5-fold CV on the packaged seed statements only (bench/bench_classifier_quality.py).
# claim_prior: `classify` is given statements put forward as involvement's impact, and in real public
# material of that kind ~95 % are claims — against ~35 % non-claims in the training text. With
# class-balanced training the claim head answers for a 50:50 world; Bayes' rule restates it for 95:5
# (analysis.autocoding.combined.prior_shift). Projects (`autocode`) code whole documents, so they keep
# the learned prior.
# landing: weight of the where-it-landed level expert (analysis.autocoding.landing); 0.25 raised level on
# the sample gold, both held-out blocks and CV, higher weights raised the gold further but lowered the
# held-out blocks (docs/benchmarks.md, 2026-12-02). Domain, activity and the claim gate are untouched.
# material_mix: the calibrated level head answers for the training text's level mix (~10 % national once
# the sample gold is in); real public statements of impact are ~18 % national (issue 15), so the level
# distribution is restated for that by Bayes' rule (combined.restate_mix), the other levels keeping their
# training proportions. The share is the measurement, not tuned (docs/benchmarks.md, 2026-12-03).
CLASSIFY_SETTINGS: dict[str, Any] = {"c": 16.0, "residual_boost": 1.0, "claim_prior": 0.95, "landing": 0.25,
                                     "material_mix": {"level": {"national_policy": 0.18}}}
CLASSIFY_THRESHOLDS = Thresholds(claim=0.5)
BATCH = 256
_MODELS: dict[str, CombinedSuggester] = {}


def default_training(space: CodeSpace) -> list[Example]:
    return load_statements() + load_gold(space)


def default_embedder() -> CachedEmbedder:
    """The packaged model behind an on-disk cache (user cache dir) for the training text."""
    return CachedEmbedder(local_embedder(), SqliteCache(user_cache_dir() / "embeddings.sqlite3"))


def default_model_store() -> FileModelStore:
    return FileModelStore(user_cache_dir() / "models")


def train_default_model(embedder: Embedder | None = None, training: Sequence[Example] | None = None,
                        codebook: Codebook | None = None, store: Any = None) -> CombinedSuggester:
    """Build the combined suggester for classify: from this process's memory, else from `store` (the
    user cache folder when the packaged model is used), else by fitting — and then keep it in both.

    `store` is any mapping-like object with `get`/`__setitem__`; tests pass a dict so that they neither
    read nor write the user's cache."""
    space = CodeSpace(codebook or default_codebook())
    examples = list(training) if training is not None else default_training(space)
    emb = embedder if embedder is not None else default_embedder()
    if store is None and embedder is None:
        store = default_model_store()
    model = CombinedSuggester(space, emb, thresholds=CLASSIFY_THRESHOLDS, **CLASSIFY_SETTINGS)
    texts, labels = [e.text for e in examples], [e.labels for e in examples]
    key = model_key(model, texts, labels)
    if key not in _MODELS:
        if store is None:
            model.fit(texts, labels)
        else:
            fit_or_load(model, texts, labels, store)
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


def check_claim_prior(claim_prior: float) -> float:
    if not 0.0 < claim_prior < 1.0:
        raise InputError("--claim-prior", f"must be between 0 and 1 (exclusive), not {claim_prior:g}")
    return claim_prior


def classify_statements(items: Iterable[dict[str, Any]], *, embedder: Embedder | None = None,
                        training: Sequence[Example] | None = None, codebook: Codebook | None = None,
                        batch_size: int = BATCH, store: Any = None,
                        claim_prior: float | None = None) -> Iterator[dict[str, Any]]:
    """One output record per input item, same order, in the CLI.md `classify` shape.

    `scores[dim]` is the distribution over the dimension's codes given that the passage is a claim (so it
    is filled for non-claims too, for review); non-claims have level/domain/activity "none".
    `claim_prior` is the share of claims expected in the input (default: the model's, 0.95, for
    statements put forward as impact); mixed text such as whole minutes wants a lower one, e.g. 0.5.
    The fitted model does not depend on it: its claim probability is restated by Bayes' rule.
    """
    if claim_prior is not None:
        check_claim_prior(claim_prior)
    model = train_default_model(embedder, training, codebook, store)
    base = model.claim_prior if model.claim_prior is not None else 0.5
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
            if claim_prior is not None and claim_prior != base:
                pred.is_claim = prior_shift(pred.is_claim, claim_prior, base)
            yield _record(item_id, pred, empty=not text.strip(), threshold=model.thresholds.claim)
