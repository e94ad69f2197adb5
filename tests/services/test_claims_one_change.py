"""Tried as a new user would: minutes and two interviews describe one change, and one claim comes out.

The corpus is tests/data/respite: a minutes record of a PCT decision ("decided to fund 20 extra respite
nights"), a carer who tells it her own way ("Oh, well, I'd say so, yes. … They funded twenty extra
nights …") and the commissioner who confirms it. Each passage is coded by hand; the claims ledger must
show one claim with all three passages, a headline a board member can read, and the strength the
merged evidence earns. An unrelated request in the same minutes stays a claim of its own.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import voicetrace

DATA = Path(__file__).resolve().parents[1] / "data" / "respite"


def _code(p: voicetrace.Project, source: str, needle: str, codes: list[str]) -> None:
    seg = next(g for g in p.segments(source) if needle in g.text)
    for c in codes:
        p.code(source, seg.start, seg.end, c, coder="ann")


def _project(path: Path, with_record: bool = True) -> voicetrace.Project:
    p = voicetrace.create(path)
    p.add_case("Linden")
    p.add_participant("Joan", "carer", "Linden")
    p.add_participant("Ms Hale", "commissioner", "Linden")
    rep = p.import_paths(sorted(DATA.glob("*.txt")), case="Linden")
    assert rep.ok, rep.failed
    names = {s.name.rsplit("/", 1)[-1]: s.name for s in p.sources()}
    respite_codes = ["strategic_commissioning", "commissioning", "audit_survey_visit"]
    if with_record:
        _code(p, names["minutes-2009-02-10.txt"], "20 extra respite nights", respite_codes)
    _code(p, names["interview-01-joan.txt"], "twenty extra nights", ["unclear_level", "access_to_services"])
    _code(p, names["interview-02-ms-hale.txt"], "twenty additional respite nights", respite_codes)
    _code(p, names["minutes-2009-02-10.txt"], "clearer sign", ["grassroots_operational", "care_environment",
                                                                "proposed"])
    return p


@pytest.fixture
def respite(tmp_path: Path):
    p = _project(tmp_path / "respite.db")
    yield p
    p.close()


def test_three_sources_one_change_one_claim(respite) -> None:
    assert respite.build_claims() == 2
    claims = {c["number"]: c for c in respite.claims_json()}
    assert sorted(claims) == [1, 2]
    respite_claim = next(c for c in claims.values() if "respite" in c["change"])
    assert {e["source"].rsplit("/", 1)[-1] for e in respite_claim["evidence"]} == {
        "minutes-2009-02-10.txt", "interview-01-joan.txt", "interview-02-ms-hale.txt"}
    # the minutes record the PCT's decision, and the commissioner confirms it
    assert respite_claim["evidence_strength"] == "documented"
    assert respite_claim["level"] == "strategic_commissioning"  # the specific level wins over unclear
    sign = next(c for c in claims.values() if c is not respite_claim)
    assert "sign" in sign["change"] and len(sign["evidence"]) == 1


def test_the_headline_states_the_change(respite) -> None:
    respite.build_claims()
    headline = next(c["change"] for c in respite.claims_json() if "respite" in c["change"])
    print(headline)
    assert re.search(r"fund\w* 20 extra respite nights", headline), headline
    assert "Linden House" in headline
    assert not re.match(r"(?i)(oh|well|yes|i'd|ms hale reported)", headline), headline
    assert not headline.endswith(("…", " ")) or headline[-2].isalnum()


def test_without_the_record_the_interviews_still_corroborate(tmp_path: Path) -> None:
    p = _project(tmp_path / "no-record.db", with_record=False)
    p.build_claims()
    claim = next(c for c in p.claims_json() if "respite" in c["change"])
    p.close()
    assert len(claim["evidence"]) == 2
    assert claim["evidence_strength"] == "corroborated"  # a carer and the commissioner: two roles


TWO_ITEMS = """Linden Carers' Partnership Group

Minutes of the meeting held on 10 March 2009 at Linden House

1. Matters arising

Respite leaflet: the new respite leaflet for carers at Linden House was printed and members agreed it is sent to every carer.

Carers' card: Sue reported that the PCT agreed a carers' card for every carer at Linden House, as members agreed.
"""


def test_two_items_of_one_set_of_minutes_are_two_claims(tmp_path: Path) -> None:
    """Minutes items that share the meeting's bookkeeping (agreed, members, carers, Linden House) stay apart."""
    minutes = tmp_path / "minutes-2009-03-10.txt"
    minutes.write_text(TWO_ITEMS, encoding="utf-8")
    p = voicetrace.create(tmp_path / "items.db")
    p.add_case("Linden")
    assert p.import_paths([minutes], case="Linden").ok
    (src,) = [s.name for s in p.sources()]
    codes = ["grassroots_operational", "patient_information"]
    _code(p, src, "respite leaflet", codes)
    _code(p, src, "carers' card", codes)
    assert p.build_claims() == 2
    changes = [c["change"] for c in p.claims_json()]
    p.close()
    assert sum("card" in c for c in changes) == 1 and sum("leaflet" in c for c in changes) == 1
