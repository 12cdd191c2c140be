"""The locked-down page: one Content-Security-Policy, `nosniff`, no directory listings.

The policy below is the single definition. It allows no inline script but Dash's own, by hash
(`app.csp_hashes()`: the renderer's start-up line), and no `eval`: Tickless's JavaScript, the Dash renderer, the
LiveChart and plotly.js (the traces Tickless draws, `scatter` and `scattergl`) run without either; a browser test
loads every page under it and finds no violation. Styles need `'unsafe-inline'` (plotly.js injects a stylesheet
and positions everything with style attributes, as React does): style injection cannot run script.

Features that need more add sources to their app's copy with `allow(app, directive, *sources)` while the app is
built (e.g. a websocket on another port: `allow(app, "connect-src", "ws://127.0.0.1:8765")`); same-origin
`fetch` and same-origin websockets are covered by `connect-src 'self'` already (CSP 3 matches ws:/wss: of the
page's own host and port).
"""

from __future__ import annotations

from collections.abc import Mapping

from dash import Dash
from flask import Response, abort, request

CSP: Mapping[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),  # + the hashes of Dash's inline start-up script, added per app
    "style-src": ("'self'", "'unsafe-inline'"),
    "img-src": ("'self'", "data:", "blob:"),  # plotly's modebar icons, "download plot as png"
    "font-src": ("'self'", "data:"),
    "connect-src": ("'self'",),  # callbacks, the liveness probe, same-origin data routes and websockets
    "worker-src": ("'self'", "blob:"),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors 'none', for browsers that predate it
}

CONFIG_KEY = "TICKLESS_CSP"


def allow(app: Dash, directive: str, *sources: str) -> None:
    """Add sources to one directive of this app's policy (call while building the app, before it serves)."""
    policy = app.server.config.setdefault(CONFIG_KEY, {k: list(v) for k, v in CSP.items()})
    policy.setdefault(directive, [])
    policy[directive].extend(s for s in sources if s not in policy[directive])
    app.server.config.pop(CONFIG_KEY + "_HEADER", None)


def header(app: Dash) -> str:
    """This app's Content-Security-Policy header value (built once, after every inline script is known)."""
    cached = app.server.config.get(CONFIG_KEY + "_HEADER")
    if cached is None:
        policy = {k: list(v) for k, v in app.server.config.get(CONFIG_KEY, CSP).items()}
        policy["script-src"] = policy.get("script-src", []) + list(app.csp_hashes())
        cached = "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())
        app.server.config[CONFIG_KEY + "_HEADER"] = cached
    return cached


def _directory_like(path: str, prefixes: tuple[str, ...]) -> bool:
    """A path that names a folder of served files (`/assets/`, `/assets/js/`, `/_dash-component-suites/`)."""
    return any(path == p.rstrip("/") or (path.startswith(p) and path.endswith("/")) for p in prefixes)


def install(app: Dash) -> None:
    """Send the policy with every page and `nosniff` with every response; folders of served files are 404."""
    prefix = app.config.routes_pathname_prefix
    folders = (f"{prefix}{app.config.assets_url_path.strip('/')}/", f"{prefix}_dash-component-suites/")
    app.server.config.setdefault(CONFIG_KEY, {k: list(v) for k, v in CSP.items()})
    server = app.server

    @server.before_request
    def _no_listing():
        # Dash answers any unknown path with the page (its pages are routed in the browser); a folder of
        # served files gets a 404 instead, never the page or a listing of what is in it
        if _directory_like(request.path, folders):
            abort(404)

    @server.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = header(app)
        return response
