"""Reads computed by SQLite (matrix counts, progress, claims by id) agree with the full computations."""
from __future__ import annotations

import pytest

from voicetrace.core.errors import NotFound


def _coded(project, corpus):
    project.import_paths([corpus])
    for s in project.sources():
        for i, g in enumerate(project.segments(s.name)):
            project.code(s.name, g.start, g.end, "care_environment" if i % 2 else "access_to_services", coder="ana")
            if i % 3 == 0:
                project.code(s.name, g.start, g.start + 3, "grassroots_operational", coder="ben")
    return project


def test_matrix_counts_match_the_framework_matrix(project, corpus):
    p = _coded(project, corpus)
    p.set_cell_summary("Northvale", "care_environment", "Rooms", by="ana")
    codes = ["care_environment", "access_to_services", "grassroots_operational", "policy"]
    full = {(r["case"], r["code"]): r for r in p.framework_matrix(codes=codes).to_dict("records")}
    fast = {(r["case"], r["code"]): r for r in p.matrix_counts(codes)}
    assert set(fast) == set(full)
    for key, r in full.items():
        f = fast[key]
        assert (f["count"], f["n_sources"], f["n_participants"], f["summary"]) == \
            (r["count"], r["n_sources"], r["n_participants"], r["summary"])
        assert f["roles"] == list(r["roles"])
        cell = p.matrix_cell(key[0], key[1])
        assert (cell or {"count": 0})["count"] == r["count"]
        if cell:
            assert sorted(cell["coding_ids"]) == sorted(r["coding_ids"])


def test_progress_per_source_and_case_is_counted_in_sql(project, corpus):
    p = _coded(project, corpus)
    by_source = p.coding_progress()
    for s in p.sources():
        mine = p.codings(source=s.name)
        assert by_source[s.id] == (len(mine), len({c.segment_id for c in mine}))
    per_case = p.case_progress()
    case_id = next(c.id for c in p.cases() if c.name == "Northvale")
    assert per_case[case_id]["sources"] == len(p.sources(case="Northvale"))
    assert per_case[case_id]["segments"] == sum(s.segments for s in p.sources())
    assert per_case[case_id]["codings"] == p.coding_count() == len(p.codings())


def test_segments_frame_subsets(project, corpus):
    p = _coded(project, corpus)
    every = p.segments_frame()
    first = p.segments_frame(first_per_source=True)
    assert list(first["segment_id"]) == list(every.drop_duplicates("source_id")["segment_id"])
    coded = p.segments_frame(coded_only=True)
    assert set(coded["segment_id"]) == {c.segment_id for c in p.codings()}


def test_claim_by_id_and_a_rebuild_keeps_edited_claims(project, corpus):
    p = _coded(project, corpus)
    assert p.build_claims() > 0
    first = p.claims()[0]
    assert p.claim(first.id) == first
    p.update_claim(first.id, "ana", note="checked")
    n = p.build_claims()
    assert p.claim(first.id).note == "checked"
    assert len(p.claims()) == n + 1
    with pytest.raises(NotFound):
        p.claim(10**9)
