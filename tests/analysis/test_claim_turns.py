"""Interview answers to follow-up questions, and the second reading of a case's passages."""
from __future__ import annotations

import pytest

from voicetrace.analysis.claims import similarity
from voicetrace.analysis.claims.drafts import ClaimDraft
from voicetrace.analysis.claims.merging import merge_drafts
from voicetrace.analysis.claims.similarity import FOLLOW_UP, Profile, group_block
from voicetrace.analysis.claims.turns import TurnIndex, is_follow_up
from voicetrace.core.claims import Evidence


def _draft(key: str, text: str, *, sid: int, start: int = 0, kind: str = "minutes", speaker: str | None = None,
           domain: str = "commissioning") -> ClaimDraft:
    spoken = kind == "interview"
    ev = Evidence(id=1, claim_id=1, source_id=sid, source_name=f"{key}.txt", start=start, end=start + len(text),
                  text=text, source_type="transcript" if spoken else "document", source_kind=kind,
                  speaker=speaker, speaker_role="service_user" if spoken else None)
    return ClaimDraft(key, 1, "Linden", "proactive_campaigning", text, "strategic_commissioning", domain,
                      "implemented", None, [ev], [key], evidence_status=["implemented"])


# ---- follow-up questions -----------------------------------------------------------------------------

@pytest.mark.parametrize("question", ["And what happened?", "Did they give a reason?", "And the decision?",
                                      "Can you give me an example?", "What happened with that?", "[laughs] Go on."])
def test_a_question_that_points_back_is_a_follow_up(question: str) -> None:
    assert is_follow_up(question)


@pytest.mark.parametrize("question", ["What about the parking campaign?", "What else has the group done?",
                                      "Is there anything else you'd like to add?", "And anything else?",
                                      "Tell me about the hostel beds and the island survey.",
                                      "How would you describe the group?"])
def test_a_question_that_opens_a_topic_is_not(question: str) -> None:
    assert not is_follow_up(question)


def _turns() -> TurnIndex:
    # source 3: answer (0-99), follow-up question (100-119), answer (120-299), topic question, answer
    return TurnIndex([(3, 0, 99, False, "We surveyed island patients about hostel beds."),
                      (3, 100, 119, True, "And what happened?"),
                      (3, 120, 299, False, "They turned it down."),
                      (3, 300, 340, True, "What about the parking campaign at the hospital?"),
                      (3, 341, 500, False, "We lost that one.")])


def test_the_turn_index_finds_the_answer_a_follow_up_asks_after() -> None:
    turns = _turns()
    assert turns.answer_before(3, 130) == (0, 99)   # a position inside the answer is enough
    assert turns.answer_before(3, 341) is None        # the question opens a topic
    assert turns.answer_before(3, 100) is None        # a question follows up nothing
    assert turns.answer_before(3, 0) is None and turns.answer_before(9, 130) is None


def test_an_answer_to_a_follow_up_joins_the_claim_of_the_answer_it_follows_up() -> None:
    record = _draft("m", "The board declined the paper proposing funded hostel beds for island patients.", sid=1)
    survey = _draft("a", "We surveyed island patients about hostel beds and sent the paper to the board.",
                    sid=3, kind="interview", speaker="Ishbel")
    refusal = _draft("b", "They turned it down in October. No money, they said. I cried, actually.",
                     sid=3, start=120, kind="interview", speaker="Ishbel")
    lost = _draft("c", "We lost that one. Nine pounds a day and the contract, nobody could shift it.",
                  sid=3, start=341, kind="interview", speaker="Ishbel", domain="access_to_services")
    alone = merge_drafts([record, survey, refusal, lost])
    assert sorted(sorted(d.merged_from) for d in alone) == [["a", "m"], ["b"], ["c"]]
    out = merge_drafts([record, survey, refusal, lost], turns=_turns())
    assert sorted(sorted(d.merged_from) for d in out) == [["a", "b", "m"], ["c"]]
    beds = next(d for d in out if "b" in d.merged_from)
    assert any("follow-up question" in r for r in beds.merge_reasons)


def test_a_follow_up_answer_that_names_another_change_goes_by_its_words() -> None:
    beds = _draft("m", "The board declined the paper proposing funded hostel beds for island patients.", sid=1)
    ferry = _draft("f", "The clinic now gives island patients afternoon appointments that match the ferry.", sid=2)
    survey = _draft("a", "We surveyed island patients about hostel beds and sent the paper to the board.",
                    sid=3, kind="interview", speaker="Ishbel")
    times = _draft("b", "Afternoon appointments, so the ferry works. The clinic changed that for us.",
                   sid=3, start=120, kind="interview", speaker="Ishbel")
    out = merge_drafts([beds, ferry, survey, times], turns=_turns())
    assert sorted(sorted(d.merged_from) for d in out) == [["a", "m"], ["b", "f"]]


# ---- the second reading --------------------------------------------------------------------------------

TEXTS = [
    "Lymphoedema service: Sheila had her first appointment at the Ashby Cross clinic in May.",
    "The PCT board approved a business case for a community lymphoedema service with two specialist nurses.",
    "The business case for the community lymphoedema service funds two specialist nurses from April.",
    "The two specialist nurses of the community lymphoedema service hold a clinic at Ashby Cross.",
    "Since April the specialist nurses have run the lymphoedema clinic at Ashby Cross every week.",
    "Ravi asked for a clearer sign at the day centre entrance.",
]
PROFILES = [Profile("commissioning", "audit_survey_visit")] * len(TEXTS)


def test_a_passage_read_against_an_unfinished_claim_is_read_again_against_the_finished_one(monkeypatch) -> None:
    # the appointment record comes first: it meets no claim yet and founds one; the clinic's other
    # passages name the Ashby Cross clinic only later, in the claim the business case founded
    order = list(range(len(TEXTS)))
    groups, scores = group_block(TEXTS, PROFILES, order, 0.17)
    assert sorted(sorted(g) for g in groups) == [[0, 1, 2, 3, 4], [5]]
    assert all(s >= 0.17 for sc in scores for s in sc)
    monkeypatch.setattr(similarity, "REFINE_ROUNDS", 0)
    once, _ = group_block(TEXTS, PROFILES, order, 0.17)
    assert sorted(sorted(g) for g in once) == [[0], [1, 2, 3, 4], [5]]  # read once, the record stays apart


def test_the_second_reading_moves_nothing_on_codes_alone() -> None:
    texts = ["The trust agreed parking permits for chemotherapy patients at the General hospital.",
             "Patients at the General hospital now get parking permits for chemotherapy.",
             "The network announced that the health boards will merge next year, hospital boards too."]
    profiles = [Profile("access_to_services", "proactive_campaigning")] * 3
    groups, scores = group_block(texts, profiles, [0, 1, 2], 0.17)
    assert sorted(sorted(g) for g in groups) == [[0, 1], [2]]
    assert all(s != FOLLOW_UP for sc in scores for s in sc)
