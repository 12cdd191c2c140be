"""Tickless: clientside-first live charts on Plotly Dash. `create_app(settings)` builds the app."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .settings import Settings

if TYPE_CHECKING:  # Dash is imported only when an app is built: app.contract must import without it
    from dash import Dash

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"


def create_app(settings: Settings | None = None, backend: str = "flask") -> Dash:
    """Build the Dash app for these settings (default: environment variables, then defaults).

    `backend="fastapi"` builds the push server's app (app/asgi.py, under uvicorn): the same pages, plus the
    server-push strategy over Dash's websocket callbacks; the Flask app's gate, liveness route and headers are
    installed there as ASGI equivalents."""
    from dash import Dash

    from . import bridge, compress, controls, dataroute, guard, inspector, link, security, shell
    from .strategies import STRATEGIES

    settings = settings if settings is not None else Settings.load()
    extra: dict = {}
    if backend == "fastapi":
        from .strategies.server_push import PushSettings

        # the sockets' inactivity timeout (Dash tells the page's websocket worker, which closes an idle socket)
        extra = {
            "backend": "fastapi",
            "websocket_inactivity_timeout": PushSettings.load(settings).inactivity_ms,
        }
    app = Dash(
        __name__,
        title="Tickless",
        assets_folder=str(ASSETS),
        update_title=None,
        compress=False,  # flask-compress below, configured for the one big payload
        **extra,
    )
    server = app.server
    if backend == "flask":
        compress.setup(server)
        server.config["TICKLESS_SETTINGS"] = settings
    if backend == "flask":
        dataroute.install(server, app.config.routes_pathname_prefix)  # the dataset as a cacheable binary
    app.layout = shell.layout(settings, app.config.requests_pathname_prefix)
    controls.register(app)
    for strategy in STRATEGIES:
        strategy.register(app, settings)
    bridge.register(app, settings)
    inspector.register(app)
    from . import dataview, upload  # your own data: the page's controls (clientside) and the upload route

    dataview.register(app)
    if backend == "fastapi":
        from . import asgi

        asgi.install(app)  # body cap + shape check, liveness route, CSP and headers, gzip: as ASGI middleware
        return app
    guard.install(app)
    upload.install(server, app.config.routes_pathname_prefix, app.config.requests_pathname_prefix)
    link.register(app)
    security.install(app)  # the Content-Security-Policy, nosniff, no folder listings (last: sees every route)
    return app
