"""Builders for .qdpx files shaped like each vendor's exports (written by the tests themselves).

Offsets here are computed independently of voicetrace's own conversion code (plain ``str.find``
and ``encode('utf-16-le')``), so a bug in the importer cannot cancel out in the fixtures.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

NS = "urn:QDA-XML:project:1.0"


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def span_of(haystack: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Code-point span of the nth occurrence of ``needle`` in ``haystack``."""
    pos = -1
    for _ in range(nth + 1):
        pos = haystack.index(needle, pos + 1)
    return pos, pos + len(needle)


def utf16_span(haystack: str, needle: str, nth: int = 0) -> tuple[int, int]:
    a, b = span_of(haystack, needle, nth)
    return utf16_len(haystack[:a]), utf16_len(haystack[:b])


def crlf_as_one_span(raw: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Where ATLAS.ti puts a selection: positions in the text with each CRLF counted once."""
    return span_of(raw.replace("\r\n", "\n"), needle, nth)


def selection(guid: str, start: int, end: int, codes: list[str] = (), description: str | None = None,
              note_refs: list[str] = (), user: str | None = None) -> str:
    user_attr = f' creatingUser="{user}"' if user else ""
    inner = ""
    if description is not None:
        inner += f"<Description>{escape(description)}</Description>"
    for i, code in enumerate(codes):
        inner += (f'<Coding guid="{guid[:-4]}{i:04d}"{user_attr}><CodeRef targetGUID="{code}"/></Coding>')
    for n in note_refs:
        inner += f'<NoteRef targetGUID="{n}"/>'
    return (f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}"{user_attr}>'
            f"{inner}</PlainTextSelection>")


def project_xml(body: str, name: str = "Fixture", origin: str | None = None, ns: str | None = NS,
                extra_attrs: str = "") -> bytes:
    ns_attr = f' xmlns="{ns}"' if ns else ""
    origin_attr = f" origin={quoteattr(origin)}" if origin is not None else ""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<Project{ns_attr} name={quoteattr(name)}{origin_attr}'
            f"{extra_attrs}>{body}</Project>").encode()


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path
