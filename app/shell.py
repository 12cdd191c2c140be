"""The page frame: URL, stores, header and navigation; every page is a view over the same panels."""

from __future__ import annotations

from dash import dcc, html

from . import bridge, controls, data, ids, inspector, panels
from .settings import SPEED_MAX, SPEED_MIN, WINDOW_MAX, WINDOW_MIN, Settings
from .strategies import COMPARE_DEFAULT, LANDING, STRATEGIES
from .strategies.common import BASE_LAYOUT, INTERVAL_DEFAULT, INTERVAL_MAX, INTERVAL_MIN, channel_ranges

COMPARE_MIN, COMPARE_MAX = 2, 4


def browser_config(settings: Settings) -> dict:
    """Everything the browser's router and stream engine need, from the one Python source of truth."""
    from . import events  # imported here so `python -m app.events` does not import itself twice

    names = data.channel_names(settings.channels)
    return {
        "ids": {"clock": ids.CLOCK_STORE, "url": ids.URL, "zoom": ids.ZOOM_STORE, "replay": ids.REPLAY_GRAPH},
        "strategies": [s.to_json() for s in STRATEGIES],
        "landing": LANDING,
        "compareDefault": list(COMPARE_DEFAULT),
        "limits": {
            "window": [WINDOW_MIN, WINDOW_MAX],
            "speed": [SPEED_MIN, SPEED_MAX],
            "interval": [INTERVAL_MIN, INTERVAL_MAX],
            "bridge": [bridge.PERIOD_MIN, bridge.PERIOD_MAX],
            "compare": [COMPARE_MIN, COMPARE_MAX],
        },
        "defaults": {
            "window": settings.window,
            "speed": 1,
            "channels": names,
            "trace": "scatter",
            "interval": INTERVAL_DEFAULT,
            "bridge": bridge.PERIOD_DEFAULT,
            "decimate": "auto",
        },
        "speeds": controls.SPEEDS,
        "names": names,
        "ranges": [list(r) for r in channel_ranges(settings)],
        "layout": BASE_LAYOUT,
        "events": events.load_events(),
    }


def nav() -> html.Nav:
    """Links to the live chart, every strategy and the compare page, one line each on how and what it costs."""
    items = [
        html.Li([dcc.Link("Live", href="/"), html.Span("the fastest strategy, full width")]),
        *(
            html.Li([dcc.Link(s.title, href=f"/strategy/{s.id}"), html.Span(s.cost)], title=s.how)
            for s in STRATEGIES
        ),
        html.Li(
            [
                dcc.Link("Compare", href="/compare?s=" + ",".join(COMPARE_DEFAULT)),
                html.Span("2–4 strategies side by side on one clock"),
            ]
        ),
        html.Li(
            [
                dcc.Link("Inspector", href="/inspector"),
                html.Span("every plotly event, live; animation replay"),
            ]
        ),
    ]
    return html.Nav(html.Ul(items), id=ids.NAV, className="nav")


def layout(settings: Settings) -> html.Div:
    """The whole page: stores, header, navigation, controls, messages and the strategy panels."""
    payload = data.payload(settings.channels, settings.rate, settings.seconds, settings.seed)
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.DATA_STORE, data=payload, storage_type="memory"),
            dcc.Store(id=ids.CONFIG_STORE, data=browser_config(settings), storage_type="memory"),
            dcc.Store(id=ids.CLOCK_STORE, storage_type="memory"),
            dcc.Store(id=ids.ROUTE_STORE, storage_type="memory"),
            dcc.Store(id=ids.PREFS_STORE, storage_type="local"),
            dcc.Store(id=ids.SESSION_STORE, storage_type="session"),
            dcc.Store(id=ids.ZOOM_STORE, data=[], storage_type="memory"),
            html.Header(
                [
                    html.H1(dcc.Link("Tickless", href="/")),
                    html.Span(
                        f"{settings.channels} channels × {settings.seconds:g} s at {settings.rate:,} Hz, "
                        "replayed in a loop",
                        className="subtitle",
                    ),
                ],
                className="header",
            ),
            nav(),
            controls.layout(settings),
            html.Div(id=ids.MESSAGE, className="message", role="alert"),
            inspector.layout(),
            panels.layout(),
            bridge.layout(settings),
        ],
        className="shell",
    )
