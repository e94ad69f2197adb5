"""Claims from codings: proposal, merging, evidence-strength rules one by one, contradictions, profiles."""
from __future__ import annotations

from dataclasses import replace

import pytest

from voicetrace.analysis.claims.contradictions import contradictions
from voicetrace.analysis.claims.drafts import ClaimDraft, _first_sentence, drafts_to_claims
from voicetrace.analysis.claims.editing import active_claims, edit_claim, mark_stance
from voicetrace.analysis.claims.merging import merge_claims, merge_drafts, unmerge_claim, unmerge_draft
from voicetrace.analysis.claims.profiles import (
    grassroots_strategic_balance,
    influence_profile,
    outcome_by_level,
)
from voicetrace.analysis.claims.proposal import propose_claims
from voicetrace.analysis.claims.strength import evidence_strength, explain_strength
from voicetrace.core.claims import Evidence, EvidenceStrength, InfluenceClaim, Stance


@pytest.fixture(scope="module")
def drafts(study):
    return propose_claims(study["segments"], study["codings"], study["codebook"], coder="ana")


def _find(drafts, case, domain, level=None):
    hits = [d for d in drafts if d.case_name == case and d.domain == domain and (level is None or d.level == level)]
    assert len(hits) == 1, [(d.case_name, d.domain, d.level) for d in drafts]
    return hits[0]


def ev(**kw) -> Evidence:
    base = {"id": 1, "claim_id": 1, "source_id": 1, "source_name": "s", "start": 0, "end": 5, "text": "we did it"}
    base.update(kw)
    return Evidence(**base)


# ---------------------------------------------------------------- proposal and merging

def test_one_claim_per_change_with_merges(drafts):
    assert len(drafts) == 10
    per_case = {c: sum(d.case_name == c for d in drafts) for c in ("Riverside", "Hillview", "Lakeside")}
    assert per_case == {"Riverside": 3, "Hillview": 3, "Lakeside": 4}


def test_claim_takes_codes_from_its_segment(drafts):
    leaflet = _find(drafts, "Riverside", "patient_information")
    assert (leaflet.level, leaflet.activity, leaflet.status) == (
        "grassroots_operational", "producing_information", "implemented")
    assert leaflet.change.startswith("The group reviewed the chemotherapy leaflet")
    assert leaflet.date == "2007-12-01"  # earliest supporting source


def test_statement_without_level_is_not_a_claim(drafts):
    assert not any("tumour group as the carer" in ev.text for d in drafts for ev in d.evidence)
    assert not any("equal partners" in ev.text for d in drafts for ev in d.evidence)


def test_merge_is_visible_and_reversible(drafts):
    leaflet = _find(drafts, "Riverside", "patient_information")
    assert leaflet.is_merged and len(leaflet.merged_from) == 2 and leaflet.merge_reasons
    assert {e.source_name for e in leaflet.evidence} == {"Riverside annual report 2007", "Riverside interview 1"}
    parts = unmerge_draft(leaflet)
    assert [len(p.evidence) for p in parts] == [1, 1]
    assert [p.key for p in parts] == leaflet.merged_from


def test_unrelated_changes_in_same_case_and_domain_stay_apart(drafts):
    lake = [d for d in drafts if d.case_name == "Lakeside" and d.domain == "service_delivery_pathways"]
    assert len(lake) == 2  # same domain, different levels and wording: two changes
    hill = [d for d in drafts if d.case_name == "Hillview"]
    assert sorted(d.domain for d in hill) == ["access_to_services", "care_environment", "policy"]


def test_merge_needs_same_case():
    a = ClaimDraft("a", 1, "A", "unclear_activity", "x", "grassroots_operational", "care_environment",
                   "implemented", None, [ev(text="new chairs in the waiting room")], ["a"],
                   evidence_status=["implemented"])
    b = replace(a, key="b", case_id=2, case_name="B", merged_from=["b"])
    c = replace(a, key="c", merged_from=["c"], level="unclear_level")
    d = replace(a, key="d", merged_from=["d"], level="strategic_commissioning")
    out = merge_drafts([a, b, c, d])
    # the level coded does not split one change; a tie between levels goes to the earliest passage
    assert [o.merged_from for o in out] == [["a", "c", "d"], ["b"]]
    assert out[0].level == "grassroots_operational"  # the specific level wins over unclear


