"""HTML: block elements become paragraphs; scripts, styles and other non-content are dropped.

Whitespace inside a block collapses as a browser would (except in <pre>); <br> becomes a newline;
entities are decoded by the parser. The walk is iterative so deeply nested hostile markup cannot
exhaust the Python stack.
"""
from __future__ import annotations

import re
import warnings as _warnings

from bs4 import (
    BeautifulSoup,
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    ProcessingInstruction,
    Tag,
    XMLParsedAsHTMLWarning,
)

from ..core.errors import InputError
from ..core.sources import ParsedSource
from .blocks import from_blocks

_DROP = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "meta", "link", "svg", "math",
     "iframe", "object", "embed", "canvas", "button", "select", "textarea", "input", "nav"}
)
_BLOCK = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
     "pre", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "section", "article",
     "aside", "header", "footer", "main", "figure", "figcaption", "address", "hr", "form", "fieldset",
     "legend", "details", "summary", "body", "html"}
)
_SPACES = re.compile(r"[ \t\n\r\f]+")
_SKIP_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)


def read_html(name: str, data: bytes) -> ParsedSource:
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        _warnings.simplefilter("ignore", UserWarning)
        try:
            soup = BeautifulSoup(data, "lxml")
        except Exception as err:  # lxml/bs4 failures on hostile markup
            raise InputError(name, f"cannot parse HTML ({type(err).__name__})") from None
    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text().split()) if title_tag is not None else None
    blocks = _blocks(soup)
    if title is None or not title:
        h1 = soup.find("h1")
        title = " ".join(h1.get_text().split()) if h1 is not None else None
    metadata: dict[str, str] = {}
    if soup.original_encoding:
        metadata["encoding"] = str(soup.original_encoding)
    return from_blocks(blocks, title=title or None, metadata=metadata)


def _blocks(soup: BeautifulSoup) -> list[str]:
    blocks: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            blocks.append("".join(buffer))
            buffer.clear()

    # Stack of (node, leaving, in_pre). Leaving markers flush a block when its element closes.
    stack: list[tuple[object, bool, bool]] = [(soup, False, False)]
    while stack:
        node, leaving, in_pre = stack.pop()
        if leaving:
            flush()
            continue
        if isinstance(node, NavigableString):
            if isinstance(node, _SKIP_STRINGS):
                continue
            text = str(node)
            buffer.append(text if in_pre else _SPACES.sub(" ", text))
            continue
        if not isinstance(node, Tag):
            continue
        tag = (node.name or "").lower()
        if tag in _DROP:
            continue
        if tag == "br":
            buffer.append("\n")
            continue
        is_block = tag in _BLOCK
        pre = in_pre or tag in ("pre", "textarea")
        if is_block:
            flush()
            stack.append((node, True, pre))
        for child in reversed(node.contents):
            stack.append((child, False, pre))
    flush()
    return [_tidy(b) for b in blocks]


def _tidy(block: str) -> str:
    """Trim spaces around <br> newlines that whitespace collapsing left behind."""
    return "\n".join(line.strip(" ") for line in block.split("\n"))
