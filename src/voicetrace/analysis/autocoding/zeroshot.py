"""Zero-shot suggestions: how close a passage is, in embedding space, to each code's own description.

Works before anyone has coded anything, and follows an edited codebook immediately. Similarities are turned
into probabilities per dimension with a softmax at a fixed temperature; a dimension's residual code
(unclear_level, other_domain, ...) competes at a floor similarity, so a passage that resembles no specific
code falls to "unclear" rather than to a guess — the codebook's "use rather than guess".
"""
from __future__ import annotations

import math

import numpy as np

from voicetrace.analysis.autocoding.embedders import Embedder
from voicetrace.analysis.autocoding.predictions import (
    DEFAULT_THRESHOLDS,
    CodeSpace,
    Prediction,
    SuggesterBase,
    Thresholds,
)
from voicetrace.core.codebook import Code

# Generic descriptions of what is and is not an influence claim (codebook unit of coding and rule 9).
CLAIM_PROTOTYPES = (
    "As a result of feedback from patients and carers, the service changed the way it works.",
    "The group's recommendations were accepted and a new arrangement was introduced.",
    "After service users raised the problem, the hospital made an improvement.",
    "Following the patient panel's comments, the leaflet, policy or plan was revised.",
    "We escalated our concerns to the decision makers and called for a change.",
    "Commissioners agreed funding for a new service because of what patients told us.",
)
NON_CLAIM_PROTOTYPES = (
    "The group meets every month and new members are always welcome.",
    "Thank you to all our volunteers for giving up their time this year.",
    "Dates of future meetings are listed below; please send apologies to the secretary.",
    "We are recruiting patient representatives; to apply, email the involvement team.",
    "Our aim is to make sure the voices of patients and carers are heard.",
    "The chair welcomed members and introduced the new coordinator.",
)


def prototype_texts(code: Code) -> tuple[str, list[str]]:
    """The code's description sentence and its short cue phrases (indicators, examples)."""
    desc = code.definition.strip() or code.label
    parts = [f"{code.label}: {desc}"]
    if code.include and not code.include.lower().startswith("use rather"):
        parts.append(f"For example {code.include.strip()}")
    cues = [c for c in list(code.indicators) + list(code.examples) if c.strip()]
    return ". ".join(parts), cues


def softmax(values: np.ndarray, temperature: float) -> np.ndarray:
    z = (values - values.max(axis=-1, keepdims=True)) / max(temperature, 1e-6)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


class ZeroShotSuggester(SuggesterBase):
    name = "zeroshot"

    def __init__(self, space: CodeSpace, embedder: Embedder, *, temperature: float = 0.04,
                 floor: float = 0.22, multi_centre: float = 0.35, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> None:
        self.space = space
        self.embedder = embedder
        self.temperature = temperature
        self.floor = floor
        self.multi_centre = multi_centre
        self.thresholds = thresholds
        self.version = f"1+{embedder.version}+{space.codebook.name}@{space.codebook.version}"
        self._ready = False

    def prototypes(self) -> list[str]:
        """Every text the suggester compares passages with: per code its description then its cues, then
        the claim and non-claim prototypes. Codebook text only, so it may be cached beyond the project."""
        texts: list[str] = []
        self._slots: dict[str, list[tuple[str, int, list[int]]]] = {}
        for dim in self.space.dimensions:
            rows = []
            for code in self.space.codes[dim]:
                desc, cues = prototype_texts(code)
                d_idx = len(texts)
                texts.append(desc)
                c_idx = list(range(len(texts), len(texts) + len(cues)))
                texts.extend(cues)
                rows.append((code.id, d_idx, c_idx))
            self._slots[dim] = rows
        self._n_codes_texts = len(texts)
        return texts + list(CLAIM_PROTOTYPES) + list(NON_CLAIM_PROTOTYPES)

    def _prepare(self) -> None:
        if self._ready:
            return
        texts = self.prototypes()
        n_claim = self._n_codes_texts
        self._protos = self.embedder.encode(texts)
        self._claim = self._protos[n_claim:n_claim + len(CLAIM_PROTOTYPES)]
        self._non_claim = self._protos[n_claim + len(CLAIM_PROTOTYPES):]
        self._ready = True

    def similarities(self, vectors: np.ndarray) -> dict[str, tuple[list[str], np.ndarray]]:
        """Per dimension: code ids and an (n_texts, n_codes) similarity matrix."""
        self._prepare()
        out: dict[str, tuple[list[str], np.ndarray]] = {}
        sims_all = vectors @ self._protos.T
        for dim, rows in self._slots.items():
            cols = []
            for _, d_idx, c_idx in rows:
                d = sims_all[:, d_idx]
                if c_idx:
                    cues = sims_all[:, c_idx]
                    d = 0.5 * d + 0.5 * cues.max(axis=1)
                cols.append(d)
            out[dim] = ([r[0] for r in rows], np.stack(cols, axis=1))
        return out

    def claim_probability(self, vectors: np.ndarray) -> np.ndarray:
        self._prepare()
        pos = (vectors @ self._claim.T).max(axis=1)
        neg = (vectors @ self._non_claim.T).max(axis=1)
        return 1.0 / (1.0 + np.exp(-(pos - neg) / 0.05))

    def predict(self, texts: list[str]) -> list[Prediction]:
        if not texts:
            return []
        vectors = self.embedder.encode(list(texts))
        return self.predict_vectors(vectors)

    def predict_vectors(self, vectors: np.ndarray) -> list[Prediction]:
        sims = self.similarities(vectors)
        claim = self.claim_probability(vectors)
        preds = [Prediction(float(claim[i])) for i in range(len(vectors))]
        multi = set(self.space.multi_dimensions())
        for dim, (ids, mat) in sims.items():
            if dim in multi:
                probs = 1.0 / (1.0 + np.exp(-(mat - self.multi_centre) / 0.05))
            else:
                residual = self.space.residual(dim)
                mat = mat.copy()
                if residual:
                    r = ids.index(residual)
                    mat[:, r] = np.maximum(mat[:, r], self.floor)
                probs = softmax(mat, self.temperature)
            # whole-matrix conversions and one label lookup per code, not per passage: this loop ran once
            # per passage and code
            labels = [self.space.code(cid).label for cid in ids]
            best_of = np.argmax(mat, axis=1).tolist()
            for pred, row, sims_row, best in zip(preds, probs.tolist(), mat.tolist(), best_of):
                pred.scores[dim] = dict(zip(ids, row))
                pred.reasons[ids[best]] = f"similar to definition of {labels[best]} ({sims_row[best]:.2f})"
                for cid, label, sim in zip(ids, labels, sims_row):
                    pred.reasons.setdefault(cid, f"similar to definition of {label} ({sim:.2f})")
        if any(math.isnan(p.is_claim) for p in preds):  # pragma: no cover - defensive
            for p in preds:
                p.is_claim = 0.5 if math.isnan(p.is_claim) else p.is_claim
        return preds
