"""The page frame: URL, stores, header and navigation; every page is a view over the same panels."""

from __future__ import annotations

from dash import dcc, html

from . import bridge, contract, controls, datafile, dataroute, ids, inspector, panels, tabdata
from .settings import Settings
from .strategies import STRATEGIES
from .strategies.common import BASE_LAYOUT


def browser_config(settings: Settings) -> dict:
    """Everything the browser's router and stream engine need, from the one Python source of truth."""
    from . import events  # imported here so `python -m app.events` does not import itself twice

    ds = datafile.current(settings)
    config = contract.browser(
        settings.window, list(ds.names), [list(r) for r in tabdata.own(settings).ranges]
    )
    # windows adapt to the data: no wider than its length (the replay loops), within the contract
    config["limits"]["window"] = [contract.WINDOW[0], ds.window_max()]
    return {
        **config,
        "data": {
            "uploadPath": contract.UPLOAD_PATH,
            "uploadMaxBytes": contract.UPLOAD_MAX_BYTES,
            "formats": list(contract.UPLOAD_FORMATS),
            "maxChannels": contract.CHANNELS[1],
            "layouts": list(contract.VIEW_LAYOUTS),
            "yScales": list(contract.Y_SCALES),
            "themes": contract.THEMES,  # chart colours per theme (54_viewer.js; the server panels use the same)
            "stackGap": contract.STACK_GAP,
            "start": ds.start,  # epoch s of the first sample when the data has timestamps (CSV times in UTC)
            "ids": {
                "data": ids.DATA_STORE,
                "config": ids.CONFIG_STORE,
                "channels": ids.CHANNELS,
                "window": ids.WINDOW,
                "title": ids.DATA_TITLE,
                "upload": ids.UPLOAD,
                "status": ids.UPLOAD_STATUS,
                "play": ids.PLAY,
                "layout": ids.VIEW_LAYOUT,
                "keys": ids.VIEW_KEYS,
                "png": ids.VIEW_PNG,
                "csv": ids.VIEW_CSV,
            },
        },
        "strategies": [s.to_json() for s in STRATEGIES],
        "hud": panels.hud_config(),
        "layout": BASE_LAYOUT,
        "events": events.load_events(),
    }


def _data_bar() -> html.Div:
    from . import dataview  # your own data and the viewer's controls

    return dataview.layout()


def _nav_link(title: str, note: str, href: str, how: str | None = None) -> dcc.Link:
    """One entry: the link's text is its title, a line break and a note (CSS styles the first line as the title).
    One component per entry, not three (Li > Link + Span): the renderer runs a selector for every component
    in the layout on every redux dispatch (see panels.hud)."""
    return dcc.Link(f"{title}\n{note}", href=href, title=how)


def nav() -> html.Nav:
    """Links to the live chart, every strategy and the compare page, one line each on how and what it costs."""
    items = [
        _nav_link("Live", "the fastest strategy, full width", "/"),
        *(_nav_link(s.title, s.cost, f"/strategy/{s.id}", s.how) for s in STRATEGIES),
        _nav_link(
            "Compare",
            "2–4 strategies side by side on one clock",
            "/compare?s=" + ",".join(contract.COMPARE_DEFAULT),
        ),
        _nav_link("Inspector", "every plotly event, live; animation replay", "/inspector"),
    ]
    return html.Nav(items, id=ids.NAV, className="nav")


def layout(settings: Settings, requests_prefix: str = "/") -> html.Div:
    """The whole page: stores, header, navigation, controls, messages and the strategy panels.

    The dataset store holds where the samples are (a content-hashed URL, app/dataroute.py) and their shape,
    not the samples: the page fetches them once per browser and its HTTP cache keeps them.
    """
    ds = datafile.current(settings)
    payload = dataroute.store_for(ds, requests_prefix, pin=True)
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.DATA_STORE, data=payload, storage_type="memory"),
            dcc.Store(id=ids.DATASET, storage_type="memory"),
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
                        f"{datafile.describe(ds)}, replayed in a loop",
                        id=ids.DATA_TITLE,
                        className="subtitle",
                    ),
                ],
                className="header",
            ),
            nav(),
            controls.layout(settings),
            _data_bar(),
            html.Div(id=ids.MESSAGE, className="message", role="alert"),
            inspector.layout(),
            panels.layout(),
            bridge.layout(settings),
        ],
        className="shell",
    )
