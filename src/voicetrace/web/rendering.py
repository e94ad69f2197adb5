"""Server-rendered pages: one Jinja environment with autoescaping, and links that carry the token.

Every link a page prints goes through :meth:`Pages.link`, so a page opened with ``?token=`` keeps
working when cookies are off (or when a script follows links without a cookie jar).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape

from ..core.cases import short_case_names
from .security import CSRF_FIELD, TOKEN_PARAM, Secrets

TEMPLATES = Path(__file__).parent / "templates"

NAV = [
    ("overview", "/", "Overview"),
    ("codebook", "/codebook", "Codebook"),
    ("queue", "/suggestions", "Suggestions"),
    ("search", "/search", "Search"),
    ("memos", "/memos", "Memos"),
    ("claims", "/claims", "Claims"),
    ("impact", "/impact", "Impact log"),
    ("matrix", "/matrix", "Matrix"),
    ("charts", "/charts", "Charts"),
    ("reports", "/reports", "Reports"),
]


PAGE_SIZE = 50
CASE_CHOICES = 200  # up to this many cases a page offers a menu of them; beyond, a field for the case's name


@pass_context
def _short_case(ctx: Context, name: str | None) -> Markup:
    if not name:
        return Markup("–")
    short = (ctx.get("short_names") or {}).get(name, name)
    if short == name:
        return escape(name)
    return Markup('<span class="short" title="{}">{}</span>').format(name, short)


def page_window(total: int, page: int, size: int = PAGE_SIZE) -> dict[str, int]:
    """Which slice of a long list one page shows (pages count from 1; out-of-range pages clamp)."""
    pages = max(1, (total + size - 1) // size)
    page = min(max(1, page), pages)
    start = (page - 1) * size
    return {"page": page, "pages": pages, "start": start, "end": min(total, start + size), "total": total,
            "size": size}


class Pages:
    """Renders templates with the context every page needs (nav, token-carrying links, CSRF)."""

    def __init__(self, secrets_: Secrets, project_name: str, coder: str,
                 case_names: Callable[[], list[str]] | None = None) -> None:
        self.secrets = secrets_
        self.project_name = project_name
        self.coder = coder
        self.case_names = case_names or list
        self.env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                               autoescape=select_autoescape(default=True, default_for_string=True),
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(link=self.link, source_link=self.source_link, nav=NAV,
                                csrf_field=CSRF_FIELD, csrf=secrets_.csrf, token=secrets_.token, project_name=project_name)
        self.env.filters["short_case"] = _short_case
        self.env.filters["words"] = lambda x: str(x or "").replace("_", " ")
        self.env.filters["pct"] = lambda x: f"{100 * x:.0f}%" if x is not None else "–"
        self.env.filters["num"] = lambda x: f"{x:.2f}" if isinstance(x, float) else x

    def set_project_name(self, name: str) -> None:
        """After the title changes, every page's header and <title> show the new one."""
        self.project_name = name
        self.env.globals["project_name"] = name

    def link(self, path: str, fragment: str | None = None, **params: Any) -> str:
        """An internal URL with the token (and any query parameters that are not None)."""
        query = {k: v for k, v in params.items() if v is not None and v != ""}
        query[TOKEN_PARAM] = self.secrets.token
        url = f"{path}?{urlencode(query)}"
        return f"{url}#{fragment}" if fragment else url

    def source_link(self, name: str, fragment: str | None = None, **params: Any) -> str:
        """A link into the reader; a ``seg-N`` fragment also names the segment so long sources open at the right part."""
        if fragment and fragment.startswith("seg-") and fragment[4:].isdigit() and "seg" not in params:
            params["seg"] = fragment[4:]
        return self.link("/sources/" + quote(name, safe=""), fragment, **params)

    def render(self, request: Request, template: str, active: str, title: str, status_code: int = 200,
               **context: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(
            active=active, title=title, message=request.query_params.get("msg", ""),
            undo=request.query_params.get("undo", "").isdigit(),
            error=request.query_params.get("err", ""), coder=self.coder, here=quote(request.url.path, safe="/"),
            short_names=short_case_names(self.case_names()), **context)
        return HTMLResponse(html, status_code=status_code)

    def redirect(self, path: str, fragment: str | None = None, **params: Any) -> RedirectResponse:
        """Post/redirect/get: a form's answer is a fresh GET of the page it came from."""
        return RedirectResponse(self.link(path, fragment, **params), status_code=303)
