"""Charts drawn on the server as inline SVG (no script, no CDN): what was coded, and where influence landed."""
from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..context import WebContext, web
from .frames import records

router = APIRouter()

CHART_DIMENSIONS = ("level", "domain", "activity", "enabler", "barrier")
LEVEL_COLOURS = {"grassroots_operational": "#2f7d4f", "organisational_network": "#3a6ea5",
                 "strategic_commissioning": "#8a5a9e", "national_policy": "#b0533c", "unclear_level": "#8a8a8a"}


def charts_data(w: WebContext) -> dict[str, Any]:
    p = w.project
    cb = p.codebook()
    used = Counter(c.code for c in p.codings())
    series = []
    for dim in CHART_DIMENSIONS:
        codes = cb.codes_in(dim)
        if codes:
            series.append({"dimension": dim, "title": f"Codings by {dim}",
                           "bars": [{"code": c.id, "label": c.label, "value": used.get(c.id, 0)} for c in codes]})
    counts = p.suggestion_counts()
    suggestions = [{"code": k, "label": k, "value": counts.get(k, 0)}
                   for k in ("pending", "accepted", "rejected", "skipped")]
    profile = None
    if w.has("influence_profile"):
        rows = records(p.influence_profile())
        by_case: dict[str, Counter[str]] = {}
        for r in rows:
            by_case.setdefault(r.get("case") or "(no case)", Counter())[str(r["level"])] += int(r["n_claims"])
        profile = [{"case": case, "levels": [{"level": lv, "value": n.get(lv, 0)} for lv in LEVEL_COLOURS]}
                   for case, n in by_case.items()]
    return {"codings": series, "suggestions": suggestions, "influence_profile": profile}


def _bars(items: list[dict[str, Any]], width: int = 640) -> dict[str, Any]:
    """Geometry for a horizontal bar chart: label column, bar column, value at the end."""
    top = max([i["value"] for i in items] + [1])
    row = 22
    label_w = 260
    bar_w = width - label_w - 50
    return {"width": width, "height": row * len(items) + 6, "row": row, "label_w": label_w,
            "bars": [{**i, "y": k * row + 3, "w": round(bar_w * i["value"] / top)} for k, i in enumerate(items)]}


def _stacked(profile: list[dict[str, Any]], width: int = 640) -> dict[str, Any]:
    top = max([sum(x["value"] for x in p["levels"]) for p in profile] + [1])
    row, label_w = 26, 260
    bar_w = width - label_w - 50
    rows = []
    for k, p in enumerate(profile):
        x = label_w
        parts = []
        for lv in p["levels"]:
            w = round(bar_w * lv["value"] / top)
            if w:
                parts.append({"x": x, "w": w, "colour": LEVEL_COLOURS[lv["level"]], "level": lv["level"],
                              "value": lv["value"]})
            x += w
        rows.append({"case": p["case"], "y": k * row + 3, "parts": parts,
                     "total": sum(lv["value"] for lv in p["levels"]), "end": x})
    return {"width": width, "height": row * len(profile) + 6, "rows": rows, "label_w": label_w}


@router.get("/charts", response_class=HTMLResponse, include_in_schema=False)
def charts_page(request: Request) -> HTMLResponse:
    w = web(request)
    data = charts_data(w)
    charts = [(s["title"], _bars(s["bars"])) for s in data["codings"]]
    charts.append(("Suggestions by status", _bars(data["suggestions"])))
    stacked = _stacked(data["influence_profile"]) if data["influence_profile"] else None
    return w.pages.render(request, "charts.html", "charts", "Charts", charts=charts, stacked=stacked,
                          profile_available=data["influence_profile"] is not None, level_colours=LEVEL_COLOURS)


@router.get("/api/charts", tags=["charts"])
def charts_json(request: Request) -> dict[str, Any]:
    """The numbers behind each chart."""
    return charts_data(web(request))
