"""Reading analysis frames: missing ids arrive as NaN, None or NA; analyses want a plain value or None."""
from __future__ import annotations

from typing import Any

import pandas as pd


def optional_int(value: Any) -> int | None:
    """Frames carry missing ids as NaN/None/NA; analyses want a plain int or None."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return int(value)


def optional_str(value: Any) -> str | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    s = str(value)
    return s if s != "" else None
