"""Hand-built inline SVG charts: no scripts, fonts or images, so a report works offline and prints.

Every mark carries a <title> (a tooltip, and what a screen reader reads) and links to the evidence
behind its number. Texts are escaped here because the SVG is inserted into the page as markup.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\""


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str
    text_colour: str = "#ffffff"


@dataclass(frozen=True)
class Cell:
    """One number in a chart and where its evidence is (an anchor id, or None when there is none)."""

    value: int
    anchor: str | None = None


@dataclass(frozen=True)
class BarRow:
    label: str
    cells: Mapping[str, Cell]
    total_anchor: str | None = None


def _chart_id(title: str) -> str:
    """Stable ids, so the same data renders the same bytes."""
    return "c" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:10]


def _link(anchor: str | None, inner: str, base: str = "") -> str:
    """``base`` is the file the anchors live in when the chart is in another document (the board summary)."""
    if not anchor:
        return inner
    return f'<a href="{escape(base)}#{escape(anchor)}">{inner}</a>'


LEGEND_LINE = 20


def _legend(series: Sequence[Series], x: int, y: int, right: int | None = None) -> tuple[str, int]:
    """Swatches and labels from ``x``, wrapping before ``right``; returns the markup and its height."""
    parts, cx, cy = [], x, y
    for s in series:
        w = 34 + int(len(s.label) * 6.6)
        if right is not None and cx > x and cx + w > right:
            cx, cy = x, cy + LEGEND_LINE
        parts.append(f'<rect x="{cx}" y="{cy}" width="12" height="12" rx="2" fill="{escape(s.colour)}"/>'
                     f'<text x="{cx + 17}" y="{cy + 10}" font-size="12" fill="#333">{escape(s.label)}</text>')
        cx += w
    return "".join(parts), cy - y + LEGEND_LINE


def stacked_bars(title: str, description: str, rows: Sequence[BarRow], series: Sequence[Series],
                 unit: str = "claims", label_width: int = 170, bar_width: int = 560, href_base: str = "") -> Markup:
    """Horizontal stacked bars, one row per label, segments in ``series`` order."""
    row_h, gap = 24, 10
    width = label_width + bar_width + 60
    legend, legend_h = _legend(series, label_width, 8, width - 8) if len(series) > 1 else ("", 0)
    top = 14 + legend_h if legend else 8
    height = top + len(rows) * (row_h + gap) + 6
    totals = [sum(r.cells.get(s.key, Cell(0)).value for s in series) for r in rows]
    most = max(totals + [1])
    scale = bar_width / most
    cid = _chart_id(title)
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" {FONT} aria-labelledby="t-{cid} d-{cid}">'),
           f'<title id="t-{cid}">{escape(title)}</title><desc id="d-{cid}">{escape(description)}</desc>']
    if legend:
        out.append(legend)
    for i, (row, total) in enumerate(zip(rows, totals)):
        y = top + i * (row_h + gap)
        out.append(f'<text x="{label_width - 8}" y="{y + row_h * 0.68:.1f}" font-size="13" text-anchor="end" '
                   f'fill="#222">{escape(row.label)}</text>')
        x = float(label_width)
        for s in series:
            cell = row.cells.get(s.key, Cell(0))
            if cell.value <= 0:
                continue
            w = cell.value * scale
            tip = f"{row.label}: {cell.value} {unit} — {s.label}"
            rect = (f'<rect x="{x:.1f}" y="{y}" width="{max(w - 1, 1):.1f}" height="{row_h}" rx="2" '
                    f'fill="{escape(s.colour)}"><title>{escape(tip)}</title></rect>')
            if w >= 18:
                rect += (f'<text x="{x + w / 2:.1f}" y="{y + row_h * 0.68:.1f}" font-size="12" text-anchor="middle" '
                         f'fill="{escape(s.text_colour)}" pointer-events="none">{cell.value}</text>')
            out.append(_link(cell.anchor, rect, href_base))
            x += w
        total_text = (f'<text x="{x + 6:.1f}" y="{y + row_h * 0.68:.1f}" font-size="12" font-weight="600" '
                      f'fill="#222">{total}<title>{escape(row.label)}: {total} {escape(unit)} in all</title></text>')
        out.append(_link(row.total_anchor, total_text, href_base))
    out.append("</svg>")
    return Markup("".join(out))


def _mix(hex_colour: str, share: float) -> str:
    """``share`` of the way from white to the colour (0 → white), for heat cells."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 + (c - 255) * share) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def heat_table(title: str, description: str, row_labels: Sequence[tuple[str, str]],
               col_labels: Sequence[tuple[str, str]], cells: Mapping[tuple[str, str], Cell],
               colour: str = "#0072B2", unit: str = "claims", href_base: str = "") -> Markup:
    """A grid of counts shaded by size: rows × columns given as (key, label) pairs."""
    label_w, col_w, row_h, head_h = 200, 104, 28, 46
    width = label_w + col_w * len(col_labels) + 4
    height = head_h + row_h * len(row_labels) + 4
    most = max([c.value for c in cells.values()] + [1])
    cid = _chart_id(title)
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" {FONT} aria-labelledby="t-{cid} d-{cid}">'),
           f'<title id="t-{cid}">{escape(title)}</title><desc id="d-{cid}">{escape(description)}</desc>']
    for j, (_, label) in enumerate(col_labels):
        cx = label_w + j * col_w + col_w / 2
        words = label.split()
        lines = [" ".join(words[: (len(words) + 1) // 2]), " ".join(words[(len(words) + 1) // 2:])] \
            if len(label) > 14 else [label]
        for k, line in enumerate(lines):
            out.append(f'<text x="{cx:.1f}" y="{16 + k * 15 + (8 if len(lines) == 1 else 0)}" font-size="12" '
                       f'font-weight="600" text-anchor="middle" fill="#222">{escape(line)}</text>')
    for i, (rkey, rlabel) in enumerate(row_labels):
        y = head_h + i * row_h
        out.append(f'<text x="{label_w - 8}" y="{y + 19}" font-size="13" text-anchor="end" fill="#222">'
                   f'{escape(rlabel)}</text>')
        for j, (ckey, clabel) in enumerate(col_labels):
            cell = cells.get((rkey, ckey), Cell(0))
            x = label_w + j * col_w
            share = cell.value / most
            fill = _mix(colour, 0.12 + 0.88 * share) if cell.value else "#f6f6f6"
            ink = "#ffffff" if share > 0.55 else "#222222"
            tip = f"{rlabel} at {clabel} level: {cell.value} {unit}"
            inner = (f'<rect x="{x + 1}" y="{y + 1}" width="{col_w - 2}" height="{row_h - 2}" rx="3" fill="{fill}">'
                     f'<title>{escape(tip)}</title></rect>'
                     f'<text x="{x + col_w / 2:.1f}" y="{y + 19}" font-size="13" text-anchor="middle" '
                     f'fill="{ink if cell.value else "#aaaaaa"}" pointer-events="none">{cell.value}</text>')
            out.append(_link(cell.anchor if cell.value else None, inner, href_base))
    out.append("</svg>")
    return Markup("".join(out))
