"""Browser tests of the sampled bridge (JS state → data-* / store → Python): ids test_bridge0xx."""

from __future__ import annotations

import json

import numpy as np
import pytest
from selenium.webdriver.common.keys import Keys

from app import analytics, create_app, data, ids
from tests.integration.helpers import (
    callbacks_pending,
    hover_then_click,
    js,
    snapshot,
    start,
    stream_idle,
    time_requests,
    wait_until,
)

from .test_live import SETTINGS

G = ids.panel("clientside-raf", "graph")


@pytest.fixture
def bridged(dash_duo):
    counter = start(dash_duo, create_app(SETTINGS))
    wait_until(lambda: (snapshot(dash_duo, G) or {}).get("points", 0) > 0, 20, "first figure")
    return counter


def open_path(dash_duo, path: str) -> None:
    dash_duo.driver.get(dash_duo.server_url + path)
    wait_until(lambda: (snapshot(dash_duo, G) or {}).get("points", 0) > 0, 20, "first figure")


def last_sample(dash_duo) -> dict:
    return json.loads(
        js(dash_duo, f"document.getElementById('{ids.BRIDGE_SAMPLE}').getAttribute('data-bridge')")
    )


def pause(dash_duo) -> None:
    dash_duo.find_element(f"#{ids.PLAY}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Play")


def shown_seq(dash_duo) -> int | None:
    caption = js(dash_duo, f"(document.querySelector('#{ids.BRIDGE_ANALYTICS} caption') || {{}}).textContent")
    return int(caption.split("sample ")[1].rstrip(")")) if caption else None


def paused_sample(dash_duo) -> dict:
    """Pause, wait until Python shows the paused sample, and return that sample."""
    wait_until(lambda: shown_seq(dash_duo), 10, "analytics shown")
    pause(dash_duo)
    wait_until(lambda: last_sample(dash_duo)["playing"] is False, 10, "a paused sample")
    wait_until(lambda: shown_seq(dash_duo) == last_sample(dash_duo)["seq"], 10, "table shows the last sample")
    return last_sample(dash_duo)


def ticks(dash_duo) -> int:
    """How many times the bridge's sampler has run (75_bridge.js: a timer of its own, no dcc.Interval)."""
    return js(dash_duo, "window.dash_clientside.tickless.bridge.runs") or 0


def period(dash_duo) -> int | None:
    """The sampler's period in ms (0 = off), as the period control set it."""
    return js(dash_duo, "window.dash_clientside.tickless.bridge.period")


def test_bridge001_calls_follow_the_sample_rate_not_the_frame_rate(dash_duo, bridged):
    open_path(dash_duo, "/?bridge=250")
    wait_until(lambda: period(dash_duo) == 250, 10, "period from the URL")
    elapsed, made = time_requests(bridged, 8)  # ~2 s: whole periods, starting on a call
    fps = snapshot(dash_duo, G)["fps"]
    assert fps > 2 * (1000 / 250), "the chart renders much faster than the bridge samples"
    assert made == pytest.approx(elapsed * 4, rel=0.2), (made, elapsed)
    # a slower period gives proportionally fewer calls at the same frame rate
    box = dash_duo.find_element(f"#{ids.BRIDGE_PERIOD}")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("1000", Keys.ENTER)
    wait_until(lambda: period(dash_duo) == 1000, 10, "period applied")
    elapsed, made = time_requests(bridged, 3)
    assert made == pytest.approx(elapsed, rel=0.2, abs=1), (made, elapsed)
    # paused: nothing changes, so no bridge calls at all, however often the sampler runs
    pause(dash_duo)
    wait_until(lambda: last_sample(dash_duo)["playing"] is False, 10, "the paused sample sent")
    wait_until(lambda: callbacks_pending(dash_duo) == 0, 10, "and answered")
    paused, fired = bridged.count, ticks(dash_duo)
    wait_until(lambda: ticks(dash_duo) >= fired + 4, 15, "the sampler ran four more times")
    assert bridged.count == paused
    assert dash_duo.get_logs() == []


