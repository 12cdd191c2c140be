"""The shared control bar and the two clientside callbacks that drive every panel: route and configure."""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html

from . import contract, ids
from .settings import Settings
from .strategies import STRATEGIES, common


def speed_options(extra: float | None = None) -> list[dict]:
    """The speed presets (plus a URL-chosen speed that is not a preset)."""
    values = sorted({*contract.SPEEDS, *([extra] if extra else [])})
    return [{"label": f"{s:g}×", "value": s} for s in values]


def _control(label: str, component) -> html.Label:
    return html.Label([label, component], className="control")  # text, not a Span: one component fewer


def layout(settings: Settings) -> html.Div:
    """Play/pause, speed, window, channels, trace type, Interval period and a link to this view.

    Numeric inputs start empty and the router fills them: Dash 4.4.1's dcc.Input (debounce, number)
    does not report a typed value equal to its layout value once a callback has changed it.
    """
    names = common.names(settings)
    # no min/max/step on the inputs: the browser would mark out-of-range text invalid and dcc.Input would
    # drop it silently; the configure callback checks every value and says what is allowed instead
    number = {"type": "number", "debounce": True}
    return html.Div(
        [
            html.Div(
                [
                    html.Button("Pause", id=ids.PLAY, n_clicks=0, className="play-button"),
                    _control(
                        "Speed",
                        dcc.RadioItems(
                            options=speed_options(),
                            value=contract.DEFAULTS["speed"],
                            id=ids.SPEED,
                            inline=True,
                        ),
                    ),
                    _control(
                        "Window",
                        dcc.Input(
                            id=ids.WINDOW,
                            value=None,  # the router fills every routed control from the URL
                            className="num-input",
                            **number,
                        ),
                    ),
                    _control(
                        "Interval (ms)",
                        dcc.Input(
                            id=ids.INTERVAL,
                            value=None,
                            className="num-input",
                            **number,
                        ),
                    ),
                ],
                className="controls",
            ),
            html.Div(
                [
                    _control(
                        "Channels", dcc.Checklist(options=names, value=names, id=ids.CHANNELS, inline=True)
                    ),
                    _control(
                        "Trace",
                        dcc.RadioItems(
                            options=list(contract.TRACE_TYPES),
                            value=contract.DEFAULTS["trace"],
                            id=ids.TRACE,
                            inline=True,
                        ),
                    ),
                    html.Span(id=ids.RENDERER, className="control-note"),
                    _control(
                        "Decimate",
                        dcc.RadioItems(
                            options=list(contract.DECIMATE_MODES),
                            value=contract.DEFAULTS["decimate"],
                            id=ids.DECIMATE,
                            inline=True,
                        ),
                    ),
                    html.A("Link to this view", id=ids.SHARE, href="/", className="share"),
                ],
                className="controls",
            ),
            html.Div(id=ids.CONTROL_MESSAGE, className="message", role="status"),
        ],
        className="control-bar",
    )


def register(app: Dash) -> None:
    """Wire the URL router, the dataset's decoding, the controls and the tab's preferences (all clientside).
    The session store (the playhead for a reload) is written by the engine, not by a callback on a timer
    (assets/js/50_stream.js)."""
    interval_ids = [s.id for s in STRATEGIES if s.interval]
    app.clientside_callback(
        ClientsideFunction("tickless", "route"),
        *(Output(ids.panel(s.id, "panel"), "style") for s in STRATEGIES),
        Output(ids.INSPECTOR, "style"),
        Output(ids.ROUTE_STORE, "data"),
        Output(ids.MESSAGE, "children"),
        Output(ids.WINDOW, "value"),
        Output(ids.SPEED, "value"),
        Output(ids.SPEED, "options"),
        Output(ids.CHANNELS, "value"),
        Output(ids.TRACE, "value"),
        Output(ids.INTERVAL, "value"),
        Output(ids.BRIDGE_PERIOD, "value"),
        Output(ids.DECIMATE, "value"),
        Output(ids.RENDERER, "children"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
        State(ids.PREFS_STORE, "data"),
        State(ids.CONFIG_STORE, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("tickless", "loadDataset"),
        Output(ids.DATASET, "data"),
        Input(ids.DATA_STORE, "data"),
        State(ids.CONFIG_STORE, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("tickless", "configure"),
        *(Output(ids.panel(s.id, "view"), "data") for s in STRATEGIES),
        *(Output(ids.panel(sid, "tick"), "disabled") for sid in interval_ids),
        *(Output(ids.panel(sid, "tick"), "interval") for sid in interval_ids),
        Output(ids.PLAY, "children"),
        Output(ids.CONTROL_MESSAGE, "children"),
        Output(ids.PREFS_STORE, "data"),
        Output(ids.SHARE, "href"),
        Input(ids.ROUTE_STORE, "data"),
        Input(ids.DATASET, "data"),
        Input(ids.PLAY, "n_clicks"),
        Input(ids.SPEED, "value"),
        Input(ids.WINDOW, "value"),
        Input(ids.CHANNELS, "value"),
        Input(ids.TRACE, "value"),
        Input(ids.INTERVAL, "value"),
        Input(ids.BRIDGE_PERIOD, "value"),
        Input(ids.DECIMATE, "value"),
        Input(ids.VIEW_LAYOUT, "value"),  # the viewer (app/dataview.py): overlaid or stacked
        Input(ids.VIEW_YSCALE, "value"),  # ... y scale auto or fixed
        State(ids.CONFIG_STORE, "data"),
        State(ids.SESSION_STORE, "data"),
    )
