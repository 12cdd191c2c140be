"""Browser tests of plotly events from the clientside, the inspector and the replay: ids test_events0xx."""

from __future__ import annotations

import json
import re

import pytest
from dash import Dash, Input, Output, dcc, html
from selenium.webdriver.common.action_chains import ActionChains

from app import create_app, ids
from tests.conftest import ROOT
from tests.integration.helpers import hover_then_click, js, snapshot, start, stream_idle, wait_until

from .test_live import SETTINGS

G = ids.panel("clientside-raf", "graph")
NS = "window.dash_clientside.tickless"


@pytest.fixture
def inspector(dash_duo):
    start(dash_duo, create_app(SETTINGS))
    dash_duo.driver.get(dash_duo.server_url + "/inspector")
    wait_until(lambda: (snapshot(dash_duo, G) or {}).get("points", 0) > 0, 20, "first figure")
    dash_duo.wait_for_contains_text(f"#{ids.INSPECTOR_STATUS}", "41 of 41 events subscribed")
    return dash_duo


def count(dash_duo, name: str) -> int:
    return js(dash_duo, f"({NS}.inspector.stats.get('{name}') || {{count: 0}}).count")


def plot_point(dash_duo, trace: int = 1, at: float = 0.5) -> dict:
    """Pixel offsets (from the graph div's top-left) of a drawn sample, and its x/y."""
    return js(
        dash_duo,
        f"""(() => {{
            const gd = {NS}.stream.findGraphDiv('{G}');
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, t = gd.data[{trace}];
            const i = Math.floor(t.x.length * {at});
            return {{x: t.x[i], y: t.y[i], dx: xa._offset + xa.l2p(t.x[i]), dy: ya._offset + ya.l2p(t.y[i])}};
        }})()""",
    )


def graph_div(dash_duo):
    return dash_duo.find_element(f"#{G} .js-plotly-plot")


def x_range(dash_duo) -> list[float]:
    return js(dash_duo, f"{NS}.stream.findGraphDiv('{G}')._fullLayout.xaxis.range.slice()")


def pause(dash_duo) -> None:
    dash_duo.find_element(f"#{ids.PLAY}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Play")


def test_events001_afterplot_hover_click_legendclick_are_counted(inspector):
    dash_duo = inspector
    wait_until(lambda: count(dash_duo, "plotly_afterplot") > 10, 10, "afterplot counted every frame")
    pause(dash_duo)
    wait_until(lambda: stream_idle(dash_duo, G), 10, "the last extend drawn")
    point = plot_point(dash_duo)
    hover = lambda: count(dash_duo, "plotly_hover") >= 1  # noqa: E731
    hover_then_click(dash_duo, graph_div(dash_duo), point["dx"], point["dy"], hover)
    wait_until(lambda: count(dash_duo, "plotly_click") >= 1, 10, "click")
    # the click annotates the chart
    wait_until(lambda: js(dash_duo, f"{NS}.stream.findGraphDiv('{G}').layout.annotations.length") == 1, 10)
    note = js(dash_duo, f"{NS}.stream.findGraphDiv('{G}').layout.annotations[0]")
    assert note["x"] == pytest.approx(point["x"], abs=0.05) and " @ " in note["text"]
    # the inspector's table shows the count and a safely serialised payload
    dash_duo.wait_for_text_to_equal("td[id*='\"type\":\"inspector-count\"'][id*='plotly_click']", "1")
    payload = dash_duo.find_element("code[id*='inspector-payload'][id*='\"event\":\"plotly_click\"']").text
    assert "points" in json.loads(payload)
    # legend click toggles a trace and is counted
    dash_duo.find_element(f"#{G} .legendtoggle").click()
    wait_until(lambda: count(dash_duo, "plotly_legendclick") == 1, 10, "legendclick")
    # counts reach Python through the bridge
    dash_duo.wait_for_contains_text(f"#{ids.BRIDGE_STATUS}", "plotly events", timeout=10)
    assert dash_duo.get_logs() == []