def test_bridge002_analytics_equal_numpy_on_the_same_window(dash_duo, bridged):
    open_path(dash_duo, "/?bridge=250&window=1500")
    sample = paused_sample(dash_duo)
    values = data.dataset(SETTINGS.channels, SETTINGS.rate, SETTINGS.seconds, SETTINGS.seed)
    _, window = analytics.window_slice(values, sample["head"], sample["window"])
    assert sample["window"] == 1500 and sample["playing"] is False
    for ch in range(SETTINGS.channels):
        x = window[ch].astype(np.float64)
        cells = js(
            dash_duo,
            f"Array.from(document.querySelectorAll('#bridge-row-{ch} td[data-value]')).map(td => +td.dataset.value)",
        )
        assert cells[:4] == pytest.approx([x.min(), x.max(), x.mean(), np.sqrt(np.mean(x * x))], rel=1e-9)
        spectrum = np.abs(np.fft.rfft((x - x.mean()) * np.hanning(x.size)))
        freqs = np.fft.rfftfreq(x.size, 1 / SETTINGS.rate)
        assert cells[4] == pytest.approx(freqs[1 + np.argmax(spectrum[1:])])
    assert dash_duo.get_logs() == []


def test_bridge003_clicked_points_arrive_in_python(dash_duo, bridged):
    open_path(dash_duo, "/?bridge=250")
    pause(dash_duo)
    wait_until(lambda: stream_idle(dash_duo, G), 10, "the last extend drawn")
    point = js(
        dash_duo,
        f"""(() => {{
            const gd = window.dash_clientside.tickless.stream.findGraphDiv('{G}');
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, t = gd.data[1];
            const i = Math.floor(t.x.length / 2);
            return {{x: t.x[i], y: t.y[i], dx: xa._offset + xa.l2p(t.x[i]), dy: ya._offset + ya.l2p(t.y[i])}};
        }})()""",
    )
    listeners = (
        f"window.dash_clientside.tickless.stream.findGraphDiv('{G}')._ev.listeners('plotly_click').length"
    )
    wait_until(lambda: js(dash_duo, listeners) >= 2, 10, "our click listener is attached")
    graph_div = dash_duo.find_element(f"#{G} .js-plotly-plot")
    # a test-side hover counter (through the events helper) tells when plotly has seen the pointer, and a
    # click counter when it has seen the click (the inspector counts events only while its page shows)
    dash_duo.driver.execute_script(
        f"window.dash_clientside.tickless.events.subscribe('{G}', 'plotly_hover', () => {{ window.__hovers = true; }});"
        f"window.dash_clientside.tickless.events.subscribe('{G}', 'plotly_click', () => {{ window.__clicks = true; }});"
    )
    hover_then_click(
        dash_duo, graph_div, point["dx"], point["dy"], lambda: js(dash_duo, "window.__hovers === true")
    )
    wait_until(lambda: js(dash_duo, "window.__clicks === true"), 5, "plotly saw the click")
    dash_duo.wait_for_contains_text(f"#{ids.BRIDGE_CLICKS}", " at ", timeout=10)
    name, rest = dash_duo.find_element(f"#{ids.BRIDGE_CLICKS}").text.split(" at ")
    t, value = rest.split(" s: ")
    assert float(t) == pytest.approx(point["x"], abs=0.05), "the clicked time"
    # the value Python lists is the data's value at that time on that channel
    values = data.dataset(SETTINGS.channels, SETTINGS.rate, SETTINGS.seconds, SETTINGS.seed)
    channel = data.channel_names(SETTINGS.channels).index(name)
    expected = values[channel][round(float(t) * SETTINGS.rate) % SETTINGS.length]
    assert float(value) == pytest.approx(float(expected), rel=1e-3)
    assert dash_duo.get_logs() == []


