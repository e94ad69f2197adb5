"""Build the bundled fictional sample study into the file formats real partnership groups produce.

The study is kept as reviewable text sources (``texts/<slug>/<stem>.txt``) plus four CSV registers;
``build_corpus`` renders each ``sources.csv`` entry into its target format so importers, tests and
demos meet genuine DOCX/ODT/PDF/HTML files. Builds are reproducible: zip timestamps, document
metadata and PDF dates are pinned, so the same sources give the same bytes.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import html
import io
import shutil
import sys
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

from . import sample_dir
from .markup import Block, parse, title_of

REGISTERS = ("cases.csv", "participants.csv", "connections.csv", "sources.csv")
FIXED_TIME = dt.datetime(2009, 6, 1, 9, 0, 0)
_ZIP_TIME = (2009, 6, 1, 9, 0, 0)
AUTHOR = "voicetrace fictional sample study"


def read_manifest(data: Path | None = None) -> list[dict[str, str]]:
    """The sources.csv rows, in file order."""
    folder = Path(data) if data is not None else sample_dir()
    with (folder / "sources.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def text_source(entry_file: str, data: Path | None = None) -> Path:
    """Where the text source of a built file lives: ``texts/<slug>/<stem>.txt``."""
    folder = Path(data) if data is not None else sample_dir()
    rel = Path(entry_file)
    return folder / "texts" / rel.parent / (rel.stem + ".txt")


# --------------------------------------------------------------------------- zip normalisation

def _normalise_zip(raw: bytes, first: str | None = None) -> bytes:
    """Rewrite a zip package with pinned timestamps (and ``first`` stored first, uncompressed)."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    infos = src.infolist()
    if first is not None:
        infos.sort(key=lambda info: info.filename != first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in infos:
            fresh = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fresh.compress_type = zipfile.ZIP_STORED if info.filename == first else zipfile.ZIP_DEFLATED
            fresh.external_attr = 0o644 << 16
            dst.writestr(fresh, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- renderers

def render_txt(blocks: list[Block], source: str) -> bytes:
    """Plain text: headings lose their markers, tables stay as pipe rows, turns verbatim."""
    lines: list[str] = []
    for block in blocks:
        if block.kind == "table":
            lines.append("\n".join("| " + " | ".join(row) + " |" for row in block.rows))
        elif block.kind == "item":
            lines.append("- " + block.text)
        else:
            lines.append(block.text)
    return ("\n\n".join(lines) + "\n").encode("utf-8")


def render_md(blocks: list[Block], source: str) -> bytes:
    """Markdown: source headings and lists as they are; tables gain a header separator."""
    parts: list[str] = []
    for block in blocks:
        if block.kind == "heading":
            parts.append("#" * max(block.level, 1 if not parts else 2) + " " + block.text)
        elif block.kind == "item":
            parts.append("- " + block.text)
        elif block.kind == "table":
            rows = ["| " + " | ".join(r) + " |" for r in block.rows]
            rows.insert(1, "|" + "|".join(" --- " for _ in block.rows[0]) + "|")
            parts.append("\n".join(rows))
        else:
            parts.append(block.text)
    # Keep consecutive list items together as one Markdown list.
    text = ""
    for i, part in enumerate(parts):
        joiner = "\n" if i and part.startswith("- ") and parts[i - 1].startswith("- ") else "\n\n"
        text += (joiner if i else "") + part
    return (text + "\n").encode("utf-8")


def render_html(blocks: list[Block], source: str, title: str) -> bytes:
    """Simple semantic HTML, one element per paragraph, real tables and lists."""
    esc = html.escape
    body: list[str] = []
    in_list = False
    seen_heading = False
    for block in blocks:
        if block.kind != "item" and in_list:
            body.append("</ul>")
            in_list = False
        if block.kind == "heading":
            level = 1 if not seen_heading else min(block.level + 1, 4)
            seen_heading = True
            body.append(f"<h{level}>{esc(block.text)}</h{level}>")
        elif block.kind == "item":
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"  <li>{esc(block.text)}</li>")
        elif block.kind == "table":
            head, *rest = block.rows
            body.append("<table>")
            body.append("  <thead><tr>" + "".join(f"<th>{esc(c)}</th>" for c in head) + "</tr></thead>")
            body.append("  <tbody>")
            for row in rest:
                body.append("    <tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
            body.append("  </tbody>")
            body.append("</table>")
        elif block.speaker:
            who = block.speaker
            body.append(f"<p><strong>{esc(who)}:</strong>{esc(block.text[len(who) + 1:])}</p>")
        else:
            body.append(f"<p>{esc(block.text)}</p>")
    if in_list:
        body.append("</ul>")
    page = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        f'<meta name="author" content="{esc(AUTHOR)}">',
        "</head>",
        "<body>",
        "<article>",
        *body,
        "</article>",
        "<footer><p>Fictional sample data for voicetrace. All names and places are invented.</p></footer>",
        "</body>",
        "</html>",
    ]
    return ("\n".join(page) + "\n").encode("utf-8")


def render_docx(blocks: list[Block], source: str, title: str) -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    props = document.core_properties
    props.title = title
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    props.comments = "Fictional sample data; all names and places are invented."
    document.styles["Normal"].font.size = Pt(11)
    seen_heading = False
    for block in blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=1 if not seen_heading else 2)
            seen_heading = True
        elif block.kind == "item":
            document.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "table":
            ncols = max(len(r) for r in block.rows)
            table = document.add_table(rows=0, cols=ncols)
            table.style = "Table Grid"
            for r, row in enumerate(block.rows):
                cells = table.add_row().cells
                for c in range(ncols):
                    para = cells[c].paragraphs[0]
                    run = para.add_run(row[c] if c < len(row) else "")
                    run.bold = r == 0
        elif block.speaker:
            para = document.add_paragraph()
            para.add_run(block.speaker + ":").bold = True
            para.add_run(block.text[len(block.speaker) + 1:])
        else:
            document.add_paragraph(block.text)
    raw = io.BytesIO()
    document.save(raw)
    return _normalise_zip(raw.getvalue())


