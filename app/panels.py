"""Strategy panels: the same graph, HUD and stores for every strategy, shown or hidden by the router."""

from __future__ import annotations

from dash import dcc, html

from . import contract, ids
from .strategies import STRATEGIES, Strategy

# What a graph shows before its first figure arrives; tickless_epoch 0 is never a stream's epoch.
PLACEHOLDER_FIGURE = {"data": [], "layout": {"margin": {"l": 50, "r": 20, "t": 10, "b": 40}}}
HUD_FIELDS = (
    ("fps", "fps", "frames painted per second (new data on screen)"),
    ("points", "points", "points on screen, all traces"),
    ("latency", "latency", "median time from a sample coming due to the first frame that shows it"),
    ("requests", "requests", "requests this panel made to /_dash-update-component"),
    ("bytes", "bytes", "bytes those requests moved (request bodies + compressed responses)"),
    (
        "tab-requests",
        "tab",
        "requests this whole tab made to /_dash-update-component since load: every panel and the bridge",
    ),
    (
        "follow",
        "x",
        "live: the x axis follows new data; frozen: you zoomed or panned (double-click to follow)",
    ),
)


PUSH_HUD_FIELDS = (  # written by assets/js/67_push.js, not by the engine's HUD painter
    (
        "dropped",
        "dropped",
        "samples this tab never received: the server's queue dropped them (a stalled tab) or "
        "the source skipped them; each sample is drawn once",
    ),
    (
        "link",
        "socket",
        "the push websocket: live, paused, or how long it has been silent and when the tab asks "
        "again (Dash's worker reconnects by itself with back-off)",
    ),
)


def hud_fields(sid: str) -> tuple[tuple[str, str, str], ...]:
    """A panel's HUD items (part, label, tooltip) in order: a push panel adds its dropped count and socket state."""
    return HUD_FIELDS + (PUSH_HUD_FIELDS if sid in contract.PUSH else ())


def hud(sid: str) -> html.Div:
    """The heads-up display over a panel's graph: one node, rendered once and empty. The engine builds its items
    (49_hud.js `build`, from hud_config's `boxes`) and writes their numbers. As Dash components the 7 HUDs were
    154 of the layout's 403, and the renderer runs a selector for every component in the layout on every redux
    dispatch (a bridge call makes ~33): one node each took the renderer's dispatch time down by ~37%."""
    return html.Div(id=ids.panel(sid, "hud"), className="hud")


def key(sid: str) -> html.Div:
    """The channel key above a plotly panel's graph, written by the engine (assets/js/47_key.js) when the page
    draws the graph without plotly's legend; empty (and hidden) otherwise."""
    return html.Div(id=ids.panel(sid, "key"), className="panel-key")


def graph(sid: str) -> dcc.Graph:
    """A plotly panel's graph (a strategy with a chart of its own lays that out instead)."""
    return dcc.Graph(
        id=ids.panel(sid, "graph"),
        figure=PLACEHOLDER_FIGURE,
        config={"displaylogo": False, "responsive": True},
        className="panel-graph",
    )


def panel(strategy: Strategy) -> html.Section:
    """One strategy's panel: header, graph with HUD, its view store, and its Interval/cursor if it has them."""
    sid = strategy.id
    children = [
        html.Div(
            [
                html.H2(strategy.title),
                html.Code(sid),
                f"{strategy.how} {strategy.cost}",  # text styled by .panel-head: one component fewer a panel
            ],
            className="panel-head",
        ),
        html.Div(
            [hud(sid), strategy.chart()] if strategy.chart else [hud(sid), key(sid), graph(sid)],
            className="chart",
        ),
        dcc.Store(id=ids.panel(sid, "view"), storage_type="memory"),
    ]
    if strategy.interval:
        children.append(
            dcc.Interval(id=ids.panel(sid, "tick"), interval=contract.DEFAULTS["interval"], disabled=True)
        )
    if strategy.kind == "push":
        children += [
            dcc.Store(id=ids.panel(sid, part), storage_type="memory") for part in ("control", "prod")
        ]
        children += [
            dcc.Store(id=ids.push_lane(sid, k), storage_type="memory") for k in range(contract.PUSH_LANES)
        ]
    if strategy.kind == "server":
        children.append(dcc.Store(id=ids.panel(sid, "cursor"), storage_type="memory"))
        children.append(dcc.Store(id=ids.panel(sid, "request"), storage_type="memory"))
        children.append(behind(sid))
    return html.Section(children, id=ids.panel(sid, "panel"), className="panel", style={"display": "none"})


def behind(sid: str) -> html.Div:
    """A server panel's lag line: how far its newest drawn sample is behind the clock (62_gate.js writes it)."""
    return html.Div(
        ["behind the clock ", html.B(id=ids.panel(sid, "behind"))],
        className="panel-behind",
        title=(
            "how long ago the newest sample this panel shows came due on the tab's clock, and the Interval "
            "ticks skipped because a request was still in flight (one request at a time: plotly/dash #1613)"
        ),
    )


def layout() -> html.Div:
    """Every strategy's panel, in a grid the router fills."""
    return html.Div([panel(s) for s in STRATEGIES], className="panels")


def hud_config() -> dict:
    """What the engine needs to build and write every HUD (assets/js/49_hud.js): the parts in order, each
    panel's element ids by graph id, and the period; `boxes`: each HUD's node and its items (part, element id)
    in order, and `labels`: each part's label and tooltip. No callback refreshes a HUD: the engine writes the
    numbers into these nodes from its animation frame, so nothing on a timer goes through Dash while
    streaming. `keys`: each plotly panel's channel key node by graph id (written once per view, 47_key.js)."""
    parts = [part for part, _, _ in HUD_FIELDS]
    return {
        "periodMs": contract.HUD_PERIOD_MS,
        "parts": parts,
        "panels": {
            ids.panel(s.id, "graph"): {part: ids.panel(s.id, part) for part in parts} for s in STRATEGIES
        },
        "labels": {part: [label, tip] for part, label, tip in HUD_FIELDS + PUSH_HUD_FIELDS},
        "boxes": {
            ids.panel(s.id, "graph"): {
                "id": ids.panel(s.id, "hud"),
                "items": [[part, ids.panel(s.id, part)] for part, _, _ in hud_fields(s.id)],
            }
            for s in STRATEGIES
        },
        "keys": {ids.panel(s.id, "graph"): ids.panel(s.id, "key") for s in STRATEGIES if not s.chart},
    }
