"""server-patch: dcc.Interval calls Python through the tick gate; Python returns a dash.Patch (append, trim)."""

from __future__ import annotations

from dash import Dash, Input, Output, Patch, State, ctx
from dash.exceptions import PreventUpdate

from .. import contract, ids, tabdata
from ..settings import Settings
from . import common, gate

SID = "server-patch"
STRATEGY_GRAPHS = contract.STRATEGY_IDS  # the zoom store lists at most one id per strategy graph


def slack(window: int) -> int:
    """How far past the window the arrays may grow before one Patch trims them back.

    A Patch cannot delete a slice, only single items, so trimming every tick would cost one
    operation per dropped sample; trimming in bulk keeps responses small. The x range is set on
    every tick, so the visible window never changes.
    """
    return max(50, window // 4)


def _x_range(head: int, window: int, rate: int, t0: float | None = None) -> list[float]:
    return [common.x_of(head - window, rate, t0), common.x_of(head - 1, rate, t0)]


def tick(
    settings: Settings, request, view_raw, cursor, clock, triggered_id: str | None, zoomed=None, store=None
):
    """One callback run: a whole figure when the view changed, else a Patch with the samples due.

    `request` is the gate's count (unused: a tick is stateless); the Patch starts at the cursor the last
    applied reply left. `zoomed` lists the graphs whose x axis the user zoomed or panned: this one then
    keeps its range. `store` is the tab's dataset store: its samples are the ones drawn (app/tabdata.py).
    """
    data = tabdata.resolve(settings, store)
    view = common.read_view(view_raw, data.channels)
    head = common.head_now(clock, data.rate)
    if view is None or head is None:
        raise PreventUpdate
    sig = common.signature(view, data)
    rate, window = data.rate, view.drawn(SID)  # at most SERVER_MAX_POINTS per reply (a message says so)
    start, end = common.read_cursor_end(cursor, "start"), common.read_cursor_end(cursor, "end")
    valid = (
        isinstance(cursor, dict) and cursor.get("sig") == sig and None not in (start, end) and start <= end
    )
    if triggered_id == ids.panel(SID, "view") or not valid:
        start = max(0, head - window)
        xaxis = {"autorange": False, "range": _x_range(max(head, window), window, rate, data.start)}
        fig = common.figure(data, view, SID, start, head, xaxis=xaxis)
        return fig, {"sig": sig, "start": start, "end": head}
    if not clock.get("playing") or not view.channels:
        raise PreventUpdate  # a tick that raced a pause, or nothing on screen
    if head <= end:
        raise PreventUpdate
    patch = Patch()
    values = data.values
    if head - start > window + slack(window) or head - end >= window:
        # trim in bulk: replace each trace's arrays with exactly the last window
        start = max(0, head - window)
        x, ys = common.columns(values, view.channels, start, head, rate, data.start)
        for k, y in enumerate(ys):
            patch["data"][k]["x"] = x.tolist()
            patch["data"][k]["y"] = y.tolist()
    else:
        x, ys = common.columns(values, view.channels, end, head, rate, data.start)
        xs = x.tolist()
        for k, y in enumerate(ys):
            patch["data"][k]["x"].extend(xs)
            patch["data"][k]["y"].extend(y.tolist())
    if not (isinstance(zoomed, list) and ids.panel(SID, "graph") in zoomed[: len(STRATEGY_GRAPHS)]):
        patch["layout"]["xaxis"]["range"] = _x_range(max(head, window), window, rate, data.start)
    return patch, {"sig": sig, "start": start, "end": head}


def register(app: Dash, settings: Settings) -> None:
    """Wire the panel's gated Interval and view (Inputs), cursor and clock (State) to `tick`."""
    gate.register(app, SID)

    @app.callback(
        Output(ids.panel(SID, "graph"), "figure"),
        Output(ids.panel(SID, "cursor"), "data"),
        gate.request(SID),
        Input(ids.panel(SID, "view"), "data"),
        State(ids.panel(SID, "cursor"), "data"),
        State(ids.CLOCK_STORE, "data"),
        State(ids.ZOOM_STORE, "data"),
        State(ids.DATA_STORE, "data"),
        prevent_initial_call=True,
    )
    def server_patch_tick(request, view_raw, cursor, clock, zoomed, store):
        return tick(settings, request, view_raw, cursor, clock, ctx.triggered_id, zoomed, store)
