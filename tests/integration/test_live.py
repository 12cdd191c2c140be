"""Browser tests of the live chart (clientside-raf) in headless Chromium: ids test_live0xx."""

from __future__ import annotations

import numpy as np
import pytest
from selenium.webdriver.common.keys import Keys

from app import contract, create_app, data, ids
from app.settings import Settings
from tests.integration.helpers import (
    js,
    page_update_requests,
    snapshot,
    start,
    stream_idle,
    trace_columns,
    wait_frames,
    wait_until,
)

SETTINGS = Settings(channels=3, rate=1000, seconds=30, window=500, seed=11)
SID = "clientside-raf"
G = ids.panel(SID, "graph")
HUD_FPS, HUD_POINTS, HUD_LATENCY, HUD_REQUESTS, HUD_TAB = (
    ids.panel(SID, p) for p in ("fps", "points", "latency", "requests", "tab-requests")
)


@pytest.fixture
def live(dash_duo):
    """The app on a small dataset, opened in Chromium, with the first figure drawn."""
    counter = start(dash_duo, create_app(SETTINGS))
    wait_until(lambda: (snapshot(dash_duo, G) or {}).get("points", 0) > 0, 20, "first figure")
    return counter


def _click_option(dash_duo, component_id: str, label: str) -> None:
    """Click the option of a dcc.RadioItems/Checklist whose text is `label`."""
    for option in dash_duo.find_elements(f"#{component_id} label"):
        if option.text.strip() == label:
            option.click()
            return
    raise AssertionError(f"no option {label!r} in #{component_id}")


def _set_window(dash_duo, value: str) -> None:
    box = dash_duo.find_element(f"#{ids.WINDOW}")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(value, Keys.ENTER)


def _last_x(dash_duo) -> float:
    return trace_columns(dash_duo, G)[0]["x1"]


def _playhead_rate(dash_duo, samples: float) -> float:
    """Samples per second the playhead advances, from two snapshots' positions and page times, the second
    taken once the playhead has moved `samples` samples."""
    before = snapshot(dash_duo, G)
    target = before["position"] + samples
    wait_until(
        lambda: snapshot(dash_duo, G)["position"] >= target, 20, f"the playhead moves {samples} samples"
    )
    after = snapshot(dash_duo, G)
    return (after["position"] - before["position"]) / (after["now"] - before["now"]) * 1000


def test_live001_starts_full_then_rolls(dash_duo, live):
    cols = trace_columns(dash_duo, G)
    assert [c["n"] for c in cols] == [500, 500, 500], "the window starts full"
    assert [c["type"] for c in cols] == ["scatter"] * 3
    first = cols[0]
    wait_until(lambda: _last_x(dash_duo) > first["x1"] + 0.2, 10, "new samples appended")
    cols = trace_columns(dash_duo, G)
    assert [c["n"] for c in cols] == [500, 500, 500], "maxPoints keeps the window"
    assert cols[0]["x0"] > first["x0"], "old points roll off the left"
    assert cols[0]["x1"] - cols[0]["x0"] == pytest.approx(499 / 1000)
    assert dash_duo.get_logs() == []


def test_live002_grows_up_to_a_larger_window_then_rolls(dash_duo, live):
    _click_option(dash_duo, ids.DECIMATE, "off")  # every sample drawn, so points count samples
    _set_window(dash_duo, "15000")
    wait_until(lambda: snapshot(dash_duo, G)["config"]["window"] == 15000, 10, "window applied")
    start_n = trace_columns(dash_duo, G)[0]["n"]
    assert start_n < 15000, "the playhead is less than a window into the data"
    wait_until(lambda: trace_columns(dash_duo, G)[0]["n"] > start_n + 300, 10, "points grow")
    _click_option(dash_duo, ids.SPEED, "10×")  # fill the rest of the window quickly
    wait_until(lambda: trace_columns(dash_duo, G)[0]["n"] == 15000, 20, "window fills")
    x0 = trace_columns(dash_duo, G)[0]["x0"]
    wait_until(lambda: trace_columns(dash_duo, G)[0]["x0"] > x0, 10, "then rolls")
    assert trace_columns(dash_duo, G)[0]["n"] == 15000
    assert dash_duo.get_logs() == []


