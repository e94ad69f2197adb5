"""The ASGI app: one open project, pages plus JSON twins, every asset local, guarded by a token.

``create_app`` is what ``voicetrace serve`` (and the tests) call. Handlers are thin: they call one
service method and render or return what it gave back; no business logic lives here.
"""
from __future__ import annotations

import getpass
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from ..core.errors import NotFound, VoicetraceError
from ..services.project import Project
from .context import WebContext
from .rendering import Pages
from .routes import charts, claims, codebook, matrix, memos, overview, reader, reports, search, suggestions
from .security import AccessMiddleware, Secrets, require_csrf
from .selection import SegmentIndex

STATIC = Path(__file__).parent / "static"


class CoderName(BaseModel):
    coder: str


def default_coder() -> str:
    try:
        return getpass.getuser() or "me"
    except Exception:  # no login name in some containers
        return "me"


def create_app(project: Project | str | Path, *, secrets: Secrets | None = None, coder: str | None = None,
               bind_host: str = "127.0.0.1") -> FastAPI:
    """Build the app for one project. ``secrets`` defaults to fresh per-run tokens."""
    proj = project if isinstance(project, Project) else Project.open(project)
    sec = secrets or Secrets()
    who = coder or proj.setting("web_coder") or default_coder()
    app = FastAPI(title=f"voicetrace — {proj.name}", version="1",
                  description="Every HTML page of voicetrace has a JSON twin under /api. "
                              "Send the run's token (?token=, cookie, or X-Voicetrace-Token) with every "
                              "request and the CSRF token (X-CSRF-Token, from GET /api/session) with "
                              "every change.",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  dependencies=[Depends(require_csrf)])
    app.state.secrets = sec
    pages = Pages(sec, proj.name, who, case_names=lambda: [c.name for c in proj.cases()])
    app.state.web = WebContext(project=proj, pages=pages, segments=SegmentIndex(proj), secrets=sec, coder=who)
    app.add_middleware(AccessMiddleware, secrets_=sec, bind_host=bind_host)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for module in (overview, reader, memos, search, suggestions, codebook, claims, matrix, charts, reports):
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
        status = 404 if isinstance(exc, NotFound) else 400
        return _error(request, status, str(exc))

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

    def _error(request: Request, status: int, text: str) -> Response:
        if request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"error": text}, status_code=status)
        page: WebContext = app.state.web
        try:
            return page.pages.render(request, "error.html", "", "Problem", status_code=status, detail=text,
                                     status=status)
        except Exception:  # never let the error page itself fail
            return HTMLResponse("error", status_code=status)

    return app
