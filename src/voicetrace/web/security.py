"""Who may talk to the local server, and how a page proves a change came from itself.

The server is single-user but still on a shared machine: any local process or web page could
send it requests. So every request must carry the per-run token (query string, cookie or
header), the Host header must name this server (against DNS rebinding), every state change
must carry the CSRF token (header or form field), and request bodies are capped.
"""
from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from fastapi import HTTPException, Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_PARAM = "token"
TOKEN_HEADER = "x-voicetrace-token"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})

# A coded passage or a memo is small; an uploaded source file may be a long PDF.
MAX_FORM_BYTES = 1 * 1024 * 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; connect-src 'self'"
)


SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


def security_headers() -> dict[str, str]:
    """The same headers for answers made outside the middleware (the last-resort error handler)."""
    return {k.decode(): v.decode() for k, v in SECURITY_HEADERS} | {"cache-control": "no-store"}


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Secrets:
    """The two per-run secrets: the access token (printed) and the CSRF token (put in pages)."""

    token: str = field(default_factory=new_token)
    csrf: str = field(default_factory=new_token)

    def token_ok(self, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(presented.encode(), self.token.encode())  # type: ignore[union-attr]

    def csrf_ok(self, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(presented.encode(), self.csrf.encode())  # type: ignore[union-attr]


def cookie_name(scope: Scope) -> str:
    """Cookies ignore ports, so two servers on one machine must not overwrite each other's."""
    server = scope.get("server") or ("", 0)
    return f"voicetrace_token_{server[1] or 0}"


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _presented_token(scope: Scope, headers: dict[str, str]) -> tuple[str | None, bool]:
    """The token the request carries, and whether it came from the query string."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get(TOKEN_PARAM):
        return query[TOKEN_PARAM][0], True
    if TOKEN_HEADER in headers:
        return headers[TOKEN_HEADER], False
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip(), False
    if "cookie" in headers:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(headers["cookie"])
        except Exception:  # noqa: BLE001 (a malformed cookie header is the client's problem, not a crash)
            return None, False
        morsel = jar.get(cookie_name(scope))
        if morsel is not None:
            return morsel.value, False
    return None, False


def split_host(host_header: str) -> tuple[str, int | None] | None:
    """``name[:port]`` or ``[v6]:port`` -> (name, port); None when the header is malformed.

    The port must be digits: "localhost:evil.example" is not localhost.
    """
    h = host_header.strip()
    if h.startswith("["):
        end = h.find("]")
        if end < 0:
            return None
        name, rest = h[:end + 1], h[end + 1:]
    elif h.count(":") > 1:
        return None
    else:
        name, sep, port = h.partition(":")
        rest = sep + port
    if not rest:
        return name.lower(), None
    if not rest.startswith(":") or not rest[1:].isascii() or not rest[1:].isdigit() or not 0 < int(rest[1:]) < 65536:
        return None
    return name.lower(), int(rest[1:])


def host_allowed(host_header: str, bind_host: str) -> bool:
    """Loopback servers answer only to loopback names (DNS-rebinding defence)."""
    if bind_host not in LOOPBACK_NAMES:
        return True
    parsed = split_host(host_header)
    return parsed is not None and parsed[0] in LOOPBACK_NAMES


class AccessMiddleware:
    """Token, Host, body-size and security headers for every HTTP request, static files included."""

    def __init__(self, app: ASGIApp, secrets_: Secrets, bind_host: str = "127.0.0.1") -> None:
        self.app = app
        self.secrets = secrets_
        self.bind_host = bind_host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        if not host_allowed(headers.get("host", ""), self.bind_host):
            await _plain(send, 403, "This server answers only on its loopback address.")
            return
        presented, from_query = _presented_token(scope, headers)
        if not self.secrets.token_ok(presented):
            await _plain(send, 401, "Open the address that `voicetrace serve` printed: it includes ?token=...",
                         html=True)
            return
        content_type = headers.get("content-type", "")
        limit = MAX_UPLOAD_BYTES if content_type.startswith("multipart/") else MAX_FORM_BYTES
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _plain(send, 413, f"Request body too large (limit {limit // (1024 * 1024)} MB).")
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, "request body too large")
            return message

        set_cookie = from_query
        cname = cookie_name(scope)
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _v in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in have]
                # how long the server took, for the browser's network panel and the page-speed checks
                took = (time.perf_counter() - started) * 1000
                extra.append((b"server-timing", f"app;dur={took:.1f}".encode()))
                if not scope["path"].startswith("/static/") and b"cache-control" not in have:
                    extra.append((b"cache-control", b"no-store"))
                if set_cookie:
                    extra.append((b"set-cookie", (f"{cname}={self.secrets.token}; Path=/; HttpOnly; "
                                                  "SameSite=Strict").encode()))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, limited_receive, send_with_headers)


async def _plain(send: Send, status: int, text: str, html: bool = False) -> None:
    if html:
        body = ("<!doctype html><meta charset=utf-8><title>voicetrace</title>"
                f"<p>{text}</p>").encode()
        ctype = b"text/html; charset=utf-8"
    else:
        body = text.encode()
        ctype = b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                            *SECURITY_HEADERS, (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})


async def require_csrf(request: Request) -> None:
    """Every state change must prove it came from one of our pages (or a client holding the token)."""
    if request.method not in UNSAFE_METHODS:
        return
    sec: Secrets = request.app.state.secrets
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if origin.split("://", 1)[-1] != host:
            raise HTTPException(403, "cross-origin request refused")
    if sec.csrf_ok(request.headers.get(CSRF_HEADER)):
        return
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        if isinstance(value, str) and sec.csrf_ok(value):
            return
    raise HTTPException(403, "missing or wrong CSRF token (reload the page)")
