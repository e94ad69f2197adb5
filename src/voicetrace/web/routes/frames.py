"""DataFrames from the service layer as plain JSON-able records (NaN becomes None)."""
from __future__ import annotations

import math
from typing import Any


def plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        try:
            return plain(value.item())
        except (ValueError, AttributeError):
            pass
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "tolist"):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def records(frame: Any) -> list[dict[str, Any]]:
    return [{str(k): plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
