"""A group's written response makes its recommendations one by one; the ledger shows it as one claim.

The response's recommendations are each about something else (carers, travel): their words alone would
make two claims, and neither names the consultation. The document's title does, and the minutes
record of sending the response names it too, so all three passages are one claim.
"""
from __future__ import annotations

from pathlib import Path

import voicetrace

RESPONSE = """Response to the Regional Cancer Plan consultation

From: Linden Cancer Partnership Group

1. Carers

Carers are largely invisible in cancer services and are rarely told about assessments. We recommend that every carer is offered an assessment of their own needs.

2. Getting to treatment

Travel and parking costs are a hidden cost of treatment at the Linden unit. We recommend free parking for patients having regular radiotherapy.
"""

MINUTES = """Linden Cancer Partnership Group, minutes of 10 February 2009

1. Regional Cancer Plan consultation

Helen reported that the group's response to the Regional Cancer Plan consultation was sent on 2 February.
"""


def test_a_response_s_recommendations_and_the_record_of_it_are_one_claim(tmp_path: Path) -> None:
    (tmp_path / "response.txt").write_text(RESPONSE, encoding="utf-8")
    (tmp_path / "minutes.txt").write_text(MINUTES, encoding="utf-8")
    p = voicetrace.create(tmp_path / "p.db")
    try:
        p.add_case("Linden")
        assert p.import_paths([tmp_path / "response.txt"], case="Linden", kind="strategy").ok
        assert p.import_paths([tmp_path / "minutes.txt"], case="Linden", kind="minutes").ok
        names = {s.name.rsplit("/", 1)[-1]: s.name for s in p.sources()}
        for source, needle in (("minutes.txt", "response to the Regional"), ("response.txt", "every carer"),
                               ("response.txt", "free parking")):
            seg = next(g for g in p.segments(names[source]) if needle in g.text)
            p.code(names[source], seg.start, seg.end, "strategic_commissioning", coder="ann")
        assert p.build_claims() == 1
        (claim,) = p.claims_json()
        assert len(claim["evidence"]) == 3
    finally:
        p.close()
