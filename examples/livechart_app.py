"""LiveChart in any Dash app: stream a numpy array into the chart, 100 samples a tick, and hear clicks back.

Run: .venv/bin/python examples/livechart_app.py (after `make setup`), then open http://127.0.0.1:8051
"""

import numpy as np
from dash import Dash, Input, Output, dcc, html
from tickless_livechart import LiveChart, extend_payload, to_data

RATE, CHUNK = 1000, 100  # samples per second; samples sent per 100 ms tick
t = np.arange(60 * RATE) / RATE  # one minute of three channels, streamed in a loop
noise = np.random.default_rng(0).normal(0, 0.3, t.size)
SIGNAL = np.stack([np.sin(2 * np.pi * t), np.sign(np.sin(0.5 * np.pi * t)), noise])
first = to_data(SIGNAL[:, :CHUNK], RATE, ["sine", "square", "noise"])

app = Dash(__name__)
app.layout = html.Div(
    [
        LiveChart(id="chart", data=first, window=5000),
        dcc.Interval(id="tick", interval=100),
        html.Div("Click the chart", id="clicked"),
    ]
)


@app.callback(Output("chart", "extend"), Input("tick", "n_intervals"))
def stream(n):
    """The next CHUNK samples of every channel (the tick count says which: the server keeps no state)."""
    start = ((n or 0) + 1) * CHUNK % SIGNAL.shape[1]
    return extend_payload(SIGNAL[:, start : start + CHUNK])


@app.callback(Output("clicked", "children"), Input("chart", "clickData"), prevent_initial_call=True)
def clicked(point):
    """Show the sample nearest the click, as the chart reported it."""
    return f"{point['name']} = {point['y']:.3f} at {point['x']:.3f} s (sample {point['index']:.0f})"


if __name__ == "__main__":
    app.run(port=8051)
