"""Ids are never reused: a memo or an audit event about a deleted coding never comes to mean another one,
in new projects and in projects made before AUTOINCREMENT (migration 4 converts them, keeping every row)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import MetaData, create_engine, text

import voicetrace
from voicetrace.storage import tables
from voicetrace.storage.migrations import LATEST

from ..web.conftest import build_project


def _first_coding(p: voicetrace.Project) -> voicetrace.CodingRecord:
    src = next(s for s in p.sources() if "minutes" in s.name)
    seg = p.segments(src.name)[2]
    return p.code(src.name, seg.start, seg.end, "care_environment", coder="ann")


def test_a_deleted_codings_id_is_not_handed_out_again(tmp_path: Path) -> None:
    p = build_project(tmp_path / "a.db", tmp_path / "corpus")
    first = _first_coding(p)
    p.add_memo("coding", first.id, "why I coded this")
    p.uncode(first.id)
    src = next(s for s in p.sources() if "minutes" in s.name)
    seg = p.segments(src.name)[3]
    second = p.code(src.name, seg.start, seg.end, "care_environment", coder="ann")
    assert second.id > first.id
    assert not p.memos("coding", second.id)  # the memo did not reattach
    p.close()


def _default_codebook():  # type: ignore[no-untyped-def]
    from voicetrace.storage.codebooks import load_default_codebook
    return load_default_codebook()


def _make_v1_project(path: Path) -> None:
    """A project as voicetrace wrote it before migration 4: the same tables, without AUTOINCREMENT."""
    old = MetaData()
    for t in tables.metadata.sorted_tables:
        copy = t.to_metadata(old)
        copy.dialect_options["sqlite"]._non_defaults.pop("autoincrement", None)
    eng = create_engine(f"sqlite:///{path}")
    with eng.begin() as conn:
        old.create_all(conn)
        conn.execute(text("CREATE VIRTUAL TABLE segments_fts USING fts5(text, content='segments', "
                          "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"))
        conn.execute(text("INSERT INTO meta(key, value) VALUES ('app', 'voicetrace')"))
        conn.execute(text("PRAGMA user_version = 1"))
    eng.dispose()


def test_an_older_project_is_migrated_keeping_rows_ids_and_links(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "old.db"
    _make_v1_project(db)
    con = sqlite3.connect(db)
    assert "AUTOINCREMENT" not in con.execute("SELECT sql FROM sqlite_master WHERE name='codings'").fetchone()[0]
    con.close()
    # fill it through today's code paths, but against the old tables (migration 4 not yet applied)
    from voicetrace.storage import migrations
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:3])
    monkeypatch.setattr(migrations, "LATEST", 3)
    corpus = tmp_path / "corpus"
    (corpus / "northvale").mkdir(parents=True)
    (corpus / "northvale" / "minutes-1.txt").write_text(
        "Minutes\n\nItem 1. The quiet room was refurbished.\n\nItem 2. Parking charges were dropped.\n", "utf-8")
    p = voicetrace.open(db)
    p.set_codebook(_default_codebook())
    p.import_paths([corpus], case="Northvale")
    src = p.sources()[0]
    segs = p.segments(src.name)
    keep = p.code(src.name, segs[1].start, segs[1].end, "care_environment", coder="ann")
    gone = p.code(src.name, segs[2].start, segs[2].end, "access_to_services", coder="ann")
    p.add_memo("coding", keep.id, "kept")
    p.uncode(gone.id)  # the highest id: SQLite without AUTOINCREMENT would hand it out again
    p.close()
    monkeypatch.undo()

    p = voicetrace.open(db)  # migration 4 runs here
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == LATEST
    for table in migrations.AUTOINCREMENT_TABLES:
        sql = con.execute("SELECT sql FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone()[0]
        assert "AUTOINCREMENT" in sql, table
    assert con.execute("SELECT COUNT(*) FROM sqlite_master WHERE name='ix_codings_source'").fetchone()[0] == 1
    con.close()
    assert [c.id for c in p.codings()] == [keep.id]
    assert p.memos("coding", keep.id)[0].body == "kept"
    again = p.code(src.name, segs[2].start, segs[2].end, "access_to_services", coder="ann")
    assert again.id > gone.id  # the id logged for the deleted coding stays retired
    assert p.search("parking")[0].source == src.name  # the full-text index still points at the segments
    with p.db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert not conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    p.close()
