"""The viewer's look on a server panel's figure: channels stacked (one row per channel, shared x) or overlaid,
each y axis fixed to its channel's range or following the data, the theme's colours and the screen's font size.

The same rules as the page's clientside figures (assets/js/54_viewer.js `decorate`), from the same constants
(contract.THEMES, contract.STACK_GAP, contract.y_range): the panel's view carries the layout, y scale and theme
the page asks for (app/strategies/common.py `read_view`), so a server reply draws what a clientside one would.
"""

from __future__ import annotations

from .. import contract


def style(layout: dict, traces: list[dict], view, ranges) -> None:
    """Give a figure's layout and traces (changed in place) the view's layout, y scale and theme."""
    theme = contract.THEMES[view.theme]
    axis_look = {"gridcolor": theme["grid"], "zerolinecolor": theme["zero"], "linecolor": theme["zero"]}
    layout["paper_bgcolor"], layout["plot_bgcolor"] = theme["paper"], theme["plot"]
    layout["font"] = {**layout.get("font", {}), "color": theme["font"], "size": view.font}
    layout["xaxis"] = {**layout.get("xaxis", {}), **axis_look}
    auto = view.yscale == "auto"
    base = {**layout.get("yaxis", {}), **axis_look}
    n = len(traces)
    if view.layout != "stacked" or n < 2:
        if auto:
            base.pop("range", None)
            base["autorange"] = True
        layout["yaxis"] = base
        return
    gap = contract.STACK_GAP
    height = (1 - gap * (n - 1)) / n
    for k, (trace, c) in enumerate(zip(traces, view.channels, strict=True)):
        top = 1 - k * (height + gap)
        axis = {
            **base,
            "domain": [max(0.0, round(top - height, 9)), min(1.0, round(top, 9))],
            "title": {"text": trace["name"]},
        }
        if auto:
            axis.pop("range", None)
            axis["autorange"] = True
        else:
            axis["autorange"] = False
            axis["range"] = contract.y_range(*ranges[c])
        layout["yaxis" if k == 0 else f"yaxis{k + 1}"] = axis
        trace["yaxis"] = "y" if k == 0 else f"y{k + 1}"
    layout["xaxis"]["anchor"] = f"y{n}"
    layout["showlegend"] = False
