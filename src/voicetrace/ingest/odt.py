"""ODT: paragraphs and headings in reading order, including those inside lists, sections and table
cells. Notes and annotations are skipped (they are not body text). odfpy parses with defusedxml;
we still check the zip and refuse DTDs first, because odfpy reads every member into memory.
"""
from __future__ import annotations

import io

from odf import opendocument
from odf.namespaces import DCNS, OFFICENS, TEXTNS

from ..core.errors import InputError
from ..core.sources import ParsedSource
from .archives import check_xml_parts, open_container
from .blocks import from_blocks

_KIND = "ODT"
_SKIP = {(TEXTNS, "note"), (OFFICENS, "annotation"), (TEXTNS, "tracked-changes"), (TEXTNS, "note-citation")}
_PARA = {(TEXTNS, "p"), (TEXTNS, "h")}


def read_odt(name: str, data: bytes) -> ParsedSource:
    zf = open_container(name, data, _KIND, "content.xml")
    with zf:
        check_xml_parts(name, zf, _KIND)
    try:
        doc = opendocument.load(io.BytesIO(data))
        body = getattr(doc, "text", None)
        if body is None:
            raise InputError(name, "not an ODF text document (no text body)")
        blocks, first_heading = _paragraphs(body)
        title = _meta_title(doc) or first_heading
    except InputError:
        raise
    except Exception as err:  # odfpy raises assorted errors on damaged files
        raise InputError(name, f"corrupt ODT file ({type(err).__name__})") from None
    return from_blocks(blocks, title=title)


def _paragraphs(body: object) -> tuple[list[str], str | None]:
    blocks: list[str] = []
    first_heading: str | None = None
    stack: list[object] = [body]
    while stack:
        node = stack.pop()
        qname = getattr(node, "qname", None)
        if qname in _SKIP:
            continue
        if qname in _PARA:
            text = _inline_text(node)
            blocks.append(text)
            if qname == (TEXTNS, "h") and first_heading is None and text.strip():
                first_heading = text.strip()
            continue  # paragraphs do not nest paragraphs we want separately (frames aside)
        stack.extend(reversed(getattr(node, "childNodes", [])))
    return blocks, first_heading


def _inline_text(para: object) -> str:
    parts: list[str] = []
    stack: list[object] = [para]
    while stack:
        node = stack.pop()
        if getattr(node, "nodeType", None) == node.TEXT_NODE:  # type: ignore[attr-defined]
            parts.append(str(node.data))  # type: ignore[attr-defined]
            continue
        qname = getattr(node, "qname", None)
        if qname in _SKIP:
            continue
        if qname == (TEXTNS, "s"):
            count = node.getAttrNS(TEXTNS, "c")  # type: ignore[attr-defined]
            parts.append(" " * (min(int(count), 1000) if count and str(count).isdigit() else 1))
            continue
        if qname == (TEXTNS, "tab"):
            parts.append("\t")
            continue
        if qname == (TEXTNS, "line-break"):
            parts.append("\n")
            continue
        stack.extend(reversed(getattr(node, "childNodes", [])))
    return "".join(parts)


def _meta_title(doc: object) -> str | None:
    meta = getattr(doc, "meta", None)
    if meta is None:
        return None
    for child in meta.childNodes:  # type: ignore[attr-defined]
        if getattr(child, "qname", None) == (DCNS, "title"):
            text = "".join(str(getattr(n, "data", "")) for n in child.childNodes).strip()
            return text or None
    return None
