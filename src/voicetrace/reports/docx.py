"""An output's HTML as a Word document, so the DOCX says exactly what the page says.

The outputs' templates use a small part of HTML (headings, paragraphs, lists, tables, quotes, links
to evidence, a logo as a data: URI); this walks that part and writes it with python-docx. Links to
``#anchor`` inside the page become internal hyperlinks to bookmarks of the same name, so a number
in the DOCX still leads to its evidence. An element with class ``no-docx`` is left out (e.g. a print
button); class ``page-break`` starts a new page.
"""
from __future__ import annotations

import base64
import io
import re
import struct
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_BREAK
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import html as lxml_html

BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "ul", "ol", "table", "blockquote", "div", "section", "article",
         "main", "header", "footer", "nav", "aside", "figure", "figcaption", "dl", "hr", "img", "address"}
RASTER = ("image/png", "image/jpeg", "image/gif", "image/bmp")


def _classes(el: Any) -> set[str]:
    return set((el.get("class") or "").split())


def _bookmark_name(anchor: str) -> str:
    """Word bookmark names: a letter first, then letters, digits and underscores, at most 40."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", anchor)
    return (name if name[:1].isalpha() else "b_" + name)[:40]


class _Writer:
    def __init__(self) -> None:
        self.doc = Document()
        self._bookmark = 0
        self._style_ids: dict[str, str] = {}
        self._style_names: set[str] | None = None
        style = self.doc.styles["Normal"]
        style.font.name = "Calibri"  # type: ignore[attr-defined]
        style.font.size = Pt(11)  # type: ignore[attr-defined]

    def add_paragraph(self, style: str | None = None, text: str = "") -> Paragraph:
        """A new paragraph carrying ``style``'s id. python-docx's style setter compares every style with
        the document's default (a scan of all styles per paragraph), which made a long appendix spend most
        of its time naming "Quote"; the id is looked up once per document and written to the paragraph's
        properties directly, which is what that setter writes too."""
        paragraph = self.doc.add_paragraph(text)
        if style is not None:
            style_id = self._style_ids.get(style)
            if style_id is None:
                style_id = self._style_ids[style] = self.doc.styles[style].style_id
            paragraph._p.style = style_id
        return paragraph

    # -- inline content ----------------------------------------------------------------------
    def bookmark(self, paragraph: Paragraph, anchor: str) -> None:
        self._bookmark += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._bookmark))
        start.set(qn("w:name"), _bookmark_name(anchor))
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._bookmark))
        paragraph._p.insert(0, start)
        paragraph._p.append(end)

    def link(self, paragraph: Paragraph, text: str, anchor: str, fmt: dict[str, bool]) -> None:
        hyper = OxmlElement("w:hyperlink")
        hyper.set(qn("w:anchor"), _bookmark_name(anchor))
        run = OxmlElement("w:r")
        props = OxmlElement("w:rPr")
        colour = OxmlElement("w:color")
        colour.set(qn("w:val"), "1F4E8C")
        props.append(colour)
        underline = OxmlElement("w:u")
        underline.set(qn("w:val"), "single")
        props.append(underline)
        if fmt.get("sup"):
            va = OxmlElement("w:vertAlign")
            va.set(qn("w:val"), "superscript")
            props.append(va)
        if fmt.get("bold"):
            props.append(OxmlElement("w:b"))
        run.append(props)
        t = OxmlElement("w:t")
        t.text = text
        t.set(qn("xml:space"), "preserve")
        run.append(t)
        hyper.append(run)
        paragraph._p.append(hyper)

    def text(self, paragraph: Paragraph, text: str | None, fmt: dict[str, bool]) -> None:
        if not text:
            return
        flat = re.sub(r"\s+", " ", text)
        if not flat:
            return
        run = paragraph.add_run(flat)
        if fmt.get("bold"):  # setting None would still add an empty run-properties element
            run.bold = True
        if fmt.get("italic"):
            run.italic = True
        if fmt.get("sup"):
            run.font.superscript = True
        if fmt.get("small"):
            run.font.size = Pt(9)
            run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)

    def inline(self, paragraph: Paragraph, el: Any, fmt: dict[str, bool]) -> None:
        self.text(paragraph, el.text, fmt)
        for child in el:
            self.inline_child(paragraph, child, fmt)
            self.text(paragraph, child.tail, fmt)

    def inline_child(self, paragraph: Paragraph, child: Any, fmt: dict[str, bool]) -> None:
        if not isinstance(child.tag, str) or "no-docx" in _classes(child):
            return
        tag = child.tag.lower()
        sub = dict(fmt)
        if tag in ("strong", "b", "th"):
            sub["bold"] = True
        elif tag in ("em", "i", "cite"):
            sub["italic"] = True
        elif tag == "sup":
            sub["sup"] = True
        elif tag == "small":
            sub["small"] = True
        if child.get("id"):
            self.bookmark(paragraph, child.get("id"))
        if tag == "br":
            paragraph.add_run().add_break()
        elif tag == "a" and (child.get("href") or "").startswith("#"):
            self.link(paragraph, re.sub(r"\s+", " ", child.text_content()), child.get("href")[1:], sub)
        elif tag not in ("img", "svg", "button"):
            self.inline(paragraph, child, sub)

    # -- blocks ------------------------------------------------------------------------------
    def paragraph(self, el: Any, style: str | None = None) -> Paragraph:
        p = self.add_paragraph(style)
        if el.get("id"):
            self.bookmark(p, el.get("id"))
        if "page-break" in _classes(el):
            p.paragraph_format.page_break_before = True
        self.inline(p, el, {})
        return p

    def image(self, el: Any) -> None:
        src = el.get("src") or ""
        m = re.match(r"data:([^;,]+);base64,(.*)", src, re.DOTALL)
        if not m or m.group(1) not in RASTER:
            return  # SVG and linked images cannot go into a DOCX as they are
        try:
            self.doc.add_picture(io.BytesIO(base64.b64decode(m.group(2))), width=Inches(1.6))
        except (UnrecognizedImageError, ValueError, struct.error):  # the HTML keeps the logo; the DOCX goes without
            return

    def table(self, el: Any) -> None:
        rows = el.xpath("./thead/tr|./tbody/tr|./tr|./tfoot/tr")
        if not rows:
            return
        width = max(len(r.xpath("./th|./td")) for r in rows)
        cap = el.xpath("./caption")
        if cap:
            self.paragraph(cap[0], style="Caption" if "Caption" in self._styles() else None)
        t = self.doc.add_table(rows=0, cols=width)
        t.style = self.doc.styles["Table Grid"]
        for r in rows:
            cells = t.add_row().cells
            for i, c in enumerate(r.xpath("./th|./td")):
                p = cells[i].paragraphs[0]
                if r.get("id") and i == 0:
                    self.bookmark(p, r.get("id"))
                if c.get("id"):
                    self.bookmark(p, c.get("id"))
                self.inline(p, c, {"bold": c.tag == "th"})
        self.add_paragraph()

    def _styles(self) -> set[str]:
        if self._style_names is None:
            self._style_names = {s.name for s in self.doc.styles if s.name}
        return self._style_names

    def block(self, el: Any, list_style: str | None = None) -> None:
        if not isinstance(el.tag, str):
            return
        tag = el.tag.lower()
        if tag in ("style", "script", "head", "title", "svg", "button") or "no-docx" in _classes(el):
            return
        if tag in ("h1", "h2", "h3", "h4", "h5"):
            h = self.add_paragraph(f"Heading {min(int(tag[1]), 4)}")
            if el.get("id"):
                self.bookmark(h, el.get("id"))
            if "page-break" in _classes(el):
                h.paragraph_format.page_break_before = True
            self.inline(h, el, {})
        elif tag == "p" or tag == "figcaption" or tag == "address":
            self.paragraph(el)
        elif tag in ("ul", "ol"):
            style = "List Bullet" if tag == "ul" else "List Number"
            for li in el.xpath("./li"):
                self.list_item(li, style)
        elif tag == "dl":
            for child in el:
                if isinstance(child.tag, str) and child.tag in ("dt", "dd"):
                    p = self.paragraph(child)
                    if child.tag == "dt":
                        for run in p.runs:
                            run.bold = True
        elif tag == "table":
            self.table(el)
        elif tag == "blockquote":
            self.paragraph(el, style="Quote")
        elif tag == "img":
            self.image(el)
        elif tag == "hr":
            self.add_paragraph().add_run().add_break(WD_BREAK.LINE)
        else:  # a container: its blocks in order, loose text as paragraphs
            if "page-break" in _classes(el) and len(self.doc.paragraphs):
                self.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            if el.get("id"):
                self.bookmark(self.add_paragraph(), el.get("id"))
            if any(isinstance(c.tag, str) and c.tag.lower() in BLOCK for c in el) or not el.text_content().strip():
                if el.text and el.text.strip():
                    self.add_paragraph(text=el.text.strip())
                for child in el:
                    if isinstance(child.tag, str) and child.tag.lower() in BLOCK:
                        self.block(child)
                    elif isinstance(child.tag, str) and child.text_content().strip():
                        p = self.add_paragraph()
                        self.inline(p, child, {})
                    if child.tail and child.tail.strip():
                        self.add_paragraph(text=child.tail.strip())
            else:
                self.paragraph(el)

    def list_item(self, li: Any, style: str) -> None:
        nested = [c for c in li if isinstance(c.tag, str) and c.tag.lower() in ("ul", "ol", "blockquote", "p")]
        p = self.add_paragraph(style)
        if li.get("id"):
            self.bookmark(p, li.get("id"))
        if not nested:
            self.inline(p, li, {})
            return
        self.text(p, li.text, {})
        for child in li:
            if child in nested:
                self.block(child)
            else:
                self.inline_child(p, child, {})
            self.text(p, child.tail, {})


def html_to_docx(html: str, path: Path) -> Path:
    """Write ``html`` (an output page) as a DOCX at ``path``."""
    doc = lxml_html.fromstring(html)
    w = _Writer()
    title = doc.xpath("//title")
    if title:
        w.doc.core_properties.title = title[0].text_content().strip()[:250]
    body = doc.xpath("//body")
    root = body[0] if body else doc
    for child in root:
        w.block(child)
    w.doc.save(str(path))
    return path
