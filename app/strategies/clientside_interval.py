"""clientside-interval: dcc.Interval fires a clientside callback that returns extendData from JS arrays."""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State

from .. import ids
from ..settings import Settings

SID = "clientside-interval"


def register(app: Dash, settings: Settings) -> None:
    """View changes return a new figure, ticks return extendData: both computed in the browser."""
    graph = ids.panel(SID, "graph")
    app.clientside_callback(
        ClientsideFunction("tickless", "intervalTick"),
        Output(graph, "figure"),
        Output(graph, "extendData"),
        Input(ids.panel(SID, "tick"), "n_intervals"),
        Input(ids.panel(SID, "view"), "data"),
        State(graph, "id"),
        prevent_initial_call=True,
    )
