"""The tick gate of a server panel: its Interval's ticks reach Python only while the panel has no request in flight.

dcc.Interval keeps firing whatever is pending, and a tick that supersedes a slower request makes the renderer drop
that request's reply (plotly/dash #1613): a panel whose replies take longer than its period never draws. So the
Interval feeds a clientside callback (assets/js/62_gate.js `gateTick`) that writes the panel's request store only
when nothing is in flight, and the panel's Python callback takes that store as its Input.
"""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State

from .. import ids


def request(sid: str) -> Input:
    """The Input that fires a server panel's tick: its request store, written by the gate."""
    return Input(ids.panel(sid, "request"), "data")


def register(app: Dash, sid: str) -> None:
    """Wire a server panel's Interval through the gate to its request store (clientside, no server call)."""
    app.clientside_callback(
        ClientsideFunction("tickless", "gateTick"),
        Output(ids.panel(sid, "request"), "data"),
        Input(ids.panel(sid, "tick"), "n_intervals"),
        State(ids.panel(sid, "graph"), "id"),
        State(ids.panel(sid, "behind"), "id"),
        State(ids.panel(sid, "tick"), "interval"),
        State(ids.CLOCK_STORE, "data"),
        State(ids.DATA_STORE, "data"),
        State(ids.CONFIG_STORE, "data"),
        prevent_initial_call=True,
    )
