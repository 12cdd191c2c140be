"""The live chart: controls, graph and HUD, all driven in the browser (clientside-raf strategy)."""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html

from . import ids
from .data import channel_names
from .settings import WINDOW_MAX, WINDOW_MIN, Settings

SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50]
TRACE_TYPES = ["scatter", "scattergl"]
HUD_PERIOD_MS = 500

# What the graph shows before the browser has decoded the data; JS replaces it on the first frame.
PLACEHOLDER_FIGURE = {
    "data": [],
    "layout": {"margin": {"l": 50, "r": 20, "t": 10, "b": 40}, "meta": {"tickless_epoch": 0}},
}


def _control(label: str, component, **kwargs) -> html.Label:
    return html.Label([html.Span(label, className="control-label"), component], **kwargs)


def _hud_item(label: str, component_id: str) -> html.Div:
    return html.Div([html.Span(label), html.B("–", id=component_id)], className="hud-item")


def layout(settings: Settings) -> html.Div:
    """The live chart section: a control bar, the graph with its HUD overlay, and a status line."""
    names = channel_names(settings.channels)
    controls = html.Div(
        [
            html.Button("Pause", id=ids.LIVE_PLAY, n_clicks=0, className="play-button"),
            _control(
                "Speed",
                dcc.RadioItems(
                    options=[{"label": f"{s:g}×", "value": s} for s in SPEEDS],
                    value=1,
                    id=ids.LIVE_SPEED,
                    inline=True,
                ),
            ),
            _control(
                "Window (points)",
                dcc.Input(
                    id=ids.LIVE_WINDOW,
                    type="number",
                    min=WINDOW_MIN,
                    max=WINDOW_MAX,
                    step=1,
                    value=settings.window,
                    debounce=True,
                    className="window-input",
                ),
            ),
            _control(
                "Channels",
                dcc.Checklist(options=names, value=names, id=ids.LIVE_CHANNELS, inline=True),
            ),
            _control(
                "Trace",
                dcc.RadioItems(options=TRACE_TYPES, value="scatter", id=ids.LIVE_TRACE, inline=True),
            ),
        ],
        className="controls",
    )
    hud = html.Div(
        [
            _hud_item("fps", ids.LIVE_HUD_FPS),
            _hud_item("points", ids.LIVE_HUD_POINTS),
            _hud_item("latency", ids.LIVE_HUD_LATENCY),
            _hud_item("server requests", ids.LIVE_HUD_REQUESTS),
        ],
        className="hud",
        title="frames painted per second · points on screen · data-to-paint latency (median) · "
        "requests this tab made to /_dash-update-component",
    )
    graph = dcc.Graph(
        id=ids.LIVE_GRAPH,
        figure=PLACEHOLDER_FIGURE,
        config={"displaylogo": False, "responsive": True},
        className="live-graph",
    )
    return html.Div(
        [
            controls,
            html.Div(id=ids.LIVE_MESSAGE, className="message", role="status"),
            html.Div([graph, hud], className="chart"),
            dcc.Interval(id=ids.LIVE_HUD_TICK, interval=HUD_PERIOD_MS),
        ],
        className="live",
    )


def register(app: Dash) -> None:
    """Wire the controls and the HUD to clientside functions in assets/js (no server round trips)."""
    app.clientside_callback(
        ClientsideFunction("tickless", "liveConfigure"),
        Output(ids.LIVE_GRAPH, "figure"),
        Output(ids.LIVE_PLAY, "children"),
        Output(ids.LIVE_MESSAGE, "children"),
        Input(ids.DATA_STORE, "data"),
        Input(ids.LIVE_PLAY, "n_clicks"),
        Input(ids.LIVE_SPEED, "value"),
        Input(ids.LIVE_WINDOW, "value"),
        Input(ids.LIVE_CHANNELS, "value"),
        Input(ids.LIVE_TRACE, "value"),
        State(ids.LIVE_GRAPH, "id"),
        State(ids.LIVE_WINDOW, "min"),
        State(ids.LIVE_WINDOW, "max"),
    )
    app.clientside_callback(
        ClientsideFunction("tickless", "liveHud"),
        Output(ids.LIVE_HUD_FPS, "children"),
        Output(ids.LIVE_HUD_POINTS, "children"),
        Output(ids.LIVE_HUD_LATENCY, "children"),
        Output(ids.LIVE_HUD_REQUESTS, "children"),
        Input(ids.LIVE_HUD_TICK, "n_intervals"),
        State(ids.LIVE_GRAPH, "id"),
    )
