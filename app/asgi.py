"""The push server's front gate: the Flask app's protections, as ASGI middleware on Dash's FastAPI backend.

`create_app(settings, backend="fastapi")` calls `install(app)`, which gives the push server what the Flask app
gets from app/guard.py, app/link.py, app/security.py and app/compress.py, from the same definitions:
  - a callback request over `contract.MAX_REQUEST_BYTES` is refused with 413 before it is read further, one
    that is not the shape its callback takes (guard.check_body) with 400 and the reason: never a 500;
  - GET `contract.LINK_PATH` answers an empty, uncacheable 204 (the page's liveness probe);
  - every response says nosniff (and the rest of security.HEADERS); every page carries security.CSP with Dash's
    inline start-up script's hashes (`connect-src 'self'` covers the page's own websocket); folders of served
    files are 404;
  - gzip (starlette's GZipMiddleware) where flask-compress would compress: brotli is not offered here, and the
    layout is compressed per request (the push server is one process serving the tabs that push);
  - Tickless's own Flask routes (the dataset binary, app/dataroute.py; uploads, app/upload.py) are served by the
    very same Flask code, on a small Flask app this middleware hands those paths to (WSGI in a thread).
Websocket traffic passes through untouched: Dash checks its Origin (same host, or websocket_allowed_origins).
"""

from __future__ import annotations

import json
import logging

from dash import Dash

from . import contract, guard, security

log = logging.getLogger("tickless")


def _plain(status: int, text: str) -> tuple[dict, dict]:
    """An ASGI response (start, body) with a plain-text body."""
    body = text.encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    return start, {"type": "http.response.body", "body": body}


class Gate:
    """ASGI middleware: body cap and shape check on callback requests, the liveness route, headers, no listings."""

    def __init__(self, inner, app: Dash, sidecar=None, sidecar_paths: tuple[str, ...] = ()):
        self.inner = inner
        self.dash = app
        self.sidecar = sidecar
        self.sidecar_paths = sidecar_paths
        prefix = app.config.routes_pathname_prefix
        self.callback_path = prefix + "_dash-update-component"
        self.folders = (
            f"{prefix}{app.config.assets_url_path.strip('/')}/",
            f"{prefix}_dash-component-suites/",
        )
        self._csp: str | None = None

    def csp(self) -> str:
        """The page's Content-Security-Policy: the single definition plus Dash's inline scripts' hashes."""
        if self._csp is None:
            policy = {k: list(v) for k, v in security.CSP.items()}
            policy["script-src"] = policy.get("script-src", []) + list(self.dash.csp_hashes())
            self._csp = "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())
        return self._csp

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        path, method = scope.get("path", ""), scope.get("method", "GET")
        if path == contract.LINK_PATH and method in ("GET", "HEAD"):
            await send(
                {"type": "http.response.start", "status": 204, "headers": [(b"cache-control", b"no-store")]}
            )
            await send({"type": "http.response.body", "body": b""})
            return
        if any(path == f.rstrip("/") or (path.startswith(f) and path.endswith("/")) for f in self.folders):
            await self._reply(send, 404, "Not Found\n")
            return
        if self.sidecar is not None and path.startswith(self.sidecar_paths):
            await self.sidecar(scope, receive, self._with_headers(send))
            return
        if method == "POST" and path == self.callback_path:
            body = await self._read_capped(scope, receive)
            if body is None:
                log.warning("callback request refused (413): body over %d bytes", contract.MAX_REQUEST_BYTES)
                await self._reply(
                    send, 413, f"Request body too large: at most {contract.MAX_REQUEST_BYTES:,} bytes\n"
                )
                return
            problem = self._check(body)
            if problem is not None:
                log.warning("callback request refused (400): %s", problem)
                await self._reply(send, 400, f"Bad callback request: {problem}\n")
                return
            receive = _replay(body)
        await self.inner(scope, receive, self._with_headers(send))

    async def _read_capped(self, scope, receive) -> bytes | None:
        """The request body, or None as soon as it is longer than the contract allows (never read past it)."""
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > contract.MAX_REQUEST_BYTES:
                return None
        chunks, size = [], 0
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > contract.MAX_REQUEST_BYTES:
                return None
            chunks.append(chunk)
            if not message.get("more_body"):
                return b"".join(chunks)

    def _check(self, body: bytes) -> str | None:
        try:
            parsed = json.loads(body)
        except (ValueError, RecursionError):
            return "the body is not JSON (Content-Type: application/json)"
        return guard.check_body(parsed, guard.server_callbacks(self.dash))

    async def _reply(self, send, status: int, text: str) -> None:
        start, body = _plain(status, text)
        await self._with_headers(send)(start)
        await send(body)

    def _with_headers(self, send):
        async def wrapped(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                have = {k.lower() for k, _ in headers}
                for name, value in security.HEADERS.items():
                    if name.lower().encode() not in have:
                        headers.append((name.lower().encode(), value.encode()))
                ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if ctype.startswith(b"text/html"):
                    headers.append((b"content-security-policy", self.csp().encode()))
                message = {**message, "headers": headers}
            await send(message)

        return wrapped


def _replay(body: bytes):
    """A `receive` that hands the already-read body to Dash, then reports a disconnect."""
    sent = False

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def sidecar(app: Dash):
    """Tickless's own Flask routes (dataset binary, uploads) on a small Flask app, as ASGI, and their paths."""
    import warnings

    from flask import Flask

    from . import upload

    with warnings.catch_warnings():  # deprecated in favour of a2wsgi, which is not a dependency here
        warnings.simplefilter("ignore")
        from starlette.middleware.wsgi import WSGIMiddleware

    routes, requests = app.config.routes_pathname_prefix, app.config.requests_pathname_prefix
    flask_app = Flask("tickless_push_routes")
    upload.install(flask_app, routes, requests)  # the upload route and the dataset route it needs
    paths = (routes + "tickless/", routes.rstrip("/") + contract.UPLOAD_PATH)
    return WSGIMiddleware(flask_app), paths


def install(app: Dash) -> None:
    """Put the gate and gzip in front of the push server's FastAPI app (call while building it)."""
    from starlette.middleware.gzip import GZipMiddleware

    server = app.server
    wsgi, paths = sidecar(app)
    server.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    # added last: runs first, so a refused request costs no compression (the sidecar compresses its own replies)
    server.add_middleware(Gate, app=app, sidecar=wsgi, sidecar_paths=paths)
    # Dash sets itself up (walks the assets folder, ...) before its first request to a Dash path; on this backend a
    # page at another path (/strategy/server-push?...) served first would list no assets: set up now instead
    app._setup_server()  # noqa: SLF001
