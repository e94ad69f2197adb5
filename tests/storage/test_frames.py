"""A frame read with its repeated strings shared is the frame pandas reads: the same values, dtypes, index."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from voicetrace.storage import frames

ROWS = [(1, "Northvale", None, 2.5, None, "same text"), (2, "Northvale", 7, None, None, "same text"),
        (3, "Glanmorfa", 8, 1.0, None, "other"), (4, None, None, 3.0, None, "same text")]


@pytest.fixture
def conn(tmp_path):
    eng = create_engine(f"sqlite:///{tmp_path / 'f.db'}")
    with eng.begin() as c:
        c.exec_driver_sql("CREATE TABLE t (id INTEGER, name TEXT, n INTEGER, x REAL, missing TEXT, body TEXT)")
        c.exec_driver_sql("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", ROWS)
    with eng.connect() as c:
        yield c
    eng.dispose()


@pytest.mark.parametrize("sql", ["SELECT * FROM t ORDER BY id", "SELECT * FROM t WHERE id > 2", "SELECT * FROM t WHERE 0",
                                 "SELECT name, count(*) AS k FROM t GROUP BY name"])
def test_read_frame_is_what_pandas_reads(conn, sql: str, monkeypatch) -> None:
    monkeypatch.setattr(frames, "CHUNK_ROWS", 2)  # rows arrive over several chunks
    ours, theirs = frames.read_frame(conn, text(sql)), pd.read_sql_query(text(sql), conn)
    pd.testing.assert_frame_equal(ours, theirs, check_exact=True)
    assert list(ours.dtypes) == list(theirs.dtypes) and type(ours.index) is type(theirs.index)


def test_equal_strings_of_a_column_are_one_object(conn, monkeypatch) -> None:
    monkeypatch.setattr(frames, "CHUNK_ROWS", 1)
    df = frames.read_frame(conn, text("SELECT * FROM t ORDER BY id"))
    bodies = [b for b in df["body"] if b == "same text"]
    assert len(bodies) == 3 and all(b is bodies[0] for b in bodies)
