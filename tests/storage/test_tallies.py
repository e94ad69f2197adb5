"""The counts migration 12's triggers keep agree with counting the codings afresh, after every kind of write."""
from __future__ import annotations

import random
import sqlite3

import pytest

TRUTH = {
    "cells": "SELECT COALESCE(s.case_id, 0), k.code_id, count(*) FROM codings k JOIN sources s ON s.id = k.source_id "
             "GROUP BY 1, 2 ORDER BY 1, 2",
    "sources": "SELECT source_id, count(*), count(DISTINCT segment_id) FROM codings GROUP BY 1 ORDER BY 1",
    "segments": "SELECT source_id, segment_id, count(*) FROM codings WHERE segment_id IS NOT NULL "
                "GROUP BY 1, 2 ORDER BY 1, 2",
}
KEPT = {
    "cells": "SELECT case_key, code_id, n FROM coding_cells ORDER BY 1, 2",
    "sources": "SELECT source_id, codings, coded_segments FROM source_tally ORDER BY 1",
    "segments": "SELECT source_id, segment_id, n FROM segment_tally ORDER BY 1, 2",
}


def _agree(project) -> None:
    con = sqlite3.connect(project.db.location)
    try:
        for name, sql in TRUTH.items():
            assert con.execute(KEPT[name]).fetchall() == con.execute(sql).fetchall(), name
    finally:
        con.close()


@pytest.fixture
def imported(project, corpus):
    project.import_paths([corpus])
    return project


def test_tallies_follow_coding_uncoding_moves_deletes_and_undo(imported) -> None:
    p = imported
    rng = random.Random(7)
    codes = ["care_environment", "access_to_services", "grassroots_operational", "organisational_network", "policy"]
    made = []
    for src in p.sources():
        for g in p.segments(src.name):
            for code in rng.sample(codes, rng.randint(0, 3)):
                made.append(p.code(src.name, g.start, g.end, code, coder=rng.choice(["ana", "ben"])).id)
    source = p.sources()[0].name
    p.code(source, 0, 4, "care_environment", coder="ana")  # a span of no segment of its own, or part of one
    _agree(p)
    for cid in rng.sample(made, len(made) // 3):
        p.uncode(cid, "ana")
    _agree(p)
    p.edit_source(source, case="Glanmorfa", create_case=True, actor="ana")  # its counts move with it
    _agree(p)
    before = p.coding_count()
    p.delete_source(source, actor="ana")
    _agree(p)
    assert p.coding_count() < before
    p.undo("ana")
    _agree(p)
    assert p.coding_count() == before


def test_tallies_follow_writes_that_bypass_the_services(imported) -> None:
    p = imported
    for src in p.sources():
        for g in p.segments(src.name)[:4]:
            p.code(src.name, g.start, g.end, "care_environment", coder="ana")
            p.code(src.name, g.start, g.end, "grassroots_operational", coder="ana")
    p.close()
    con = sqlite3.connect(p.db.location)
    con.execute("PRAGMA foreign_keys = ON")
    with con:
        con.execute("UPDATE codings SET code_id = 'organisational_network' WHERE id = (SELECT min(id) FROM codings)")
        con.execute("DELETE FROM segments WHERE id = (SELECT max(segment_id) FROM codings)")  # codings lose it
        con.execute("DELETE FROM cases WHERE name = 'Northvale'")  # its sources lose their case
    _agree(p)
    with con:
        con.execute("DELETE FROM codings WHERE id % 2 = 0")
        con.execute("DELETE FROM sources WHERE id = (SELECT min(id) FROM sources)")
    con.close()
    _agree(p)


def test_heat_scale_and_progress_read_the_tallies(imported) -> None:
    p = imported
    src = p.sources()[0]
    for g in p.segments(src.name)[:3]:
        p.code(src.name, g.start, g.end, "care_environment", coder="ana")
    g = p.segments(src.name)[0]
    p.code(src.name, g.start, g.end, "access_to_services", coder="ben")
    assert p.matrix_top(["care_environment", "access_to_services"]) == 3
    assert p.coding_progress([src.id]) == {src.id: (4, 3)}
    progress = p.case_progress()
    assert sum(row["codings"] for row in progress.values()) == 4
    assert sum(row["coded_segments"] for row in progress.values()) == 3
