"""Safe, namespace-tolerant access to QDA-XML documents, shared by the .qdpx and .qdc readers.

Vendors disagree on namespaces (``urn:QDA-XML:project:1.0``, ``codebook:1:0``, ``0:4``, none),
so elements are matched on their local name. Parsing never resolves entities, loads DTDs or
touches the network: documents come from other people's machines.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime

from lxml import etree

from voicetrace.core.errors import InputError
from voicetrace.exchange.guids import normalise_guid
from voicetrace.exchange.qda_model import QdaCode, QdaSet

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_RGB = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
# XML 1.0 forbids most C0 controls even as character references.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def parse_xml(data: bytes, subject: str) -> etree._Element:
    """Parse untrusted XML; refuse entity declarations outright rather than trying to defuse them."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if b"<!ENTITY" in data[: 1024 * 1024].upper().replace(b"\x00", b"") or b"<!ENTITY" in head:
        raise InputError(subject, "XML entity declarations are not allowed")
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(subject, f"malformed XML ({exc})") from None
    doc = root.getroottree().docinfo
    dtd = doc.internalDTD
    if dtd is not None and list(dtd.iterentities()):
        raise InputError(subject, "XML entity declarations are not allowed")
    if doc.system_url:
        raise InputError(subject, "external DTDs are not allowed")
    return root


def local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(el: etree._Element) -> str:
    tag = el.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def is_qda_namespace(ns: str) -> bool:
    return ns == "" or ns.lower().startswith("urn:qda-xml:")


def children(el: etree._Element, name: str) -> Iterator[etree._Element]:
    for child in el:
        if local(child) == name:
            yield child


def child(el: etree._Element, name: str) -> etree._Element | None:
    return next(children(el, name), None)


def child_text(el: etree._Element, name: str) -> str:
    found = child(el, name)
    return (found.text or "") if found is not None else ""


def attr(el: etree._Element, name: str) -> str | None:
    """Attribute by local name, forgiving a namespace prefix some tools add."""
    value = el.get(name)
    if value is not None:
        return value
    for key, val in el.attrib.items():
        if key.rsplit("}", 1)[-1] == name:
            return val
    return None


class GuidBook:
    """Normalises every GUID seen in one document and remembers the original spellings."""

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}

    def __call__(self, raw: str | None) -> str | None:
        if raw is None or not raw.strip():
            return None
        guid = normalise_guid(raw)
        if guid != raw:
            self.aliases[raw] = guid
        return guid


def parse_bool(raw: str | None, default: bool) -> bool:
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    return default


def parse_datetime(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        return None


def parse_date(raw: str) -> date | str:
    try:
        return date.fromisoformat(raw.strip()[:10])
    except ValueError:
        return raw


def clean_color(raw: str | None) -> str | None:
    if raw and _RGB.match(raw.strip()):
        return raw.strip()
    return None


def xml_safe(text: str) -> str:
    """Drop characters XML 1.0 cannot carry at all (names and memos typed in other tools)."""
    return _XML_ILLEGAL.sub("", text)


def read_codes(parent: etree._Element, guids: GuidBook, path: str = "") -> list[QdaCode]:
    """The code tree under a ``Codes`` element (or a ``Code``), nesting preserved."""
    codes = []
    for el in children(parent, "Code"):
        name = attr(el, "name") or ""
        here = f"{path}/{name}"
        guid = guids(attr(el, "guid")) or normalise_guid(f"code-path:{here}")
        codes.append(
            QdaCode(
                guid=guid,
                name=name or "(unnamed code)",
                color=clean_color(attr(el, "color")),
                description=child_text(el, "Description"),
                codable=parse_bool(attr(el, "isCodable"), True),
                children=read_codes(el, guids, here),
            )
        )
    return codes


def _members(el: etree._Element, tag: str, guids: GuidBook) -> list[str]:
    out = []
    for m in children(el, tag):
        g = guids(attr(m, "targetGUID") or attr(m, "guid"))
        if g:
            out.append(g)
    return out


def read_sets(parent: etree._Element, guids: GuidBook) -> list[QdaSet]:
    """Sets in either dialect: project files use ``@targetGUID``, codebooks ``@guid``."""
    sets = []
    for el in children(parent, "Set"):
        sets.append(
            QdaSet(
                guid=guids(attr(el, "guid")) or normalise_guid(f"set:{attr(el, 'name')}"),
                name=attr(el, "name") or "(unnamed set)",
                description=child_text(el, "Description"),
                member_codes=_members(el, "MemberCode", guids),
                member_sources=_members(el, "MemberSource", guids),
                member_notes=_members(el, "MemberNote", guids),
            )
        )
    return sets


def build_code(
    maker: Callable[..., etree._Element], code: QdaCode, note_refs: Callable[[str], list[str]] | None
) -> etree._Element:
    """Serialise one code (and its subtree) in XSD order: Description, NoteRef*, Code*."""
    attrs = {"guid": code.guid, "name": xml_safe(code.name), "isCodable": "true" if code.codable else "false"}
    color = clean_color(code.color)
    if color:
        attrs["color"] = color
    el = maker("Code", attrs)
    if code.description:
        el.append(text_element(maker, "Description", code.description))
    if note_refs is not None:
        for note_guid in note_refs(code.guid):
            el.append(maker("NoteRef", {"targetGUID": note_guid}))
    for sub in code.children:
        el.append(build_code(maker, sub, note_refs))
    return el


def text_element(maker: Callable[..., etree._Element], tag: str, text: str) -> etree._Element:
    el = maker(tag, {})
    el.text = xml_safe(text)
    return el


def element_maker(ns: str) -> Callable[..., etree._Element]:
    def make(tag: str, attrs: dict[str, str]) -> etree._Element:
        return etree.Element(f"{{{ns}}}{tag}", attrs, nsmap={None: ns})

    return make
