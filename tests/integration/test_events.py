"""Browser tests of plotly events from the clientside, the inspector and the replay: ids test_events0xx."""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.action_chains import ActionChains

from app import create_app, ids
from tests.integration.helpers import js, snapshot, start, wait_frames, wait_until

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
    wait_frames(dash_duo, 10)
    point = plot_point(dash_duo)
    chain = ActionChains(dash_duo.driver)
    chain.move_to_element_with_offset(graph_div(dash_duo), point["dx"], point["dy"] - 1).pause(0.2)
    chain.move_to_element_with_offset(graph_div(dash_duo), point["dx"], point["dy"]).click().perform()
    wait_until(lambda: count(dash_duo, "plotly_hover") >= 1, 10, "hover")
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
        js(dash_duo, f"{NS}.events.ensureAttached()")
    dash_duo.find_element(f"#{G} .legendtoggle").click()
    wait_until(lambda: js(dash_duo, "window.__hits") == 1, 10, "delivered")
    wait_frames(dash_duo, 10)
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