def test_dissimilar_text_does_not_merge():
    a = ClaimDraft("a", 1, "A", "unclear_activity", "x", "grassroots_operational", "care_environment",
                   "implemented", None, [ev(text="new chairs in the waiting room")], ["a"],
                   evidence_status=["implemented"])
    b = replace(a, key="b", merged_from=["b"], evidence=[ev(text="a quiet room with soft lighting opened")])
    assert len(merge_drafts([a, b])) == 2
    assert len(merge_drafts([a, b], threshold=0.0)) == 2  # one word in common ("room") is never one change
    c = replace(a, key="c", merged_from=["c"], evidence=[ev(text="a quiet room with new chairs opened")])
    assert len(merge_drafts([a, c], threshold=0.0)) == 1
    assert len(merge_drafts([a, c], threshold=0.9)) == 2


def test_coder_filter_and_double_coding(study):
    both = propose_claims(study["segments"], study["codings"], study["codebook"])
    leaflet = _find(both, "Riverside", "patient_information")
    assert len(leaflet.evidence) == 2  # ben's coding of the same passage is not a second witness
    assert leaflet.coders == ["ana", "ben"]
    only_ben = propose_claims(study["segments"], study["codings"], study["codebook"], coder="ben")
    assert len(only_ben) == 1 and not only_ben[0].is_merged


def test_defaults_when_dimension_missing(study):
    codings = study["codings"]
    codings = codings[~((codings["segment_id"] == 20) & (codings["dimension"].isin(["activity", "domain"])))]
    out = propose_claims(study["segments"], codings, study["codebook"], coder="ana")
    quiet = next(d for d in out if "quiet room" in d.evidence[0].text)
    assert (quiet.activity, quiet.domain, quiet.status) == ("unclear_activity", "other_domain", "implemented")


def test_quotes_carry_pseudonym_never_speaker_name(drafts):
    names = {e.speaker for d in drafts for e in d.evidence}
    assert "Rose" in names and "Mary Jones" not in names


# ---------------------------------------------------------------- strength rules

def test_expected_strengths(drafts):
    got = {(d.case_name, d.level, d.domain): d.strength.value for d in drafts}
    assert got == {
        ("Riverside", "grassroots_operational", "patient_information"): "corroborated",
        ("Riverside", "strategic_commissioning", "commissioning"): "documented",
        ("Riverside", "organisational_network", "access_to_services"): "claimed",
        ("Hillview", "grassroots_operational", "care_environment"): "corroborated",
        ("Hillview", "strategic_commissioning", "policy"): "claimed",
        ("Hillview", "grassroots_operational", "access_to_services"): "corroborated",
        ("Lakeside", "strategic_commissioning", "service_delivery_pathways"): "documented",
        ("Lakeside", "organisational_network", "service_delivery_pathways"): "claimed",
        ("Lakeside", "national_policy", "policy"): "claimed",
        ("Lakeside", "grassroots_operational", "care_environment"): "claimed",
    }


def test_rule_documented_by_code():
    assert evidence_strength([ev(coded_strength="documented", source_type="transcript")]) == EvidenceStrength.DOCUMENTED


def test_rule_documented_formal_record_needs_decision_words():
    decided = ev(source_kind="minutes", text="The committee approved the new clinic.")
    talked = ev(source_kind="minutes", text="The group discussed the new clinic.")
    assert evidence_strength([decided]) == EvidenceStrength.DOCUMENTED
    assert evidence_strength([talked]) == EvidenceStrength.CLAIMED
    group_report = ev(source_kind="annual_report", text="The committee approved the new clinic.")
    assert evidence_strength([group_report]) == EvidenceStrength.CLAIMED


def test_rule_corroborated_document_and_interview():
    doc = ev(source_kind="annual_report")
    talk = ev(source_id=2, source_type="transcript", source_kind="interview", speaker_role="service_user")
    assert evidence_strength([doc, talk]) == EvidenceStrength.CORROBORATED
    assert evidence_strength([doc]) == EvidenceStrength.CLAIMED


def test_rule_corroborated_two_roles_not_interviewer():
    a = ev(source_type="transcript", speaker_role="service_user")
    b = ev(source_id=2, source_type="transcript", speaker_role="carer")
    i = ev(source_id=3, source_type="transcript", speaker_role="interviewer")
    same = ev(source_id=4, source_type="transcript", speaker_role="service_user")
    assert evidence_strength([a, b]) == EvidenceStrength.CORROBORATED
    assert evidence_strength([a, i]) == EvidenceStrength.CLAIMED
    assert evidence_strength([a, same]) == EvidenceStrength.CLAIMED


@pytest.mark.parametrize("role,expected", [("commissioner", "corroborated"), ("manager", "corroborated"),
                                           ("clinician", "corroborated"), ("facilitator", "claimed"),
                                           ("professional", "claimed"), (None, "claimed")])
