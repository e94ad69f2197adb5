from __future__ import annotations

from voicetrace.analysis.autocoding.defaults import codebook_from_mapping
from voicetrace.analysis.autocoding.lexicon import LexiconSuggester, fold, stem, tokens
from voicetrace.analysis.autocoding.predictions import CodeSpace


def test_stemming_is_tolerant_of_inflection() -> None:
    assert stem("revised") == stem("revise") == stem("revising")
    assert stem("leaflets") == stem("leaflet")
    assert stem("lobbied") == stem("lobby")
    assert stem("commissioned") == stem("commissioning")


def test_fold_keeps_offsets_and_straightens_quotes() -> None:
    text = "“Décor” – they’re"
    assert len(fold(text)) == len(text)
    assert fold(text).startswith('"decor"')
    toks = tokens(text)
    assert text[toks[0].start:toks[0].end] == "Décor"


def test_indicator_matches_with_inflection_and_reports_the_phrase(space: CodeSpace) -> None:
    lex = LexiconSuggester(space)
    [pred] = lex.predict(["The leaflets were revised after the panel’s comments."])
    assert pred.top("domain") == "patient_information"
    assert "leaflet" in pred.reasons["patient_information"].lower()


def test_non_claim_is_unlikely(space: CodeSpace) -> None:
    lex = LexiconSuggester(space)
    claim, non = lex.predict([
        "Following our campaign, free parking was introduced for patients on chemotherapy.",
        "The group meets monthly; new members are welcome. Please email us to join.",
    ])
    assert claim.is_claim > 0.5 > non.is_claim
    sugg = lex.suggest(["The group meets monthly; new members are welcome. Please email us to join."])[0]
    assert not [s for s in sugg if s.dimension in ("level", "domain", "activity")]


def test_no_match_falls_to_residual(space: CodeSpace) -> None:
    [pred] = LexiconSuggester(space).predict(["Xyzzy plugh."])
    assert pred.top("domain") == "other_domain"
    assert pred.top("level") == "unclear_level"


def test_codes_without_definitions_use_labels() -> None:
    cb = codebook_from_mapping({"codes": [
        {"id": "domain", "label": "Domain", "codable": False, "dimension": "domain"},
        {"id": "parking", "label": "Parking", "parent": "domain"},
        {"id": "food", "label": "Hospital food", "parent": "domain"},
    ]})
    [pred] = LexiconSuggester(CodeSpace(cb)).predict(["Parking is now free."])
    assert pred.top("domain") == "parking"
