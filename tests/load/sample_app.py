"""A small Dash app the generic load mode has never seen: an Interval-driven callback with three figure outputs, a
slider-driven one (which no load client can move: skipped), chained, initial, pattern and clientside callbacks."""

from __future__ import annotations

from pathlib import Path

from dash import ALL, MATCH, ClientsideFunction, Dash, Input, Output, State, dcc, html

ASSETS = Path(__file__).resolve().parent / "sample_assets"
TICK_MS = 200
N_INPUTS = 3


def create_app() -> Dash:
    """Build the sample app (one module-level instance serves gunicorn)."""
    app = Dash(__name__, update_title=None, assets_folder=str(ASSETS))
    app.layout = html.Div(
        [
            dcc.Interval(id="tick", interval=TICK_MS),
            dcc.Interval(id="off", interval=100, disabled=True),
            dcc.Store(id="total", data=0),
            dcc.Input(id="name", value="load"),
            *(dcc.Input(id={"type": "num", "index": i}, value=i, type="number") for i in range(N_INPUTS)),
            *(html.Div(id={"type": "out", "index": i}) for i in range(N_INPUTS)),
            html.Div(id="count"),
            html.Div(id="echo"),
            html.Div(id="greet"),
            html.Div(id="sum"),
            html.Div(id="cs"),
            html.Div(id="never"),
            dcc.Slider(id="level", min=0, max=10, step=1, value=5),
            html.Div(id="level-out"),
            *(dcc.Graph(id=f"chart{i}") for i in range(3)),
        ]
    )

    @app.callback(
        *(Output(f"chart{i}", "figure") for i in range(3)),
        Input("tick", "n_intervals"),
        State("level", "value"),
    )
    def charts(n, level):
        n = n or 0
        return tuple(
            {"data": [{"type": "scatter", "y": [(n + k) % 7 + (level or 0) * i for k in range(20)]}]}
            for i in range(3)
        )

    @app.callback(Output("level-out", "children"), Input("level", "value"))
    def show_level(level):
        return f"level {level}"

    @app.callback(
        Output("count", "children"),
        Output("total", "data"),
        Input("tick", "n_intervals"),
        State("total", "data"),
    )
    def count(n, total):
        return f"tick {n}", (total or 0) + 1

    @app.callback(Output("echo", "children"), Input("total", "data"), prevent_initial_call=True)
    def echo(total):
        return f"total {total}"

    @app.callback(Output("greet", "children"), Input("name", "value"))
    def greet(name):
        return f"hello {name}"

    @app.callback(
        Output("sum", "children"),
        Input("tick", "n_intervals"),
        State({"type": "num", "index": ALL}, "value"),
        prevent_initial_call=True,
    )
    def total_of_inputs(_n, values):
        return str(sum(v or 0 for v in values))

    @app.callback(
        Output({"type": "out", "index": MATCH}, "children"), Input({"type": "num", "index": MATCH}, "value")
    )
    def mirror(value):
        return str(value)

    @app.callback(Output("never", "children"), Input("off", "n_intervals"), prevent_initial_call=True)
    def never(n):
        return str(n)

    app.clientside_callback(
        ClientsideFunction("loadsample", "echo"), Output("cs", "children"), Input("tick", "n_intervals")
    )
    return app


app = create_app()
server = app.server
