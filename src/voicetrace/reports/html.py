"""The report as one self-contained HTML file: inline CSS and SVG, nothing fetched, everything escaped."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..analysis.claims.profiles import OUTCOMES
from ..analysis.claims.strength import STRENGTHS
from ..core.claims import LEVEL_ORDER
from .charts import BarRow, Cell, Series, heat_table, stacked_bars
from .content import ReportData, build_content
from .files import replacing
from .labels import (
    LEVEL_COLOURS,
    LEVEL_LABELS,
    OUTCOME_COLOURS,
    OUTCOME_LABELS,
    STRENGTH_COLOURS,
    STRENGTH_LABELS,
    template_labels,
)
from .numbers import Num
from .sections import ReportContent

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """Cached so the report templates compile once per process, not once per report."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True,
                      default_for_string=True, enabled_extensions=("html", "j2")), undefined=StrictUndefined,
                      trim_blocks=False, lstrip_blocks=False)
    env.tests["num_value"] = lambda v: isinstance(v, Num)
    env.filters["shade"] = _shade
    return env


def _shade(value: Num | int, most: int) -> str:
    """A cell background growing darker with its count, for tables read as heat maps."""
    n = int(value.value) if isinstance(value, Num) else int(value)
    if n <= 0 or most <= 0:
        return "transparent"
    share = 0.08 + 0.42 * min(n / most, 1.0)
    r, g, b = (round(255 + (c - 255) * share) for c in (0x00, 0x72, 0xB2))
    return f"#{r:02x}{g:02x}{b:02x}"


def _cell(n: Num) -> Cell:
    return Cell(int(n.value), n.anchor)


def report_charts(c: ReportContent, href_base: str = "") -> dict[str, Markup]:
    levels = [lv.value for lv in LEVEL_ORDER]
    strengths, outcomes = STRENGTHS, list(OUTCOMES)
    per_case = c.influence.per_case
    used = [lv for lv in levels if any(int(r.cells[lv].value) for r in per_case)] or levels[:1]
    level_series = [Series(lv, LEVEL_LABELS[lv], LEVEL_COLOURS[lv],
                           "#1d1d1f" if lv == "organisational_network" else "#ffffff") for lv in used]
    by_case = [BarRow(r.short, {lv: _cell(r.cells[lv]) for lv in used}, r.total.anchor) for r in per_case]
    outcome_series = [Series(o, OUTCOME_LABELS[o], OUTCOME_COLOURS[o],
                             "#1d1d1f" if o in ("under_way", "not_yet") else "#ffffff") for o in outcomes]
    by_outcome = [BarRow(LEVEL_LABELS[r.level], {o: _cell(r.cells[o]) for o in outcomes}, r.total.anchor)
                  for r in c.main.outcomes]
    strength_series = [Series(s, STRENGTH_LABELS[s], STRENGTH_COLOURS[s],
                              "#ffffff" if s == "documented" else "#1d1d1f") for s in strengths]
    by_level = [BarRow(LEVEL_LABELS[r.level], {s: _cell(r.cells[s]) for s in strengths}, r.total.anchor)
                for r in c.influence.strength_by_level]
    kinds = [BarRow(k.kind, {"n": _cell(k.n)}, k.n.anchor) for k in c.sample.kinds]
    heat_rows = [(d, c.code_label(d)) for d in c.influence.domains]
    heat_cols = [(lv, LEVEL_LABELS[lv]) for lv in levels]
    total = int(c.totals.all.value)
    return {
        "outcomes": stacked_bars(
            "What came of the claims at each level",
            f"Stacked bars: for each level of influence, how many of its claims describe a change made, one under "
            f"way, one still asked for, or one turned down; {total} claims in all.",
            by_outcome, outcome_series, label_width=190, href_base=href_base),
        "levels": stacked_bars(
            "Influence claims by level, per case",
            f"Stacked bars: for each of {len(by_case)} cases, its {total} claims in all split by level of influence.",
            by_case, level_series),
        "heat": heat_table(
            "Claims by domain of change and level of influence",
            "A grid with domains as rows and levels as columns; each cell gives the number of claims.",
            heat_rows, heat_cols, {k: _cell(v) for k, v in c.influence.heat.items()}, href_base=href_base),
        "strength": stacked_bars(
            "Evidence strength of claims at each level",
            "Stacked bars: for each level, how many claims are claimed, corroborated or documented.",
            by_level, strength_series, label_width=190),
        "kinds": stacked_bars("Sources by kind", "Bars: the number of sources of each kind.", kinds,
                              [Series("n", "Sources", "#4a6fa5")], unit="sources"),
    }


def template_globals(c: ReportContent) -> dict[str, Any]:
    """What the macros shared by the report and the board summary need (labels, colours)."""
    return {**template_labels(), "generated_at": c.generated_at}


def render_html(data: ReportData, content: ReportContent | None = None) -> str:
    """The whole report as a string; write it with UTF-8 encoding."""
    return "".join(_html_parts(data, content))


def _html_parts(data: ReportData, content: ReportContent | None) -> Iterator[str]:
    c = content if content is not None else build_content(data)
    return _environment().get_template("report.html.j2").generate(report=c, charts=report_charts(c),
                                                                  **template_globals(c))


def write_atomically(target: Path, text: str | Iterable[str]) -> None:
    """A failed render never leaves half a document behind. ``text`` may come in parts, written as they
    come (a report of 10^5 codings is 90 MB of HTML, several times that as one string and its pieces)."""
    with replacing(target) as tmp, tmp.open("w", encoding="utf-8") as out:
        out.writelines([text] if isinstance(text, str) else text)


def write_html(data: ReportData, path: str | Path, content: ReportContent | None = None) -> None:
    write_atomically(Path(path), _html_parts(data, content))