def test_rule_decision_maker_confirms(role, expected):
    assert evidence_strength([ev(source_type="transcript", speaker_role=role)]).value == expected


def test_rule_corroborated_by_code():
    assert evidence_strength([ev(coded_strength="corroborated")]) == EvidenceStrength.CORROBORATED
    assert evidence_strength([ev(coded_strength="claimed")]) == EvidenceStrength.CLAIMED


def test_contradicting_evidence_never_raises_strength():
    doc = ev(source_kind="annual_report")
    boss = ev(source_id=2, source_type="transcript", speaker_role="commissioner", stance=Stance.CONTRADICTS)
    minutes = ev(source_id=3, source_kind="minutes", text="The board agreed not to", stance=Stance.CONTRADICTS)
    assert evidence_strength([doc, boss, minutes]) == EvidenceStrength.CLAIMED
    assert evidence_strength([]) == EvidenceStrength.CLAIMED
    assert "no supporting" in explain_strength([boss])[1]


# ---------------------------------------------------------------- contradictions and edits

def test_not_adopted_passage_contradicts_implemented_claim(drafts):
    parking = _find(drafts, "Riverside", "access_to_services")
    assert parking.status == "implemented"
    bad = contradictions(parking)
    assert len(bad) == 1 and "declined" in bad[0].text


def test_declined_proposal_becomes_not_adopted():
    a = ClaimDraft("a", 1, "A", "proactive_campaigning", "x", "strategic_commissioning", "commissioning",
                   "proposed", None, [ev(text="we proposed funding for a transport scheme")], ["a"],
                   evidence_status=["proposed"])
    b = replace(a, key="b", merged_from=["b"], status="not_adopted", evidence_status=["not_adopted"],
                evidence=[ev(source_id=2, text="funding for the transport scheme was declined")])
    (m,) = merge_drafts([a, b])
    assert m.status == "not_adopted" and not contradictions(m)


def test_persisted_merge_round_trip(drafts):
    claims = drafts_to_claims(drafts)
    visible = active_claims(claims)
    assert len(visible) == 10 and len(claims) == 10 + 2 * 4  # four merged drafts of two parts
    a, b = [c for c in visible if c.case_name == "Lakeside"][:2]
    merged, *originals = merge_claims([a, b], new_id=999, by="pat")
    assert len(merged.evidence) == len(a.evidence) + len(b.evidence)
    after = [c for c in claims if c.id not in (a.id, b.id)] + [merged] + originals
    assert len(active_claims(after)) == 9
    back = unmerge_claim(merged, after)
    assert {c.id for c in back} == {a.id, b.id} and all(c.merged_into is None for c in back)
    other = next(c for c in visible if c.case_name == "Riverside")
    with pytest.raises(ValueError):
        merge_claims([a, other], new_id=5)


def test_edit_and_mark_stance(drafts):
    claim = drafts_to_claims(drafts)[0]
    edited = edit_claim(claim, "pat", change="New wording")
    assert edited.change == "New wording" and edited.edited_by == "pat"
    with pytest.raises(ValueError):
        edit_claim(claim, "pat", evidence_strength="documented")
    marked = mark_stance(claim, claim.evidence[0].id, Stance.CONTRADICTS, "pat")
    assert len(contradictions(marked)) == 1


# ---------------------------------------------------------------- profiles

def test_influence_profile_counts(drafts):
    prof = influence_profile(drafts_to_claims(drafts))
    assert int(prof["n_claims"].sum()) == 10
    row = prof[(prof["case"] == "Riverside") & (prof["domain"] == "access_to_services")].iloc[0]
    assert (row["level"], row["n_claims"], row["claimed"], row["n_contradicted"]) == ("organisational_network", 1, 1, 1)
    lake = prof[prof["case"] == "Lakeside"]
    assert int(lake["documented"].sum()) == 1 and int(lake["status_planned"].sum()) == 1
    assert list(prof["case"].unique()) == ["Hillview", "Lakeside", "Riverside"]


def test_balance(drafts):
    bal = grassroots_strategic_balance(drafts_to_claims(drafts)).set_index("case")
    assert bal.loc["Riverside", ["grassroots", "organisational", "strategic", "strategic_corroborated"]].tolist() == [1, 1, 1, 1]
    assert bal.loc["Hillview", ["grassroots", "strategic", "strategic_corroborated"]].tolist() == [2, 1, 0]
    assert bal.loc["Hillview", "balance"] == "grass-roots"
    assert bal.loc["Lakeside", ["grassroots", "strategic", "strategic_corroborated"]].tolist() == [1, 2, 1]
    assert bal.loc["Lakeside", "balance"] == "strategic"
    assert bal.loc["Lakeside", "share_strategic"] == pytest.approx(0.5)


