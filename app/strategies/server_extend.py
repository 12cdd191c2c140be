"""server-extend: dcc.Interval calls Python through the tick gate; Python returns only the new samples (extendData)."""

from __future__ import annotations

from dash import Dash, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from .. import ids, tabdata
from ..settings import Settings
from . import common, gate

SID = "server-extend"


def tick(settings: Settings, request, view_raw, cursor, clock, triggered_id: str | None, store=None):
    """One callback run: a whole figure when the view changed, else extendData with the samples due.

    `request` is the gate's count (unused: a tick is stateless). The batch starts at the cursor the last
    applied reply left, so a reply that never landed is sent again, bounded by the reply cap. `store` is the
    tab's dataset store: its samples are the ones drawn (app/tabdata.py).
    """
    data = tabdata.resolve(settings, store)
    view = common.read_view(view_raw, data.channels)
    head = common.head_now(clock, data.rate)
    if view is None or head is None:
        raise PreventUpdate  # nothing usable to draw from (logged in common)
    sig = common.signature(view, data)
    fresh = {"sig": sig, "end": head}
    end = common.read_cursor_end(cursor)
    stale = not isinstance(cursor, dict) or cursor.get("sig") != sig or end is None
    if triggered_id == ids.panel(SID, "view") or stale:
        start = max(0, head - view.drawn(SID))
        return no_update, common.figure(data, view, SID, start, head), fresh
    if not clock.get("playing") or not view.channels:
        raise PreventUpdate  # a tick that raced a pause, or nothing on screen: draw nothing
    if head <= end:
        raise PreventUpdate
    start = max(end, head - view.drawn(SID))  # at most `drawn` points per trace, however far the cursor lags
    x, ys = common.columns(data.values, view.channels, start, head, data.rate, data.start)
    update = {"x": [x] * len(ys), "y": ys}
    return [update, list(range(len(ys))), view.drawn(SID)], no_update, fresh


def register(app: Dash, settings: Settings) -> None:
    """Wire the panel's gated Interval and view (Inputs), cursor, clock and dataset (State) to `tick`."""
    graph = ids.panel(SID, "graph")
    gate.register(app, SID)

    @app.callback(
        Output(graph, "extendData"),
        Output(graph, "figure"),
        Output(ids.panel(SID, "cursor"), "data"),
        gate.request(SID),
        Input(ids.panel(SID, "view"), "data"),
        State(ids.panel(SID, "cursor"), "data"),
        State(ids.CLOCK_STORE, "data"),
        State(ids.DATA_STORE, "data"),
        prevent_initial_call=True,
    )
    def server_extend_tick(request, view_raw, cursor, clock, store):
        return tick(settings, request, view_raw, cursor, clock, ctx.triggered_id, store)