def test_events002_zoom_freezes_auto_scroll_and_doubleclick_follows_again(inspector):
    dash_duo = inspector
    dash_duo.wait_for_text_to_equal(f"#{ids.panel('clientside-raf', 'follow')}", "live")
    box = graph_div(dash_duo).rect
    x0, y0 = int(box["width"] * 0.3), int(box["height"] * 0.5)
    chain = ActionChains(dash_duo.driver).move_to_element_with_offset(graph_div(dash_duo), x0, y0)
    chain.click_and_hold().move_by_offset(int(box["width"] * 0.3), 0).release().perform()
    wait_until(lambda: count(dash_duo, "plotly_relayout") >= 1, 10, "relayout by zoom")
    wait_until(lambda: js(dash_duo, f"{NS}.interact.frozen('{G}')"), 10, "frozen")
    dash_duo.wait_for_text_to_equal(f"#{ids.panel('clientside-raf', 'follow')}", "frozen")
    frozen = x_range(dash_duo)
    last = snapshot(dash_duo, G)["sentEnd"]
    wait_until(lambda: snapshot(dash_duo, G)["sentEnd"] > last + 300, 10, "data keeps arriving")
    assert x_range(dash_duo) == frozen, "the x axis stays where the user put it"
    ActionChains(dash_duo.driver).move_to_element_with_offset(
        graph_div(dash_duo), x0, y0
    ).double_click().perform()
    wait_until(lambda: count(dash_duo, "plotly_doubleclick") >= 1, 10, "doubleclick")
    wait_until(lambda: not js(dash_duo, f"{NS}.interact.frozen('{G}')"), 10, "following again")
    wait_until(lambda: x_range(dash_duo)[1] > frozen[1] + 0.2, 10, "the axis follows the live edge")
    assert dash_duo.get_logs() == []


def test_events003_animation_replay_emits_the_four_animation_events(inspector):
    dash_duo = inspector
    dash_duo.wait_for_contains_text(f"#{ids.REPLAY_STATE}", "ready · ")
    frames = int(dash_duo.find_element(f"#{ids.REPLAY_STATE}").text.split("· ")[1].split()[0])
    dash_duo.find_element(f"#{ids.REPLAY_PLAY}").click()
    dash_duo.wait_for_contains_text(f"#{ids.REPLAY_STATE}", "playing · frame")
    dash_duo.wait_for_text_to_equal(f"#{ids.REPLAY_STATE}", f"finished · {frames} frames played", timeout=20)
    assert count(dash_duo, "plotly_animating") == 1
    assert count(dash_duo, "plotly_animatingframe") == frames
    assert count(dash_duo, "plotly_animated") == 1
    dash_duo.find_element(f"#{ids.REPLAY_RECORD}").click()
    dash_duo.wait_for_contains_text(f"#{ids.REPLAY_STATE}", "ready")
    dash_duo.find_element(f"#{ids.REPLAY_PLAY}").click()
    dash_duo.wait_for_contains_text(f"#{ids.REPLAY_STATE}", "playing · frame")
    dash_duo.find_element(f"#{ids.REPLAY_PAUSE}").click()
    dash_duo.wait_for_contains_text(f"#{ids.REPLAY_STATE}", "interrupted at frame", timeout=10)
    assert count(dash_duo, "plotly_animationinterrupted") >= 1
    assert dash_duo.get_logs() == []


def test_events004_handler_runs_once_after_ten_rerenders_and_unsubscribe_stops_it(inspector):
    dash_duo = inspector
    dash_duo.driver.execute_script(
        f"window.__hits = 0; window.__off = {NS}.events.subscribe('{G}', 'plotly_legendclick', () => window.__hits++);"
    )
    for window in range(600, 1600, 100):  # ten new figures: dcc.Graph re-renders with Plotly.react
        dash_duo.driver.execute_script(
            f"window.dash_clientside.set_props('{ids.WINDOW}', {{value: {window}}})"
        )
        wait_until(lambda w=window: snapshot(dash_duo, G)["config"]["window"] == w, 10, f"window {window}")
    dash_duo.find_element(f"#{G} .legendtoggle").click()
    # plotly calls every listener of one emit synchronously: a second attachment would already have counted
    wait_until(lambda: js(dash_duo, "window.__hits") >= 1, 10, "delivered")
    assert js(dash_duo, "window.__hits") == 1, "exactly once"
    dash_duo.driver.execute_script("window.__off()")
    dash_duo.find_element(f"#{G} .legendtoggle").click()
    wait_until(lambda: count(dash_duo, "plotly_legendclick") == 2, 10, "the inspector still sees it")
    assert js(dash_duo, "window.__hits") == 1, "unsubscribed: no more delivery"
    assert dash_duo.get_logs() == []


