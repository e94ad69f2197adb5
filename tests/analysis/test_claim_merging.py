"""Cross-source merging by what changed: known answers on small drafts."""
from __future__ import annotations

from dataclasses import replace

from voicetrace.analysis.claims.drafts import ClaimDraft
from voicetrace.analysis.claims.merging import claim_level, merge_drafts, unmerge_draft
from voicetrace.analysis.claims.similarity import change_terms, name_words
from voicetrace.core.claims import Evidence, Stance


def _draft(key: str, text: str, *, case: str = "Linden", level: str = "strategic_commissioning",
           domain: str = "commissioning", status: str = "implemented", source_type: str = "document",
           kind: str = "minutes", role: str | None = None, speaker: str | None = None, sid: int = 1) -> ClaimDraft:
    ev = Evidence(id=1, claim_id=1, source_id=sid, source_name=f"{key}.txt", start=0, end=len(text), text=text,
                  source_type=source_type, source_kind=kind, speaker=speaker, speaker_role=role)
    return ClaimDraft(key, 1 if case == "Linden" else 2, case, "audit_survey_visit", text, level, domain, status,
                      None, [ev], [key], evidence_status=[status])


def test_numbers_in_words_and_digits_are_one_term() -> None:
    assert change_terms("They funded twenty extra nights") == change_terms("they fund 20 extra night")
    assert "212" in change_terms("two hundred and twelve replies")


def test_contractions_are_their_function_words_and_possessives_their_nouns() -> None:
    terms = change_terms("They'd said it's done, she didn't, I've heard, we wouldn't; Trevor's petition.")
    assert not [t for t in terms if "'" in t]
    assert {"it", "she", "they", "would"}.isdisjoint(terms)
    assert "petition" in terms and "trevor" in terms
    # a transcript typed with curly apostrophes reads the same as one typed with straight ones
    assert change_terms("They’d asked for Trevor’s petition") == change_terms("They'd asked for Trevor's petition")


def test_contractions_do_not_tie_two_interview_turns_about_different_changes() -> None:
    parking = _draft("m1", "The trust agreed parking permits for chemotherapy patients at the General.",
                     domain="access_to_services")
    cooler = _draft("m2", "The day unit installed a water cooler and a wall clock in the waiting area.",
                    domain="care_environment", sid=2)
    turn1 = _draft("i1", "They'd said it's parking permits at the General, I've heard, and they wouldn't budge on it "
                   "at first.", domain="access_to_services", source_type="transcript", kind="interview",
                   speaker="Joan", sid=3)
    # shares two words with the cooler's record and six contractions with the parking turn
    turn2 = _draft("i2", "It's the water cooler. They'd listened, I've said so, it's lovely, they'd not have, wouldn't "
                   "have, I've no doubt.", domain="care_environment", source_type="transcript", kind="interview",
                   speaker="Joan", sid=4)
    out = merge_drafts([parking, cooler, turn1, turn2])
    assert sorted(sorted(d.merged_from) for d in out) == [["i1", "m1"], ["i2", "m2"]]


def test_minutes_and_interviews_in_other_words_are_one_claim_with_the_record_s_strength() -> None:
    minutes = _draft("m", "The PCT board decided to fund 20 extra respite nights for carers at Linden House.")
    carer = _draft("c", "Oh, well, yes. They funded twenty extra nights at Linden House, for carers.",
                   level="unclear_level", domain="access_to_services", source_type="transcript", kind="interview",
                   role="carer", speaker="Joan", sid=2)
    lead = _draft("h", "I can confirm we funded the twenty additional respite nights at Linden House.",
                  source_type="transcript", kind="interview", role="commissioner", speaker="Ms Hale", sid=3)
    sign = _draft("s", "Ravi asked for a clearer sign at the day centre entrance.", level="grassroots_operational",
                  domain="care_environment", status="proposed", sid=1)
    out = merge_drafts([carer, sign, lead, minutes])
    assert [sorted(d.merged_from) for d in out] == [["c", "h", "m"], ["s"]]
    respite = out[0]
    assert respite.strength.value == "documented" and respite.level == "strategic_commissioning"
    assert "20 extra respite nights" in respite.change
    parts = unmerge_draft(respite)  # reversible: each part weighed on its own again
    assert sorted(p.strength.value for p in parts) == ["claimed", "corroborated", "documented"]