@functools.cache
def _warm_odfpy() -> None:
    """Write one throwaway document so odfpy has imported (and registered the namespaces of)
    everything it ever will: otherwise the first ODT of a process declares fewer namespaces
    than later ones and identical sources give different bytes."""
    from odf.opendocument import OpenDocumentText

    OpenDocumentText().write(io.BytesIO())


def render_odt(blocks: list[Block], source: str, title: str) -> bytes:
    from odf import dc, meta
    from odf import table as odftable
    from odf import text as odftext
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style, TableColumnProperties, TextProperties

    _warm_odfpy()
    doc = OpenDocumentText()
    # Pin metadata: odfpy stamps a generator string; dates are added only if we add them.
    for child in list(doc.meta.childNodes):
        doc.meta.removeChild(child)
    doc.meta.addElement(meta.Generator(text="voicetrace sample builder"))
    doc.meta.addElement(dc.Title(text=title))
    doc.meta.addElement(dc.Creator(text=AUTHOR))
    doc.meta.addElement(dc.Date(text=FIXED_TIME.isoformat()))
    doc.meta.addElement(meta.CreationDate(text=FIXED_TIME.isoformat()))

    h1 = Style(name="Heading 1", family="paragraph")
    h1.addElement(TextProperties(fontsize="16pt", fontweight="bold"))
    h1.addElement(ParagraphProperties(margintop="0.2cm", marginbottom="0.2cm"))
    h2 = Style(name="Heading 2", family="paragraph")
    h2.addElement(TextProperties(fontsize="13pt", fontweight="bold"))
    h2.addElement(ParagraphProperties(margintop="0.2cm", marginbottom="0.1cm"))
    body = Style(name="Text Body", family="paragraph")
    body.addElement(ParagraphProperties(marginbottom="0.2cm"))
    bold = Style(name="Strong", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    for style in (h1, h2, body, bold):
        doc.styles.addElement(style)
    col = Style(name="ActionCol", family="table-column")
    col.addElement(TableColumnProperties(columnwidth="3.5cm"))
    doc.automaticstyles.addElement(col)

    seen_heading = False
    current_list = None
    tables = 0
    for block in blocks:
        if block.kind != "item":
            current_list = None
        if block.kind == "heading":
            style = h1 if not seen_heading else h2
            doc.text.addElement(odftext.H(outlinelevel=1 if not seen_heading else 2, stylename=style,
                                          text=block.text))
            seen_heading = True
        elif block.kind == "item":
            if current_list is None:
                current_list = odftext.List()
                doc.text.addElement(current_list)
            item = odftext.ListItem()
            item.addElement(odftext.P(stylename=body, text=block.text))
            current_list.addElement(item)
        elif block.kind == "table":
            tables += 1
            ncols = max(len(r) for r in block.rows)
            tbl = odftable.Table(name=f"Table{tables}")
            tbl.addElement(odftable.TableColumn(numbercolumnsrepeated=ncols, stylename=col))
            for r, row in enumerate(block.rows):
                tr = odftable.TableRow()
                for c in range(ncols):
                    cell = odftable.TableCell(valuetype="string")
                    para = odftext.P(stylename=body)
                    value = row[c] if c < len(row) else ""
                    if r == 0:
                        para.addElement(odftext.Span(stylename=bold, text=value))
                    else:
                        para.addText(value)
                    cell.addElement(para)
                    tr.addElement(cell)
                tbl.addElement(tr)
            doc.text.addElement(tbl)
        elif block.speaker:
            para = odftext.P(stylename=body)
            para.addElement(odftext.Span(stylename=bold, text=block.speaker + ":"))
            para.addText(block.text[len(block.speaker) + 1:])
            doc.text.addElement(para)
        else:
            doc.text.addElement(odftext.P(stylename=body, text=block.text))
    raw = io.BytesIO()
    doc.write(raw)
    return _normalise_zip(raw.getvalue(), first="mimetype")


_PDF_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u2026": "...", "\u00a0": " ", "\u0175": "w", "\u0177": "y", "\u0174": "W", "\u0176": "Y",
    "\u2022": "-", "\u20ac": "EUR",
}


