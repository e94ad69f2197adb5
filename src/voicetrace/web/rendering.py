"""Server-rendered pages: one Jinja environment with autoescaping, and links that carry the token.

Every link a page prints goes through :meth:`Pages.link`, so a page opened with ``?token=`` keeps
working when cookies are off (or when a script follows links without a cookie jar).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .security import CSRF_FIELD, TOKEN_PARAM, Secrets

TEMPLATES = Path(__file__).parent / "templates"

NAV = [
    ("overview", "/", "Overview"),
    ("codebook", "/codebook", "Codebook"),
    ("queue", "/suggestions", "Suggestions"),
    ("search", "/search", "Search"),
    ("memos", "/memos", "Memos"),
    ("claims", "/claims", "Claims"),
    ("matrix", "/matrix", "Matrix"),
    ("charts", "/charts", "Charts"),
    ("reports", "/reports", "Reports"),
]


class Pages:
    """Renders templates with the context every page needs (nav, token-carrying links, CSRF)."""

    def __init__(self, secrets_: Secrets, project_name: str, coder: str) -> None:
        self.secrets = secrets_
        self.project_name = project_name
        self.coder = coder
        self.env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                               autoescape=select_autoescape(default=True, default_for_string=True),
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(link=self.link, source_link=self.source_link, nav=NAV,
                                csrf_field=CSRF_FIELD, csrf=secrets_.csrf, token=secrets_.token, project_name=project_name,
                                coder=coder)
        self.env.filters["pct"] = lambda x: f"{100 * x:.0f}%" if x is not None else "–"
        self.env.filters["num"] = lambda x: f"{x:.2f}" if isinstance(x, float) else x

    def link(self, path: str, fragment: str | None = None, **params: Any) -> str:
        """An internal URL with the token (and any query parameters that are not None)."""
        query = {k: v for k, v in params.items() if v is not None and v != ""}
        query[TOKEN_PARAM] = self.secrets.token
        url = f"{path}?{urlencode(query)}"
        return f"{url}#{fragment}" if fragment else url

    def source_link(self, name: str, fragment: str | None = None, **params: Any) -> str:
        return self.link("/sources/" + quote(name, safe=""), fragment, **params)

    def render(self, request: Request, template: str, active: str, title: str, status_code: int = 200,
               **context: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(
            active=active, title=title, message=request.query_params.get("msg", ""),
            error=request.query_params.get("err", ""), **context)
        return HTMLResponse(html, status_code=status_code)

    def redirect(self, path: str, fragment: str | None = None, **params: Any) -> RedirectResponse:
        """Post/redirect/get: a form's answer is a fresh GET of the page it came from."""
        return RedirectResponse(self.link(path, fragment, **params), status_code=303)
