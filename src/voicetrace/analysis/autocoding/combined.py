"""The suggester voicetrace uses by default: whatever evidence is available, blended.

Before any coding exists it is zero-shot + lexicon; as people code, the trained classifier takes a growing
share (weight n / (n + k) for n labelled passages), with the codebook-driven suggesters kept as priors so
rare codes the classifier has not seen can still surface. Claim detection comes first: a passage judged
not to be a claim gets no level/domain/activity/evidence/status suggestions (codebook rule 9).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from voicetrace.analysis.autocoding.classifier import ClassifierSuggester
from voicetrace.analysis.autocoding.embedders import Embedder
from voicetrace.analysis.autocoding.landing import LandingExpert, pool
from voicetrace.analysis.autocoding.lexicon import LexiconSuggester
from voicetrace.analysis.autocoding.predictions import (
    DEFAULT_THRESHOLDS,
    CodeSpace,
    Labels,
    Prediction,
    SuggesterBase,
    Thresholds,
    normalise,
)
from voicetrace.analysis.autocoding.structure import structure_features
from voicetrace.analysis.autocoding.zeroshot import ZeroShotSuggester

MIN_TRAINING = 20


def prior_shift(p: float, target: float, base: float = 0.5) -> float:
    """Bayes' rule for a change of class prior: a probability learned at prior `base` (class-balanced
    training is 0.5) restated for material where the class has prior `target`."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    z = math.log(p / (1 - p)) + math.log(target / (1 - target)) - math.log(base / (1 - base))
    return 1.0 / (1.0 + math.exp(-z))


def code_shares(labels: Sequence[Labels], dim: str, codes: Sequence[str]) -> dict[str, float]:
    """Each code's share of the claims labelled in `dim`: the mix a calibrated head learned to answer for."""
    known = set(codes)
    counts = {c: 0 for c in codes}
    for lab in labels:
        if lab.is_claim and lab.single(dim) in known:
            counts[lab.single(dim)] += 1
    total = sum(counts.values())
    return {c: n / total for c, n in counts.items()} if total else {}


def restate_mix(dist: dict[str, float], target: dict[str, float], base: dict[str, float]) -> dict[str, float]:
    """Bayes' rule for a change of code mix: a distribution learned where codes had shares `base` (the
    training text's) restated for material where the codes named in `target` have those shares. Codes the
    target does not name share what is left in their training proportions, so a partial target ("18 %
    national") moves only the named codes against the rest."""
    named = {c: t for c, t in target.items() if c in dist and base.get(c, 0.0) > 0.0}
    if not dist or not named:
        return dist
    rest_base = sum(b for c, b in base.items() if c in dist and c not in named)
    rest_target = max(1.0 - sum(named.values()), 0.0)
    rest = rest_target / rest_base if rest_base > 0 else 1.0
    return normalise({c: p * (named[c] / base[c] if c in named else rest) for c, p in dist.items()})


