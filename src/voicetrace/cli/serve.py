"""`voicetrace serve`: the local web app on loopback, behind a per-run token printed at start.

Kept apart from the Typer app so the command stays a thin wrapper: it opens the project, binds
a socket (a free port unless one is given), prints the address with its token, and runs uvicorn.
"""
from __future__ import annotations

import socket
import sys
import threading
import webbrowser
from pathlib import Path

from ..services.project import Project


def _bind(host: str, port: int | None) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port or 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(project_path: str | Path, host: str = "127.0.0.1", port: int | None = None,
          no_browser: bool = False) -> None:
    """Serve one project until interrupted; the first stdout line with a URL carries ``?token=``."""
    import uvicorn

    from ..web.app import create_app
    from ..web.security import Secrets

    project = Project.open(project_path)
    secrets = Secrets()
    app = create_app(project, secrets=secrets, bind_host=host)
    sock = _bind(host, port)
    bound = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{bound}/?token={secrets.token}"
    print(f"voicetrace: serving {project.name} (press Ctrl+C to stop). Open:", flush=True)
    print(url, flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {host}, reachable from other machines; anyone with the token can use it",
              file=sys.stderr, flush=True)
    if not no_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        project.close()