def test_live003_pause_stops_and_play_resumes(dash_duo, live):
    play = dash_duo.find_element(f"#{ids.PLAY}")
    assert play.text == "Pause"
    play.click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Play")
    wait_until(lambda: stream_idle(dash_duo, G), 10, "clock paused, the last extend drawn")
    frozen = (_last_x(dash_duo), snapshot(dash_duo, G)["sentEnd"])
    wait_frames(dash_duo, 60)  # watch 60 frames: nothing may be drawn while paused
    assert (_last_x(dash_duo), snapshot(dash_duo, G)["sentEnd"]) == frozen
    dash_duo.wait_for_text_to_equal(f"#{HUD_FPS}", "paused")
    play.click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Pause")
    wait_until(lambda: _last_x(dash_duo) > frozen[0] + 0.1, 10, "resumes")
    assert dash_duo.get_logs() == []


def test_live004_speed_changes_the_replay_rate(dash_duo, live):
    assert _playhead_rate(dash_duo, 750) == pytest.approx(1000, rel=0.2)
    _click_option(dash_duo, ids.SPEED, "10×")
    wait_until(lambda: snapshot(dash_duo, G)["speed"] == 10, 5, "speed applied")
    assert _playhead_rate(dash_duo, 7500) == pytest.approx(10_000, rel=0.2)
    x1 = _last_x(dash_duo)
    wait_until(lambda: _last_x(dash_duo) > x1 + 1.0, 5, "chart follows at 10x")
    _click_option(dash_duo, ids.SPEED, "0.1×")
    wait_until(lambda: snapshot(dash_duo, G)["speed"] == 0.1, 5, "speed applied")
    assert _playhead_rate(dash_duo, 150) == pytest.approx(100, rel=0.2)
    assert dash_duo.get_logs() == []


def test_live005_window_channels_and_trace_type(dash_duo, live):
    _set_window(dash_duo, "1000")
    wait_until(lambda: trace_columns(dash_duo, G)[0]["n"] == 1000, 10, "window 1000")
    _click_option(dash_duo, ids.CHANNELS, "ch2")  # untick
    wait_until(lambda: len(trace_columns(dash_duo, G)) == 2, 10, "two channels")
    names = js(
        dash_duo,
        f"window.dash_clientside.tickless.stream.findGraphDiv('{G}').data.map(t => t.name)",
    )
    assert names == ["ch1", "ch3"]
    n = trace_columns(dash_duo, G)[0]["x1"]
    wait_until(lambda: trace_columns(dash_duo, G)[1]["x1"] > n, 10, "both remaining traces extend")
    _click_option(dash_duo, ids.TRACE, "scattergl")
    wait_until(lambda: {c["type"] for c in trace_columns(dash_duo, G)} == {"scattergl"}, 15, "gl")
    _click_option(dash_duo, ids.TRACE, "scatter")
    wait_until(lambda: {c["type"] for c in trace_columns(dash_duo, G)} == {"scatter"}, 15, "svg")
    x1 = _last_x(dash_duo)
    wait_until(lambda: _last_x(dash_duo) > x1, 10, "still streaming after the switch")
    assert dash_duo.get_logs() == []


def test_live006_bad_window_gets_a_message_and_keeps_streaming(dash_duo, live):
    _set_window(dash_duo, "5")
    # the window's limit is the dataset's length (a window wider than the data has nothing to show)
    longest = min(SETTINGS.rate * SETTINGS.seconds, contract.WINDOW[1])
    dash_duo.wait_for_contains_text(f"#{ids.CONTROL_MESSAGE}", f"from {contract.WINDOW[0]} to {longest:,}")
    dash_duo.wait_for_contains_text(f"#{ids.CONTROL_MESSAGE}", "Keeping 500")
    assert snapshot(dash_duo, G)["config"]["window"] == 500
    x1 = _last_x(dash_duo)
    wait_until(lambda: _last_x(dash_duo) > x1, 10, "still streaming")
    _set_window(dash_duo, "800")
    dash_duo.wait_for_text_to_equal(f"#{ids.CONTROL_MESSAGE}", "")
    wait_until(lambda: trace_columns(dash_duo, G)[0]["n"] == 800, 10, "valid window applied")
    assert dash_duo.get_logs() == []


