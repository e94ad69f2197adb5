"""What every request handler needs: the open project, the page renderer, the segment index."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from annotated_types import Ge, Le
from fastapi import Form, Request

from ..services.project import Project
from .rendering import Pages
from .security import Secrets
from .selection import SegmentIndex

INT64_MAX = 2**63 - 1  # SQLite's INTEGER: a larger number is no id, and must be a 422, not a crash

Id = Annotated[int, Ge(1), Le(INT64_MAX)]
Offset = Annotated[int, Ge(0), Le(INT64_MAX)]
FormOffset = Annotated[int, Form(ge=0, le=INT64_MAX)]


@dataclass
class WebContext:
    project: Project
    pages: Pages
    segments: SegmentIndex
    secrets: Secrets
    coder: str

    def set_coder(self, name: str) -> str:
        """Change the name recorded on codings, decisions and memos from now on; remembered by the project."""
        clean = self.project.set_coder(name)
        self.coder = clean
        self.pages.coder = clean
        return clean

    def has(self, method: str) -> bool:
        """Whether the service layer offers ``method`` yet (pages degrade to "not available yet")."""
        return callable(getattr(self.project, method, None))


def web(request: Request) -> WebContext:
    return request.app.state.web
