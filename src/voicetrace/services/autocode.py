"""Machine suggestions for a project: train on what people coded, suggest for the rest.

The suggester is the combined one (analysis.autocoding): codebook lexicon + zero-shot similarity +
a classifier trained on the project's human codings and the bundled seed statements. Output goes to
the suggestion queue, never straight into codings.
"""
from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..analysis.autocoding import (
    CachedEmbedder,
    CodeSpace,
    CombinedSuggester,
    Embedder,
    Example,
    FakeEmbedder,
    load_statements,
    local_embedder,
    to_suggestions,
)
from ..analysis.autocoding.embedders import LocalModel, shared_text_cache, user_cache_dir
from ..analysis.autocoding.persist import FileModelStore, fit_or_load
from ..analysis.autocoding.predictions import Labels
from ..storage.embeddings import ProjectEmbeddingStore
from ..storage.fitted_models import ProjectModelStore
from .suggestions import NewSuggestion

if TYPE_CHECKING:
    from .project import Project

# Passages encoded and predicted in one call. The encoder sorts a call's passages by length before
# batching, so a bigger call pads less (on the benchmark passages calls of 256 padded 1.58x the real
# tokens and cost ~40 % more CPU than one call over all 600; calls of 2048 pad 1.08x), and each of the
# classifier's heads pays sklearn's fixed cost per call once per block (docs/benchmarks.md, autocode
# end to end).
BLOCK = 2048
FRAME_ROWS = 10 * BLOCK  # segments read per page while autocoding (whole blocks)
# Project material is whole documents (many passages are not claims), so autocode keeps the learned claim
# prior; it shares the codebook-structure features with classify (see analysis.classify).
AUTOCODE_SETTINGS: dict[str, Any] = {}


def project_embedder(p: Project, embedder: Embedder | None = None) -> CachedEmbedder:
    """The packaged model (ONNX; ``VOICETRACE_EMBEDDER=torch|fake`` to choose) behind the project's own cache."""
    if embedder is None:
        embedder = local_embedder()
    return embedder if isinstance(embedder, CachedEmbedder) else CachedEmbedder(embedder, ProjectEmbeddingStore(p.db))


@dataclass
class TrainingSet:
    texts: list[str]
    labels: list[Labels]
    segment_ids: list[int]


def human_training(p: Project, space: CodeSpace, coders: list[str] | None = None) -> TrainingSet:
    """Segments people coded (by hand, accepted, or imported) as training examples, one per segment."""
    cods = p.codings_frame()
    if coders:
        cods = cods[cods.coder.isin(coders)]
    by_seg: dict[int, list[str]] = defaultdict(list)
    for r in cods.itertuples():
        if r.segment_id is not None and r.segment_id == r.segment_id:
            by_seg[int(r.segment_id)].append(str(r.code))
    segs = {g.id: g for g in p.segments()}
    texts, labels, ids = [], [], []
    for sid, codes in sorted(by_seg.items()):
        if sid in segs:
            texts.append(segs[sid].text)
            labels.append(space.labels_from_codes(codes))
            ids.append(sid)
    return TrainingSet(texts, labels, ids)


def train_suggester(p: Project, embedder: Embedder | None = None, coders: list[str] | None = None,
                    use_seed: bool = True, seed_set: list[Example] | None = None) -> tuple[CombinedSuggester, int]:
    """The combined suggester trained on the packaged seed statements (or `seed_set`) plus people's codings."""
    space = CodeSpace(p.codebook())
    emb = project_embedder(p, embedder)
    data = human_training(p, space, coders)
    seed: list[Example] = (seed_set if seed_set is not None else load_statements()) if use_seed else []
    model = CombinedSuggester(space, emb, **AUTOCODE_SETTINGS)
    real_model = isinstance(emb.inner, LocalModel)  # the fake embedder of tests leaves the user cache alone
    if real_model:
        # seed statements and codebook prototypes are the same for every project: encoded once per user
        # (never a project's passages), so a new project pays only for its own text
        shared = shared_text_cache()
        if shared is not None:
            emb.prime([e.text for e in seed] + model.zeroshot.prototypes(), shared)
    texts = [e.text for e in seed] + data.texts
    labels = [e.labels for e in seed] + data.labels
    if texts:
        # the fit is kept in the project under a key of everything it depends on: a rerun with the same
        # codings loads it instead of refitting; a new coding makes a new key
        # (a model of the seed statements alone is the same for every project, so it is kept per user)
        shared_fit = real_model and not data.texts
        store = FileModelStore(user_cache_dir() / "autocode-models") if shared_fit else ProjectModelStore(p.db)
        fit_or_load(model, texts, labels, store)
    return model, len(data.texts)


