"""Glue between the CLI and the machine-coding services (filled in as those land)."""
from __future__ import annotations

from typing import Any

from ..services.project import Project


def demo_autocode(p: Project, threshold: float) -> tuple[int, int, dict[str, Any] | None, str]:
    try:
        from ..services.autocode import autocode_project
    except ImportError:
        return 0, 0, None, "machine coder not available"
    return autocode_project(p, accept_threshold=threshold, only_uncoded=True, by="demo")
