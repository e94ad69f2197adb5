"""Indexed queries (storage/sources.py, segments.py, codings.py, claims.py) and the migration that adds the foreign-key indexes."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import voicetrace
from voicetrace.storage.claims import claim_rows, delete_unkept_claims, evidence_rows
from voicetrace.storage.codings import coder_counts, coders, coding_progress, coding_rows, count_codings
from voicetrace.storage.migrations import FOREIGN_KEY_INDEXES, LATEST
from voicetrace.storage.segments import segment_by_id, segment_rows
from voicetrace.storage.sources import (
    count_sources,
    source_by_name,
    source_names,
    source_rows,
    sources_by_basename,
)


@pytest.fixture
def coded(project, corpus):
    project.import_paths([corpus])
    minutes = next(s for s in project.sources() if "minutes" in s.name)
    segs = project.segments(minutes.name)
    for g in segs[:3]:
        project.code(minutes.name, g.start, g.end, "care_environment", coder="ana")
    project.code(minutes.name, segs[1].start, segs[1].start + 5, "access_to_services", coder="ben")
    return project, minutes, segs


def test_source_by_name_and_basename(coded):
    p, minutes, segs = coded
    with p.db.read() as conn:
        row = source_by_name(conn, minutes.name)
        assert row is not None and row.id == minutes.id and row.n == len(segs) == minutes.segments
        assert source_by_name(conn, "nope.txt") is None
        base = minutes.name.rsplit("/", 1)[-1]
        assert [r.id for r in sources_by_basename(conn, base)] == ([minutes.id] if "/" in minutes.name else [])
        assert sources_by_basename(conn, base.upper()) == []  # names are case-sensitive
        assert sources_by_basename(conn, "") == []


def test_segment_count_is_max_idx_plus_one_for_every_source(coded):
    p, *_ = coded
    with p.db.read() as conn:
        counts = dict(conn.exec_driver_sql("SELECT source_id, count(*) FROM segments GROUP BY source_id").all())
        assert {r.id: r.n for r in source_rows(conn)} == counts


def test_source_rows_page_and_case_filter(coded):
    p, *_ = coded
    with p.db.read() as conn:
        every = [r.name for r in source_rows(conn)]
        assert [r.name for r in source_rows(conn, offset=1, limit=1)] == every[1:2]
        assert [r.name for r in source_rows(conn, case="Northvale")] == every
        assert source_rows(conn, case="Glanmorfa") == []
        assert count_sources(conn) == len(every) and source_names(conn) == every


def test_segments_by_id_page_and_span(coded):
    p, minutes, segs = coded
    with p.db.read() as conn:
        one = segment_by_id(conn, segs[1].id)
        assert one is not None and (one.source, one.start, one.end) == (minutes.name, segs[1].start, segs[1].end)
        assert segment_by_id(conn, 10**9) is None
        assert [r.id for r in segment_rows(conn, minutes.id, offset=1, limit=2)] == [g.id for g in segs[1:3]]
        span = segment_rows(conn, minutes.id, start=segs[1].start + 1, end=segs[2].start + 1)
        assert [r.id for r in span] == [segs[1].id, segs[2].id]


def test_coding_rows_filters_pages_and_counts(coded):
    p, minutes, segs = coded
    with p.db.read() as conn:
        every = coding_rows(conn)
        assert len(every) == 4 == count_codings(conn)
        assert [r.id for r in coding_rows(conn, offset=1, limit=2)] == [r.id for r in every[1:3]]
        assert {r.coder for r in coding_rows(conn, coder="ben")} == {"ben"}
        assert len(coding_rows(conn, ids=[every[0].id, every[2].id])) == 2
        assert {r.code_id for r in coding_rows(conn, code="access_to_services")} == {"access_to_services"}
        inside = coding_rows(conn, source_id=minutes.id, start=segs[2].start, end=segs[2].end)
        assert [(r.start, r.end) for r in inside] == [(segs[2].start, segs[2].end)]
        assert coder_counts(conn, minutes.id) == {"ana": 3, "ben": 1}
        progress = {r.source_id: (r.codings, r.coded_segments) for r in coding_progress(conn)}
        assert progress == {minutes.id: (4, 3)}
        assert coders(conn) == ["ana", "ben"]


def test_claim_queries_and_set_based_delete(coded):
    p, minutes, segs = coded
    for g in segs[:2]:
        p.code(minutes.name, g.start, g.end, "grassroots_operational", coder="ana")
    assert p.build_claims() >= 1
    manual = p.add_claim("Northvale", "A new parking policy", "strategic_commissioning", "access_to_services")
    with p.db.read() as conn:
        rows = claim_rows(conn)
        assert [r.id for r in claim_rows(conn, [manual.id])] == [manual.id]
        ev = evidence_rows(conn, [rows[0].id])
        assert ev and {e.claim_id for e in ev} == {rows[0].id}
    with p.db.begin() as conn:
        delete_unkept_claims(conn)
    with p.db.read() as conn:
        assert [r.id for r in claim_rows(conn)] == [manual.id]
        left = conn.exec_driver_sql("SELECT count(*) FROM claim_evidence e LEFT JOIN claims c ON c.id = e.claim_id "
                                    "WHERE c.id IS NULL").scalar_one()
        assert left == 0


def _index_names(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    finally:
        con.close()


def test_a_version_1_project_opens_and_gets_the_indexes(tmp_path, corpus):
    path = tmp_path / "old.db"
    with voicetrace.create(path) as p:
        p.import_paths([corpus])
        src = p.sources()[0]
        p.code(src.name, 0, 5, "care_environment", coder="ana")
        before = ([s.as_json() for s in p.sources()], [c.as_json() for c in p.codings()])
    con = sqlite3.connect(path)  # turn it back into the file an older voicetrace wrote
    for name, *_ in FOREIGN_KEY_INDEXES:
        con.execute(f"DROP INDEX {name}")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    assert not _index_names(path) & {n for n, *_ in FOREIGN_KEY_INDEXES}
    with voicetrace.open(path) as p:
        assert ([s.as_json() for s in p.sources()], [c.as_json() for c in p.codings()]) == before
    assert {n for n, *_ in FOREIGN_KEY_INDEXES} <= _index_names(path)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == LATEST
    plan = " ".join(str(r) for r in con.execute("EXPLAIN QUERY PLAN DELETE FROM claim_evidence WHERE claim_id = 1"))
    con.close()
    assert "ix_claim_evidence_claim" in plan


def test_listing_codings_and_counting_the_matrix_need_no_sort_of_every_coding(coded):
    """A page of codings, and a page of the matrix, read indexes in order: no temporary B-tree over
    every coding (that sort was 1.3 s a page at 350,000 codings)."""
    p, *_ = coded
    con = sqlite3.connect(p.db.location)
    try:
        plan = " ".join(str(r) for r in con.execute(
            'EXPLAIN QUERY PLAN SELECT k.id FROM codings k JOIN sources s ON s.id = k.source_id '
            'LEFT JOIN cases c ON c.id = s.case_id ORDER BY s.name, k.start, k."end", k.id LIMIT 10'))
        assert "TEMP B-TREE" not in plan and "ix_codings_source_span" in plan
        plan = " ".join(str(r) for r in con.execute(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM codings WHERE code_id IN ('a', 'b') GROUP BY code_id, source_id"))
        assert "COVERING INDEX ix_codings_code_source" in plan
    finally:
        con.close()
