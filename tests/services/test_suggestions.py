from pathlib import Path

import pytest

import voicetrace
from voicetrace.services.suggestions import NewSuggestion


@pytest.fixture
def queued(project, corpus: Path):
    project.import_paths([corpus])
    segs = project.segments("northvale/minutes-2008-03-12.txt")
    items = [NewSuggestion(g.source_id, g.id, g.start, g.end, code, "test-agent", "1", score, f"because {code}")
             for g, code, score in [(segs[2], "care_environment", 0.9), (segs[2], "audit_survey_visit", 0.55),
                                    (segs[3], "access_to_services", 0.3)]]
    assert project.add_suggestions(items) == 3
    assert project.add_suggestions(items) == 0  # the same suggestions are not stored twice
    return project


def test_suggestions_are_not_codings_until_accepted(queued) -> None:
    assert queued.codings() == []
    s = queued.suggestions(order="score")[0]
    assert (s.code_id, s.score, s.reason) == ("care_environment", 0.9, "because care_environment")
    done = queued.decide(s.id, "accept", by="ann")
    [c] = queued.codings()
    assert done.status.value == "accepted" and done.coding_id == c.id
    assert (c.origin, c.coder, c.text) == ("accepted_suggestion", "ann", s.text)


def test_reject_keeps_the_negative_example_and_undo_restores(queued) -> None:
    s = queued.suggestions(order="uncertainty")[0]
    assert s.code_id == "audit_survey_visit"  # closest to 0.5 first
    queued.decide(s.id, "reject", by="ann")
    assert queued.suggestion(s.id).status.value == "rejected" and queued.codings() == []
    acc = queued.suggestions(order="score")[0]
    queued.decide(acc.id, "accept", by="ann")
    assert queued.last_decision("ann").id == acc.id
    queued.undo_decision(acc.id, by="ann")
    assert queued.codings() == [] and queued.suggestion(acc.id).status.value == "pending"
    counts = queued.audit_counts()
    assert counts["reject_suggestion"] == 1 and counts["accept_suggestion"] == 1 and counts["undo_decision"] == 1


def test_decisions_are_validated(queued) -> None:
    s = queued.suggestions()[0]
    with pytest.raises(voicetrace.InputError):
        queued.decide(s.id, "maybe", by="ann")
    queued.decide(s.id, "skip", by="ann")
    queued.decide(s.id, "accept", by="ann")  # a skipped one can still be decided
    with pytest.raises(voicetrace.InputError, match="already accepted"):
        queued.decide(s.id, "reject", by="ann")
    with pytest.raises(voicetrace.NotFound):
        queued.decide(9999, "accept", by="ann")


def test_bulk_accept_above_threshold_is_one_audit_event(queued) -> None:
    assert queued.accept_above(0.5, by="ann") == 2
    assert {c.code for c in queued.codings()} == {"care_environment", "audit_survey_visit"}
    assert queued.audit_counts()["bulk_accept_suggestions"] == 1
    assert queued.suggestion_counts() == {"accepted": 2, "pending": 1}


def test_human_machine_agreement_and_per_case(queued) -> None:
    m = "northvale/minutes-2008-03-12.txt"
    segs = queued.segments(m)
    queued.code(m, segs[2].start, segs[2].end, "care_environment", coder="ann")
    queued.code(m, segs[3].start, segs[3].end, "care_environment", coder="ann")
    res = queued.agreement("ann", "machine", codes=["care_environment", "audit_survey_visit"])
    # machine (score >= 0.5): care_environment and audit_survey_visit on segment 2; ann: care_environment on 2 and 3
    pc = res.per_code["care_environment"]
    assert pc.percent_agreement == pytest.approx((len(segs) - 1) / len(segs))
    assert set(res.to_json()["per_case"]) == {"Northvale"}
    with pytest.raises(voicetrace.InputError, match="machine"):
        queued.agreement("ann", "nobody")
