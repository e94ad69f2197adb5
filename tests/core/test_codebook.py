import pytest

from voicetrace.core.codebook import Code, Codebook
from voicetrace.storage.codebooks import load_default_codebook


def test_default_codebook_has_the_public_ids_and_dimensions() -> None:
    cb = load_default_codebook()
    assert cb.validate() == []
    for cid, dim in [("grassroots_operational", "level"), ("patient_information", "domain"),
                     ("co_design", "activity"), ("enabler_relationships", "enabler"),
                     ("barrier_tokenism", "barrier"), ("corroborated", "evidence"), ("not_adopted", "status")]:
        assert cb.dimension_of(cid) == dim
    assert {c.id for c in cb.codes_in("level")} == {"grassroots_operational", "organisational_network",
                                                     "strategic_commissioning", "national_policy", "unclear_level"}
    assert len(cb.codes_in("domain")) == 10 and len(cb.codes_in("activity")) == 11
    assert cb.path("care_environment") == "B. Domain of change/care_environment"
    assert "parking" in cb.get("access_to_services").indicators
    assert len(cb.decision_rules) == 9


def test_validate_finds_duplicates_unknown_parents_and_cycles() -> None:
    cb = Codebook("x", "1", [Code("a", "A", parent_id="b"), Code("b", "B", parent_id="a"),
                             Code("c", "C", parent_id="zz")])
    problems = " ".join(cb.validate())
    assert "own ancestor" in problems and "unknown parent" in problems
    with pytest.raises(KeyError):
        cb.get("nope")
