"""Browser tests of the LiveChart component (livechart/) in headless Chromium: ids test_lc0xx."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from dash import Dash, Input, Output, html
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from tickless_livechart import LiveChart, extend_payload, to_data

from tests.conftest import ROOT
from tests.integration.helpers import js, page_update_requests, start, wait_frames, wait_until

RATE = 1000
NAMES = ["a", "b", "c", "d"]
DATA = np.cumsum(np.random.default_rng(5).normal(0, 1, (4, 30_000)), axis=1).astype(np.float32)
LC = "lc"


def _app(*extra, **props) -> Dash:
    """A Dash app with one LiveChart (replay of DATA by default) and any extra components."""
    props = {"data": to_data(DATA, RATE, NAMES), "mode": "replay", "window": 2000, **props}
    app = Dash(__name__)
    app.layout = html.Div([LiveChart(id=LC, style={"height": "400px"}, **props), *extra])
    return app


def snap(dash_duo, chart: str = LC) -> dict:
    """The chart's own summary (controller.snapshot(): head, range drawn, bucket, frozen, sent values…)."""
    return js(dash_duo, f"document.getElementById('{chart}')?.livechart?.snapshot()")


def drawn(dash_duo) -> list[list[float]]:
    """What the canvas was last given: [x, y per shown channel]."""
    return js(dash_duo, f"document.getElementById('{LC}').livechart.drawn()")


def set_props(dash_duo, **props) -> None:
    """Set the chart's props from the page, as any clientside code would."""
    dash_duo.driver.execute_script(f"window.dash_clientside.set_props('{LC}', arguments[0]);", props)


def drawing(dash_duo, chart: str = LC) -> dict:
    """Wait until the chart has drawn data; return its snapshot."""
    wait_until(lambda: (snap(dash_duo, chart) or {}).get("points", 0) > 0, 20, "the chart draws")
    return snap(dash_duo, chart)


def legend(dash_duo) -> list[str]:
    """The channel names the legend shows."""
    return [item.text for item in dash_duo.find_elements(f"#{LC} .livechart-legend-item")]


def plot(dash_duo, chart: str = LC):
    """uPlot's overlay (the plot area that takes the mouse)."""
    return dash_duo.find_element(f"#{chart} .u-over")


def stopped(dash_duo) -> dict:
    """Pause and wait until the drawn head holds still; return the snapshot."""
    set_props(dash_duo, playing=False)
    wait_until(lambda: snap(dash_duo)["opts"]["playing"] is False, 5, "paused")
    wait_frames(dash_duo, 5)
    before = snap(dash_duo)
    wait_frames(dash_duo, 10)
    after = snap(dash_duo)
    assert after["head"] == before["head"], "a paused chart holds its head"
    return after


def window_extremes(head: int, lo: int, bucket: int, channel: int) -> tuple[float, float]:
    """min and max of DATA's looped channel over the bucket-aligned drawn range [floor(lo/B)*B, head)."""
    first = lo // bucket * bucket
    values = DATA[channel][np.arange(first, head) % DATA.shape[1]]
    return float(values.min()), float(values.max())


def test_lc001_draws_and_rolls(dash_duo):
    start(dash_duo, _app())
    first = drawing(dash_duo)
    assert dash_duo.find_element(f"#{LC} canvas")
    assert first["channels"] == [0, 1, 2, 3] and first["bucket"] >= 1
    assert js(dash_duo, f"document.getElementById('{LC}').getAttribute('data-dash-is-loading')") is None
    wait_until(lambda: snap(dash_duo)["xRange"][1] > first["xRange"][1] + 0.5, 10, "the x axis rolls")
    now = snap(dash_duo)
    assert now["hi"] - now["lo"] == 2000 and now["xRange"][1] - now["xRange"][0] == pytest.approx(
        (2000 - 1) / RATE
    )
    assert legend(dash_duo) == NAMES
    assert dash_duo.get_logs() == []


