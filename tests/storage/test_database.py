import sqlite3
from pathlib import Path

import pytest

import voicetrace
from voicetrace.storage.migrations import LATEST


def test_new_project_is_wal_with_foreign_keys_and_latest_schema(tmp_path: Path) -> None:
    p = voicetrace.create(tmp_path / "a.db")
    p.close()
    con = sqlite3.connect(tmp_path / "a.db")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == LATEST
    con.close()
    p = voicetrace.open(tmp_path / "a.db")
    with p.db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    p.close()


def test_refuses_a_project_from_a_newer_voicetrace(tmp_path: Path) -> None:
    voicetrace.create(tmp_path / "a.db").close()
    con = sqlite3.connect(tmp_path / "a.db")
    con.execute(f"PRAGMA user_version = {LATEST + 5}")
    con.commit()
    con.close()
    with pytest.raises(voicetrace.InputError, match="newer"):
        voicetrace.open(tmp_path / "a.db")


@pytest.mark.parametrize("content", [b"", b"hello, not a database", None])
def test_refuses_files_that_are_not_projects(tmp_path: Path, content: bytes | None) -> None:
    f = tmp_path / "x.db"
    if content is None:
        con = sqlite3.connect(f)
        con.execute("create table t(x)")
        con.commit()
        con.close()
    else:
        f.write_bytes(content)
    before = f.read_bytes()
    with pytest.raises(voicetrace.InputError, match="x.db"):
        voicetrace.open(f)
    assert f.read_bytes() == before


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    voicetrace.create(tmp_path / "a.db").close()
    with pytest.raises(voicetrace.InputError, match="already exists"):
        voicetrace.create(tmp_path / "a.db")


def test_missing_project_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(voicetrace.InputError, match="no such project"):
        voicetrace.open(tmp_path / "nope.db")


def test_a_v1_project_is_upgraded_with_the_impact_log_tables(tmp_path: Path) -> None:
    voicetrace.create(tmp_path / "old.db").close()
    con = sqlite3.connect(tmp_path / "old.db")
    for t in ("impact_evidence", "impact_steps", "impact_claims", "impact_entries"):
        con.execute(f"DROP TABLE {t}")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    p = voicetrace.open(tmp_path / "old.db")
    e = p.add_impact("Longer clinic opening hours", asked_on="2008-01-10")
    assert e.due == "2008-02-09" and p.impact_json()[0]["status"] == "asked"
    p.close()
    con = sqlite3.connect(tmp_path / "old.db")
    assert con.execute("PRAGMA user_version").fetchone()[0] >= 2
    con.close()
