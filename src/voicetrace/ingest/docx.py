"""DOCX: body paragraphs and table cells in reading order (headers, footers and notes are not text
people code). A heading is a paragraph of its own; the title comes from the document properties,
else the first Title or Heading 1 paragraph. Paragraphs with turn structure make a transcript.
"""
from __future__ import annotations

import io

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..core.errors import InputError
from ..core.sources import ParsedSource
from .archives import check_xml_parts, open_container
from .blocks import from_blocks

_KIND = "DOCX"


def read_docx(name: str, data: bytes) -> ParsedSource:
    zf = open_container(name, data, _KIND, "word/document.xml")
    with zf:
        check_xml_parts(name, zf, _KIND)
    try:
        document = docx.Document(io.BytesIO(data))
    except InputError:
        raise
    except Exception as err:  # python-docx raises many kinds on damaged packages
        raise InputError(name, f"corrupt DOCX file ({type(err).__name__})") from None
    blocks: list[str] = []
    first_title: str | None = None
    first_heading: str | None = None
    try:
        for item in _walk(document):
            if isinstance(item, Paragraph):
                text = item.text
                style = _style_name(item)
                if text.strip():
                    if style == "title" and first_title is None:
                        first_title = text.strip()
                    elif style in ("heading 1", "heading1") and first_heading is None:
                        first_heading = text.strip()
                blocks.append(text)
            else:
                blocks.append(item)
        props = document.core_properties
        metadata = {
            key: str(value)
            for key, value in (
                ("author", props.author),
                ("created", props.created.isoformat() if props.created else None),
                ("subject", props.subject),
            )
            if value
        }
        title = (props.title or "").strip() or first_title or first_heading
    except InputError:
        raise
    except Exception as err:
        raise InputError(name, f"corrupt DOCX file ({type(err).__name__})") from None
    return from_blocks(blocks, title=title, metadata=metadata)


def _walk(document: object) -> list[Paragraph | str]:
    """Paragraphs in order; each table cell (merged cells once) as its own block of text."""
    out: list[Paragraph | str] = []
    stack: list[object] = list(reversed(list(document.iter_inner_content())))  # type: ignore[attr-defined]
    while stack:
        item = stack.pop()
        if isinstance(item, Paragraph):
            out.append(item)
        elif isinstance(item, Table):
            pending: list[object] = []
            seen: list[object] = []  # holds the elements so identity checks stay valid
            for row in item.rows:
                for cell in row.cells:
                    if any(cell._tc is tc for tc in seen):
                        continue
                    seen.append(cell._tc)
                    pending.append("\n".join(p.text for p in cell.paragraphs))
                    pending.extend(cell.tables)
            stack.extend(reversed(pending))
        elif isinstance(item, str):
            out.append(item)
    return out


def _style_name(paragraph: Paragraph) -> str:
    try:
        style = paragraph.style
    except Exception:  # a dangling style reference is not worth failing the file for
        return ""
    return (style.name or "").strip().lower() if style is not None else ""
