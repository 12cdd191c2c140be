"""The locked-down page: one Content-Security-Policy, `nosniff`, no directory listings.

The policy below is the single definition. It allows no inline script but Dash's own, by hash
(`app.csp_hashes()`: the renderer's start-up line), and no `eval`: Tickless's JavaScript, the Dash renderer, the
LiveChart and plotly.js (the traces Tickless draws, `scatter` and `scattergl`) run without either; a browser test
loads every page under it and finds no violation. Styles need `'unsafe-inline'` (plotly.js injects a stylesheet
and positions everything with style attributes, as React does): style injection cannot run script.

`scattergl` is why the page is served plotly.js's *strict* build: regl, the WebGL library under plotly.js's gl
traces, writes each draw command as JavaScript source and compiles it with `Function.apply(null, …)` (regl
`core.js` `compile()`), which a policy without `'unsafe-eval'` refuses; the strict build
(`plotly.js-strict-dist-min`, the same plotly.js version, vendored by `make setup` from vendor/package-lock.json)
carries those commands precompiled. It is served at the URL Dash gives plotly.js (same caching), in place of the
default build, when its version matches the plotly.js the plotly package ships.

Features that need more add sources to their app's copy with `allow(app, directive, *sources)` while the app is
built (e.g. a websocket on another port: `allow(app, "connect-src", "ws://127.0.0.1:8765")`); same-origin
`fetch` and same-origin websockets are covered by `connect-src 'self'` already (CSP 3 matches ws:/wss: of the
page's own host and port).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path

from dash import Dash
from flask import Response, abort, request, send_file

log = logging.getLogger("tickless")
ROOT = Path(__file__).resolve().parent.parent
STRICT_PLOTLY = ROOT / "vendor" / "node_modules" / "plotly.js-strict-dist-min" / "plotly-strict.min.js"

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


def _version(path: Path) -> str | None:
    """The plotly.js version in a bundle's banner ("v4.1.1"), or None."""
    try:
        with path.open("rb") as f:
            head = f.read(300).decode("utf-8", "replace")
    except OSError:
        return None
    found = re.search(r"plotly\.js(?: \(strict - minified\))? v(\d+\.\d+\.\d+)", head)
    return found.group(1) if found else None


def strict_plotly() -> Path | None:
    """plotly.js's strict build when it is vendored and the same version as the plotly package's build."""
    import plotly

    default = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    strict = _version(STRICT_PLOTLY)
    if strict is None:
        log.warning(
            "plotly.js strict build not found (%s): scattergl needs eval; run `make setup`", STRICT_PLOTLY
        )
        return None
    if strict != _version(default):
        log.warning(
            "plotly.js strict build v%s differs from the default build v%s: not used",
            strict,
            _version(default),
        )
        return None
    return STRICT_PLOTLY


def install(app: Dash) -> None:
    """Send the policy with every page and `nosniff` with every response; folders of served files are 404."""
    prefix = app.config.routes_pathname_prefix
    folders = (f"{prefix}{app.config.assets_url_path.strip('/')}/", f"{prefix}_dash-component-suites/")
    app.server.config.setdefault(CONFIG_KEY, {k: list(v) for k, v in CSP.items()})
    server = app.server

    strict = strict_plotly()
    stat = strict.stat() if strict is not None else None
    tag = f'"strict-{stat.st_size:x}-{stat.st_mtime_ns:x}"' if stat is not None else ""
    plotly_js = re.compile(
        rf"^{re.escape(prefix)}_dash-component-suites/plotly/package_data/plotly(\.v[\w]+)?\.min\.js$"
    )

    @server.before_request
    def _no_listing():
        # Dash answers any unknown path with the page (its pages are routed in the browser); a folder of
        # served files gets a 404 instead, never the page or a listing of what is in it
        if _directory_like(request.path, folders):
            abort(404)
        # plotly.js: the strict build (no eval), at the same URL and with the caching Dash gives it
        match = plotly_js.match(request.path) if strict is not None else None
        if match:
            immutable = match.group(1) is not None  # a fingerprinted URL never changes
            # flask-compress appends the coding to the ETag ("tag:br"), so the browser revalidates with a tag
            # send_file's own check never matches: answer 304 here when the tag it sends starts with ours
            if not immutable and tag.strip('"') in request.headers.get("If-None-Match", ""):
                response = Response(status=304)
                response.headers["ETag"] = tag
                return response
            response = send_file(
                strict, mimetype="text/javascript", max_age=31_536_000 if immutable else 0, conditional=True
            )
            if immutable:
                response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
            else:
                response.headers["ETag"] = tag
            return response
        return None

    @server.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = header(app)
        return response