def test_a_decision_maker_confirming_a_member_s_account_corroborates_the_same_claim() -> None:
    member = _draft("a", "Our survey got the Age Concern volunteer driver scheme funded for radiotherapy patients.",
                    source_type="transcript", kind="interview", role="service_user", speaker="Derek", sid=1)
    commissioner = _draft("b", "Yes, the PCT funded the volunteer driver scheme, Age Concern run it, because of "
                          "their survey of radiotherapy patients.", source_type="transcript", kind="interview",
                          role="commissioner", speaker="Ms Okonjo", sid=2)
    out = merge_drafts([member, commissioner])
    assert len(out) == 1 and out[0].strength.value == "corroborated"


def test_a_denial_is_attached_to_the_claim_it_denies() -> None:
    claim = _draft("r", "The group secured a parking concession for radiotherapy patients at Kestermouth Royal.",
                   level="grassroots_operational", domain="access_to_services", kind="annual_report")
    denial = _draft("p", "The parking concession for radiotherapy patients has been in place since 2005; it wasn't "
                    "down to the group.", level="grassroots_operational", domain="access_to_services",
                    source_type="transcript", kind="interview", role="manager", speaker="Mr Penhale", sid=2)
    out = merge_drafts([claim, denial])
    assert len(out) == 1
    stances = {ev.source_name: ev.stance for ev in out[0].evidence}
    assert stances == {"r.txt": Stance.SUPPORTS, "p.txt": Stance.CONTRADICTS}
    assert out[0].strength.value == "claimed"  # a contradiction never raises it


def test_one_person_talking_about_two_changes_does_not_make_them_one() -> None:
    names = name_words(["Mr Pritchard"])
    assert "pritchard" in names and "mr" in names
    a = _draft("a", "Mr Pritchard said the bilingual radiotherapy leaflet went to every new patient at Tregarth.",
               level="grassroots_operational", domain="patient_information", speaker="Mr Pritchard")
    b = _draft("b", "Mr Pritchard said first appointment letters at Tregarth now carry a travel sheet with bus times.",
               level="grassroots_operational", domain="access_to_services", speaker="Mr Pritchard", sid=2)
    assert len(merge_drafts([a, b])) == 2


def test_the_same_words_in_two_cases_never_merge() -> None:
    a = _draft("a", "The PCT funded 20 extra respite nights at Linden House.")
    b = replace(_draft("b", "The PCT funded 20 extra respite nights at Linden House.", case="Other"), case_id=2)
    assert len(merge_drafts([a, b])) == 2


def test_one_change_coded_at_two_levels_is_one_claim_at_the_better_evidenced_level() -> None:
    minutes = _draft("m", "The PCT board approved a community lymphoedema clinic with two specialist nurses from April.")
    member = _draft("i", "We got the community lymphoedema clinic, two specialist nurses, from April.",
                    level="grassroots_operational", domain="service_delivery_pathways", source_type="transcript",
                    kind="interview", role="service_user", speaker="Pat", sid=2)
    out = merge_drafts([member, minutes])
    assert len(out) == 1 and sorted(out[0].merged_from) == ["i", "m"]
    assert out[0].level == "strategic_commissioning"  # the documented passage outweighs the claimed one
    assert [p.level for p in unmerge_draft(out[0])] == ["grassroots_operational", "strategic_commissioning"]


