"""A project's title and description: what a report, a board summary or a PPI output is about.

A title is what a reader sees first on every document, so it is checked where it is set (one line,
printable, not too long) rather than wherever it is shown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from .errors import InputError

TITLE_MAX = 200
DESCRIPTION_MAX = 5000


@dataclass(frozen=True)
class ProjectInfo:
    """What a project says about itself; ``title_is_default`` when nobody has set a title yet."""

    title: str
    description: str
    title_is_default: bool
    location: str
    created_at: str | None

    def as_json(self) -> dict[str, object]:
        return {"title": self.title, "description": self.description,
                "title_is_default": self.title_is_default, "location": self.location,
                "created_at": self.created_at}


def default_title(location: str) -> str:
    """A title made from the file name: ``cancer_network-2009.db`` reads "Cancer network 2009".

    Only used until someone sets a title; falls back to the bare file name when nothing readable is left.
    """
    stem = PurePath(location).stem
    words = re.sub(r"[_\-.]+", " ", stem).strip()
    if not words:
        return stem or location
    return words[0].upper() + words[1:]


def clean_title(title: str) -> str:
    """One line of at most TITLE_MAX printable characters, inner whitespace collapsed."""
    clean = " ".join(title.split())
    if not clean:
        raise InputError("title", "a project title cannot be empty")
    if len(clean) > TITLE_MAX:
        raise InputError("title", f"at most {TITLE_MAX} characters (got {len(clean)})")
    if any(not ch.isprintable() for ch in clean):
        raise InputError("title", "only printable characters")
    return clean


def clean_description(description: str) -> str:
    """Paragraphs kept (a description may say what the study asked and who took part); may be empty."""
    text = description.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > DESCRIPTION_MAX:
        raise InputError("description", f"at most {DESCRIPTION_MAX} characters (got {len(text)})")
    if any(not (ch.isprintable() or ch in "\n\t") for ch in text):
        raise InputError("description", "only printable characters")
    return text
