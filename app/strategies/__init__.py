"""The update strategies: seven ways to drive the same live chart, each registered by its own module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dash import Dash
from dash.development.base_component import Component

from .. import contract, ids
from ..settings import Settings
from . import (
    clientside_interval,
    clientside_raf,
    component,
    server_extend,
    server_figure,
    server_patch,
    server_push,
)


@dataclass(frozen=True)
class Strategy:
    """One way to draw a frame: what drives it, what it costs, and how to wire it into an app."""

    id: str
    title: str
    how: str
    cost: str
    kind: str  # "server", "clientside" or "push"
    interval: bool  # driven by a dcc.Interval
    register: Callable[[Dash, Settings], None]
    chart: Callable[[], Component] | None = None  # the panel's chart when it is not a plotly dcc.Graph

    @property
    def plotly(self) -> bool:
        """Is the panel's chart a plotly dcc.Graph (plotly events, traces, figures)?"""
        return self.chart is None

    def to_json(self) -> dict:
        """The fields the browser needs (router, HUD, navigation)."""
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "interval": self.interval,
            "mode": contract.strategy_mode(self.id),
            "graph": ids.panel(self.id, "graph"),
            "plotly": self.plotly,
        }


STRATEGIES: tuple[Strategy, ...] = (
    Strategy(
        "clientside-raf",
        "Clientside rAF",
        "A requestAnimationFrame loop appends the samples due each frame with Plotly.extendTraces.",
        "No server requests; one extend per painted frame, in step with the display.",
        "clientside",
        False,
        clientside_raf.register,
    ),
    Strategy(
        "clientside-interval",
        "Clientside Interval",
        "dcc.Interval fires a clientside callback that returns extendData from the tab's typed arrays.",
        "No server requests; frames limited to the Interval rate and Dash's prop pipeline.",
        "clientside",
        True,
        clientside_interval.register,
    ),
    Strategy(
        "component",
        "LiveChart component",
        "A Dash component (React, uPlot canvas) draws the tab's typed arrays on the tab's clock, as a min/max "
        "envelope per pixel column when the window is wider than the plot.",
        "No server requests; a redraw costs about two points per pixel column, whatever the window.",
        "clientside",
        False,
        component.register,
        component.chart,
    ),
    Strategy(
        "server-extend",
        "Server extendData",
        "dcc.Interval calls Python, which returns only the new samples as extendData.",
        "One request per tick per tab; small responses.",
        "server",
        True,
        server_extend.register,
    ),
    Strategy(
        "server-patch",
        "Server Patch",
        "dcc.Interval calls Python, which returns a dash.Patch appending samples and trimming old ones.",
        "One request per tick per tab; each Patch makes the graph redraw its whole figure.",
        "server",
        True,
        server_patch.register,
    ),
    Strategy(
        "server-figure",
        "Server figure",
        "dcc.Interval calls Python, which returns the whole figure for the current window.",
        "One request per tick per tab; every response carries the whole window.",
        "server",
        True,
        server_figure.register,
    ),
    Strategy(
        "server-push",
        "Server push",
        "A live source in Python pushes batches over Dash's websocket (on the push server) into a Store; the "
        "tab's engine draws them at the display's rate, each sample once.",
        "No polling: one socket per tab, one message per 50 ms with what is new; a slow tab gets the newest "
        "data and a count of what it missed.",
        "push",
        False,
        server_push.register,
    ),
)

BY_ID = {s.id: s for s in STRATEGIES}
if tuple(sorted(BY_ID)) != tuple(sorted(contract.STRATEGY_IDS)) or any(
    (s.kind == "server") != (s.id in contract.SERVER) for s in STRATEGIES
):
    raise RuntimeError("app/strategies and app/contract.py name different strategies")
