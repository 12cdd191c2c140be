"""Tickless: clientside-first live charts on Plotly Dash. `create_app(settings)` builds the app."""

from __future__ import annotations

from pathlib import Path

from dash import Dash, dcc, html
from flask_compress import Compress

from . import data, ids, live
from .settings import Settings

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"

# Feature modules: each has layout(settings) and register(app).
FEATURES = (live,)


def _shell(settings: Settings) -> html.Div:
    """The page frame: URL, the one-time data store, a header and every feature's section."""
    payload = data.payload(settings.channels, settings.rate, settings.seconds, settings.seed)
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.DATA_STORE, data=payload, storage_type="memory"),
            html.Header(
                [
                    html.H1("Tickless"),
                    html.Span(
                        f"{settings.channels} channels × {settings.seconds:g} s at "
                        f"{settings.rate:,} Hz, replayed in a loop; every frame drawn in your browser",
                        className="subtitle",
                    ),
                ],
                className="header",
            ),
            *(feature.layout(settings) for feature in FEATURES),
        ],
        className="shell",
    )


def create_app(settings: Settings | None = None) -> Dash:
    """Build the Dash app for these settings (default: environment variables, then defaults)."""
    settings = settings if settings is not None else Settings.load()
    app = Dash(
        __name__,
        title="Tickless",
        assets_folder=str(ASSETS),
        update_title=None,
        compress=False,  # flask-compress below, configured for the one big payload
    )
    server = app.server
    server.config.update(
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_BR_LEVEL=4,
        COMPRESS_LEVEL=6,
    )
    Compress(server)
    server.config["TICKLESS_SETTINGS"] = settings
    app.layout = _shell(settings)
    for feature in FEATURES:
        feature.register(app)
    return app