def pdf_safe(text: str) -> str:
    """Transliterate to Latin-1 so the core Helvetica font can show every character."""
    out: list[str] = []
    for ch in text:
        ch = _PDF_MAP.get(ch, ch)
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            out.append(decomposed or "?")
    return "".join(out)


def render_pdf(blocks: list[Block], source: str, title: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_TIME.replace(tzinfo=dt.UTC))
    pdf.set_title(pdf_safe(title))
    pdf.set_author(AUTHOR)
    pdf.set_creator("voicetrace sample builder")
    pdf.set_producer("voicetrace sample builder")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    seen_heading = False
    for block in blocks:
        if block.kind == "heading":
            pdf.set_font("Helvetica", "B", 15 if not seen_heading else 12)
            seen_heading = True
            pdf.multi_cell(width, 7, pdf_safe(block.text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif block.kind == "table":
            pdf.set_font("Courier", "", 8.5)
            for row in block.rows:
                pdf.multi_cell(width, 4.5, pdf_safe(" | ".join(row)), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        else:
            pdf.set_font("Helvetica", "", 10.5)
            text = ("- " + block.text) if block.kind == "item" else block.text
            pdf.multi_cell(width, 5.5, pdf_safe(text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3 if block.kind != "item" else 1)
    return bytes(pdf.output())


Renderer = Callable[[list[Block], str, str], bytes]
RENDERERS: dict[str, Renderer] = {
    ".txt": lambda b, s, t: render_txt(b, s),
    ".md": lambda b, s, t: render_md(b, s),
    ".html": render_html,
    ".htm": render_html,
    ".docx": render_docx,
    ".odt": render_odt,
    ".pdf": render_pdf,
}


def render_file(source_text: str, suffix: str, fallback_title: str, transcript: bool = False) -> bytes:
    """Render one text source into the format named by ``suffix``."""
    blocks = parse(source_text, transcript=transcript)
    try:
        renderer = RENDERERS[suffix.lower()]
    except KeyError:
        raise ValueError(f"no renderer for {suffix!r}") from None
    return renderer(blocks, source_text, title_of(blocks, fallback_title))


def build_corpus(dest: Path, data: Path | None = None) -> Path:
    """Render every manifest entry into ``dest`` and copy the four registers beside them.

    Entries whose text source is missing are an error: a manifest that promises a file the
    corpus does not contain would break every downstream count.
    """
    folder = Path(data) if data is not None else sample_dir()
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    missing: list[str] = []
    for entry in read_manifest(folder):
        src = text_source(entry["file"], folder)
        if not src.is_file():
            missing.append(entry["file"])
            continue
        target = dest / entry["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        content = src.read_text(encoding="utf-8")
        transcript = entry.get("kind", "") in ("interview", "focus_group")
        target.write_bytes(render_file(content, target.suffix, entry.get("title") or target.stem, transcript))
    for name in REGISTERS:
        shutil.copyfile(folder / name, dest / name)
    if missing:
        raise FileNotFoundError(f"{len(missing)} text source(s) missing, e.g. {missing[0]}")
    return dest


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m voicetrace.sample.build DEST", file=sys.stderr)
        return 2
    out = build_corpus(Path(args[0]))
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
