"""What every request handler needs: the open project, the page renderer, the segment index."""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from ..services.project import Project
from .rendering import Pages
from .security import Secrets
from .selection import SegmentIndex


@dataclass
class WebContext:
    project: Project
    pages: Pages
    segments: SegmentIndex
    secrets: Secrets
    coder: str

    def has(self, method: str) -> bool:
        """Whether the service layer offers ``method`` yet (pages degrade to "not available yet")."""
        return callable(getattr(self.project, method, None))


def web(request: Request) -> WebContext:
    return request.app.state.web  # type: ignore[no-any-return]
