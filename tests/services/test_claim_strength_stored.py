"""The evidence strength stored with each claim (what the ledger's strength filter reads in SQL) equals
the strength the rules compute from the evidence, after every kind of change to the evidence."""
from __future__ import annotations

import sqlite3

import pytest

DECISION = "Item 4. The board agreed to keep the quiet room open in the evenings.\n\nAny other business.\n"


def stored(p) -> dict[int, str | None]:
    con = sqlite3.connect(p.db.location)
    try:
        return dict(con.execute("SELECT id, strength FROM claims WHERE merged_into IS NULL ORDER BY id").fetchall())
    finally:
        con.close()


def computed(p) -> dict[int, str]:
    return {c.id: p.claim_strength(c)[0] for c in p.claims()}


def filtered(p, strength: str) -> list[int]:
    return [c.id for c in p.claims_page(strength=strength, limit=10_000).claims]


def assert_consistent(p) -> None:
    assert stored(p) == computed(p)


@pytest.fixture
def rated(project, corpus):
    p = project
    (corpus / "northvale" / "minutes-2008-05-01.txt").write_text(DECISION, encoding="utf-8")
    with (corpus / "sources.csv").open("a", encoding="utf-8") as f:
        f.write("northvale/minutes-2008-05-01.txt,Northvale,minutes,2008-05-01,May minutes\n")
    assert p.import_paths([corpus]).ok
    for s in p.sources():
        for i, g in enumerate(p.segments(s.name)):
            p.code(s.name, g.start, g.end, "care_environment", coder="ana")
            p.code(s.name, g.start, g.end, "grassroots_operational", coder="ana")
            if i % 2:
                p.code(s.name, g.start, g.end, "access_to_services", coder="ana")
    p.build_claims(by="ana")
    return p


def test_build_and_rebuild_store_the_computed_strength(rated) -> None:
    assert_consistent(rated)
    assert "documented" in computed(rated).values()  # the decision in the minutes
    rated.build_claims(by="ana")
    assert_consistent(rated)


def test_evidence_edits_merge_and_split_store_the_computed_strength(rated) -> None:
    documented = next(c for c in rated.claims() if rated.claim_strength(c)[0] == "documented")
    other = next(c for c in rated.claims() if c.id != documented.id and c.case_name == documented.case_name)
    e = next(x for x in documented.evidence if "agreed" in x.text)
    for x in documented.evidence:
        rated.set_stance(x.id, "contradicts", by="ana")
    assert_consistent(rated)
    assert stored(rated)[documented.id] == "claimed"  # no supporting evidence left
    for x in documented.evidence:
        rated.set_stance(x.id, "supports", by="ana")
    assert stored(rated)[documented.id] == "documented"
    linked = rated.link_evidence(other.id, e.source_name, e.start, e.end, by="ana")
    assert_consistent(rated)
    assert stored(rated)[other.id] == "documented"
    rated.unlink_evidence(next(x.id for x in linked.evidence if x.start == e.start), by="ana")
    assert_consistent(rated)
    merged = rated.merge_claims([documented.id, other.id], by="ana")
    assert_consistent(rated)
    assert stored(rated)[merged.id] == "documented"
    rated.unmerge_claim(merged.id, by="ana")
    assert_consistent(rated)
    rated.update_claim(other.id, "ana", note="checked")
    rated.add_claim("Northvale", "a change nobody evidenced", "grassroots_operational", "care_environment", by="ana")
    assert_consistent(rated)


def test_changes_outside_the_claims_are_rated_again_before_a_filter(rated) -> None:
    documented = [i for i, s in computed(rated).items() if s == "documented"]
    rated.edit_source("northvale/minutes-2008-05-01.txt", kind="newsletter", actor="ana")  # no longer a formal record
    assert all(stored(rated)[i] is None for i in documented)  # forgotten by the trigger, not left wrong
    assert filtered(rated, "documented") == [i for i, s in computed(rated).items() if s == "documented"]
    assert_consistent(rated)
    assert not set(documented) & set(filtered(rated, "documented"))

    rated.add_participant("Dr Lomax", "service_user", "Northvale", actor="ana")  # a role changed
    for s in ("claimed", "corroborated", "documented"):
        assert filtered(rated, s) == [i for i, v in computed(rated).items() if v == s]
    assert_consistent(rated)

    rated.delete_source("northvale/interview-01-margaret.txt", actor="ana")  # evidence goes by cascade
    filtered(rated, "claimed")
    assert_consistent(rated)
    rated.undo("ana")  # and comes back
    filtered(rated, "claimed")
    assert_consistent(rated)


def test_a_read_only_project_filters_by_strength_it_cannot_store(rated, monkeypatch) -> None:
    import os

    import voicetrace
    from voicetrace.storage import database
    rated.edit_source("northvale/minutes-2008-05-01.txt", kind="newsletter", actor="ana")  # strengths forgotten
    want = {s: [i for i, v in computed(rated).items() if v == s] for s in ("claimed", "corroborated", "documented")}
    path = rated.db.location
    rated.close()
    real = os.access
    monkeypatch.setattr(database.os, "access", lambda p, mode: False if mode == os.W_OK else real(p, mode))
    with voicetrace.open(path) as ro:
        assert ro.db.read_only
        for s, ids in want.items():
            assert filtered(ro, s) == ids
    monkeypatch.undo()
    with voicetrace.open(path) as again:
        assert None in stored(again).values()  # nothing was written
