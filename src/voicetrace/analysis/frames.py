"""Reading analysis frames: missing ids arrive as NaN, None or NA; analyses want a plain value or None."""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd


def _missing(value: Any) -> bool:
    """None, NaN or NA; a list or other non-scalar is a value (``pd.isna`` would answer per item)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def optional_int(value: Any) -> int | None:
    """Frames carry missing ids as NaN/None/NA; analyses want a plain int or None."""
    return None if _missing(value) else int(value)


def optional_str(value: Any) -> str | None:
    if _missing(value):
        return None
    s = str(value)
    return s if s != "" else None


def records(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts, like ``frame.to_dict("records")`` (the same plain Python values),
    but a column at a time: pandas' ``to_dict`` boxes every cell on its own, 10 s for the 350,000 codings
    of a 10^6-segment project where this takes one. ``columns`` keeps only those (less memory)."""
    cols = list(frame.columns if columns is None else columns)
    if not cols:
        return [{} for _ in range(len(frame))]
    return [dict(zip(cols, row, strict=True)) for row in zip(*(plain_values(frame[c]) for c in cols), strict=True)]


def plain_values(column: pd.Series) -> list[Any]:
    """A column's values as ``to_dict`` gives them: nullable integer or boolean columns' NA as None."""
    values = column.tolist()
    if column.hasnans and isinstance(column.dtype, pd.api.extensions.ExtensionDtype) \
            and not isinstance(column.dtype, pd.StringDtype):
        return [None if v is pd.NA else v for v in values]
    return values


def column_values(frame: pd.DataFrame, name: str) -> list[Any]:
    """A column's plain values (:func:`plain_values`), or None for every row when the frame lacks it,
    as ``dict.get`` reads a record without the key."""
    return plain_values(frame[name]) if name in frame.columns else [None] * len(frame)


def optional_strs(values: Iterable[Any]) -> list[str | None]:
    """:func:`optional_str` of every value, with the common cases (text, None, NaN) decided without
    pandas: a framework matrix reads three such columns of every coding."""
    out: list[str | None] = []
    for v in values:
        if type(v) is str:
            out.append(v or None)
        elif v is None or (type(v) is float and math.isnan(v)):
            out.append(None)
        else:
            out.append(optional_str(v))
    return out


def optional_ints(values: Iterable[Any]) -> list[int | None]:
    """:func:`optional_int` of every value (ids arrive as int, or as float with NaN for none)."""
    out: list[int | None] = []
    for v in values:
        if type(v) is int:
            out.append(v)
        elif v is None or (type(v) is float and math.isnan(v)):
            out.append(None)
        else:
            out.append(optional_int(v))
    return out
