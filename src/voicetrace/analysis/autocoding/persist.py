"""A fitted suggester kept between runs, so `classify` and `autocode` do not refit on every call.

Fitting the calibrated heads on ~1,500 passages is most of what a cold `classify` costs; the fitted state
depends only on the training passages, their labels, the codebook, the embedding model, the settings and
this package's own code. `model_key` hashes all of those, so a stale model can never be loaded: change
any of them and the key changes. The payload is the classifier's fitted scikit-learn heads (pickled) —
the lexicon and zero-shot parts are rebuilt from the codebook, which is cheap. Payloads are only read
from places voicetrace itself wrote (the user cache folder, the project database).
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import sklearn

from voicetrace.analysis.autocoding.combined import CombinedSuggester
from voicetrace.analysis.autocoding.landing import LandingExpert
from voicetrace.analysis.autocoding.predictions import Labels

FORMAT = 1
_CODE_MODULES = ("classifier.py", "combined.py", "landing.py", "lexicon.py", "predictions.py", "structure.py", "zeroshot.py",
                 "persist.py")


def code_version() -> str:
    """Hash of the modules whose code decides what a fit produces (plus scikit-learn's version)."""
    digest = hashlib.sha256(f"{FORMAT}|{sklearn.__version__}".encode())
    folder = resources.files("voicetrace.analysis.autocoding")
    for name in _CODE_MODULES:
        digest.update(name.encode())
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:16]


def model_key(model: CombinedSuggester, texts: Sequence[str], labels: Sequence[Labels]) -> str:
    """Everything a fit depends on: training text and labels, codebook, embedder, settings, code."""
    digest = hashlib.sha256()
    for part in (code_version(), model.embedder.version, model.settings_key(), codebook_fingerprint(model)):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    for text, lab in zip(texts, labels, strict=True):
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(repr(lab).encode())
    return digest.hexdigest()


def codebook_fingerprint(model: CombinedSuggester) -> str:
    """Codes and every word of theirs the lexicon and zero-shot parts read (an edited codebook refits)."""
    space = model.space
    parts = [f"{space.codebook.name}@{space.codebook.version}"]
    for dim in space.dimensions:
        for code in space.codes[dim]:
            parts.append(repr((dim, code.id, code.label, code.definition, code.include, tuple(code.indicators),
                               tuple(code.examples), code.residual)))
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def dumps(model: CombinedSuggester) -> bytes:
    clf = model.classifier
    state: dict[str, Any] = {
        "format": FORMAT, "n_trained": model.n_trained,
        "classifier": {"claim_model": clf.claim_model, "claim_prior": clf.claim_prior, "models": clf.models,
                       "multi_models": clf.multi_models, "n_trained": clf.n_trained, "version": clf.version},
        "landing": model.landing_expert.model, "training_mix": model.training_mix,
    }
    buf = io.BytesIO()
    pickle.dump(state, buf, protocol=pickle.HIGHEST_PROTOCOL)
    return buf.getvalue()


def loads_into(model: CombinedSuggester, payload: bytes) -> bool:
    """Restore a fitted state into a freshly built suggester; False (and the model untouched) if unusable."""
    try:
        state = pickle.loads(payload)  # only payloads voicetrace wrote itself, under a content key
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError, IndexError):
        # a damaged or foreign cache entry just means "fit again"
        return False
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        return False
    clf = model._new_classifier()
    c = state["classifier"]
    clf.claim_model, clf.claim_prior, clf.models = c["claim_model"], c["claim_prior"], c["models"]
    clf.multi_models, clf.n_trained, clf.version = c["multi_models"], c["n_trained"], c["version"]
    model.classifier = clf
    model.landing_expert = LandingExpert()
    model.landing_expert.model = state.get("landing")
    model.training_mix = dict(state.get("training_mix") or {})
    model.n_trained = int(state["n_trained"])
    return True


def fit_or_load(model: CombinedSuggester, texts: Sequence[str], labels: Sequence[Labels],
                store: Any) -> bool:
    """Load the fitted state for exactly this training set from `store` (a mapping key → bytes), or fit
    and store it. Returns True when it was loaded rather than fitted."""
    key = model_key(model, texts, labels)
    payload = store.get(key)
    if payload is not None and loads_into(model, payload):
        return True
    model.fit(list(texts), list(labels))
    store[key] = dumps(model)
    return False


class FileModelStore:
    """Fitted models as files in a folder (the user cache dir for `classify`); keeps the newest few."""

    def __init__(self, folder: Path, keep: int = 3) -> None:
        self.folder = folder
        self.keep = keep

    def _path(self, key: str) -> Path:
        return self.folder / f"model-{key[:32]}.pkl"

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except OSError:
            return None

    def __setitem__(self, key: str, payload: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.replace(tmp, self._path(key))
            old = sorted(self.folder.glob("model-*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
            for p in old[self.keep:]:
                p.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only cache only costs a refit next time
