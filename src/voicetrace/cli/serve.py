"""`voicetrace serve`: the local web app on loopback, behind a per-run token printed at start.

Kept apart from the Typer app so the command stays a thin wrapper: open the project, bind a
socket (a free port unless one is given), print the address with its token, run the server.
"""
from __future__ import annotations

import sys
import threading
import webbrowser
from pathlib import Path


def serve(project_path: str | Path, host: str = "127.0.0.1", port: int | None = None,
          no_browser: bool = False, coder: str | None = None) -> None:
    """Serve one project until interrupted; the line after the banner is the URL with ``?token=``."""
    from ..web import server
    from ..web.app import create_app
    from ..web.security import Secrets
    from .common import open_project

    project = open_project(Path(project_path))
    secrets = Secrets()
    app = create_app(project, secrets=secrets, bind_host=host, coder=coder)
    sock = server.listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{sock.getsockname()[1]}/?token={secrets.token}"
    print(f"voicetrace: serving {project.name} (Ctrl+C to stop). Open:", flush=True)
    print(url, flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {host}, so other machines can reach it; anyone with the token can use it",
              file=sys.stderr, flush=True)
    if not no_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.run(app, sock)
    finally:
        sock.close()
        project.close()
