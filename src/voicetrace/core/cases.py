"""Cases (the sampled groups) with typed attributes, their participants and connections."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class ParticipantRole(StrEnum):
    SERVICE_USER = "service_user"
    CARER = "carer"
    PROFESSIONAL = "professional"
    FACILITATOR = "facilitator"
    COMMISSIONER = "commissioner"
    MANAGER = "manager"
    CLINICIAN = "clinician"
    INTERVIEWER = "interviewer"
    OTHER = "other"

    @property
    def is_decision_maker(self) -> bool:
        """Roles whose confirmation of a change counts as corroboration (they decide or deliver)."""
        return self in (ParticipantRole.COMMISSIONER, ParticipantRole.MANAGER, ParticipantRole.CLINICIAN)


def parse_role(value: str) -> ParticipantRole:
    norm = value.strip().lower().replace("-", "_").replace(" ", "_")
    aliases = {"user": "service_user", "patient": "service_user", "network_manager": "manager",
               "doctor": "clinician", "nurse": "clinician", "staff": "professional"}
    norm = aliases.get(norm, norm)
    try:
        return ParticipantRole(norm)
    except ValueError:
        allowed = ", ".join(r.value for r in ParticipantRole)
        raise ValueError(f"unknown role {value!r} (one of: {allowed})") from None


AttributeValue = str | int | float | bool | None


@dataclass
class Case:
    id: int
    name: str
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    description: str = ""


@dataclass
class Participant:
    id: int
    pseudonym: str
    role: ParticipantRole
    case_id: int | None
    consent_date: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class Connection:
    """Who a group reaches outside itself (the study's organisational-connections map)."""

    id: int
    case_id: int
    target: str
    target_type: str
    relationship: str = ""
    strength: str = ""


def coerce_attribute(raw: str) -> AttributeValue:
    """Type a CSV cell: yes/no/true/false → bool, integers, floats, empty → None, else text."""
    s = raw.strip()
    if s == "":
        return None
    low = s.lower()
    if low in ("yes", "true", "y"):
        return True
    if low in ("no", "false", "n"):
        return False
    try:
        return int(s.replace(",", "")) if s.replace(",", "").lstrip("-").isdigit() else float(s)
    except ValueError:
        return s


def short_case_names(names: Sequence[str]) -> dict[str, str]:
    """Case names without the words they share at the end ("Cancer Partnership Group"), so a table
    with a column per case fits a page. A name keeps its first word, and stays whole when shortening
    would make two cases look the same."""
    words = [n.split() for n in names]
    seen_in: dict[str, int] = {}
    for ws in words:
        for w in set(ws[1:]):
            seen_in[w.lower()] = seen_in.get(w.lower(), 0) + 1
    out: dict[str, str] = {}
    for name, ws in zip(names, words):
        keep = list(ws)
        while len(keep) > 1 and seen_in.get(keep[-1].lower(), 0) >= 2:
            keep.pop()
        out[name] = " ".join(keep) if keep else name
    clashes = [n for n, short in out.items() if list(out.values()).count(short) > 1]
    for n in clashes:
        out[n] = n
    return out