class CombinedSuggester(SuggesterBase):
    name = "combined"

    def __init__(self, space: CodeSpace, embedder: Embedder, *, thresholds: Thresholds = DEFAULT_THRESHOLDS,
                 k: float = 25.0, lexicon_share: float = 0.5, min_training: int = MIN_TRAINING,
                 c: float = 4.0, claim_c: float | None = None, residual_boost: float = 1.0,
                 structure: float = 0.0, claim_prior: float | None = None,
                 priors: dict[str, dict[str, float]] | None = None, landing: float = 0.0,
                 material_mix: dict[str, dict[str, float]] | None = None) -> None:
        self.space = space
        # expected code shares in the material to be coded, per single-label dimension (restate_mix); the
        # calibrated heads answer for the training text's mix, kept in `training_mix` at fit time
        self.material_mix = material_mix or {}
        self.training_mix: dict[str, dict[str, float]] = {}
        self.structure = structure
        # weight of the where-it-landed level expert (analysis.autocoding.landing); 0 = not used
        self.landing = landing
        self.landing_expert = LandingExpert()
        self.claim_prior = claim_prior
        self.priors = priors or {}
        self.c = c
        self.claim_c = claim_c
        self.residual_boost = residual_boost
        self.embedder = embedder
        self.thresholds = thresholds
        self.k = k
        self.lexicon_share = lexicon_share
        self.min_training = min_training
        self.lexicon = LexiconSuggester(space)
        self.zeroshot = ZeroShotSuggester(space, embedder)
        self.classifier = self._new_classifier()
        self.n_trained = 0

    def _new_classifier(self) -> ClassifierSuggester:
        return ClassifierSuggester(self.space, self.embedder, featurizer=self.features, c=self.c,
                                   claim_c=self.claim_c)

    def features(self, texts: list[str], x: np.ndarray) -> np.ndarray:
        """Embedding + codebook lexicon scores + zero-shot similarities: the classifier learns how far to
        trust each codebook cue, which beats embeddings alone by a wide margin on small training sets."""
        return self._stack(x, self.lexicon.predict(texts), texts)

    def _stack(self, x: np.ndarray, lex: list[Prediction], texts: list[str]) -> np.ndarray:
        sims = self.zeroshot.similarities(x)
        dims = self.space.dimensions
        lex_m = np.array([[p.scores.get(d, {}).get(c, 0.0) for d in dims for c in self.space.ids(d)] + [p.is_claim]
                          for p in lex], dtype=np.float32).reshape(len(lex), -1)
        zs_m = np.hstack([sims[d][1] for d in dims] + [self.zeroshot.claim_probability(x)[:, None]])
        parts = [x, 0.5 * lex_m, zs_m]
        if self.structure:
            parts.append(self.structure * structure_features(texts))
        return np.hstack(parts).astype(np.float32)

    def settings_key(self) -> str:
        """The settings a fit depends on (priors apply after prediction, so they are not part of it)."""
        key = f"c={self.c:g},claim_c={self.claim_c},structure={self.structure:g},min={self.min_training}"
        return key + (",landing" if self.landing else "")

    @property
    def version(self) -> str:  # type: ignore[override]
        extra = ""
        if self.structure or self.claim_prior is not None or self.priors or self.landing or self.material_mix:
            extra = f"|s{self.structure:g},p{self.claim_prior}" + (f",l{self.landing:g}" if self.landing else "") + "".join(
                f",{d}:" + ",".join(f"{c}={v:g}" for c, v in sorted(pr.items())) for d, pr in sorted(self.priors.items()))
            extra += "".join(f",mix:{d}:" + ",".join(f"{c}={v:g}" for c, v in sorted(m.items()))
                             for d, m in sorted(self.material_mix.items()))
        return f"1[{self.lexicon.version}|{self.zeroshot.version}|{self.classifier.version}{extra}]"

    def classifier_weight(self) -> float:
        if self.n_trained < self.min_training:
            return 0.0
        return self.n_trained / (self.n_trained + self.k)

    def fit(self, texts: Sequence[str], labels: Sequence[Labels]) -> CombinedSuggester:
        vectors = self.embedder.encode(list(texts)) if texts else np.zeros((0, self.embedder.dim), np.float32)
        return self.fit_vectors(vectors, labels, list(texts))

    def fit_vectors(self, x: np.ndarray, labels: Sequence[Labels], texts: Sequence[str]) -> CombinedSuggester:
        self.n_trained = len(labels)
        self.classifier = self._new_classifier()
        self.landing_expert = LandingExpert()
        self.training_mix = {}
        if self.n_trained >= self.min_training:
            self.training_mix = {d: code_shares(labels, d, self.space.ids(d)) for d in self.space.single_dimensions()}
            self.classifier.fit_vectors(x, labels, list(texts))
            if self.landing:
                self.landing_expert.fit(list(texts), labels, self.space.ids("level"))
        return self

    def predict(self, texts: list[str]) -> list[Prediction]:
        if not texts:
            return []
        return self.predict_with_vectors(texts, self.embedder.encode(list(texts)))

    def predict_with_vectors(self, texts: list[str], x: np.ndarray) -> list[Prediction]:
        lex = self.lexicon.predict(texts)
        zs = self.zeroshot.predict_vectors(x)
        w = self.classifier_weight()
        clf = self.classifier.predict_features(self._stack(x, lex, texts)) if w > 0 else [None] * len(texts)
        preds = [self._blend(le, z, c, w) for le, z, c in zip(lex, zs, clf)]
        if self.landing and self.landing_expert.trained:
            for pred, dist in zip(preds, self.landing_expert.distributions(texts)):
                if "level" in pred.scores:
                    pred.scores["level"] = pool(pred.scores["level"], dist, self.landing)
                    for cid, p in dist.items():
                        if cid in pred.reasons:
                            pred.reasons[cid] += f"; where it landed p={p:.2f}"
        for dim, target in self.material_mix.items():
            base = self.training_mix.get(dim)
            if base and w > 0:
                for pred in preds:
                    if dim in pred.scores:
                        pred.scores[dim] = restate_mix(pred.scores[dim], target, base)
        return preds

    def _residual_prior(self, dim: str, dist: dict[str, float]) -> dict[str, float]:
        """Up-weight a dimension's residual code ("use rather than guess"): vague real-world claims are
        commoner than in training text, and a wrong specific code costs a reviewer more than "unclear"."""
        residual = self.space.residual(dim)
        if not dist or residual is None or residual not in dist or self.residual_boost == 1.0:
            return dist
        boosted = dict(dist)
        boosted[residual] *= self.residual_boost
        return normalise(boosted)

    def _with_prior(self, dim: str, dist: dict[str, float]) -> dict[str, float]:
        """Move a dimension's distribution from the (balanced) training prior to the material's expected mix:
        codes missing from the prior keep weight 1, so a partial prior only nudges the codes it names."""
        prior = self.priors.get(dim)
        if not prior or not dist:
            return dist
        n = len(dist)
        return normalise({c: p * n * prior.get(c, 1.0 / n) for c, p in dist.items()})

    def _blend(self, lex: Prediction, zs: Prediction, clf: Prediction | None, w: float) -> Prediction:
        lw = (1.0 - w) * self.lexicon_share
        zw = (1.0 - w) * (1.0 - self.lexicon_share)
        if clf is not None and self.classifier.claim_trained:
            is_claim = w * clf.is_claim + lw * lex.is_claim + zw * zs.is_claim
        else:
            is_claim = 0.5 * (lex.is_claim + zs.is_claim)
        if self.claim_prior is not None:
            is_claim = prior_shift(float(is_claim), self.claim_prior)
        out = Prediction(float(is_claim))
        multi = set(self.space.multi_dimensions())
        for dim in self.space.dimensions:
            parts: list[tuple[float, dict[str, float]]] = []
            c_dist = clf.scores.get(dim) if clf is not None else None
            if dim in multi:
                merged: dict[str, float] = {}
                for cid in self.space.ids(dim):
                    if c_dist and cid in c_dist:
                        p = w * c_dist[cid] + (1 - w) * lex.scores.get(dim, {}).get(cid, 0.0)
                    else:
                        p = 0.8 * lex.scores.get(dim, {}).get(cid, 0.0)
                    merged[cid] = p
                out.scores[dim] = merged
            else:
                if c_dist:
                    parts.append((w, c_dist))
                    parts.append((lw, lex.scores.get(dim, {})))
                    parts.append((zw, zs.scores.get(dim, {})))
                else:
                    parts.append((self.lexicon_share, lex.scores.get(dim, {})))
                    parts.append((1.0 - self.lexicon_share, zs.scores.get(dim, {})))
                merged = {}
                for weight, dist in parts:
                    for cid, p in dist.items():
                        merged[cid] = merged.get(cid, 0.0) + weight * p
                out.scores[dim] = self._with_prior(dim, self._residual_prior(dim, normalise(merged)))
            for cid, p in out.scores[dim].items():
                bits = []
                if clf is not None and cid in clf.reasons:
                    bits.append(clf.reasons[cid])
                if cid in lex.reasons and "matched" in lex.reasons[cid]:
                    bits.append(lex.reasons[cid])
                if cid in zs.reasons:
                    bits.append(zs.reasons[cid])
                out.reasons[cid] = "; ".join(bits) or f"{dim} p={p:.2f}"
        return out
