"""clientside-raf: the tab's requestAnimationFrame loop appends samples with Plotly.extendTraces."""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State

from .. import ids
from ..settings import Settings

SID = "clientside-raf"


def register(app: Dash, settings: Settings) -> None:
    """A view change hands the loop a new figure; every frame after that is drawn in the browser."""
    app.clientside_callback(
        ClientsideFunction("tickless", "rafView"),
        Output(ids.panel(SID, "graph"), "figure"),
        Input(ids.panel(SID, "view"), "data"),
        State(ids.panel(SID, "graph"), "id"),
        prevent_initial_call=True,
    )
