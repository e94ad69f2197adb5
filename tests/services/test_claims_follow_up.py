"""An interview answer to a follow-up question ("And what happened?") joins the change it follows up.

A minutes record of a refused proposal, and an interview in which a carer first describes the proposal
and then, asked "And what happened?", says only that "they turned it down": read on its own the second
answer names no change and would be a claim of its own; read as the follow-up it is, it is the refusal
of the proposal the minutes record. A later answer to a question that opens a new topic stays apart.
"""
from __future__ import annotations

from pathlib import Path

import voicetrace

MINUTES = """Kinloch Partnership Group

Minutes of the meeting held on 21 October 2008

1. Accommodation for island patients

Fiona read the board's reply: the board cannot fund hostel beds for island patients having radiotherapy this year.
"""

INTERVIEW = """Interviewer: Could you tell me about the accommodation paper?

Ishbel: We surveyed thirty-one island patients about hostel beds and what the B and B cost them, and Fiona sent the paper to the health board asking for funded beds.

Interviewer: And what happened?

Ishbel: They turned it down. In the autumn. I cried, actually, at the meeting. It was read out and that was that.

Interviewer: Is there anything else the group has done?

Ishbel: The library. There is an information point in Portmore library now, with leaflets.
"""


def _code(p: voicetrace.Project, source: str, needle: str, codes: list[str]) -> None:
    seg = next(g for g in p.segments(source) if needle in g.text)
    for c in codes:
        p.code(source, seg.start, seg.end, c, coder="ann")


def test_the_answer_to_a_follow_up_question_is_the_change_it_follows_up(tmp_path: Path) -> None:
    (tmp_path / "minutes-2008-10-21.txt").write_text(MINUTES, encoding="utf-8")
    (tmp_path / "interview-19-ishbel.txt").write_text(INTERVIEW, encoding="utf-8")
    p = voicetrace.create(tmp_path / "k.db")
    try:
        p.add_case("Kinloch")
        p.add_participant("Ishbel", "carer", "Kinloch")
        assert p.import_paths(sorted(tmp_path.glob("*.txt")), case="Kinloch").ok
        names = {s.name.rsplit("/", 1)[-1]: s.name for s in p.sources()}
        beds = ["strategic_commissioning", "commissioning", "not_adopted"]
        _code(p, names["minutes-2008-10-21.txt"], "cannot fund hostel beds", beds)
        _code(p, names["interview-19-ishbel.txt"], "surveyed thirty-one", beds)
        _code(p, names["interview-19-ishbel.txt"], "turned it down", beds)
        _code(p, names["interview-19-ishbel.txt"], "Portmore library", ["grassroots_operational",
                                                                        "patient_information"])
        assert p.build_claims() == 2
        claims = p.claims_json()
        refusal = next(c for c in claims if any("turned it down" in e["text"] for e in c["evidence"]))
        assert len(refusal["evidence"]) == 3
        assert any("hostel beds" in e["text"] for e in refusal["evidence"])
        library = next(c for c in claims if c is not refusal)
        assert [e["text"] for e in library["evidence"]] == [
            "The library. There is an information point in Portmore library now, with leaflets."]
    finally:
        p.close()
