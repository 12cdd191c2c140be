"""component: the LiveChart component (livechart/, uPlot canvas) draws the tab's typed arrays on the tab's clock.

The chart reads the decoded dataset and the replay clock the engine keeps (`source="tickless"`), so it draws
the same samples as the plotly panels, frame for frame, with no Dash call per frame. Its view (window,
channels, decimate) and look (overlaid or stacked, y scale auto or fixed, the OS's light or dark theme in the
contract's colours, the screen's font size, a UTC date axis when the data has timestamps) come from the panel's
view store and the page config, its zoom and clicks go where the plotly panels' go
(the zoom store, the bridge): three clientside callbacks, in assets/js/66_component.js.
"""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State
from tickless_livechart import LiveChart

from .. import contract, ids
from ..settings import Settings

SID = "component"
SAMPLE_MS = 60_000  # the chart's slowest sampling of fps/hover (livechart props: 50 to 60,000 ms)


def chart() -> LiveChart:
    """The panel's chart: a LiveChart on the tab's data and clock, y axis fixed to the data's extent like the
    plotly panels; its height comes from the `.panel-graph` CSS rule (style height None drops its default).

    The engine measures the chart and writes its HUD, so its sampled outputs (fps, hover) may go out once a
    minute: nothing goes through Dash on a timer while streaming. Clicks and zooms still go out at once.
    """
    return LiveChart(
        id=ids.panel(SID, "graph"),
        source="tickless",
        window=contract.DEFAULTS["window"],
        yMode="fixed",
        decimate=contract.DEFAULTS["decimate"],
        sampleInterval=SAMPLE_MS,
        className="panel-graph",
        style={"height": None},
    )


def register(app: Dash, settings: Settings) -> None:
    """The view store drives the chart's props (view and look); its zoomed range and clicks reach the zoom store and the bridge."""
    graph = ids.panel(SID, "graph")
    app.clientside_callback(
        ClientsideFunction("tickless", "componentView"),
        Output(graph, "window"),
        Output(graph, "channels"),
        Output(graph, "decimate"),
        Output(graph, "layout"),
        Output(graph, "yMode"),
        Output(graph, "theme"),
        Output(graph, "fontSize"),
        Output(graph, "themes"),
        Output(graph, "stackGap"),
        Output(graph, "timeStart"),
        Input(ids.panel(SID, "view"), "data"),
        State(graph, "id"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("tickless", "componentInteract"),
        Input(graph, "xRange"),
        Input(graph, "clickData"),
        State(graph, "id"),
        prevent_initial_call=True,
    )
