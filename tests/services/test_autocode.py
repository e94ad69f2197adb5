"""Autocode through the service layer with the fast fake embedder; the real model is exercised in slow tests."""
from pathlib import Path

import numpy as np
import pytest

import voicetrace
from voicetrace.analysis.autocoding import FakeEmbedder
from voicetrace.analysis.autocoding.embedders import LocalModel
from voicetrace.services.autocode import autocode_project, evaluate_against, human_training

# about the queue, the caches and the fit kept in the project, not about the bundled seed set
pytestmark = pytest.mark.usefixtures("small_default_seed")


@pytest.fixture
def coded(project, corpus: Path):
    project.import_paths([corpus])
    m = "northvale/minutes-2008-03-12.txt"
    seg = next(g for g in project.segments(m) if "quiet room" in g.text)
    for c in ("grassroots_operational", "care_environment", "audit_survey_visit"):
        project.code(m, seg.start, seg.end, c, coder="ann")
    return project


def test_suggestions_go_to_the_queue_not_into_codings(coded) -> None:
    before = len(coded.codings())
    n, accepted, _, note = autocode_project(coded, embedder=FakeEmbedder())
    assert n > 0 and accepted == 0 and "1 human-coded segments" in note
    assert len(coded.codings()) == before
    sugg = coded.suggestions()
    coded_segments = {c.segment_id for c in coded.codings()}
    assert all(s.segment_id not in coded_segments for s in sugg)  # only uncoded segments
    interviewer = {g.id for g in coded.segments() if g.speaker == "Interviewer"}
    assert not any(s.segment_id in interviewer for s in sugg)
    assert all(0.0 <= s.score <= 1.0 and s.agent == "combined" and s.model_version for s in sugg)
    assert coded.audit_counts()["add_suggestions"] == 1


def test_rerun_replaces_pending_and_keeps_decisions(coded) -> None:
    autocode_project(coded, embedder=FakeEmbedder())
    first = coded.suggestions()[0]
    coded.decide(first.id, "reject", by="ann")
    autocode_project(coded, embedder=FakeEmbedder())
    assert coded.suggestion(first.id).status.value == "rejected"  # kept as a negative example
    keys = [(s.source_id, s.start, s.end, s.code_id) for s in coded.suggestions()]
    assert len(keys) == len(set(keys))


def test_accept_threshold_creates_accepted_codings(coded) -> None:
    n, accepted, _, _ = autocode_project(coded, embedder=FakeEmbedder(), accept_threshold=0.0, by="ann")
    assert accepted == n > 0
    assert {c.origin for c in coded.codings(coder="ann")} == {"human", "accepted_suggestion"}


def test_training_set_is_one_example_per_coded_segment(coded) -> None:
    from voicetrace.analysis.autocoding import CodeSpace
    data = human_training(coded, CodeSpace(coded.codebook()))
    assert len(data.texts) == 1 and data.labels[0].level == "grassroots_operational"
    assert data.labels[0].domain == "care_environment" and data.labels[0].is_claim


def test_evaluate_needs_a_real_gold_coder(coded) -> None:
    with pytest.raises(voicetrace.InputError, match="no codings by"):
        evaluate_against(coded, "nobody", embedder=FakeEmbedder())
    with pytest.raises(voicetrace.InputError, match="coded only 1 segments"):
        evaluate_against(coded, "ann", embedder=FakeEmbedder())


