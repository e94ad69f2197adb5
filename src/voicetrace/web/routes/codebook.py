"""The codebook: every code with its definition, inclusions, exclusions, indicators and examples."""
from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ...core.codebook import DIMENSIONS
from ..context import WebContext, web

router = APIRouter()


def codebook_data(w: WebContext) -> dict[str, Any]:
    cb = w.project.codebook()
    used = Counter(c.code for c in w.project.codings())
    codes = []
    for c in cb.codes:
        codes.append({"id": c.id, "label": c.label, "parent": c.parent_id, "dimension": cb.dimension_of(c.id),
                      "path": cb.path(c.id), "definition": c.definition, "include": c.include,
                      "exclude": c.exclude, "indicators": c.indicators, "examples": c.examples,
                      "codable": c.codable, "residual": c.residual, "codings": used.get(c.id, 0)})
    return {"name": cb.name, "version": cb.version, "decision_rules": cb.decision_rules,
            "dimensions": DIMENSIONS, "codes": codes}


@router.get("/codebook", response_class=HTMLResponse, include_in_schema=False)
def codebook_page(request: Request) -> HTMLResponse:
    w = web(request)
    data = codebook_data(w)
    cb = w.project.codebook()
    tree = []

    def walk(parent: str | None, depth: int) -> None:
        for c in cb.children(parent):
            tree.append((depth, next(x for x in data["codes"] if x["id"] == c.id)))
            walk(c.id, depth + 1)
    walk(None, 0)
    return w.pages.render(request, "codebook.html", "codebook", "Codebook", data=data, tree=tree)


@router.get("/api/codebook", tags=["codebook"])
def codebook_json(request: Request) -> dict[str, Any]:
    """All codes (folders included) with definitions, examples and how often each is used."""
    return codebook_data(web(request))
