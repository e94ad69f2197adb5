"""Roles of people using a project (not of participants): what each may do."""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    CODER = "coder"
    REVIEWER = "reviewer"
    VIEWER = "viewer"

    def can_edit_codebook(self) -> bool:
        return self is Role.ADMIN

    def can_code(self) -> bool:
        return self in (Role.ADMIN, Role.CODER)

    def can_review_suggestions(self) -> bool:
        return self in (Role.ADMIN, Role.CODER, Role.REVIEWER)

    def can_import(self) -> bool:
        return self is Role.ADMIN

    def can_read(self) -> bool:
        return True
