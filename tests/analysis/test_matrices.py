"""Framework matrix, co-occurrence and enablers/barriers on the fixture study."""
from __future__ import annotations

import pytest

from voicetrace.analysis.matrices import (
    co_occurrence,
    co_occurrence_pairs,
    enablers_barriers,
    framework_matrix,
)


@pytest.fixture(scope="module")
def ana(study):
    c = study["codings"]
    return c[c["coder"] == "ana"]


def _cell(matrix, case, code):
    row = matrix[(matrix["case"] == case) & (matrix["code"] == code)]
    assert len(row) == 1
    return row.iloc[0]


def test_matrix_has_every_case_code_cell(study, ana):
    m = framework_matrix(ana, study["segments"], codes=["patient_information", "care_environment"])
    assert len(m) == 3 * 2
    empty = _cell(m, "Riverside", "care_environment")
    assert (empty["count"], empty["n_sources"], empty["exemplars"], empty["coding_ids"]) == (0, 0, [], [])


def test_matrix_counts_sources_participants_roles(study, ana):
    m = framework_matrix(ana, study["segments"])
    leaflet = _cell(m, "Riverside", "patient_information")
    assert (leaflet["count"], leaflet["n_sources"], leaflet["n_participants"]) == (2, 2, 1)
    assert leaflet["roles"] == ["service_user"]
    tokenism = _cell(m, "Hillview", "barrier_tokenism")
    assert (tokenism["count"], tokenism["n_participants"]) == (2, 2)
    assert tokenism["roles"] == ["professional", "service_user"]
    assert len(tokenism["coding_ids"]) == 2


def test_exemplars_show_pseudonym_and_role_only(study, ana):
    m = framework_matrix(ana, study["segments"])
    quotes = [q for qs in m["exemplars"] for q in qs]
    assert quotes and all(set(q) == {"coding_id", "text", "source", "pseudonym", "role"} for q in quotes)
    assert {"Rose", "Ash"} <= {q["pseudonym"] for q in quotes}
    assert "Mary Jones" not in str(m.to_dict())


def test_exemplars_limited_and_diverse(study):
    all_coders = study["codings"]
    m = framework_matrix(all_coders, study["segments"], codes=["grassroots_operational"])
    cell = _cell(m, "Riverside", "grassroots_operational")
    assert cell["count"] == 3 and len(cell["exemplars"]) <= 3
    assert len({q["source"] for q in cell["exemplars"][:2]}) == 2


def test_summaries_land_in_their_cell(study, ana):
    m = framework_matrix(ana, study["segments"], summaries={("Hillview", "barrier_tokenism"): "Felt decided."})
    assert _cell(m, "Hillview", "barrier_tokenism")["summary"] == "Felt decided."
    assert _cell(m, "Riverside", "barrier_tokenism")["summary"] == ""


def test_co_occurrence_segment(ana):
    t = co_occurrence(ana)
    assert t.loc["barrier_tokenism", "enabler_relationships"] == 1
    assert t.loc["enabler_relationships", "barrier_tokenism"] == 1
    assert t.loc["barrier_tokenism", "barrier_tokenism"] == 2
    assert t.loc["grassroots_operational", "patient_information"] == 2
    assert t.loc["patient_information", "care_environment"] == 0


def test_co_occurrence_by_case_and_pairs(ana):
    by_case = co_occurrence(ana, unit="case")
    assert by_case.loc["barrier_tokenism", "enabler_relationships"] == 1  # Hillview only
    assert by_case.loc["enabler_relationships", "enabler_relationships"] == 2
    pairs = co_occurrence_pairs(ana)
    row = pairs[(pairs["code_a"] == "barrier_tokenism") & (pairs["code_b"] == "enabler_relationships")].iloc[0]
    assert row["n"] == 1 and len(row["coding_ids"]) == 2
    with pytest.raises(ValueError):
        co_occurrence(ana, unit="paragraph")


def test_enablers_barriers(study, ana):
    eb = enablers_barriers(ana, study["segments"])
    assert set(eb["dimension"]) == {"enabler", "barrier"}
    codes = list(dict.fromkeys(eb["code"]))
    assert codes[0].startswith("enabler_") and codes[-1].startswith("barrier_")
    rel = eb[eb["code"] == "enabler_relationships"].set_index("case")["count"].to_dict()
    assert rel == {"Hillview": 1, "Lakeside": 0, "Riverside": 1}
    assert int(eb[eb["code"] == "enabler_dedicated_resources"]["count"].sum()) == 1
