"""Browser tests of the `component` strategy (the LiveChart on the tab's data and clock): ids test_comp0xx.

The chart's own behaviour is tested in test_livechart.py (test_lc0xx); these check its wiring into Tickless:
the page, the shared controls, the engine's meters and HUD, the zoom store, the bridge and the compare grid.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from app import create_app, data, ids
from tests.integration.helpers import (
    js,
    page_update_requests,
    snapshot,
    start,
    wait_frames,
    wait_until,
    wall_display,
)

from .test_live import SETTINGS

SID = "component"
G = ids.panel(SID, "graph")
RAF = ids.panel("clientside-raf", "graph")
NAMES = data.channel_names(SETTINGS.channels)
VALUES = data.dataset(SETTINGS.channels, SETTINGS.rate, SETTINGS.seconds, SETTINGS.seed)


def hud(dash_duo, part: str) -> str:
    """The text of one HUD field of the component's panel."""
    return dash_duo.find_element(f"#{ids.panel(SID, part)}").text


def chart(dash_duo) -> dict | None:
    """The chart's own snapshot (livechart controller: head, lo/hi drawn, bucket, frozen, draws, sent…)."""
    return js(dash_duo, f"document.getElementById('{G}')?.livechart?.snapshot()")


def drawn(dash_duo) -> list[list[float]]:
    """What the chart last gave its canvas: [x, y per shown channel]."""
    return js(dash_duo, f"document.getElementById('{G}').livechart.drawn()")


def prop(dash_duo, component_id: str, name: str):
    """A component's prop as the Dash renderer holds it (what a Python callback would receive)."""
    return js(
        dash_duo,
        f"(window.dash_component_api.getLayout({component_id!r}) || {{props: {{}}}}).props[{name!r}]",
    )


def open_page(dash_duo, query: str = "bridge=0") -> None:
    """Open /strategy/component and wait until the chart draws data."""
    dash_duo.driver.get(f"{dash_duo.server_url}/strategy/{SID}?{query}")
    wait_until(lambda: (chart(dash_duo) or {}).get("points", 0) > 0, 30, "the chart draws")


def toggle_play(dash_duo, label_after: str) -> None:
    """Click play/pause and wait until the button says `label_after`."""
    dash_duo.find_element(f"#{ids.PLAY}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", label_after)


def held_still(dash_duo) -> dict:
    """Paused: wait until the chart's head is the clock's and stays there over 30 frames; its snapshot."""
    due = "(() => { const t = window.dash_clientside.tickless; return t.clock.dueEnd(t.stream.tab.clock, performance.now()); })()"
    wait_until(lambda: chart(dash_duo)["head"] == js(dash_duo, due), 10, "the chart shows the paused head")
    before = chart(dash_duo)
    wait_frames(dash_duo, 30)  # watch 30 frames: nothing may move while paused
    after = chart(dash_duo)
    assert (after["head"], after["draws"]) == (before["head"], before["draws"]), "a paused chart holds still"
    return after


def option(dash_duo, component_id: str, label: str) -> None:
    """Click the option of a dcc.RadioItems/Checklist whose text is `label`."""
    for item in dash_duo.find_elements(f"#{component_id} label"):
        if item.text.strip() == label:
            item.click()
            return
    raise AssertionError(f"no option {label!r} in #{component_id}")


def set_window(dash_duo, value: int) -> None:
    box = dash_duo.find_element(f"#{ids.WINDOW}")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(str(value), Keys.ENTER)


def plot(dash_duo):
    """uPlot's overlay: the element that takes the mouse."""
    return dash_duo.find_element(f"#{G} .u-over")


def drag(dash_duo, x0: float, x1: float) -> None:
    """Drag across the plot from x0 to x1 (fractions of its width), at mid height."""
    box = plot(dash_duo).rect
    ActionChains(dash_duo.driver).move_to_element_with_offset(
        plot(dash_duo), int(box["width"] * x0), int(box["height"] / 2)
    ).click_and_hold().move_by_offset(int(box["width"] * (x1 - x0)), 5).release().perform()


