"""Stable REFI-QDA GUIDs derived from our own ids.

Deterministic GUIDs make a re-export of the same project produce the same identifiers, so other
tools can recognise objects across exchanges (ATLAS.ti's fresh GUIDs on every export break that).
"""
from __future__ import annotations

import re
import uuid

# Fixed forever: changing it would change every GUID voicetrace has ever exported.
VOICETRACE_NAMESPACE = uuid.UUID("6f1c2d7e-4b1a-5e8c-9a3d-0c5e7b2f9d41")

_GUID_RE = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")


def guid_for(kind: str, our_id: str | int) -> str:
    """The GUID for object ``our_id`` of type ``kind`` (e.g. "code", "source", "coding")."""
    return str(uuid.uuid5(VOICETRACE_NAMESPACE, f"{kind}:{our_id}"))


def normalise_guid(raw: str) -> str:
    """Canonical lowercase form; a non-conformant id ("c001") maps to a stable derived GUID."""
    value = raw.strip()
    match = _GUID_RE.match(value)
    if match and (value.startswith("{") == value.endswith("}")):
        return match.group(1).lower()
    return guid_for("foreign", value)

