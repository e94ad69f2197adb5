"""Claim headlines with known answers: the clause that states the change, never a filler or a question."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicetrace.analysis import headlines
from voicetrace.analysis.claims import similarity
from voicetrace.analysis.headlines import Passage, headline, shorten


@pytest.mark.parametrize("passages, expected", [
    # an aside and an attribution before the change
    ([Passage("Oh, Trevor will have told you. The trust turned down free parking at City Campus because of "
              "the PFI contract.", written=False)],
     "The trust turned down free parking at City Campus because of the PFI contract."),
    # the answer first, the change after it
    ([Passage("Yes, I'm a volunteer driver now. For Age Concern Saltby. It came out of our survey: the PCT "
              "funded Age Concern Saltby to run a volunteer driver scheme.", written=False)],
     "The PCT funded Age Concern Saltby to run a volunteer driver scheme."),
    # a short opening sentence can be the change itself
    ([Passage("Free parking for dialysis patients. That was the one we fought for, for two years.")],
     "Free parking for dialysis patients."),
    # back-channel and stance dropped
    ([Passage("I'd say so, yes. They funded twenty extra nights at Linden House.", written=False)],
     "They funded twenty extra nights at Linden House."),
    # an interviewer's question is never the headline
    ([Passage("Did the parking change? Well, the trust introduced £1 weekly permits for chemotherapy patients.",
              written=False)],
     "The trust introduced £1 weekly permits for chemotherapy patients."),
    # who reported it, and the minutes' item label, are not the change
    ([Passage("Helpline: Sister Corless confirmed that the 24-hour chemotherapy helpline went live at "
              "Kirkmoor Infirmary on 2 June.", record=True)],
     "The 24-hour chemotherapy helpline went live at Kirkmoor Infirmary on 2 June."),
    # a meeting's next step is not the change; the refusal is
    ([Passage("Members agreed to write to Glan Coaches asking for the X41 to stop at the entrance. Glan Coaches "
              "declined because of the route timing.", record=True)],
     "Glan Coaches declined because of the route timing."),
    # a remark before the clause that carries the change; "a big change" names no change
    ([Passage("They've asked if relatives can have a drink while they wait. That's fair, we've started putting a "
              "jug of water and cups out by the nurses' station. I wouldn't call it a big change.", written=False)],
     "We've started putting a jug of water and cups out by the nurses' station."),
    # a stance opening the clause
    ([Passage("In the breast NSSG, which I sit on, I would say it has changed the tone more than the decisions. "
              "I'm aware the colorectal group has had a user member added since the peer review visit.",
              written=False)],
     "The colorectal group has had a user member added since the peer review visit."),
    # asides inside and at the end of the sentence
    ([Passage("Oh, Trevor will have told you. Well, you know, the trust turned down free parking at City Campus, "
              "you know, because of the PFI contract, I think.", written=False)],
     "The trust turned down free parking at City Campus because of the PFI contract."),
    # a minutes label before lower-case text
    ([Passage("Radiotherapy leaflet: the bilingual leaflet was printed in April and is now sent to all new "
              "patients at Tregarth.", record=True)],
     "The bilingual leaflet was printed in April and is now sent to all new patients at Tregarth."),
    # what a response asks for, not the context before it
    ([Passage("Many members felt \"dropped\" at the end of treatment. We recommend that survivorship be a "
              "priority, with a named contact after treatment ends.")],
     "We recommend that survivorship be a priority, with a named contact after treatment ends."),
])
def test_headline_states_the_change(passages: list[Passage], expected: str) -> None:
    assert headline(passages) == expected


def test_the_record_of_a_refusal_beats_a_dismissive_aside() -> None:
    passages = [
        Passage("Waste of time. Glan Coaches said no, six minutes, blah blah.", written=False),
        Passage("Gwyneth read the reply from Glan Coaches dated 12 May. The company said a detour into the "
                "centre would add six minutes to the journey and could not be accommodated within the timetable.",
                record=True),
    ]
    assert headline(passages).startswith("The company said a detour into the centre would add six minutes")


def test_merged_evidence_picks_the_record_that_names_what_the_sources_share() -> None:
    passages = [
        Passage("Oh, well, I'd say so, yes. They funded twenty extra nights, respite, at Linden House.", written=False),
        Passage("Ms Hale reported that the PCT board decided to fund 20 extra respite nights for carers at "
                "Linden House from April.", record=True),
        Passage("I can confirm we funded the twenty additional respite nights at Linden House.", written=False),
    ]
    assert headline(passages) == ("The PCT board decided to fund 20 extra respite nights for carers at Linden "
                                  "House from April.")


def test_long_headline_drops_the_lead_clause_then_ends_at_a_clause_never_mid_word() -> None:
    s = ("After a year of letters and a petition signed by more than 600 people, Hallbridge Hospitals NHS Trust "
         "agreed that from April 2008 every patient attending for chemotherapy or radiotherapy can buy a weekly "
         "permit for £1, whichever of the two hospitals they attend, and staff will tell them so at booking.")
    out = shorten(s)
    assert out.startswith("Hallbridge Hospitals NHS Trust agreed") and len(out) <= 161
    assert out.endswith("…") and out[-2].isalnum()
    words = set(s.replace(",", " ").split())
    assert all(w in words for w in out.rstrip("…").replace(",", " ").split())


# ---- the faster readings give the same answers as the plain rules ----------------------------------------

# Words the patterns look for, in any case, mixed with the Unicode letters IGNORECASE folds onto ASCII ones
# (Kelvin sign, long s, dotted and dotless i) and punctuation: where a shortcut would part from the pattern.
_WORDS = ["introduced", "Now Has", "NOW GIVES", "agreed", "opened", "said no", "I think", "i'd say", "you KNOW",
          "we recommend", "Asked For", "twenty", "Five", "hundred", "thousand", "and", "se\u212Aond", "\u017Fix",
          "\u0130ntroduced", "\u0131ntroduced", "\u017Fet up", "\u017Faid no", "moved away", "moved", "cut", "etc", "blah", "-", ",", ".", "?",
          "£", "'", "’", "x", "new", "newer", "will be", "before the group", "involved", "had been", "fixed",
          "in 2006", "agreed", "that", "campaigned for"]
_texts = st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=4)), max_size=12).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(_texts)
def test_ascii_searchers_answer_as_their_patterns(text: str) -> None:
    for pattern in (headlines.OUTCOME, headlines.ASK, headlines.OPINION, headlines.BACKGROUND, headlines.FUTURE,
                    headlines.DECIDED_THAT):
        assert headlines.ascii_searcher(pattern)(text) == bool(pattern.search(text))


@settings(max_examples=400, deadline=None)
@given(_texts)
def test_number_words_become_the_digits_the_pattern_finds(text: str) -> None:
    flat = text.lower()
    plain = similarity._NUMBER_PHRASE.sub(lambda m: " " + similarity._number_value(m.group(0)) + " ", flat)
    assert similarity.numbers_as_digits(flat) == plain


def test_ascii_searcher_refuses_a_pattern_it_cannot_lower() -> None:
    import re
    with pytest.raises(ValueError):
        headlines.ascii_searcher(re.compile("Trust", re.IGNORECASE))
    with pytest.raises(ValueError):
        headlines.ascii_searcher(re.compile("trust"))


_PASSAGES = [Passage("Oh, Trevor will have told you. The trust turned down free parking at City Campus.", written=False),
             Passage("The trust refused free parking at City Campus because of the PFI contract.", record=True),
             Passage("Parking: members asked for free parking. The trust said no.", written=True),
             Passage("I think the parking was never going to change, you know?", written=False)]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PASSAGES) | st.builds(Passage, _texts, st.booleans(), st.booleans()),
                min_size=1, max_size=4))
def test_shared_readings_give_the_headline_of_the_plain_call(passages: list[Passage]) -> None:
    plain = [headline([p]) for p in passages] + [headline(passages)]
    with headlines.shared_readings():
        # singles first, then the claim they make: the claim's headline reads what the singles read
        shared = [headline([p]) for p in passages] + [headline(passages)]
        with headlines.shared_readings():
            again = headline(passages)
    assert shared == plain and again == plain[-1]


def test_readings_are_kept_only_within_the_block() -> None:
    with headlines.shared_readings():
        headline(_PASSAGES)
        assert headlines._READINGS.get()
    assert headlines._READINGS.get() is None


# A change the group asked for and the PCT turned down: the refusal letter is the longer, written record.
PROPOSAL = [
    Passage("Joan read the letter from the PCT. The letter thanked the group for its proposal and said that a drop-in "
            "centre is not a priority within the current allocation.", record=True),
    Passage("We asked the PCT for a cancer information and support centre on Fore Street. The PCT has said no."),
]


def test_a_declined_or_proposed_claim_is_headed_by_what_was_asked_for() -> None:
    assert headline(PROPOSAL, status="not_adopted") == \
        "We asked the PCT for a cancer information and support centre on Fore Street."
    assert headline(PROPOSAL, status="proposed").startswith("We asked the PCT for")
    # for a change made, the record of the decision wins
    assert headline(PROPOSAL, status="implemented").startswith("The letter thanked")


def test_a_consultation_is_the_ask_of_a_declined_claim() -> None:
    passages = [Passage("Ron reported on the consultation meeting. He said the presentation was mostly about "
                        "numbers of operations and he was told travel was outside the scope.", record=True),
                Passage("In spring the network consulted the group about moving bowel cancer surgery to Westmoor "
                        "General. The change went ahead as planned.")]
    assert headline(passages, status="not_adopted") == ("In spring the network consulted the group about moving "
                                                       "bowel cancer surgery to Westmoor General.")


def test_an_ask_by_the_speaker_does_not_head_a_change_made() -> None:
    turn = [Passage("The lay member has come to two meetings of the lung group. I've asked the network to give her a "
                    "briefing.", written=False)]
    assert "briefing" not in headline(turn, status="implemented")
    assert "briefing" in headline(turn, status="proposed")
    assert "briefing" in headline(turn)  # status not known: an ask still counts


def test_a_sentence_pointing_back_at_the_changes_loses_to_the_one_that_names_them() -> None:
    passages = [Passage('Tamsin thanked members. All the suggested changes have been made, including explaining '
                        '"triple assessment" to women.', record=True),
                Passage('Members revised the "Breast Clinic: What to Expect" leaflet, explaining triple assessment.')]
    assert headline(passages).startswith('Members revised the "Breast Clinic: What to Expect" leaflet')
    assert headlines.VAGUE_START.search("Most of our suggestions were taken up")
    assert not headlines.VAGUE_START.search("All patients now get a leaflet")


def test_a_sentence_that_would_lose_its_end_gives_way_to_a_whole_one() -> None:
    long = ("After a year of letters and a petition, the Hallbridge Hospitals NHS Trust agreed that from April every "
            "patient attending for chemotherapy or radiotherapy at Hallbridge General or Kirkmoor Infirmary can buy "
            "a weekly parking permit for one pound.")
    short = ("From 1 April, patients coming to Hallbridge General or Kirkmoor Infirmary for chemotherapy can buy a "
             "weekly parking permit for just £1.")
    assert len(long) > headlines.HEADLINE_MAX_CHARS >= len(short)
    assert headline([Passage(long), Passage(short)]) == short
    assert headline([Passage(long)]).endswith("…")  # alone, it is still shortened at a clause or word


def test_a_long_leading_clause_is_dropped_so_the_change_fits() -> None:
    text = ("After patients on the Nene Day Unit told us through our comment cards that there was nothing to drink "
            "during long treatments and no clock, the unit introduced a drinks trolley and put up a clock.")
    assert headline([Passage(text)]) == "The unit introduced a drinks trolley and put up a clock."


def test_change_sentences_keep_only_what_states_a_change() -> None:
    text = ("A bit more structure. Someone to act as a liaison, perhaps. They applied for a post, I believe, and "
            "I'd support that. Did they hear back? My Tuesday mornings are not going to become free.")
    assert headlines.change_sentences(text) == "They applied for a post and I'd support that."
    assert headlines.change_sentences("Lovely people. We meet on Tuesdays.") == ""


def test_a_change_made_is_not_headed_by_a_sentence_asking_for_more() -> None:
    passages = [Passage("We welcome the new lymphoedema service in the county and ask that the city PCT commission an "
                        "equivalent service."),
                Passage("The PCT board approved a community lymphoedema service for the county from April.",
                        record=True)]
    assert headline(passages, status="implemented").startswith("The PCT board approved")
    assert headline(passages, status="proposed").startswith("We welcome")


def test_the_first_verb_of_a_list_is_not_a_leading_clause() -> None:
    listed = ("As a result of our report the unit replaced its upright chairs with twelve reclining chairs, installed a "
              "water cooler and a wall clock, and agreed to keep the television volume low.")
    out = shorten(listed)
    assert out.startswith("As a result of our report the unit replaced") and out.endswith("…")
    assert not headline([Passage(listed)]).startswith("Installed")


SUITE = [Passage("The Chair welcomed members to the first meeting in the new Sherwood Chemotherapy Suite, which opened "
                 "to patients on 16 June. Members toured the suite before the meeting.", record=True),
         Passage("The group led the design of the new Sherwood Chemotherapy Suite at City Campus, which will open in "
                 "summer 2008."),
         Passage("The new Sherwood Chemotherapy Suite at City Campus opened on 16 June."),
         Passage("Ms Varley said the layout of the Sherwood Suite had been decided before the group became involved.",
                 record=True)]


def test_a_change_made_is_headed_by_neither_the_meeting_nor_the_plan_nor_what_was_fixed_before() -> None:
    assert headline(SUITE, status="implemented") == "The new Sherwood Chemotherapy Suite at City Campus opened on 16 June."
    assert headlines.MEETING_BUSINESS.match("The Chair thanked Tamsin for the leaflet")
    assert headlines.BACKGROUND.search("The footprint was fixed in 2006 by the estates team")
    # a decision made about the future is the change, not a plan
    decided = [Passage("The network has agreed that Malcolm will be the group's representative on the NSSG.")]
    assert headline(decided + [Passage("It is the first time the group has a seat.")], status="implemented") == \
        "The network has agreed that Malcolm will be the group's representative on the NSSG."
    # while a plan is what a planned change's headline says
    assert headline(SUITE[1:2], status="planned").startswith("The group led the design")


def test_a_campaign_is_the_ask_of_a_declined_claim() -> None:
    passages = [Passage("Members have campaigned for free parking at City Campus for patients having regular "
                        "treatment."),
                Passage("The committee sympathised but said free parking could not be offered.", record=True)]
    assert headline(passages, status="not_adopted").startswith("Members have campaigned for free parking")