def test_claim_level_is_a_strength_weighted_vote_and_unclear_only_votes_alone() -> None:
    doc = _draft("d", "The PCT board decided to fund the scheme.").evidence
    talk = _draft("t", "They funded it.", source_type="transcript", kind="interview", role="carer").evidence
    assert claim_level(["grassroots_operational", "strategic_commissioning"], [talk, doc]) == "strategic_commissioning"
    assert claim_level(["grassroots_operational", "strategic_commissioning"], [talk, talk]) == "grassroots_operational"
    assert claim_level(["unclear_level", "national_policy"], [doc, talk]) == "national_policy"
    assert claim_level(["unclear_level"], [doc]) == "unclear_level"


def test_two_changes_sharing_only_generic_words_stay_apart() -> None:
    a = _draft("a", "The group said patients at the service now get a bilingual radiotherapy leaflet.",
               level="grassroots_operational", domain="patient_information")
    b = _draft("b", "The group said patients at the service now get afternoon appointments by ferry.",
               level="grassroots_operational", domain="patient_information", sid=2)
    assert len(merge_drafts([a, b])) == 2


def test_an_answer_stating_the_change_in_passing_joins_the_claim_its_change_sentence_names() -> None:
    report = _draft("r", "In September we applied to Macmillan for funding for a part-time facilitator post.", level="organisational_network", domain="involvement_governance", status="proposed",
                    kind="annual_report")
    minutes = _draft("m", "The secretary reported that Macmillan would consider an application for a part-time facilitator "
                     "post. Members agreed to go ahead with the application.", level="organisational_network",
                     domain="involvement_governance", status="proposed", sid=2)
    bus = _draft("b", "Glan Coaches declined to route the X41 bus into the cancer centre site.",
                 level="grassroots_operational", domain="access_to_services", status="not_adopted", sid=3)
    # read whole, the liaison answer shares almost nothing with the application; its change sentence does
    doctor = _draft("d", "A bit more structure. Someone to act as a liaison, perhaps, who understands both sides of "
                    "the clinic. Our nurse does that, but she's stretched terribly thin on the wards. They applied "
                    "for a post, I believe, and I'd support that. And perhaps they could send us specific questions "
                    "rather than expecting us to attend. My Tuesday mornings in theatre are not going to become free. "
                    "The audit data, the referral pathways, the MDT business: an hour and a half goes nowhere.",
                    level="organisational_network", domain="involvement_governance", status="proposed",
                    source_type="transcript", kind="interview", role="clinician", speaker="Dr Hughes", sid=4)
    # alone, with a change sentence about something no claim holds: it stays its own claim
    driver = _draft("v", "Lovely people at the hospice. I started as a volunteer driver for the scheme last year.",
                    level="grassroots_operational", domain="access_to_services", source_type="transcript",
                    kind="interview", role="service_user", speaker="Joan", sid=5)
    out = merge_drafts([report, minutes, bus, doctor, driver])
    assert sorted(sorted(d.merged_from) for d in out) == [["b"], ["d", "m", "r"], ["v"]]
    merged = next(d for d in out if "d" in d.merged_from)
    assert merged.change.startswith("In September we applied to Macmillan")
    # without the change-sentence reading (the similarity step's old behaviour) the answer founds a claim
    from voicetrace.analysis.claims import similarity
    texts = [d.evidence[0].text for d in (report, minutes, bus, doctor, driver)]
    profiles = [similarity.Profile(d.domain, d.activity) for d in (report, minutes, bus, doctor, driver)]
    alone, _ = similarity.group_block(texts, profiles, [0, 1, 2, 3, 4], 0.17)
    assert [3] in alone


def test_a_campaign_under_way_that_most_passages_say_was_turned_down_was_turned_down() -> None:
    from voicetrace.analysis.claims.merging import _merged_status
    assert _merged_status(["in_progress", "not_adopted", "not_adopted"]) == "not_adopted"
    assert _merged_status(["in_progress", "in_progress", "not_adopted"]) == "in_progress"
    assert _merged_status(["implemented", "not_adopted", "not_adopted"]) == "implemented"  # it happened in the end
    assert _merged_status(["proposed", "not_adopted"]) == "not_adopted"