def head_rate(dash_duo, samples: int) -> float:
    """Samples per second the chart's head advances, measured over `samples` samples of page time."""
    t0, h0 = js(dash_duo, f"[performance.now(), document.getElementById('{G}').livechart.snapshot().head]")
    wait_until(lambda: chart(dash_duo)["head"] >= h0 + samples, 20, f"the head moves {samples} samples")
    t1, h1 = js(dash_duo, f"[performance.now(), document.getElementById('{G}').livechart.snapshot().head]")
    return (h1 - h0) / (t1 - t0) * 1000


@pytest.fixture
def app_counter(dash_duo):
    return start(dash_duo, create_app(SETTINGS))


def test_comp001_draws_and_rolls_with_the_hud(dash_duo, app_counter):
    open_page(dash_duo)
    assert js(dash_duo, f"document.getElementById('{ids.panel(SID, 'panel')}').style.display") == "block"
    assert dash_duo.find_element(f"#{G} canvas"), "a canvas, not a plotly graph"
    assert not dash_duo.find_elements(f"#{G} .js-plotly-plot")
    window, channels = SETTINGS.window, SETTINGS.channels
    wait_until(lambda: chart(dash_duo)["hi"] - chart(dash_duo)["lo"] == window, 10, "a full window")
    first = chart(dash_duo)
    assert first["channels"] == list(range(channels)) and first["bucket"] == 1, "the window fits: no envelope"
    wait_until(lambda: chart(dash_duo)["xRange"][0] > first["xRange"][0] + 0.5, 10, "the x axis rolls")
    s = chart(dash_duo)
    assert s["xRange"][1] - s["xRange"][0] == pytest.approx((window - 1) / SETTINGS.rate)
    assert [e.text for e in dash_duo.find_elements(f"#{G} .livechart-legend-item")] == NAMES
    # the engine measures it like any panel: painted frames, points, latency; the HUD shows them
    wait_until(lambda: snapshot(dash_duo, G)["fps"] > 5, 10, "the engine counts painted frames")
    snap = snapshot(dash_duo, G)
    assert snap["mode"] == SID and snap["active"] and snap["points"] == window * channels
    assert snap["decimated"] is None and snap["errors"] == 0
    wait_until(lambda: np.isfinite(snapshot(dash_duo, G)["latencyP50"] or np.nan), 10, "a latency")
    assert 0 <= snapshot(dash_duo, G)["latencyP50"] < 1000
    dash_duo.wait_for_text_to_equal(f"#{ids.panel(SID, 'points')}", f"{window * channels:,}", timeout=10)
    wait_until(lambda: hud(dash_duo, "fps").isdigit() and int(hud(dash_duo, "fps")) > 0, 10, "HUD fps")
    wait_until(lambda: hud(dash_duo, "latency").endswith(" ms"), 10, "HUD latency")
    assert hud(dash_duo, "requests") == "0" and hud(dash_duo, "follow") == "live"
    assert dash_duo.get_logs() == []


def test_comp002_zero_callback_requests_while_streaming_with_the_bridge_off(dash_duo, app_counter):
    open_page(dash_duo)
    wait_until(lambda: snapshot(dash_duo, G)["fps"] > 0, 10, "streaming")
    server, page, draws = app_counter.count, page_update_requests(dash_duo), chart(dash_duo)["draws"]
    head = chart(dash_duo)["head"]
    # the controls too: every one of them is a clientside callback
    option(dash_duo, ids.SPEED, "5×")
    set_window(dash_duo, 900)
    wait_until(lambda: chart(dash_duo)["hi"] - chart(dash_duo)["lo"] == 900, 10, "window 900")
    toggle_play(dash_duo, "Play")
    toggle_play(dash_duo, "Pause")
    wait_until(lambda: chart(dash_duo)["head"] > head + 10_000, 20, "two seconds streamed at 5x")
    wait_until(lambda: chart(dash_duo)["draws"] > draws + 60, 20, "60 more frames drawn")
    assert chart(dash_duo)["opts"]["sampleInterval"] == 60_000, "fps/hover are not sent on a 500 ms timer"
    assert app_counter.count == server, "the server saw callback requests"
    assert page_update_requests(dash_duo) == page, "the page made callback requests"
    assert snapshot(dash_duo, G)["requests"] == 0 and snapshot(dash_duo, G)["tabRequests"] == page
    assert dash_duo.get_logs() == []