def test_blocked_autocode_stores_what_coding_each_passage_alone_gives(coded, monkeypatch) -> None:
    """autocode encodes and predicts many passages a call and stores them in one insert; the queue must be
    what the model says of each passage on its own. Blocks of 2 over pages of 3 make blocks straddle pages
    and leave a short last block."""
    from voicetrace.analysis.autocoding import to_suggestions
    from voicetrace.services import autocode
    from voicetrace.services.autocode import train_suggester
    monkeypatch.setattr(autocode, "BLOCK", 2)
    monkeypatch.setattr(autocode, "FRAME_ROWS", 3)
    ticks: list[str] = []
    n, _, _, _ = autocode_project(coded, embedder=FakeEmbedder(), progress=lambda steps: ticks.append)
    stored = sorted((s.segment_id, s.start, s.end, s.code_id, s.agent, s.model_version, s.reason, s.score)
                    for s in coded.suggestions())
    model, _ = train_suggester(coded, FakeEmbedder())  # the fit autocode kept, loaded again
    coded_ids = {c.segment_id for c in coded.codings()}
    expected = []
    for g in coded.segments():
        if g.id in coded_ids or g.speaker == "Interviewer":
            continue
        for sc in to_suggestions(model.predict([g.text])[0], model.space, model.thresholds):
            expected.append((g.id, g.start, g.end, sc.code_id, model.name, model.version, sc.reason, sc.score))
    expected.sort()
    assert n == len(stored) == len(expected) > 0
    assert [r[:7] for r in stored] == [r[:7] for r in expected]
    # scores are stored to 4 decimals: a last-bit difference between batch shapes may move the last digit
    assert all(abs(a[7] - b[7]) <= 1e-4 + 1e-12 for a, b in zip(stored, expected))
    total = len(coded.segments())
    assert ticks[-1] == f"{total} of {total} segments" and len(ticks) >= 2


class LocalFake(LocalModel):
    """Counts as the packaged model (a LocalModel) but encodes with the fast fake, so the per-user caches
    that only the real model uses can be tested quickly."""

    def __init__(self) -> None:
        super().__init__()
        self.fake = FakeEmbedder(dim=32)
        self.dim = 32
        self.seen: list[str] = []

    def encode_pieces(self, pieces: list[str]) -> np.ndarray:
        self.seen += pieces
        return self.fake.encode(pieces)


def test_a_new_project_reuses_the_per_user_seed_work_but_never_shares_its_text(tmp_path, monkeypatch, corpus) -> None:
    from voicetrace.analysis.autocoding import persist
    from voicetrace.analysis.autocoding.embedders import CachedEmbedder, SqliteCache

    monkeypatch.setenv("VOICETRACE_CACHE_DIR", str(tmp_path / "user-cache"))
    first, second = (voicetrace.create(tmp_path / f"{n}.db") for n in ("a", "b"))
    for p in (first, second):
        p.import_paths([corpus])
    emb = LocalFake()
    autocode_project(first, embedder=emb)
    seen_first = len(emb.seen)
    fits = []
    real_fit = persist.fit_or_load
    monkeypatch.setattr("voicetrace.services.autocode.fit_or_load",
                        lambda *a: fits.append(real_fit(*a)) or fits[-1])
    emb.seen.clear()
    autocode_project(second, embedder=emb)
    passages = {g.text for g in second.segments()}
    assert fits == [True]  # the seed-only model was loaded, not refitted
    assert set(emb.seen) <= passages and seen_first > len(emb.seen)  # only the project's own text was encoded
    shared = SqliteCache(tmp_path / "user-cache" / "embeddings.sqlite3")
    keys = CachedEmbedder(emb, shared)
    assert not any(keys.key(t) in shared for t in passages)  # no passage of a project in the user cache
    for p in (first, second):
        p.close()


def test_the_fit_is_kept_in_the_project_and_reused_until_codings_change(coded, monkeypatch) -> None:
    from voicetrace.analysis.autocoding import CombinedSuggester, load_statements
    from voicetrace.services.autocode import train_suggester
    small = load_statements()[:60]  # about keeping a fit, not about the seed set
    from voicetrace.storage import tables
    train_suggester(coded, FakeEmbedder(), seed_set=small)
    with coded.db.read() as conn:
        keys = [r[0] for r in conn.execute(tables.fitted_models.select())]
    assert len(keys) == 1
    real_fit = CombinedSuggester.fit
    calls: list[int] = []

    def counting_fit(self, texts, labels):
        calls.append(len(texts))
        return real_fit(self, texts, labels)

    monkeypatch.setattr(CombinedSuggester, "fit", counting_fit)
    model, _ = train_suggester(coded, FakeEmbedder(), seed_set=small)
    assert calls == [] and model.classifier.claim_trained  # loaded, not refitted
    m = "northvale/minutes-2008-03-12.txt"
    seg = coded.segments(m)[1]
    coded.code(m, seg.start, seg.end, "organisational_network", coder="ann")
    train_suggester(coded, FakeEmbedder(), seed_set=small)
    assert len(calls) == 1  # a new coding is a new training set