def test_live007_zero_callback_requests_while_streaming_and_changing_controls(dash_duo, live):
    # the sampled bridge (its own feature, tested in test_bridge) is switched off here
    dash_duo.driver.get(dash_duo.server_url + "/?bridge=0")
    wait_until(lambda: (snapshot(dash_duo, G) or {}).get("points", 0) > 0, 20, "first figure")
    base = live.count  # the first page (bridge on) may have sampled once
    play = dash_duo.find_element(f"#{ids.PLAY}")
    for step in range(2):
        _click_option(dash_duo, ids.SPEED, "5×" if step else "2×")
        _set_window(dash_duo, str(700 + 100 * step))
        _click_option(dash_duo, ids.CHANNELS, "ch3")
        _click_option(dash_duo, ids.TRACE, "scattergl" if not step else "scatter")
        play.click()
        dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Play")
        wait_until(lambda: stream_idle(dash_duo, G), 10, "paused")
        end = snapshot(dash_duo, G)["sentEnd"]
        play.click()
        dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Pause")
        wait_until(lambda end=end: snapshot(dash_duo, G)["sentEnd"] > end + 500, 10, "streaming again")
    end = snapshot(dash_duo, G)["sentEnd"]  # a few more seconds of streaming (5x: 10,000 samples in 2 s)
    wait_until(lambda: snapshot(dash_duo, G)["sentEnd"] > end + 10_000, 20, "two more seconds streamed")
    wait_until(lambda: snapshot(dash_duo, G)["frames"] > 200, 20, "200 frames drawn")
    snap = snapshot(dash_duo, G)
    assert snap["frames"] > 200 and snap["errors"] == 0
    assert live.count == base, "the server saw callback requests"
    assert page_update_requests(dash_duo) == 0, "the page made callback requests"
    assert snap["requests"] == 0
    dash_duo.wait_for_text_to_equal(f"#{HUD_REQUESTS}", "0")
    dash_duo.wait_for_text_to_equal(f"#{HUD_TAB}", "0")
    assert snap["tabRequests"] == 0
    assert dash_duo.get_logs() == []
    # positive control: one real request to that path is seen by all three counters (and the HUD)
    js(dash_duo, "fetch('/_dash-update-component?probe').then(r => r.status)")
    wait_until(lambda: page_update_requests(dash_duo) == 1, 10, "page counts the probe")
    assert live.count == base + 1
    wait_until(lambda: snapshot(dash_duo, G)["tabRequests"] == 1, 10, "engine counts the probe")
    dash_duo.wait_for_text_to_equal(f"#{HUD_TAB}", "1")
    # the probe is a GET to a POST-only route: the one console error this test expects
    logs = dash_duo.get_logs()
    assert len(logs) <= 1 and all("_dash-update-component?probe" in e["message"] for e in logs), logs


def test_live008_decoded_data_equals_the_servers_samples(dash_duo, live):
    server = data.dataset(SETTINGS.channels, SETTINGS.rate, SETTINGS.seconds, SETTINGS.seed)
    rng = np.random.default_rng(0)
    for ch in range(SETTINGS.channels):
        for i in [0, 1, SETTINGS.length - 1, *rng.integers(0, SETTINGS.length, 20)]:
            got = js(dash_duo, f"window.dash_clientside.tickless.stream.sample({ch}, {int(i)})")
            assert got == float(server[ch, i]), (ch, int(i))
    # and what is drawn is the data at the drawn times (the data loops after its end)
    drawn = js(
        dash_duo,
        f"""(() => {{ const t = window.dash_clientside.tickless.stream.findGraphDiv('{G}').data[2];
            return [t.x.slice(-50), t.y.slice(-50)]; }})()""",
    )
    for x, y in zip(*drawn, strict=True):
        assert y == float(server[2, round(x * SETTINGS.rate) % SETTINGS.length])
    assert dash_duo.get_logs() == []