def test_comp003_drawn_extremes_equal_the_data_min_and_max_in_the_window(dash_duo, app_counter):
    window = 20_000  # wider than the plot: one min/max bucket per pixel column
    open_page(dash_duo, f"bridge=0&window={window}")
    wait_until(lambda: (chart(dash_duo)["bucket"] or 0) > 1, 20, "an envelope")
    toggle_play(dash_duo, "Play")
    s = held_still(dash_duo)
    assert s["hi"] - s["lo"] == window and snapshot(dash_duo, G)["decimated"] == {"bucket": s["bucket"]}
    xs, *ys = drawn(dash_duo)
    assert xs == sorted(xs) and len(xs) <= 2 * (window // s["bucket"] + 2), "two points per bucket"
    first = s["lo"] // s["bucket"] * s["bucket"]  # buckets are aligned to absolute sample index
    idx = np.arange(first, s["hi"]) % SETTINGS.length
    for channel, values in enumerate(ys):
        expected = VALUES[channel][idx]
        assert (min(values), max(values)) == (float(expected.min()), float(expected.max())), NAMES[channel]
    assert dash_duo.get_logs() == []


def test_comp004_pause_speed_window_channels_and_decimate_via_the_shared_controls(dash_duo, app_counter):
    open_page(dash_duo)
    toggle_play(dash_duo, "Play")
    held = held_still(dash_duo)["head"]
    dash_duo.wait_for_text_to_equal(f"#{ids.panel(SID, 'fps')}", "paused", timeout=10)
    toggle_play(dash_duo, "Pause")
    wait_until(lambda: chart(dash_duo)["head"] > held + 200, 10, "plays again")
    assert head_rate(dash_duo, 750) == pytest.approx(SETTINGS.rate, rel=0.25)
    option(dash_duo, ids.SPEED, "10×")
    wait_until(lambda: snapshot(dash_duo, G)["speed"] == 10, 10, "speed applied")
    assert head_rate(dash_duo, 7500) == pytest.approx(10 * SETTINGS.rate, rel=0.25)
    set_window(dash_duo, 800)
    option(dash_duo, ids.CHANNELS, "ch2")  # untick the middle channel
    wait_until(
        lambda: (
            chart(dash_duo)["channels"] == [0, 2] and chart(dash_duo)["hi"] - chart(dash_duo)["lo"] == 800
        ),
        10,
        "window 800 of ch1 and ch3",
    )
    assert [e.text for e in dash_duo.find_elements(f"#{G} .livechart-legend-item")] == ["ch1", "ch3"]
    assert prop(dash_duo, G, "window") == 800 and prop(dash_duo, G, "channels") == [0, 2]
    dash_duo.wait_for_text_to_equal(f"#{ids.panel(SID, 'points')}", "1,600", timeout=10)
    # decimate: a window wider than the plot is an envelope under auto, every sample under off
    set_window(dash_duo, 20_000)
    wait_until(lambda: (chart(dash_duo)["bucket"] or 0) > 1, 10, "auto: an envelope")
    option(dash_duo, ids.DECIMATE, "off")
    wait_until(lambda: chart(dash_duo)["bucket"] == 1, 10, "off: every sample")
    assert prop(dash_duo, G, "decimate") == "off"
    wait_until(lambda: snapshot(dash_duo, G)["points"] == 2 * 20_000, 10, "every sample of both channels")
    assert dash_duo.get_logs() == []


def test_comp005_zoom_freezes_and_double_click_follows(dash_duo, app_counter):
    open_page(dash_duo)
    wait_until(lambda: chart(dash_duo)["hi"] - chart(dash_duo)["lo"] == SETTINGS.window, 10, "a full window")
    drag(dash_duo, 0.3, 0.6)
    wait_until(lambda: chart(dash_duo)["frozen"], 10, "a zoom freezes the x axis")
    frozen = chart(dash_duo)["frozen"]
    dash_duo.wait_for_text_to_equal(f"#{ids.panel(SID, 'follow')}", "frozen", timeout=10)
    wait_until(lambda: prop(dash_duo, ids.ZOOM_STORE, "data") == [G], 10, "the zoom store lists the chart")
    head = chart(dash_duo)["head"]
    wait_until(lambda: chart(dash_duo)["head"] > head + 300, 10, "time goes on")
    assert chart(dash_duo)["xRange"] == frozen, "the axis stays where the user put it"
    box = plot(dash_duo).rect
    ActionChains(dash_duo.driver).move_to_element_with_offset(
        plot(dash_duo), int(box["width"] / 2), int(box["height"] / 2)
    ).double_click().perform()
    wait_until(lambda: chart(dash_duo)["frozen"] is None, 10, "double-click follows again")
    dash_duo.wait_for_text_to_equal(f"#{ids.panel(SID, 'follow')}", "live", timeout=10)
    wait_until(lambda: prop(dash_duo, ids.ZOOM_STORE, "data") == [], 10, "the zoom store is empty again")
    wait_until(lambda: chart(dash_duo)["xRange"][1] > frozen[1] + 0.3, 10, "the axis follows the live edge")
    assert dash_duo.get_logs() == []


def test_comp006_clicks_reach_the_bridge_and_the_bridge_hears_the_chart(dash_duo, app_counter):
    open_page(dash_duo, "bridge=200")
    toggle_play(dash_duo, "Play")
    held_still(dash_duo)
    box = plot(dash_duo).rect
    ActionChains(dash_duo.driver).move_to_element_with_offset(
        plot(dash_duo), int(box["width"] * 0.4), int(box["height"] / 2)
    ).click().perform()
    wait_until(lambda: prop(dash_duo, G, "clickData"), 10, "the chart reports the click")
    point = prop(dash_duo, G, "clickData")
    dash_duo.wait_for_contains_text(f"#{ids.BRIDGE_CLICKS}", " at ", timeout=10)
    name, rest = dash_duo.find_element(f"#{ids.BRIDGE_CLICKS}").text.split("\n")[0].split(" at ")
    t, value = rest.split(" s: ")
    assert name == point["name"] and float(t) == pytest.approx(point["x"], abs=0.001)
    # what Python lists is the data's own sample at that index: the exact point drawn under the cursor
    index = int(point["index"])
    assert float(value) == pytest.approx(float(VALUES[point["channel"]][index % SETTINGS.length]), rel=1e-3)
    assert point["y"] == float(VALUES[point["channel"]][index % SETTINGS.length])
    # the bridge's frames/s is the chart's (the engine counts its painted frames as any panel's)
    toggle_play(dash_duo, "Pause")
    sample = f"document.getElementById('{ids.BRIDGE_SAMPLE}').getAttribute('data-bridge')"
    wait_until(lambda: json.loads(js(dash_duo, sample) or "{}").get("fps", 0) > 5, 10, "the bridge's fps")
    assert dash_duo.get_logs() == []


def test_comp007_compare_grid_draws_the_same_samples_as_plotly_on_one_clock(dash_duo, app_counter):
    dash_duo.driver.get(f"{dash_duo.server_url}/compare?s=component,clientside-raf&bridge=0")
    wait_until(lambda: (chart(dash_duo) or {}).get("points", 0) > 0, 30, "the chart draws")
    wait_until(lambda: (snapshot(dash_duo, RAF) or {}).get("points") == 3 * SETTINGS.window, 20, "raf full")
    shown = """Array.from(document.querySelectorAll('section.panel')).filter(e => e.style.display !== 'none')
        .sort((a, b) => (+a.style.order || 0) - (+b.style.order || 0)).map(e => e.id)"""
    assert js(dash_duo, shown) == [ids.panel(SID, "panel"), ids.panel("clientside-raf", "panel")]
    toggle_play(dash_duo, "Play")
    s = held_still(dash_duo)
    raf_end = "(() => { const s = window.dash_clientside.tickless.stream.tab.streams.get(%r); return [s.busy, s.sentEnd]; })()"
    wait_until(lambda: js(dash_duo, raf_end % RAF) == [False, s["hi"]], 10, "raf drew up to the same sample")
    last_x = js(
        dash_duo, f"window.dash_clientside.tickless.stream.findGraphDiv('{RAF}').data[0].x.slice(-1)[0]"
    )
    assert round(last_x * SETTINGS.rate) + 1 == s["hi"], "both panels end on the same sample"
    xs, *ys = drawn(dash_duo)
    assert round(xs[-1] * SETTINGS.rate) + 1 == s["hi"]
    plotly_y = js(
        dash_duo,
        f"window.dash_clientside.tickless.stream.findGraphDiv('{RAF}').data.map(t => Array.from(t.y.slice(-5)))",
    )
    assert [list(y[-5:]) for y in ys] == plotly_y, "the same newest samples (float32 both)"
    assert dash_duo.get_logs() == []


def test_comp008_a_hidden_component_panel_draws_nothing(dash_duo, app_counter):
    dash_duo.driver.get(f"{dash_duo.server_url}/?bridge=0")  # the landing page: clientside-raf only
    wait_until(lambda: (snapshot(dash_duo, RAF) or {}).get("points") == 3 * SETTINGS.window, 20, "raf full")
    wait_until(lambda: (chart(dash_duo) or {}).get("hidden"), 10, "the chart knows its panel is hidden")
    draws, frames = chart(dash_duo)["draws"], chart(dash_duo)["frames"]
    wait_frames(dash_duo, 30)  # watch 30 frames: a hidden chart draws nothing (its loop only ticks)
    assert chart(dash_duo)["draws"] == draws and chart(dash_duo)["frames"] > frames
    assert not snapshot(dash_duo, G)["active"]
    dash_duo.find_element(f"#{ids.NAV} a[href='/strategy/{SID}']").click()
    wait_until(lambda: chart(dash_duo)["draws"] > draws + 10, 10, "shown: it draws again")
    wait_until(lambda: chart(dash_duo)["hi"] - chart(dash_duo)["lo"] == SETTINGS.window, 10, "the window")
    assert not chart(dash_duo)["hidden"] and snapshot(dash_duo, G)["active"]
    assert dash_duo.get_logs() == []


def test_comp009_the_chart_follows_the_viewer_look_stacked_dark_dated_and_the_screen_font(dash_duo, tmp_path):
    """#16: the LiveChart draws as the plotly panels do: stacked rows, the OS's theme, a UTC date axis, the font."""
    from app.settings import Settings
    from tests.integration.test_data import choose
    from tests.integration.test_tabdata import START

    start(dash_duo, create_app(Settings(channels=3, rate=1000, seconds=5)))
    url = f"{dash_duo.server_url}/compare?s=clientside-raf,{SID}&bridge=0"
    dash_duo.driver.get(url)
    wait_until(lambda: (chart(dash_duo) or {}).get("points", 0) > 0, 30, "the chart draws")
    first = chart(dash_duo)
    assert (first["layout"], first["theme"], first["time"]) == ("overlaid", "light", False), first
    light = first["look"]
    assert light["background"] == "rgb(255, 255, 255)" and light["fontSize"] == 12, light
    assert all("\n" not in str(v) and ":" not in str(v) for v in first["look"]["xLabels"]), "seconds on x"
    # stacked: one y scale per channel, each channel's fixed range filling its own row, top to bottom
    dash_duo.find_element(f"#{ids.VIEW_LAYOUT} input[value=stacked]").click()
    wait_until(lambda: chart(dash_duo)["layout"] == "stacked", 20, "the chart stacks its rows")
    s = chart(dash_duo)
    assert {"y0", "y1", "y2", "rows"} <= set(s["look"]["scales"]), s["look"]
    ranges = js(dash_duo, "window.dash_clientside.tickless.stream.tab.dataset.ranges")
    gap = js(dash_duo, "window.dash_clientside.tickless.stream.tab.config.data.stackGap")
    h = (1 - 2 * gap) / 3
    for k, (lo, hi) in enumerate(ranges):
        smin, smax = s["yScales"][k]
        top = 1 - k * (h + gap)
        inset = h * 0.05 / 1.1  # the chart pads a channel's range by 5% each side (livechart view.js padded)
        assert (hi - smin) / (smax - smin) == pytest.approx(top - inset, abs=1e-3), (k, s["yScales"][k])
        assert (lo - smin) / (smax - smin) == pytest.approx(top - h + inset, abs=1e-3), (k, s["yScales"][k])
    assert len(s["look"]["yLabels"]) >= 6, "every row has its own labels"
    # the OS switches to dark: the chart follows at once, still stacked, in the contract's dark colours
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}
    )
    wait_until(lambda: chart(dash_duo)["theme"] == "dark", 20, "the chart goes dark")
    dark = chart(dash_duo)
    assert dark["look"]["background"] == "rgb(21, 24, 30)" and dark["layout"] == "stacked", dark["look"]
    outer = js(dash_duo, f"getComputedStyle(document.getElementById('{G}')).backgroundColor")
    assert outer == "rgb(21, 24, 30)", "the legend and frame too"
    # timestamped data: a UTC date axis starting at the file's first sample, as the plotly panels draw
    rows = 4000
    stamps = [
        np.datetime_as_string(np.datetime64(int(START * 1000 + k * 4), "ms"), unit="ms") + "Z"
        for k in range(rows)
    ]
    t = np.arange(rows) / 250
    lines = "".join(
        f"{s},{np.sin(2 * np.pi * v):.6f},{np.cos(v):.6f}\n" for s, v in zip(stamps, t, strict=True)
    )
    (tmp_path / "ward.csv").write_text("timestamp,pulse,resp\n" + lines)
    choose(dash_duo, tmp_path / "ward.csv")
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_STATUS}", "from 2024-05-01 10:00:00 UTC", 20)
    wait_until(lambda: chart(dash_duo)["time"] and chart(dash_duo)["look"]["xLabels"], 20, "a date axis")
    dated = chart(dash_duo)
    lo, hi = dated["xRange"]
    assert START <= lo < hi <= START + rows * 0.004 + 0.01, dated["xRange"]
    labels = dated["look"]["xLabels"]
    assert labels[0].endswith("\n2024-05-01") and labels[0].startswith("10:00:"), labels
    assert dated["layout"] == "stacked" and dated["theme"] == "dark" and dated["channels"] == [0, 1]
    # a wall display's screen: the chart's font is the wall's, as on the plotly panels
    wall_display(dash_duo)
    dash_duo.driver.get(url)
    wait_until(lambda: (chart(dash_duo) or {}).get("points", 0) > 0, 30, "the chart draws again")
    wait_until(lambda: chart(dash_duo)["look"]["fontSize"] == 20, 20, "20 px on a wall")
    assert chart(dash_duo)["look"]["axisFont"].startswith("20px"), chart(dash_duo)["look"]
    assert dash_duo.get_logs() == []