def test_lc002_no_callback_requests_while_streaming(dash_duo):
    app = _app(html.Div(id="clicked"))

    @app.callback(Output("clicked", "children"), Input(LC, "clickData"), prevent_initial_call=True)
    def clicked(point):
        return f"{point['name']} {point['index']:.0f}"

    counter = start(dash_duo, app)
    drawing(dash_duo)
    wait_frames(dash_duo, 10)
    server, page, draws = counter.count, page_update_requests(dash_duo), snap(dash_duo)["draws"]
    wait_frames(dash_duo, 120)
    assert snap(dash_duo)["draws"] > draws + 60, "it kept drawing"
    assert snap(dash_duo)["sent"]["fps"] > 0, "fps went out through setProps (no callback listens to it)"
    assert counter.count == server and page_update_requests(dash_duo) == page, "no request while streaming"
    # positive control: a click is an event a Python callback listens to, so it makes exactly one request
    box = plot(dash_duo).rect
    ActionChains(dash_duo.driver).move_to_element_with_offset(
        plot(dash_duo), int(box["width"] / 2), int(box["height"] / 2)
    ).click().perform()
    dash_duo.wait_for_contains_text("#clicked", " ", timeout=10)
    assert counter.count == server + 1
    assert dash_duo.get_logs() == []


