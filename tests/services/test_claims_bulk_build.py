"""A claims build stores its claims and evidence in bulk: what it stores must be what one claim at a time
stored (each passage's text and the segment it overlaps most), merged parts must point at their claim,
and a rebuild must keep a claim's number by the evidence it shares with the claim it was before."""
from __future__ import annotations

import sqlite3

from voicetrace.services.claims import _earlier_number, _earlier_numbers
from voicetrace.storage.segments import span_text_and_segment


def test_earlier_number_is_the_claim_sharing_most_passages_lowest_on_a_tie() -> None:
    a, b, c, d = (1, 0, 5), (1, 5, 9), (2, 0, 4), (3, 1, 2)
    index = _earlier_numbers({7: {a, b}, 3: {b, c}, 9: {c}, 4: {d}})
    assert _earlier_number(index, {a, b}) == 7          # shares two with 7, one with 3
    assert _earlier_number(index, {b, c}) == 3          # two with 3
    assert _earlier_number(index, {b}) == 3             # one with 7 and with 3: the lower number
    assert _earlier_number(index, {c}) == 3             # one with 3 and with 9
    assert _earlier_number(index, {(9, 9, 9)}) is None  # shares nothing
    assert _earlier_number(index, set()) is None


def _coded(project, corpus):
    assert project.import_paths([corpus]).ok
    for s in project.sources():
        for i, g in enumerate(project.segments(s.name)):
            project.code(s.name, g.start, g.end, "care_environment", coder="ana")
            project.code(s.name, g.start, g.end, "grassroots_operational", coder="ana")
            if i % 3 == 0:  # a passage coded over two segments: its evidence overlaps the first most
                project.code(s.name, g.start, min(g.end + 2, s.chars), "access_to_services", coder="ana")
    return project


def test_bulk_stored_evidence_carries_the_text_and_segment_of_its_span(project, corpus) -> None:
    p = _coded(project, corpus)
    assert p.build_claims(by="ana") > 0
    con = sqlite3.connect(p.db.location)
    try:
        rows = con.execute('SELECT source_id, start, "end", text, segment_id FROM claim_evidence').fetchall()
    finally:
        con.close()
    assert rows
    with p.db.read() as conn:
        for source_id, start, end, snippet, segment_id in rows:
            assert (snippet, segment_id) == span_text_and_segment(conn, source_id, start, end)
            assert segment_id is not None


def test_parts_point_at_their_claim_and_rebuilds_keep_numbers(project, corpus) -> None:
    p = _coded(project, corpus)
    p.build_claims(by="ana")
    every = p.claims(include_merged=True)
    active = {c.id: c for c in every if c.merged_into is None}
    for part in (c for c in every if c.merged_into is not None):
        assert part.merged_into in active  # never a dangling or a part-of-a-part id
    numbers = {c.number: {(e.source_id, e.start, e.end) for e in c.evidence} for c in p.claims()}
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    p.build_claims(by="ana")
    again = {c.number: {(e.source_id, e.start, e.end) for e in c.evidence} for c in p.claims()}
    assert again == numbers


def test_a_manual_merge_is_stored_as_one_claim_over_its_parts(project, corpus) -> None:
    p = _coded(project, corpus)
    p.build_claims(by="ana")
    first, second = p.claims()[:2]
    merged = p.merge_claims([first.id, second.id], by="ana")
    assert {(e.source_id, e.start, e.end) for e in merged.evidence} >= {
        (e.source_id, e.start, e.end) for e in first.evidence + second.evidence}
    assert {c.merged_into for c in p.claims(include_merged=True) if c.id in (first.id, second.id)} == {merged.id}
