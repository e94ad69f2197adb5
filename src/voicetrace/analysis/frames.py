"""Reading analysis frames: missing ids arrive as NaN, None or NA; analyses want a plain value or None."""
from __future__ import annotations

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
