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

    def set_coder(self, name: str) -> str:
        """Change the name recorded on codings, decisions and memos from now on; remembered by the project."""
        from ..core.errors import InputError
        clean = " ".join(name.split())
        if not clean or len(clean) > 60 or any(not ch.isprintable() for ch in clean):
            raise InputError("coder name", "give 1 to 60 printable characters")
        self.coder = clean
        self.pages.coder = clean
        self.project.set_setting("web_coder", clean, actor=clean)
        return clean

    def has(self, method: str) -> bool:
        """Whether the service layer offers ``method`` yet (pages degrade to "not available yet")."""
        return callable(getattr(self.project, method, None))


def web(request: Request) -> WebContext:
    return request.app.state.web  # type: ignore[no-any-return]
