"""The ASGI app: one open project, pages plus JSON twins, every asset local, guarded by a token.

``create_app`` is what ``voicetrace serve`` (and the tests) call. Handlers are thin: they call one
service method and render or return what it gave back; no business logic lives here.
"""
from __future__ import annotations

import logging
from pathlib import Path
from secrets import token_hex
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import escape
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from ..core.errors import NotFound, ProjectBusy, VoicetraceError
from ..services.project import Project
from .context import WebContext
from .rendering import Pages
from .routes import (
    charts,
    claims,
    codebook,
    impact,
    matrix,
    memos,
    overview,
    reader,
    reports,
    search,
    suggestions,
)
from .security import AccessMiddleware, Secrets, require_csrf, security_headers
from .selection import SegmentIndex

STATIC = Path(__file__).parent / "static"
RETRY_AFTER_S = 2
log = logging.getLogger("voicetrace.web")


class CoderName(BaseModel):
    coder: str


class Problem(BaseModel):
    """Every error the API gives: one line saying what was wrong and what to do."""

    error: str


# Declared on every operation, so a client (and the schema fuzz test) knows the answers it can get.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The input cannot be used (the message says why)"},
    403: {"model": Problem, "description": "Missing or wrong CSRF token, or a cross-origin request"},
    404: {"model": Problem, "description": "No such source, coding, claim, memo or suggestion"},
    422: {"model": Problem, "description": "The request was not understood (wrong type or out of range)"},
    500: {"model": Problem, "description": "An unexpected error, logged under the id in the message"},
    503: {"model": Problem, "description": "Project is busy (another voicetrace is writing); retry after "
                                           "the Retry-After seconds"},
}


def create_app(project: Project | str | Path, *, secrets: Secrets | None = None, coder: str | None = None,
               bind_host: str = "127.0.0.1") -> FastAPI:
    """Build the app for one project. ``secrets`` defaults to fresh per-run tokens."""
    proj = project if isinstance(project, Project) else Project.open(project)
    sec = secrets or Secrets()
    who = proj.coder(coder)
    app = FastAPI(title=f"voicetrace — {proj.name}", version="1",
                  description="Every HTML page of voicetrace has a JSON twin under /api. "
                              "Send the run's token (?token=, cookie, or X-Voicetrace-Token) with every "
                              "request and the CSRF token (X-CSRF-Token, from GET /api/session) with "
                              "every change.",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  dependencies=[Depends(require_csrf)], responses=ERROR_RESPONSES)
    app.state.secrets = sec
    pages = Pages(sec, proj.name, who, case_names=lambda: [c.name for c in proj.cases()])
    app.state.web = WebContext(project=proj, pages=pages, segments=SegmentIndex(proj), secrets=sec, coder=who)
    app.add_middleware(AccessMiddleware, secrets_=sec, bind_host=bind_host)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for module in (overview, reader, memos, search, suggestions, codebook, claims, impact, matrix, charts, reports):
        app.include_router(module.router)

    @app.get("/api/session", tags=["session"])
    def session() -> dict[str, str]:
        """The CSRF token a script must send as X-CSRF-Token, and who is coding."""
        return {"csrf_token": sec.csrf, "coder": app.state.web.coder, "project": proj.name}

    @app.put("/api/session", tags=["session"])
    def set_session(body: CoderName) -> dict[str, str]:
        """Change the coder name recorded on new codings, decisions and memos (remembered by the project)."""
        app.state.web.set_coder(body.coder)
        return session()

    @app.post("/settings/coder", include_in_schema=False)
    def set_coder_form(coder: str = Form(...), back: str = Form("/")) -> RedirectResponse:
        name = app.state.web.set_coder(coder)
        path = back if back.startswith("/") and not back.startswith("//") else "/"
        return app.state.web.pages.redirect(quote(path, safe="/%"), msg=f"now coding as {name}")

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    def api_page(request: Request) -> HTMLResponse:
        routes = []
        for path, ops in app.openapi().get("paths", {}).items():
            for method, op in ops.items():
                routes.append((method.upper(), path, (op.get("description") or op.get("summary", "")).split("\n")[0]))
        return app.state.web.pages.render(request, "api.html", "", "API", routes=routes)

    @app.exception_handler(VoicetraceError)
    async def user_error(request: Request, exc: VoicetraceError) -> Response:
        if isinstance(exc, ProjectBusy):
            return _error(request, 503, str(exc), headers={"Retry-After": str(RETRY_AFTER_S)})
        status = 404 if isinstance(exc, NotFound) else 400
        return _error(request, status, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        """The last resort: never a bare 500. The traceback goes to the log under an id the user can quote."""
        incident = token_hex(4)
        log.error("unexpected error %s on %s %s", incident, request.method, request.url.path, exc_info=exc)
        return _error(request, 500, f"Something went wrong inside voicetrace (error id {incident}; "
                                    "the details are in the server's log). Nothing was changed.",
                      headers=security_headers())

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for e in exc.errors():
            loc = list(e.get("loc", ()))
            if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
                loc = loc[1:]
            where = ".".join(str(x) for x in loc)
            problems.append(f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg", "invalid")))
        return _error(request, 422, "The request was not understood — " + "; ".join(problems))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    def _error(request: Request, status: int, text: str, headers: dict[str, str] | None = None) -> Response:
        accept = request.headers.get("accept", "")
        if request.url.path.startswith("/api/") or "text/html" not in accept or "application/json" in accept:
            return JSONResponse({"error": text}, status_code=status, headers=headers)  # scripts get JSON
        page: WebContext = app.state.web
        try:
            resp = page.pages.render(request, "error.html", "", "Problem", status_code=status, detail=text,
                                     status=status)
        except Exception:  # noqa: BLE001 (never let the error page itself fail)
            resp = HTMLResponse(f"<!doctype html><meta charset=utf-8><title>voicetrace</title><p>{escape(text)}</p>",
                                status_code=status)
        resp.headers.update(headers or {})
        return resp

    return app
