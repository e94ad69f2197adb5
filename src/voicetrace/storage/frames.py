"""Analysis frames read from SQL with their repeated strings stored once.

A frame of codings repeats the same few strings on every row (a source's name, type and date, the case,
the code, the coder) and a passage's text on every coding of it; pandas keeps a separate string object
per cell, so at 350,000 codings the frame cost more memory than everything a claims build computes
from it. Reading the rows a chunk at a time and sharing one object per distinct string of a column
changes no value, dtype or order (``read_frame`` builds the frame as ``pd.read_sql_query`` does).
"""
from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Connection, TextClause

CHUNK_ROWS = 20_000


def read_frame(conn: Connection, sql: TextClause, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """What ``pd.read_sql_query(sql, conn, params=params)`` gives, with each column's equal strings one
    object: the rows are fetched a chunk at a time, so the repeats are never all alive at once."""
    result = conn.execute(sql, params or {})
    columns = list(result.keys())
    seen: list[dict[str, str]] = [{} for _ in columns]
    rows: list[tuple[Any, ...]] = []
    for part in result.partitions(CHUNK_ROWS):
        rows.extend(tuple(s.setdefault(v, v) if type(v) is str else v for s, v in zip(seen, row))
                    for row in part)
    if not rows:  # what read_sql_query makes of no rows
        return pd.DataFrame(columns=columns)
    # pandas' own reading of a result set: object arrays per column, numbers coerced to float where needed
    return pd.DataFrame.from_records(rows, columns=columns, coerce_float=True)
