"""server-figure: dcc.Interval calls Python through the tick gate; Python returns the whole figure for the window."""

from __future__ import annotations

from dash import Dash, Input, Output, State, ctx
from dash.exceptions import PreventUpdate

from .. import ids, tabdata
from ..settings import Settings
from . import common, gate

SID = "server-figure"


def tick(settings: Settings, request, view_raw, clock, triggered_id: str | None, store=None) -> dict:
    """One callback run: the window ending at the playhead, redrawn whole (skipped while paused).

    `request` is the gate's count (unused: a tick is stateless, and a lost reply is simply replaced).

    A window wider than one reply may carry (contract.SERVER_MAX_POINTS) is drawn as its newest part, with
    a message on the chart: the cost of a tick is bounded whatever the view asks for. `store` is the tab's
    dataset store: its samples are the ones drawn (app/tabdata.py).
    """
    data = tabdata.resolve(settings, store)
    view = common.read_view(view_raw, data.channels)
    head = common.head_now(clock, data.rate)
    if view is None or head is None:
        raise PreventUpdate
    if triggered_id != ids.panel(SID, "view") and not clock.get("playing"):
        raise PreventUpdate  # a tick while paused must not redraw
    return common.figure(data, view, SID, max(0, head - view.drawn(SID)), head)


def register(app: Dash, settings: Settings) -> None:
    """Wire the panel's gated Interval and view (Inputs) and the clock and dataset (State) to `tick`."""
    gate.register(app, SID)

    @app.callback(
        Output(ids.panel(SID, "graph"), "figure"),
        gate.request(SID),
        Input(ids.panel(SID, "view"), "data"),
        State(ids.CLOCK_STORE, "data"),
        State(ids.DATA_STORE, "data"),
        prevent_initial_call=True,
    )
    def server_figure_tick(request, view_raw, clock, store):
        return tick(settings, request, view_raw, clock, ctx.triggered_id, store)