def _single_crossing(values: np.ndarray, head: int, window: int) -> tuple[int, float, int]:
    """(channel, level, index) of a level crossed upward exactly once in the window, found with numpy."""
    for channel in range(values.shape[0]):
        idx, win = analytics.window_slice(values, head, window)
        x = win[channel].astype(np.float64)
        for level in np.round(np.linspace(x.max(), x.min(), 300)[1:-1], 4):
            if abs(level) < 1:
                continue  # typed values like "0.5" are awkward in number inputs
            hits = np.flatnonzero((x[:-1] < level) & (x[1:] >= level))
            if hits.size == 1:
                return channel, float(level), int(idx[hits[0] + 1])
    raise AssertionError("no single crossing in this window")


def test_bridge004_alerts_fire_on_a_known_crossing(dash_duo, bridged):
    open_path(dash_duo, "/?bridge=250&window=3000")
    sample = paused_sample(dash_duo)
    values = data.dataset(SETTINGS.channels, SETTINGS.rate, SETTINGS.seconds, SETTINGS.seed)
    channel, level, index = _single_crossing(values, sample["head"], sample["window"])
    box = dash_duo.find_element(f"input[id*='bridge-threshold'][id*='\"index\":{channel}']")
    box.send_keys(f"{level}\n")
    assert dash_duo.find_element(f"#{ids.BRIDGE_ALERTS}").text == "", "typing alone applies nothing"
    dash_duo.find_element(f"#{ids.BRIDGE_APPLY}").click()
    name = f"ch{channel + 1}"
    dash_duo.wait_for_contains_text(f"#{ids.BRIDGE_STATUS}", f"thresholds: {name} ≥ {level:g}", timeout=10)
    dash_duo.wait_for_text_to_equal(
        f"#{ids.BRIDGE_ALERTS}",
        f"{name} crossed {level:g} at {index / SETTINGS.rate:.3f} s (value {values[channel][index % SETTINGS.length]:.4g})",
        timeout=10,
    )
    assert dash_duo.get_logs() == []


def test_bridge005_forged_payloads_get_a_message_and_the_chart_keeps_running(dash_duo, bridged):
    open_path(dash_duo, "/?bridge=0")  # no genuine samples while we forge
    for forged, expected in [
        ('{"v": 1, "head": -5}', "bridge payload is missing required field"),
        ("not json", "not valid JSON"),
        ('{"v": 9}', "expected version 1"),
    ]:
        js(
            dash_duo,
            f"window.dash_clientside.set_props('{ids.BRIDGE_SAMPLE}', {{'data-bridge': {forged!r}}})",
        )
        dash_duo.wait_for_contains_text(f"#{ids.BRIDGE_STATUS}", expected, timeout=10)
        assert "Bridge sample rejected" in dash_duo.find_element(f"#{ids.BRIDGE_STATUS}").text
    x1 = js(dash_duo, f"window.dash_clientside.tickless.stream.findGraphDiv('{G}').data[0].x.slice(-1)[0]")
    wait_until(
        lambda: (
            js(dash_duo, f"window.dash_clientside.tickless.stream.findGraphDiv('{G}').data[0].x.slice(-1)[0]")
            > x1
        ),
        10,
        "chart still streams",
    )
    # turn the sampler on: the next genuine sample is accepted again
    box = dash_duo.find_element(f"#{ids.BRIDGE_PERIOD}")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("500", Keys.ENTER)
    dash_duo.wait_for_contains_text(f"#{ids.BRIDGE_STATUS}", "playhead", timeout=10)
    assert dash_duo.get_logs() == []


def test_bridge006_store_transport_via_set_props(dash_duo, bridged):
    open_path(dash_duo, "/?bridge=250")
    for option in dash_duo.find_elements(f"#{ids.BRIDGE_VIA} label"):
        if "set_props" in option.text:
            option.click()
    attr_before = last_sample(dash_duo)["seq"]
    wait_until(lambda: (shown_seq(dash_duo) or 0) > attr_before + 3, 10, "samples arrive through the store")
    assert last_sample(dash_duo)["seq"] == attr_before, "the data-* attribute is no longer written"
    shown = shown_seq(dash_duo)  # read before the sampler's counter: a new sample may land in between
    assert js(dash_duo, "window.dash_clientside.tickless.bridge.seq") >= shown
    assert dash_duo.get_logs() == []