def test_events005_unknown_event_fails_loudly_and_payloads_serialise_safely(inspector):
    dash_duo = inspector
    dash_duo.driver.execute_script(f"{NS}.events.subscribe('{G}', 'plotly_nonsense', () => {{}})")
    logs = dash_duo.get_logs()
    assert len(logs) == 1 and logs[0]["level"] == "SEVERE"
    assert "plotly_nonsense" in logs[0]["message"] and "plotly_click" in logs[0]["message"]
    text = js(
        dash_duo,
        f"""(() => {{ const gd = {NS}.stream.findGraphDiv('{G}');
            const a = {{gd, fullData: gd._fullData, list: Array.from({{length: 5000}}, (_, i) => i)}};
            a.self = a; return {NS}.events.safeSerialize(a); }})()""",
    )
    value = json.loads(text)
    assert value["self"] == "[Circular]"
    assert value["gd"].startswith("[HTMLElement div")
    assert "4980 more" in value["list"][-1]


# --- re-attach on a real dcc.Graph (a bare app that loads only the events helper) ---------------------------

EV_GRAPH, EV_BOX, EV_TOGGLE, EV_REPLACE = "ev-graph", "ev-box", "ev-toggle", "ev-replace"


def _events_only() -> str:
    """assets_ignore for a page with the events helper alone: the namespace, 70_events.js and the modules it
    requires (read from its `require("./…")` fallbacks, so a new dependency is picked up)."""
    source = (ROOT / "assets" / "js" / "70_events.js").read_text(encoding="utf-8")
    keep = [
        "00_namespace.js",
        "70_events.js",
        *re.findall(r"""require\(["']\./([\w.-]+\.js)["']\)""", source),
    ]
    return rf"^(?!({'|'.join(re.escape(name) for name in keep)})$)"


GD = f"document.querySelector('#{EV_GRAPH} .js-plotly-plot')"


def _bare_graph(n: int) -> dcc.Graph:
    """A two-trace dcc.Graph (so it has a legend to click) whose data says which build it is."""
    figure = {
        "data": [
            {"type": "scatter", "name": f"a{n}", "y": [1, 3, 2]},
            {"type": "scatter", "name": "b", "y": [2, 1, 3]},
        ],
        "layout": {"showlegend": True, "margin": {"t": 10}},
    }
    return dcc.Graph(id=EV_GRAPH, figure=figure, config={"displayModeBar": False}, style={"height": "300px"})


def remount_app() -> Dash:
    """A graph that a Dash callback unmounts and mounts again (toggle) or replaces in one response (replace)."""
    app = Dash(__name__, assets_folder=str(ROOT / "assets"), assets_ignore=_events_only())
    app.layout = html.Div(
        [
            html.Button("toggle", id=EV_TOGGLE),
            html.Button("replace", id=EV_REPLACE),
            html.Div(_bare_graph(0), id=EV_BOX),
        ]
    )

    @app.callback(Output(EV_BOX, "children"), Input(EV_TOGGLE, "n_clicks"), prevent_initial_call=True)
    def toggle(n):
        return html.P("no graph") if n % 2 else _bare_graph(n)

    @app.callback(
        Output(EV_BOX, "children", allow_duplicate=True),
        Input(EV_REPLACE, "n_clicks"),
        prevent_initial_call=True,
    )
    def replace(n):
        return html.Div(_bare_graph(100 + n), id=f"ev-wrap-{n}")

    return app


def _drawn_build(dash_duo) -> str | None:
    return js(dash_duo, f"(({GD} || {{}}).data || [{{}}])[0].name || null")