def autocode_project(p: Project, *, embedder: Embedder | None = None, accept_threshold: float | None = None,
                     only_uncoded: bool = True, by: str = "autocode",
                     progress: Callable[[int], Callable[[str], None]] | None = None,
                     ) -> tuple[int, int, dict[str, Any] | None, str]:
    """Suggest codes for every (uncoded) segment; optionally accept those above a threshold.

    Returns (suggestions stored, accepted, agreement summary or None, note for people).
    """
    model, n_human = train_suggester(p, embedder)
    space = model.space
    coded = set(p.codings_frame().segment_id.dropna().astype(int)) if only_uncoded else set()
    items: list[NewSuggestion] = []
    total = sum(a["segments"] for a in p.case_progress().values())
    tick = progress(max(1, (total + BLOCK - 1) // BLOCK)) if progress else None
    seen, waiting = 0, []

    def suggest(rows: list[Any]) -> None:
        texts = [r.text for r in rows]
        for r, pred in zip(rows, model.predict_with_vectors(texts, model.embedder.encode(texts))):
            for sc in to_suggestions(pred, space, model.thresholds):
                items.append(NewSuggestion(int(r.source_id), int(r.segment_id), int(r.start), int(r.end),
                                           sc.code_id, model.name, model.version, sc.score, sc.reason))

    for frame in p.segment_frames(FRAME_ROWS):  # a page of segments at a time, never the whole table
        keep = frame[(frame.role.fillna("") != "interviewer") & (~frame.segment_id.isin(coded))]
        waiting += list(keep.itertuples())
        seen += len(frame)
        while len(waiting) >= BLOCK:  # whole blocks, whatever the page boundaries
            suggest(waiting[:BLOCK])
            waiting = waiting[BLOCK:]
            if tick:
                tick(f"{seen} of {total} segments")
    if waiting:
        suggest(waiting)
    if tick:
        tick(f"{seen} of {total} segments")
    n = p.add_suggestions(items, actor=by, replace_pending=True)
    accepted = p.accept_above(accept_threshold, by=by) if accept_threshold is not None else 0
    note = f"{model.name} suggester trained on {n_human} human-coded segments plus the seed statements"
    return n, accepted, None, note


def evaluate_against(p: Project, gold: str, *, embedder: Embedder | None = None, folds: int = 5,
                     compare: bool = True, learning_curve: bool = True) -> dict[str, Any]:
    """Cross-validated scores of the suggesters against a coder's codings (grouped by source)."""
    from ..analysis.autocoding import ClassifierSuggester, LexiconSuggester, ZeroShotSuggester
    from ..analysis.evaluation import LEARNING_CURVE_SIZES, compare_suggesters, evaluate
    from ..core.errors import InputError
    if gold not in p.coders():
        raise InputError("--gold", f"no codings by {gold!r} (coders: {', '.join(p.coders()) or 'none'})")
    space = CodeSpace(p.codebook())
    emb = project_embedder(p, embedder)
    data = human_training(p, space, [gold])
    if len(data.texts) < folds * 2:
        raise InputError("--gold", f"{gold} coded only {len(data.texts)} segments; need at least {folds * 2}")
    segs = {g.id: g.source_id for g in p.segments()}
    groups = [str(segs[i]) for i in data.segment_ids]
    emb.encode(data.texts)  # embed once; every fold then reads the cache
    factories: dict[str, Callable[[], Any]] = {"combined": lambda: CombinedSuggester(space, emb)}
    if compare:
        factories = {"lexicon": lambda: LexiconSuggester(space), "zero-shot": lambda: ZeroShotSuggester(space, emb),
                     "classifier": lambda: ClassifierSuggester(space, emb), **factories}
    results = compare_suggesters(data.texts, data.labels, factories, folds, groups=groups)
    out: dict[str, Any] = {"gold": gold, "segments": len(data.texts), "folds": folds,
                           "grouped_by": "source", "suggesters": {k: v.to_json() for k, v in results.items()}}
    if learning_curve:
        curve = evaluate(data.texts, data.labels, factories["combined"], folds, groups=groups,
                         learning_curve=LEARNING_CURVE_SIZES)
        out["learning_curve"] = curve.to_json().get("learning_curve")
    out["versus_humans"] = _versus_humans(p, space, gold, data, results["combined"])
    return out


MACHINE_CODERS = frozenset({"autocode", "machine"})
MIN_SHARED = 5  # below this a human–human figure says nothing; the intervals show how little it says above


def _versus_humans(p: Project, space: CodeSpace, gold: str, gold_data: TrainingSet,
                   machine: Any) -> dict[str, Any]:
    """Each other person's agreement with the gold coder on the segments both coded, beside the machine's
    cross-validated agreement on all of the gold coder's segments; codes where the machine is worse."""
    from ..analysis.evaluation import labels_as_predictions, score, versus_humans
    gold_by_seg = dict(zip(gold_data.segment_ids, gold_data.labels))
    out: dict[str, Any] = {}
    for coder in p.coders():
        if coder == gold or coder in MACHINE_CODERS:
            continue
        other = human_training(p, space, [coder])
        shared = [(gold_by_seg[sid], lab) for sid, lab in zip(other.segment_ids, other.labels) if sid in gold_by_seg]
        if len(shared) < MIN_SHARED:
            continue
        dims, codes = score([g for g, _ in shared], labels_as_predictions([h for _, h in shared]))
        out[coder] = {"shared_segments": len(shared), **versus_humans(machine, dims, codes)}
    return out


def classify(items: Any, claim_prior: float | None = None) -> Any:
    """Statements in, labels out, with the best out-of-the-box model (seed statements + bundled gold set)."""
    from ..analysis.classify import classify_statements
    emb = FakeEmbedder() if os.environ.get("VOICETRACE_EMBEDDER") == "fake" else None
    return classify_statements(items, embedder=emb, claim_prior=claim_prior)


def train_encoder(*, epochs: int = 2, objective: str = "ce", reset: bool = False,
                  log: Callable[[str], None] = lambda _msg: None) -> str:
    """Fine-tune the packaged MiniLM on the training statements `classify` learns from (needs the [torch]
    extra) and make it the encoder `classify` and `autocode` use; with `reset`, go back to the packaged one.
    Returns a one-line account of what was done."""
    from ..analysis.autocoding import default_codebook
    from ..analysis.autocoding.embedders import resolve_model_path
    from ..analysis.autocoding.finetune import reset_encoder
    from ..analysis.autocoding.finetune import train_encoder as fit_encoder
    from ..analysis.classify import default_training
    from ..core.errors import InputError
    if reset:
        return "using the packaged encoder again" if reset_encoder() else "no fine-tuned encoder was in use"
    if epochs < 1:
        raise InputError("--epochs", "must be at least 1")
    space = CodeSpace(default_codebook())
    folder = fit_encoder(default_training(space), space, base=resolve_model_path(tuned=False), epochs=epochs,
                         objective=objective, log=log)
    return f"fine-tuned encoder saved in {folder}; classify and autocode now use it (--reset to undo)"
