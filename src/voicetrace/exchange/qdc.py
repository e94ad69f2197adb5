"""REFI-QDA codebook exchange (.qdc): a code tree and code sets, nothing else.

Read leniently (NVivo for Mac writes ``codebook:1:0``, ATLAS.ti ``codebook:0:4``, hand-made files
none); written strictly in ``urn:QDA-XML:codebook:1.0`` and checked against the packaged schema.
"""
from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from voicetrace.core.errors import InputError
from voicetrace.exchange.qda_model import QdaCode, QdaSet
from voicetrace.exchange.qda_xml import (
    CODEBOOK_NS,
    GuidBook,
    build_code,
    child,
    element_maker,
    is_qda_namespace,
    local,
    namespace,
    parse_xml,
    read_codes,
    read_sets,
    text_element,
    xml_safe,
)

MAX_QDC_BYTES = 64 * 1024 * 1024


def read_qdc(path: Path) -> tuple[list[QdaCode], list[QdaSet]]:
    """Codes (nested) and sets from a .qdc; ``InputError`` when the file is not a codebook."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_QDC_BYTES + 1)
    except OSError as exc:
        raise InputError(path.name, f"cannot read file ({exc.strerror or exc})") from None
    if len(data) > MAX_QDC_BYTES:
        raise InputError(path.name, f"codebook is larger than {MAX_QDC_BYTES} bytes")
    root = parse_xml(data, path.name)
    if local(root) == "Project":  # a .qde handed in as a codebook: take its CodeBook
        found = child(root, "CodeBook")
        if found is None:
            raise InputError(path.name, "project file has no CodeBook")
        root = found
    if local(root) != "CodeBook" or not is_qda_namespace(namespace(root)):
        raise InputError(path.name, f"not a REFI-QDA codebook (root element <{local(root)}>)")
    guids = GuidBook()
    codes_el = child(root, "Codes")
    codes = read_codes(codes_el, guids) if codes_el is not None else []
    sets_el = child(root, "Sets")
    sets = read_sets(sets_el, guids) if sets_el is not None else []
    known = {c.guid for top in codes for c in top.walk()}
    for s in sets:
        s.member_codes = [g for g in s.member_codes if g in known]
    return codes, sets


SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "refi"


@lru_cache(maxsize=1)
def _codebook_schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMA_DIR / "Codebook.xsd"))


def validate_qdc(xml_bytes: bytes) -> list[str]:
    try:
        root = parse_xml(xml_bytes, "codebook.qdc")
    except InputError as exc:
        return [exc.reason]
    return [f"{e.path}: {e.reason}" for e in _codebook_schema().iter_errors(etree.ElementTree(root))]


def build_qdc(codes: list[QdaCode], origin: str, sets: list[QdaSet] | None = None) -> bytes:
    make = element_maker(CODEBOOK_NS)
    root = make("CodeBook", {"origin": xml_safe(origin)})
    codes_el = make("Codes", {})
    for code in codes:
        codes_el.append(build_code(make, code, None))
    root.append(codes_el)
    if sets:
        sets_el = make("Sets", {})
        for s in sets:
            el = make("Set", {"guid": s.guid, "name": xml_safe(s.name)})
            if s.description:
                el.append(text_element(make, "Description", s.description))
            for g in s.member_codes:
                el.append(make("MemberCode", {"guid": g}))
            sets_el.append(el)
        root.append(sets_el)
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_qdc(codes: list[QdaCode], path: Path, origin: str = "voicetrace", sets: list[QdaSet] | None = None) -> None:
    """Write a schema-valid .qdc atomically; ``ValueError`` if the codes cannot be expressed
    (e.g. an empty code list: the schema requires at least one code)."""
    path = Path(path)
    data = build_qdc(codes, origin, sets)
    problems = validate_qdc(data)
    if problems:
        raise ValueError("codebook would not be valid REFI-QDA: " + "; ".join(problems[:5]))
    fd, tmp = tempfile.mkstemp(prefix=".voicetrace-", suffix=".qdc.tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