def _ours_attached(dash_duo) -> bool:
    """Our handler is among the legendclick listeners plotly holds on the graph div shown now."""
    return js(
        dash_duo,
        f"(() => {{ const gd = {GD}; return !!(gd && gd._ev && gd._ev.listeners('plotly_legendclick').includes(window.__ours)); }})()",
    )


def _legend_click(dash_duo, expected_hits: int, why: str) -> None:
    dash_duo.find_element(f"#{EV_GRAPH} .legendtoggle").click()
    wait_until(lambda: js(dash_duo, "window.__hits.length") == expected_hits, 10, why)


def test_events006_handler_survives_dcc_graph_unmount_remount_and_purge_without_manual_reattach(dash_duo):
    start(dash_duo, remount_app())
    wait_until(lambda: _drawn_build(dash_duo) == "a0", 20, "first figure")
    # subscribe once; the test never calls ensureAttached: the helper finds every new div itself
    dash_duo.driver.execute_script(
        f"""window.__hits = [];
        window.__off = {NS}.events.subscribe('{EV_GRAPH}', 'plotly_legendclick', (e) => window.__hits.push(e.curveNumber));
        window.__ours = {GD}._ev.listeners('plotly_legendclick')[0];
        window.__oldGd = {GD};"""
    )
    _legend_click(dash_duo, 1, "delivered on the first div")

    # 1. a callback removes the graph (dcc.Graph unmounts: removeAllListeners + Plotly.purge), then brings it back
    dash_duo.find_element(f"#{EV_TOGGLE}").click()
    dash_duo.wait_for_text_to_equal(f"#{EV_BOX}", "no graph")
    assert js(dash_duo, "window.__oldGd._ev === undefined"), "the unmounted div was purged"
    dash_duo.find_element(f"#{EV_TOGGLE}").click()
    wait_until(lambda: _drawn_build(dash_duo) == "a2", 20, "graph mounted again")
    assert js(dash_duo, f"{GD} !== window.__oldGd"), "a new plotly div"
    wait_until(lambda: _ours_attached(dash_duo), 10, "handler re-attached to the remounted div by itself")
    _legend_click(dash_duo, 2, "delivered on the remounted div")

    # 2. a callback returns a new graph in one response: the renderer swaps the div in one step
    js(dash_duo, f"window.__oldGd = {GD}")
    dash_duo.find_element(f"#{EV_REPLACE}").click()
    wait_until(lambda: _drawn_build(dash_duo) == "a101", 20, "graph replaced")
    assert js(dash_duo, f"{GD} !== window.__oldGd && window.__oldGd._ev === undefined"), "old div purged"
    wait_until(lambda: _ours_attached(dash_duo), 10, "handler re-attached to the replacing div by itself")
    _legend_click(dash_duo, 3, "delivered on the replacing div")

    # 3. the same div purged and redrawn (Plotly.newPlot on a drawn div, as page code may do): listeners wiped
    dash_duo.driver.execute_script(
        f"""const gd = window.__oldGd = {GD};
        gd.on('removeListener', (name, fn) => {{ if (fn === window.__ours) window.__wiped = true; }});
        Plotly.newPlot(gd, gd.data, gd.layout, {{displayModeBar: false}}).then(() => {{ window.__replotted = true; }});"""
    )
    wait_until(lambda: js(dash_duo, "window.__replotted === true"), 10, "replotted")
    assert js(dash_duo, f"window.__wiped === true && {GD} === window.__oldGd"), (
        "same div, our listener removed"
    )
    wait_until(lambda: _ours_attached(dash_duo), 10, "handler re-attached to the purged div by itself")
    _legend_click(dash_duo, 4, "delivered on the purged and redrawn div")

    # exactly once per event on every div; unsubscribe still reaches the current div
    assert js(dash_duo, f"{GD}._ev.listeners('plotly_legendclick').length") == 1
    assert js(dash_duo, "window.__hits") == [0, 0, 0, 0]
    js(dash_duo, "window.__off()")
    assert not _ours_attached(dash_duo)
    assert dash_duo.get_logs() == []