def test_live009_hud_reports_frames_points_latency_and_requests(dash_duo, live):
    wait_until(lambda: dash_duo.find_element(f"#{HUD_FPS}").text.isdigit(), 10, "fps")
    wait_until(lambda: int(dash_duo.find_element(f"#{HUD_FPS}").text) >= 5, 10, "fps>5")
    dash_duo.wait_for_text_to_equal(f"#{HUD_POINTS}", "1,500")
    wait_until(lambda: dash_duo.find_element(f"#{HUD_LATENCY}").text.endswith(" ms"), 10)
    latency = int(dash_duo.find_element(f"#{HUD_LATENCY}").text.split()[0].replace(",", ""))
    assert 0 < latency < 2000
    assert dash_duo.find_element(f"#{HUD_REQUESTS}").text == "0"
    # the panel makes no request, but the tab does: the bridge samples once a second by default
    wait_until(lambda: int(dash_duo.find_element(f"#{HUD_TAB}").text.replace(",", "")) >= 1, 10, "tab")
    assert dash_duo.get_logs() == []


def _key(dash_duo) -> list[list[str]]:
    """The engine's channel key above the graph: [name, swatch colour] per entry."""
    return js(
        dash_duo,
        f"""Array.from(document.querySelectorAll('#{ids.panel(SID, "key")} .panel-key-item'))
            .map((e) => [e.textContent, getComputedStyle(e.firstChild).backgroundColor])""",
    )


def _plotly_legend(dash_duo) -> list:
    """[showlegend as plotly laid it out, legend entries plotly drew, traces], or None before the graph is drawn."""
    return js(
        dash_duo,
        f"""(() => {{ const gd = window.dash_clientside.tickless.stream.findGraphDiv('{G}');
            if (!gd || !gd._fullLayout) return null;
            return [gd._fullLayout.showlegend, gd.querySelectorAll('.legend .traces').length, gd.data.length]; }})()""",
    )


def test_live010_channel_key_is_the_engines_and_plotly_draws_no_legend(dash_duo, live):
    names = js(
        dash_duo, f"window.dash_clientside.tickless.stream.findGraphDiv('{G}').data.map((t) => t.name)"
    )
    colors = js(
        dash_duo,
        f"""(() => {{ const d = document.createElement('i'), gd = window.dash_clientside.tickless.stream.findGraphDiv('{G}');
            document.body.appendChild(d);
            const out = gd._fullData.map((t) => {{ d.style.background = t.line.color; return getComputedStyle(d).backgroundColor; }});
            d.remove(); return out; }})()""",
    )
    wait_until(lambda: len(_key(dash_duo)) == len(names), 10, "the key")
    assert _key(dash_duo) == [[n, c] for n, c in zip(names, colors, strict=True)], "names in plotly's colours"
    assert _plotly_legend(dash_duo)[:2] == [False, 0]
    # a channel unticked: the key follows the new figure
    _click_option(dash_duo, ids.CHANNELS, names[1])
    wait_until(
        lambda: [k[0] for k in _key(dash_duo)] == [names[0], names[2]], 10, "the key after a channel change"
    )
    assert _plotly_legend(dash_duo)[:2] == [False, 0]
    # the inspector page keeps plotly's legend (its plotly_legendclick is shown there): the key is empty
    dash_duo.driver.get(dash_duo.server_url + "/inspector")
    wait_until(
        lambda: (_plotly_legend(dash_duo) or [None])[0] is True, 20, "plotly's legend on the inspector page"
    )
    wait_until(lambda: (snapshot(dash_duo, G) or {}).get("points", 0) > 0, 20, "the inspector page's figure")
    wait_until(lambda: _plotly_legend(dash_duo)[1] == _plotly_legend(dash_duo)[2] > 0, 10, "its entries")
    assert _key(dash_duo) == []
    assert not dash_duo.find_element(f"#{ids.panel(SID, 'key')}").is_displayed()
    assert dash_duo.get_logs() == []
