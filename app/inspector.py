"""The event inspector page: every plotly_* event the installed plotly.js emits, counted live, plus an
animation replay that emits the four animation events. Everything here runs in the browser
(assets/js/80_inspector.js); Python only lays it out and wires the clientside callbacks. The inspector listens
only while its page shows (or to the events switched on by hand there). The event table is plain DOM the page
builds into an empty container the first time the page shows, and the engine writes its numbers while the page
shows: no timer goes through Dash for it, and its 41 rows are not Dash components that every renderer update
would walk.
"""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State, html

from . import ids


def layout() -> html.Section:
    """The inspector section (shown by the router on /inspector): event table and animation replay."""
    from . import events  # here, so `python -m app.events` does not import itself twice

    names = events.load_events()
    table = html.Div(id=ids.INSPECTOR_TABLE)  # filled by 80_inspector.js with one row per event
    replay = html.Div(
        [
            html.H3("Animation replay"),
            html.P(
                "A recorded stretch of the data played with Plotly.animate frames: Play, Pause and the frame "
                "slider emit plotly_animating, plotly_animatingframe, plotly_animated and "
                "plotly_animationinterrupted, which drive the frame counter and the state shown here. "
                "(Play and Pause call Plotly.animate from a clientside callback: plotly's own updatemenu "
                "Pause button did not interrupt an animation in headless Chromium here.)",
                className="panel-note",
            ),
            html.Div(
                [
                    html.Button("Record the last 3 s", id=ids.REPLAY_RECORD, n_clicks=0),
                    html.Button("Play", id=ids.REPLAY_PLAY, n_clicks=0),
                    html.Button("Pause", id=ids.REPLAY_PAUSE, n_clicks=0),
                    html.Span("not recorded", id=ids.REPLAY_STATE, className="replay-state"),
                ],
                className="controls",
            ),
            # a plain div that JS plots into: dcc.Graph re-runs Plotly.react whenever its relayoutData
            # changes, and every animation frame changes it, which resets plotly's animation queue
            html.Div(id=ids.REPLAY_GRAPH, className="replay-graph"),
        ]
    )
    return html.Section(
        [
            html.H2("Event inspector"),
            html.P(
                f"All {len(names)} plotly_* events the installed plotly.js emits (app/plotly_events.json), "
                "counted on the live chart and the replay below. dcc.Graph itself forwards only a few of them "
                "to Dash; the rest are reachable only from JS on the graph div. Zoom or pan the live chart to "
                "freeze auto-scroll, double-click to follow the live edge again, click a point to annotate it "
                "and send it through the bridge.",
                className="panel-note",
            ),
            html.Div(id=ids.INSPECTOR_STATUS, className="panel-note"),
            replay,
            table,
        ],
        id=ids.INSPECTOR,
        className="inspector",
        style={"display": "none"},
    )


def register(app: Dash) -> None:
    """Wire the subscriptions (by the page shown; the table's switches are plain checkboxes) and the replay (all
    clientside)."""
    app.clientside_callback(
        ClientsideFunction("tickless", "inspectorToggle"),
        Output(ids.INSPECTOR_STATUS, "children"),
        Input(ids.ROUTE_STORE, "data"),
        State(ids.CONFIG_STORE, "data"),
    )
    app.clientside_callback(
        ClientsideFunction("tickless", "replayRecord"),
        Output(ids.REPLAY_STATE, "children"),
        Input(ids.REPLAY_RECORD, "n_clicks"),
        Input(ids.ROUTE_STORE, "data"),
        State(ids.REPLAY_GRAPH, "id"),
        State(ids.REPLAY_STATE, "id"),
    )
    app.clientside_callback(
        ClientsideFunction("tickless", "replayControl"),
        Output(ids.REPLAY_PAUSE, "title"),
        Input(ids.REPLAY_PLAY, "n_clicks"),
        Input(ids.REPLAY_PAUSE, "n_clicks"),
        State(ids.REPLAY_GRAPH, "id"),
        prevent_initial_call=True,
    )
