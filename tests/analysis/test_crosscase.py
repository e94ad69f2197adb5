"""Connections and the cross-case comparison on the fixture study."""
from __future__ import annotations

import pandas as pd
import pytest

from tests.reports import study_fixture
from voicetrace.analysis.claims.drafts import drafts_to_claims
from voicetrace.analysis.claims.proposal import propose_claims
from voicetrace.analysis.crosscase import budget_band, connections_analysis, cross_case_comparison, route_of


@pytest.fixture(scope="module")
def study():
    s = study_fixture.build()
    s["claims"] = drafts_to_claims(propose_claims(s["segments"], s["codings"], s["codebook"], coder="ana"))
    s["ana"] = s["codings"][s["codings"]["coder"] == "ana"]
    return s


@pytest.mark.parametrize("target,ttype,route", [
    ("Lung tumour group", "", "clinical_group"), ("County CCG", "", "commissioner"),
    ("Cancer Network Board", "board", "network_board"), ("NHS England", "", "national"),
    ("City Hospital", "", "provider"), ("Rotary club", "", "other"), ("X", "commissioner", "commissioner"),
])
def test_routes(target, ttype, route):
    assert route_of(target, ttype).name == route


def test_connections(study):
    out = connections_analysis(study["connections"], study["claims"]).set_index("target")
    comm = out.loc["County Commissioning Group"]  # a strategic claim of its kind, but none names it
    assert (comm["route"], comm["n_claims_route"], comm["strongest"], bool(comm["ran_through"])) == (
        "commissioner", 1, "", False)
    assert "not credited unless named" in comm["match"]
    board = out.loc["Cancer Network Board"]
    assert board["n_claims_route"] == 1 and board["claim_ids"] == []  # the parking claim is of its kind only
    pct = out.loc["Hillview Primary Care Trust"]
    assert pct["route"] == "commissioner" and pct["n_strategic"] == 0
    uni = out.loc["University of Westshire"]
    assert not uni["ran_through"] and uni["claim_ids"] == [] and uni["strongest"] == ""
    tumour = out.loc["Lung tumour group"]
    assert tumour["n_claims_named"] == 1 and tumour["ran_through"]
    assert "named in the evidence" in tumour["match"]


def test_cross_case_table(study):
    t = cross_case_comparison(study["cases"], study["claims"], study["ana"])
    rows = {(r["attribute"], r["value"]): r for r in t.to_dict("records")}
    yes = rows[("Funded facilitator", "yes")]
    assert (yes["n_cases"], yes["n_strategic_any"], yes["n_strategic_corroborated"]) == (2, 2, 2)
    assert yes["cases_strategic_corroborated"] == ["Lakeside", "Riverside"]
    no = rows[("Funded facilitator", "no")]
    assert (no["n_cases"], no["n_strategic_any"], no["n_strategic_corroborated"]) == (1, 1, 0)
    assert no["cases"] == ["Hillview"] and no["claim_ids"] == []
    assert rows[("Annual budget", "none recorded")]["cases"] == ["Hillview"]
    assert rows[("Annual budget", "£20,000 or more")]["cases"] == ["Lakeside"]
    assert rows[("Maturity (year formed)", "formed in or before 2003")]["cases"] == ["Lakeside", "Riverside"]
    rel = rows[("Open relationships (enabler coded)", "absent")]
    assert rel["cases"] == ["Lakeside"] and rel["n_strategic_corroborated"] == 1
    assert ("Reorganisation (barrier coded)", "present") not in rows  # never coded anywhere
    assert not any("p" == c or "p_value" in c for c in t.columns)


def test_budget_bands():
    assert [budget_band(v) for v in (None, 0, 4999, 5000, 19999.5, 20000, "n/a")] == [
        "none recorded", "none recorded", "under £5,000", "£5,000 to £19,999", "£5,000 to £19,999",
        "£20,000 or more", "none recorded"]


def test_missing_attribute_columns(study):
    t = cross_case_comparison(pd.DataFrame({"case_id": [1], "case": ["Riverside"]}), study["claims"], study["ana"])
    assert set(t["attribute"]) <= {"Open relationships (enabler coded)", "Experiential knowledge valued (enabler coded)",
                                   "Dedicated resources (enabler coded)", "Tokenism (barrier coded)"}


def test_a_connection_is_credited_only_with_claims_that_name_it(study):
    out = connections_analysis(study["connections"], study["claims"])
    for r in out[out["route"] == "provider"].to_dict("records"):
        assert r["n_claims_route"] == 0
    for r in out.to_dict("records"):
        assert len(r["claim_ids"]) == r["n_claims_named"]


def test_two_commissioners_of_one_case_do_not_share_the_same_claims(study):
    """Both PCTs of a case were once credited with the same strategic claims; now each gets only its own."""
    from dataclasses import replace as dc_replace

    claims = list(study["claims"])
    strategic = next(c for c in claims if c.case_name == "Riverside" and c.level == "strategic_commissioning")
    ev = dc_replace(strategic.evidence[0], id=9999, text="North PCT agreed to fund the transport scheme.")
    claims[claims.index(strategic)] = dc_replace(strategic, evidence=[*strategic.evidence, ev])
    conns = pd.DataFrame([{"case_id": 1, "case": "Riverside", "target": t, "target_type": "commissioner",
                           "relationship": "funds services"} for t in ("North PCT", "South PCT")])
    out = connections_analysis(conns, claims).set_index("target")
    assert out.loc["North PCT", "claim_ids"] == [strategic.id]
    assert out.loc["South PCT", "claim_ids"] == [] and out.loc["South PCT", "n_claims_route"] >= 1
