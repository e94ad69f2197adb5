"""Running the app: a listening socket (free port unless given) and uvicorn on it.

The socket is bound before the address is printed, so a client that reads the address and
connects at once is queued rather than refused. TCP_NODELAY matters: without it a small JSON
answer waits for the client's delayed ACK (~40 ms on Linux), which dominated the coding round trip.
"""
from __future__ import annotations

import socket
import threading
import time
from typing import Any, Self

import uvicorn


def listen(host: str = "127.0.0.1", port: int | None = None) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # accepted sockets inherit it on Linux
    sock.bind((host, port or 0))
    sock.listen(128)
    return sock


def server_for(app: Any) -> uvicorn.Server:
    # Access logs would print every URL, token included: off.
    return uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))


def run(app: Any, sock: socket.socket) -> None:
    """Serve until interrupted (Ctrl+C)."""
    server_for(app).run(sockets=[sock])


class BackgroundServer:
    """The app served from a thread, for browser tests and benchmarks."""

    def __init__(self, app: Any, host: str = "127.0.0.1") -> None:
        self.sock = listen(host)
        self.url = f"http://{host}:{self.sock.getsockname()[1]}"
        self.server = server_for(app)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(5)
        self.sock.close()