def test_lc003_drawn_extremes_equal_the_data_min_and_max(dash_duo):
    start(dash_duo, _app(window=20_000))
    wait_until(
        lambda: ((snap(dash_duo) or {}).get("bucket") or 0) > 1, 20, "an envelope: more samples than columns"
    )
    s = stopped(dash_duo)
    columns = js(dash_duo, f"document.querySelector('#{LC} .u-over').clientWidth")
    assert 20_000 / s["bucket"] <= columns, "no more buckets than pixel columns"
    xs, *ys = drawn(dash_duo)
    assert len(xs) <= 2 * (20_000 // s["bucket"] + 2), "two points per bucket"
    assert xs == sorted(xs)
    for channel, values in enumerate(ys):
        assert (min(values), max(values)) == window_extremes(s["head"], s["lo"], s["bucket"], channel)
    y0, y1 = s["yRange"]
    lo = min(min(v) for v in ys)
    hi = max(max(v) for v in ys)
    assert y0 < lo and hi < y1, "auto y range holds the window"
    assert dash_duo.get_logs() == []


def _head_rate(dash_duo, frames: int = 40) -> float:
    """Samples per second the head advances (from two snapshots and the page's clock)."""
    before = js(dash_duo, f"[performance.now(), document.getElementById('{LC}').livechart.snapshot().head]")
    wait_frames(dash_duo, frames)
    after = js(dash_duo, f"[performance.now(), document.getElementById('{LC}').livechart.snapshot().head]")
    return (after[1] - before[1]) / (after[0] - before[0]) * 1000


def test_lc004_pause_speed_window_channels_props(dash_duo):
    start(dash_duo, _app())
    drawing(dash_duo)
    held = stopped(dash_duo)["head"]
    set_props(dash_duo, playing=True)
    wait_until(lambda: snap(dash_duo)["head"] > held + 100, 10, "plays again")
    assert abs(_head_rate(dash_duo) - RATE) < 0.3 * RATE
    set_props(dash_duo, speed=8)
    wait_until(lambda: snap(dash_duo)["opts"]["speed"] == 8, 5)
    assert abs(_head_rate(dash_duo) - 8 * RATE) < 0.3 * 8 * RATE
    set_props(dash_duo, window=500, channels=["b", 3])
    wait_until(
        lambda: snap(dash_duo)["channels"] == [1, 3] and snap(dash_duo)["hi"] - snap(dash_duo)["lo"] == 500,
        10,
    )
    s = snap(dash_duo)
    assert s["xRange"][1] - s["xRange"][0] == pytest.approx((500 - 1) / RATE)
    assert len(drawn(dash_duo)) == 3, "x and the two channels shown"
    assert legend(dash_duo) == ["b", "d"]
    assert dash_duo.get_logs() == []


def _drag(dash_duo, x0: float, x1: float, shift: bool = False) -> None:
    """Drag across the plot from x0 to x1 (fractions of its width), at mid height."""
    box = plot(dash_duo).rect
    chain = ActionChains(dash_duo.driver)
    if shift:
        chain.key_down(Keys.SHIFT)
    chain.move_to_element_with_offset(plot(dash_duo), int(box["width"] * x0), int(box["height"] / 2))
    chain.click_and_hold().move_by_offset(int(box["width"] * (x1 - x0)), 5).release()
    if shift:
        chain.key_up(Keys.SHIFT)
    chain.perform()


def test_lc005_zoom_freezes_and_doubleclick_follows(dash_duo):
    start(dash_duo, _app())
    drawing(dash_duo)
    _drag(dash_duo, 0.3, 0.6)
    wait_until(lambda: snap(dash_duo)["frozen"], 10, "a zoom freezes the x axis")
    frozen = snap(dash_duo)["frozen"]
    assert frozen[1] - frozen[0] < 0.35 * 2, "zoomed in to about 30% of the window"
    head = snap(dash_duo)["head"]
    wait_until(lambda: snap(dash_duo)["head"] > head + 300, 10, "time goes on")
    assert snap(dash_duo)["xRange"] == frozen, "the axis stays where the user put it"
    wait_until(lambda: snap(dash_duo)["sent"]["xRange"] == frozen, 5, "xRange reported")
    _drag(dash_duo, 0.5, 0.25, shift=True)
    wait_until(lambda: snap(dash_duo)["frozen"][0] > frozen[0] + 0.1, 10, "shift+drag pans right in time")
    panned = snap(dash_duo)["frozen"]
    assert abs((panned[1] - panned[0]) - (frozen[1] - frozen[0])) < 1e-9, "a pan keeps the span"
    box = plot(dash_duo).rect
    ActionChains(dash_duo.driver).move_to_element_with_offset(
        plot(dash_duo), int(box["width"] / 2), int(box["height"] / 2)
    ).double_click().perform()
    wait_until(lambda: snap(dash_duo)["frozen"] is None, 10, "double-click follows again")
    wait_until(lambda: snap(dash_duo)["xRange"][1] > panned[1] + 0.3, 10, "the axis follows the live edge")
    wait_until(lambda: snap(dash_duo)["sent"]["xRange"] is None, 5, "xRange back to null")
    assert dash_duo.get_logs() == []


def test_lc006_click_and_range_come_back_to_python(dash_duo):
    app = _app(html.Div(id="clicked"), html.Div(id="range"))

    @app.callback(Output("clicked", "children"), Input(LC, "clickData"), prevent_initial_call=True)
    def clicked(point):
        expected = float(DATA[point["channel"]][int(point["index"]) % DATA.shape[1]])
        same = point["y"] == expected and point["x"] == point["index"] / RATE
        return f"{point['name']} {point['index']:.0f} {'exact' if same else 'differs'}"

    @app.callback(Output("range", "children"), Input(LC, "xRange"), prevent_initial_call=True)
    def ranged(x_range):
        return "following" if x_range is None else f"{x_range[0]:.3f} {x_range[1]:.3f}"

    start(dash_duo, app)
    drawing(dash_duo)
    stopped(dash_duo)
    box = plot(dash_duo).rect
    ActionChains(dash_duo.driver).move_to_element_with_offset(
        plot(dash_duo), int(box["width"] * 0.4), int(box["height"] / 2)
    ).click().perform()
    dash_duo.wait_for_contains_text("#clicked", "exact", timeout=10)
    wait_until(lambda: snap(dash_duo)["sent"]["hoverData"], 5, "the hovered points went out too (sampled)")
    hovered = snap(dash_duo)["sent"]["hoverData"]["points"]
    assert [p["name"] for p in hovered] == NAMES
    assert all(p["y"] == float(DATA[p["channel"]][int(p["index"]) % DATA.shape[1]]) for p in hovered)
    name, index, _ = dash_duo.find_element("#clicked").text.split()
    s = snap(dash_duo)
    assert name in NAMES and s["lo"] <= int(index) < s["hi"], "a sample on screen"
    _drag(dash_duo, 0.2, 0.5)
    wait_until(lambda: snap(dash_duo)["frozen"], 10, "zoomed")
    x0, x1 = snap(dash_duo)["frozen"]
    dash_duo.wait_for_text_to_equal("#range", f"{x0:.3f} {x1:.3f}", timeout=10)
    ActionChains(dash_duo.driver).move_to_element_with_offset(
        plot(dash_duo), int(box["width"] / 2), int(box["height"] / 2)
    ).double_click().perform()
    dash_duo.wait_for_text_to_equal("#range", "following", timeout=10)
    assert dash_duo.get_logs() == []


def test_lc007_live_mode_appends_extend_from_a_callback_and_set_props(dash_duo):
    first = to_data(DATA[:, :1000], RATE, NAMES)
    app = _app(html.Button("more", id="more"), mode="live", data=first, window=3000, decimate="off")

    @app.callback(Output(LC, "extend"), Input("more", "n_clicks"), prevent_initial_call=True)
    def more(n):
        return extend_payload(DATA[:, 1000 + (n - 1) * 500 : 1000 + n * 500])

    start(dash_duo, app)
    assert drawing(dash_duo)["head"] == 1000
    for n in (1, 2, 3):
        dash_duo.find_element("#more").click()
        wait_until(lambda n=n: snap(dash_duo)["head"] == 1000 + 500 * n, 10, f"extend {n} appended once")
    set_props(dash_duo, extend=[DATA[c, 2500:2600].tolist() for c in range(4)])
    wait_until(lambda: snap(dash_duo)["head"] == 2600, 10, "set_props appends too")
    s = snap(dash_duo)
    assert (s["lo"], s["hi"]) == (0, 2600), "the window is not full yet: everything held"
    xs, *ys = drawn(dash_duo)
    assert xs[-1] == pytest.approx(2599 / RATE, abs=1e-6)
    assert xs == pytest.approx(np.arange(2600) / RATE)
    for c, values in enumerate(ys):
        assert values == DATA[c, :2600].tolist(), "every sample, in order, once"
    set_props(dash_duo, playing=False)
    wait_until(lambda: snap(dash_duo)["opts"]["playing"] is False, 5)
    set_props(dash_duo, extend=[DATA[c, 2600:2700].tolist() for c in range(4)])
    wait_until(lambda: snap(dash_duo)["held"] == 2700, 10, "a paused live chart keeps what arrives")
    wait_frames(dash_duo, 5)
    assert snap(dash_duo)["head"] == 2600, "and holds its view"
    set_props(dash_duo, playing=True)
    wait_until(lambda: snap(dash_duo)["head"] == 2700, 10, "play shows the newest again")
    assert dash_duo.get_logs() == []


def test_lc008_bad_props_log_an_error_naming_the_prop_and_keep_drawing(dash_duo):
    bad = {"window": -5, "mode": "bogus", "channels": [9], "colors": [], "speed": "fast"}
    start(dash_duo, _app(**bad))
    s = drawing(dash_duo)
    assert s["opts"]["window"] == 2000 and s["opts"]["mode"] == "live" and s["channels"] == [0, 1, 2, 3]
    set_props(dash_duo, extend=["not base64!"] * 4)
    wait_frames(dash_duo, 5)
    logs = [entry["message"] for entry in dash_duo.get_logs()]
    for name in [*bad, "extend"]:
        assert sum(f"LiveChart: prop `{name}`" in m for m in logs) == 1, f"one error naming {name}: {logs}"
    assert len(logs) == len(bad) + 1, logs
    assert snap(dash_duo)["points"] > 0, "never a blank chart"


def test_lc009_example_app_streams_its_numpy_array(dash_duo):
    spec = importlib.util.spec_from_file_location("livechart_example", ROOT / "examples" / "livechart_app.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    start(dash_duo, example.app)
    first = drawing(dash_duo, "chart")
    wait_until(lambda: snap(dash_duo, "chart")["head"] >= first["head"] + 1000, 15, "chunks keep arriving")
    wait_until(lambda: snap(dash_duo, "chart")["xRange"][1] > first["xRange"][1] + 1, 10, "the x axis rolls")
    box = plot(dash_duo, "chart").rect
    ActionChains(dash_duo.driver).move_to_element_with_offset(
        plot(dash_duo, "chart"), int(box["width"] * 0.8), int(box["height"] / 2)
    ).click().perform()
    dash_duo.wait_for_contains_text("#clicked", " at ", timeout=10)
    assert dash_duo.get_logs() == []


def test_lc010_tickless_source_reads_the_tab_dataset_and_clock(dash_duo):
    """source="tickless": the chart waits (loading) for the tab's decoded dataset, then draws it on the tab's clock."""
    from app import data as tickless_data

    app = Dash(__name__, assets_folder=str(ROOT / "assets"))
    app.layout = html.Div([LiveChart(id=LC, source="tickless", window=1500, style={"height": "400px"})])
    start(dash_duo, app)
    loading = f"document.getElementById('{LC}')?.getAttribute('data-dash-is-loading')"
    wait_until(lambda: js(dash_duo, loading) == "true", 10, "loading while the tab has no dataset")
    payload = tickless_data.payload(3, RATE, 20, seed=3)
    dash_duo.driver.execute_script(
        """
        const ns = window.dash_clientside.tickless;
        const tab = ns.stream.tab;
        tab.dataset = ns.codec.decodeDataset(arguments[0]);
        tab.clock = ns.clock.createClock({rate: tab.dataset.rate, start: 4000, now: performance.now()});
        """,
        payload,
    )
    first = drawing(dash_duo)
    assert js(dash_duo, loading) is None
    assert first["channels"] == [0, 1, 2]
    wait_until(lambda: snap(dash_duo)["head"] > first["head"] + 300, 10, "follows the tab's clock")
    dash_duo.driver.execute_script("window.dash_clientside.tickless.stream.setPlaying(false);")
    wait_frames(dash_duo, 5)
    s = snap(dash_duo)
    tab_head = js(dash_duo, "Math.floor(window.dash_clientside.tickless.stream.tab.clock.anchorPos) + 1")
    assert s["head"] == tab_head, "the same clock"
    values = tickless_data.dataset(3, RATE, 20, seed=3)
    xs, *ys = drawn(dash_duo)
    first_sample = s["lo"] // s["bucket"] * s["bucket"]
    for c, drawn_values in enumerate(ys):
        window = values[c][np.arange(first_sample, s["head"]) % values.shape[1]]
        assert (min(drawn_values), max(drawn_values)) == (float(window.min()), float(window.max()))
    assert dash_duo.get_logs() == []


def test_lc011_follows_its_container_size(dash_duo):
    start(dash_duo, _app(window=20_000))
    wide = drawing(dash_duo)
    dash_duo.driver.execute_script(f"document.getElementById('{LC}').style.width = '500px';")
    over = f"document.querySelector('#{LC} .u-over').clientWidth"
    wait_until(lambda: js(dash_duo, over) < 500, 10, "the plot shrinks with its container")
    wait_until(lambda: snap(dash_duo)["bucket"] > wide["bucket"], 10, "fewer columns: bigger buckets")
    assert 20_000 / snap(dash_duo)["bucket"] <= js(dash_duo, over)
    assert dash_duo.get_logs() == []
