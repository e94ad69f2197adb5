"""An exchanged QDA project as plain data, independent of the voicetrace database.

Readers fill these from REFI-QDA files and writers serialise them; the services layer maps them
to and from storage. Keeping this model separate lets import quirks (vendor offsets, odd GUIDs,
line endings) be settled here, once, before anything touches the database.

Conventions after :func:`voicetrace.exchange.read_qdpx`:

* every GUID is canonical: lowercase ``8-4-4-4-12`` hex, no braces (see ``QdaProject.guid_aliases``);
* every text is LF-only, without BOM; every selection's ``start``/``end`` are Unicode code-point
  offsets into its source's ``text`` (end exclusive) and ``text[start:end] == selection.text``;
* every GUID referenced (codes, users, notes, sources, variables) exists in the project.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

VariableValue = str | bool | int | float | date | datetime
VariableType = Literal["Text", "Boolean", "Integer", "Float", "Date", "DateTime"]
SourceKind = Literal["text", "pdf", "picture", "audio", "video"]

VARIABLE_TYPES: tuple[str, ...] = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")


@dataclass
class QdaUser:
    guid: str
    name: str = ""


@dataclass
class QdaCode:
    """A node of the code tree; ``codable=False`` marks a folder that only groups children."""

    guid: str
    name: str
    color: str | None = None
    description: str = ""
    codable: bool = True
    children: list[QdaCode] = field(default_factory=list)

    def walk(self) -> list[QdaCode]:
        """This code and all descendants, depth first, parents before children."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class QdaVariable:
    guid: str
    name: str
    type: VariableType = "Text"
    description: str = ""


@dataclass
class QdaCase:
    guid: str
    name: str = ""
    description: str = ""
    variable_values: dict[str, VariableValue] = field(default_factory=dict)
    source_guids: list[str] = field(default_factory=list)


@dataclass
class QdaCoding:
    guid: str
    code_guid: str
    user_guid: str | None = None
    created: datetime | None = None


@dataclass
class QdaSelection:
    """A span of a source's text: ``start``/``end`` are code points, end exclusive."""

    guid: str
    start: int
    end: int
    text: str = ""
    codings: list[QdaCoding] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)
    description: str = ""
    name: str = ""
    creating_user: str | None = None
    created: datetime | None = None


@dataclass
class QdaSource:
    guid: str
    name: str
    kind: SourceKind = "text"
    text: str | None = None
    description: str = ""
    creating_user: str | None = None
    created: datetime | None = None
    modifying_user: str | None = None
    modified: datetime | None = None
    variable_values: dict[str, VariableValue] = field(default_factory=dict)
    selections: list[QdaSelection] = field(default_factory=list)


@dataclass
class QdaNote:
    """A memo. ``targets`` are the GUIDs it is attached to; empty means a project-level memo."""

    guid: str
    name: str = ""
    text: str = ""
    author: str | None = None
    created: datetime | None = None
    targets: list[str] = field(default_factory=list)


@dataclass
class QdaSet:
    guid: str
    name: str
    description: str = ""
    member_codes: list[str] = field(default_factory=list)
    member_sources: list[str] = field(default_factory=list)
    member_notes: list[str] = field(default_factory=list)


@dataclass
class QdaProject:
    """A whole exchanged project plus what the reader had to leave out and why."""

    name: str
    origin: str = ""
    description: str = ""
    users: list[QdaUser] = field(default_factory=list)
    codes: list[QdaCode] = field(default_factory=list)
    variables: list[QdaVariable] = field(default_factory=list)
    cases: list[QdaCase] = field(default_factory=list)
    sources: list[QdaSource] = field(default_factory=list)
    notes: list[QdaNote] = field(default_factory=list)
    sets: list[QdaSet] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    guid_aliases: dict[str, str] = field(default_factory=dict)

    def all_codes(self) -> list[QdaCode]:
        return [c for root in self.codes for c in root.walk()]

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count