def test_empty_inputs():
    assert influence_profile([]).empty and grassroots_strategic_balance([]).empty


# ---------------------------------------------------------------- wording and outcomes

@pytest.mark.parametrize("passage, wording", [
    ("Yes. The leaflet and the sheet are real, I can hold them in my hand.",
     "The leaflet and the sheet are real, I can hold them in my hand."),
    ("[pause] Parking. The group secured free parking for patients having radiotherapy. Good.",
     "The group secured free parking for patients having radiotherapy."),
    ("2. Members were shown the final layout of the new suite. Trevor asked why.",
     "Members were shown the final layout of the new suite."),
    ("Waste of time.", "Waste of time."),
    ("The group reviewed the chemotherapy leaflet. It was reprinted.", "The group reviewed the chemotherapy leaflet."),
])
def test_claim_wording_skips_interjections_and_numbering(passage, wording):
    assert _first_sentence(passage) == wording


def test_claim_wording_is_cut_at_a_word():
    out = _first_sentence("The group " + "asked for changes to the clinic " * 20 + "and it happened.")
    assert out.endswith("…") and len(out) <= 161 and not out[:-1].endswith(" ")


def _claim(i: int, level: str, status: str, merged_into: int | None = None) -> InfluenceClaim:
    return InfluenceClaim(id=i, case_id=1, case_name="A", activity="a", change="c", level=level, domain="d",
                          status=status, date=None, evidence=[ev()], merged_into=merged_into)


def test_outcome_by_level_counts_each_active_claim_once():
    claims = [_claim(1, "grassroots_operational", "implemented"), _claim(2, "grassroots_operational", "sustained"),
              _claim(3, "strategic_commissioning", "proposed"), _claim(4, "strategic_commissioning", "not_adopted"),
              _claim(5, "strategic_commissioning", "in_progress"), _claim(6, "national_policy", "planned"),
              _claim(7, "grassroots_operational", "proposed", merged_into=1)]
    out = outcome_by_level(claims).set_index(["level", "outcome"])
    assert out.loc[("grassroots_operational", "changed"), "claim_ids"] == [1, 2]
    assert out.loc[("grassroots_operational", "not_yet"), "n_claims"] == 0
    assert out.loc[("strategic_commissioning", "not_yet"), "claim_ids"] == [3]
    assert out.loc[("strategic_commissioning", "declined"), "claim_ids"] == [4]
    assert out.loc[("strategic_commissioning", "under_way"), "claim_ids"] == [5]
    assert out.loc[("national_policy", "not_yet"), "n_claims"] == 1
    assert int(out["n_claims"].sum()) == 6
    assert outcome_by_level([])["n_claims"].sum() == 0


def test_outside_denials_contradict_a_claim_of_change() -> None:
    from voicetrace.analysis.claims.contradictions import is_denial
    from voicetrace.analysis.claims.contradictions import with_stances as _with_stances
    from voicetrace.analysis.claims.drafts import ClaimDraft

    def ev(i: int, text: str, role: str) -> Evidence:
        return Evidence(id=i, claim_id=1, source_id=i, source_name=f"s{i}", start=0, end=len(text), text=text,
                        source_type="transcript", source_kind="interview", speaker=f"p{i}", speaker_role=role)
    support = ev(1, "We got the quiet room opened on the ward.", "service_user")
    denial = ev(2, "No. Not as such. It isn't open yet, we were nearly there.", "professional")
    own_denial = ev(3, "It isn't open yet, to be honest.", "service_user")
    assert is_denial(denial) and not is_denial(own_denial) and not is_denial(support)
    d = ClaimDraft(key="k", case_id=1, case_name="G", activity="unclear_activity", change="quiet room",
                   level="grassroots_operational", domain="care_environment", status="implemented", date=None,
                   evidence=[support, denial, own_denial], evidence_status=["implemented"] * 3)
    out = _with_stances(d)
    assert [e.stance for e in out.evidence] == [Stance.SUPPORTS, Stance.CONTRADICTS, Stance.SUPPORTS]
    alone = replace(d, evidence=[denial], evidence_status=["implemented"])
    assert _with_stances(alone).evidence[0].stance == Stance.SUPPORTS
    proposed = replace(d, status="proposed")
    assert all(e.stance == Stance.SUPPORTS for e in _with_stances(proposed).evidence)
