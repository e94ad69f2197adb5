"""Reading frames a column at a time gives what pandas' own row reading gives."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from voicetrace.analysis.frames import optional_int, optional_ints, optional_str, optional_strs, records


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and (a is b or a == b)


def test_records_match_to_dict_value_for_value():
    frame = pd.DataFrame({
        "id": [1, 2, 3], "text": ["a", None, ""], "score": [1.5, None, 2.0], "ids": [[1], [2, 3], []],
        "n": pd.array([1, None, 3], dtype="Int64"), "flag": pd.array([True, None, False], dtype="boolean"),
        "yes": [True, False, True], "obj": ["x", 2, None], "when": pd.to_datetime(["2008-01-02", None, "2009-03-04"]),
        "big": np.array([2**40, 0, -1], dtype="int64")})
    expected = frame.to_dict("records")
    got = records(frame)
    assert len(got) == len(expected)
    for e, g in zip(expected, got, strict=True):
        assert list(e) == list(g)
        assert all(_same(e[k], g[k]) for k in e), (e, g)
    assert records(frame, ["text", "id"])[0] == {"text": "a", "id": 1}
    assert records(frame.iloc[0:0]) == []


def test_optional_lists_match_the_one_value_readers():
    values = ["a", "", None, float("nan"), pd.NA, pd.NaT, 3, 3.0, np.int64(4), np.float64(float("nan")), True]
    assert optional_strs(values) == [optional_str(v) for v in values]
    ints = [1, None, float("nan"), pd.NA, 2.0, np.int64(5), np.float64(float("nan")), True]
    assert optional_ints(ints) == [optional_int(v) for v in ints]
