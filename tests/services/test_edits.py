"""Undo is a stack per coder: each undo walks one change further back, other coders' changes stay,
and the trash is bounded (purged entries can no longer be undone)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import voicetrace
from voicetrace.core.errors import InputError, NotFound
from voicetrace.services import edits

from ..web.conftest import build_project, source_named

SKIP = {"events", "trash", "sqlite_sequence"}


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table a change could touch (not the audit log, the trash or the FTS internals)."""
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
                 if r[0] not in SKIP and not r[0].startswith("segments_fts")]
        return {n: sorted(con.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        con.close()


@pytest.fixture
def proj(tmp_path: Path) -> Iterator[voicetrace.Project]:
    p = build_project(tmp_path / "edits.db", tmp_path / "corpus")
    p.add_case("Glanmorfa")
    yield p
    p.close()


def _coding(p: voicetrace.Project, coder: str) -> int:
    src = source_named(p, "minutes")
    seg = p.segments(src.name)[2]
    return p.code(src.name, seg.start, seg.end, "care_environment", coder=coder).id


def test_three_changes_then_three_undos_leave_the_project_as_it_was(proj: voicetrace.Project) -> None:
    cid = _coding(proj, "ann")
    start = snapshot(Path(proj.location))
    hits = len(proj.search("quiet room"))
    minutes = source_named(proj, "minutes").name
    interview = source_named(proj, "interview").name
    proj.edit_source(minutes, case="Glanmorfa", actor="ann")
    proj.edit_source(minutes, kind="report", date="2009-01-02", actor="ann")
    proj.uncode(cid, actor="ann")
    proj.delete_source(interview, actor="ann")
    assert [e["action"] for e in proj.undoable("ann")] == ["delete_source", "uncode", "edit_source", "edit_source"]
    assert "3 earlier changes can still be undone" in proj.undo("ann")
    assert "coding" in proj.undo("ann")
    assert "kind minutes → report" in proj.undo("ann")
    assert source_named(proj, "minutes").case == "Glanmorfa"  # one step at a time, newest first
    assert "can still be undone" not in proj.undo("ann")
    assert snapshot(Path(proj.location)) == start
    assert len(proj.search("quiet room")) == hits
    with pytest.raises(NotFound):
        proj.undo("ann")


def test_undo_takes_only_your_changes_and_puts_back_only_what_you_changed(proj: voicetrace.Project) -> None:
    minutes = source_named(proj, "minutes").name
    proj.edit_source(minutes, kind="report", actor="ann")
    proj.edit_source(minutes, date="2010-05-06", actor="ben")
    proj.undo("ann")
    after = source_named(proj, "minutes")
    assert (after.kind, after.date) == ("minutes", "2010-05-06")  # ben's later date stays
    assert [e["actor"] for e in proj.undoable()] == ["ben"]


def test_an_undo_whose_parent_went_since_is_one_line_and_changes_nothing(proj: voicetrace.Project) -> None:
    cid = _coding(proj, "ann")
    proj.uncode(cid, actor="ann")
    proj.delete_source(source_named(proj, "minutes").name, actor="ben")
    before = snapshot(Path(proj.location))
    with pytest.raises(InputError, match="undo that first"):
        proj.undo("ann")
    assert snapshot(Path(proj.location)) == before and len(proj.undoable("ann")) == 1
    proj.undo("ben")
    proj.undo("ann")  # in the right order both come back
    assert [c.id for c in proj.codings()] == [cid]


def test_an_edit_that_changes_nothing_is_refused(proj: voicetrace.Project) -> None:
    minutes = source_named(proj, "minutes")
    with pytest.raises(InputError, match="nothing to change"):
        proj.edit_source(minutes.name, case=minutes.case, kind=minutes.kind, actor="ann")
    assert not proj.undoable()


def _age_trash(p: voicetrace.Project, days: int) -> None:
    con = sqlite3.connect(p.location)
    con.execute("UPDATE trash SET at = datetime('now', ?) || '+00:00'", (f"-{days} days",))
    con.execute("UPDATE trash SET at = replace(at, ' ', 'T')")
    con.commit()
    con.close()


def test_purge_drops_old_entries_for_good_and_is_audited(proj: voicetrace.Project) -> None:
    minutes = source_named(proj, "minutes").name
    proj.edit_source(minutes, kind="report", actor="ann")
    _age_trash(proj, 10)
    proj.edit_source(minutes, date="2010-05-06", actor="ann")
    assert proj.purge_trash(30, actor="ann") == 0
    assert proj.purge_trash(5, actor="ann") == 1
    assert [e["summary"] for e in proj.undoable()] == [f"source {minutes}: date (none) → 2010-05-06"]
    assert any(e["action"] == "purge_trash" for e in proj.events())
    with pytest.raises(InputError, match="negative"):
        proj.purge_trash(-1)
    assert proj.purge_trash(0) == 1 and not proj.undoable()


def test_entries_past_the_keeping_age_go_when_a_new_one_comes(proj: voicetrace.Project) -> None:
    minutes = source_named(proj, "minutes").name
    proj.edit_source(minutes, kind="report", actor="ann")
    _age_trash(proj, edits.TRASH_KEEP_DAYS + 1)
    assert len(proj.undoable()) == 1  # reading never purges
    proj.edit_source(minutes, date="2010-05-06", actor="ann")
    assert [e["action"] for e in proj.undoable()] == ["edit_source"] and len(proj.undoable()) == 1
