"""Claims stored in bulk get the ids AUTOINCREMENT gives one row at a time: never an id used before."""
from __future__ import annotations

from sqlalchemy import create_engine, text

from voicetrace.storage import claims as store


def _row(change: str) -> dict[str, object]:
    return {"case_id": None, "activity": "a", "change": change, "level": "l", "domain": "d", "status": "s",
            "date": None, "origin": "proposed", "edited_by": None, "note": ""}


def test_bulk_ids_follow_the_highest_id_ever_used(project) -> None:
    with project.db.begin() as conn:
        assert store.insert_claims(conn, []) == []
        first = store.insert_claims(conn, [_row("one"), _row("two"), _row("three")])
        conn.execute(text("DELETE FROM claims WHERE id >= :i"), {"i": first[1]})  # the highest ids go
        again = store.insert_claims(conn, [_row("four"), _row("five")])
        stored = dict(conn.execute(text("SELECT id, change FROM claims")).all())
    assert again == [first[2] + 1, first[2] + 2]  # not first[1]: AUTOINCREMENT never reuses an id
    assert stored == {first[0]: "one", again[0]: "four", again[1]: "five"}
    # and one more claim by plain INSERT (no id given) follows them, as SQLite counts
    eng = create_engine(f"sqlite:///{project.db.location}")
    with eng.begin() as c:
        c.exec_driver_sql("INSERT INTO claims(activity, change, level, domain, status, origin, note, created_at, "
                          "updated_at) VALUES ('a', 'six', 'l', 'd', 's', 'proposed', '', 'x', 'x')")
        assert c.exec_driver_sql("SELECT max(id) FROM claims").scalar() == again[1] + 1
    eng.dispose()
