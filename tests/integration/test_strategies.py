"""Browser tests of every update strategy, the compare grid, URLs and stores: ids test_strat/cmp/url/store."""

from __future__ import annotations

import pytest
import requests
from selenium.webdriver.common.keys import Keys

from app import contract, create_app, ids
from app.strategies import STRATEGIES
from app.strategies.server_patch import slack
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

from .test_live import SETTINGS

LONGEST = min(SETTINGS.rate * SETTINGS.seconds, contract.WINDOW[1])  # the widest window the dataset allows

SERVER = {s.id for s in STRATEGIES if s.kind == "server"}


def graph(sid: str) -> str:
    return ids.panel(sid, "graph")


def visible_panels(dash_duo) -> list[str]:
    """Strategy ids whose panel is shown, in on-screen order."""
    return js(
        dash_duo,
        """Array.from(document.querySelectorAll('section.panel'))
            .filter(el => el.style.display !== 'none')
            .sort((a, b) => (+a.style.order || 0) - (+b.style.order || 0))
            .map(el => el.id.replace(/-panel$/, ''))""",
    )


def open_path(dash_duo, path: str) -> None:
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element(f"#{ids.PLAY}")


def filled(dash_duo, sid: str, points: int) -> bool:
    snap = snapshot(dash_duo, graph(sid)) or {}
    return snap.get("points") == points


def x_strictly_increasing(dash_duo, sid: str) -> bool:
    """No duplicated or out-of-order samples anywhere in the drawn traces."""
    return js(
        dash_duo,
        f"""(() => {{ const gd = window.dash_clientside.tickless.stream.findGraphDiv('{graph(sid)}');
            return gd.data.every(t => {{ for (let i = 1; i < t.x.length; i++) if (!(t.x[i] > t.x[i - 1])) return false;
                                          return true; }}); }})()""",
    )


def gate_figures(dash_duo, sid: str) -> dict:
    """A server panel's tick gate figures (62_gate.js) and the page's clock (ms), read in one call."""
    return js(
        dash_duo,
        f"Object.assign({{now: performance.now()}}, window.dash_clientside.tickless.gate.snapshot('{graph(sid)}'))",
    )


@pytest.fixture
def app_counter(dash_duo):
    return start(dash_duo, create_app(SETTINGS))


# strat001 reads each panel's plotly traces (gd.data); a chart that is not plotly (the component's canvas) is
# checked the same way in its own file (test_component.py, test_comp001-004), so it is left out here, not skipped
# server-push streams only on the push server (uvicorn, websocket callbacks): test_push.py drives it there
PLOTLY_PANELS = [s.id for s in STRATEGIES if s.plotly and s.kind != "push"]


@pytest.mark.parametrize("sid", PLOTLY_PANELS)
def test_strat001_fills_rolls_pauses_and_counts_requests(dash_duo, app_counter, sid):
    open_path(dash_duo, f"/strategy/{sid}?bridge=0")  # the bridge's own calls are tested in test_bridge
    assert visible_panels(dash_duo) == [sid]
    wait_until(lambda: filled(dash_duo, sid, 3 * SETTINGS.window), 20, "window full")
    first = trace_columns(dash_duo, graph(sid))[0]
    wait_until(lambda: trace_columns(dash_duo, graph(sid))[0]["x0"] > first["x0"] + 0.3, 10, "rolls")
    held = {c["n"] for c in trace_columns(dash_duo, graph(sid))}
    if sid == "server-patch":  # trims in bulk, showing exactly one window through its x range
        assert len(held) == 1 and SETTINGS.window <= held.pop() <= SETTINGS.window + slack(SETTINGS.window)
        shown = js(
            dash_duo,
            f"window.dash_clientside.tickless.stream.findGraphDiv('{graph(sid)}').layout.xaxis.range",
        )
        assert shown[1] - shown[0] == pytest.approx((SETTINGS.window - 1) / SETTINGS.rate)
    else:
        assert held == {SETTINGS.window}
    assert x_strictly_increasing(dash_duo, sid)

    # requests while playing: at most one per 100 ms tick for server strategies (a tick that comes while the
    # panel has a request in flight is skipped: assets/js/62_gate.js), none for clientside ones
    if sid in SERVER:
        first, before = gate_figures(dash_duo, sid), app_counter.count
        wait_until(lambda: gate_figures(dash_duo, sid)["ticks"] >= first["ticks"] + 12, 20, "twelve ticks")
        last, made = gate_figures(dash_duo, sid), app_counter.count - before
        ticks, page_s = last["ticks"] - first["ticks"], (last["now"] - first["now"]) / 1000
        assert ticks == pytest.approx(page_s * 10, rel=0.35), (ticks, page_s)  # the Interval keeps its period
        assert made <= ticks + 1, (made, ticks)  # at most one request per tick
        assert last["admitted"] + last["skipped"] == last["ticks"] and last["maxInFlight"] == 1, last
    else:
        before, x1 = app_counter.count, trace_columns(dash_duo, graph(sid))[0]["x1"]
        wait_until(lambda: trace_columns(dash_duo, graph(sid))[0]["x1"] > x1 + 1.5, 20, "1.5 s more drawn")
        assert app_counter.count == before

    # pause: nothing drawn, no requests; play: both resume
    dash_duo.find_element(f"#{ids.PLAY}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Play")
    wait_until(lambda: stream_idle(dash_duo, graph(sid)), 10, "a request or extend in flight has landed")
    paused_count, paused_x = app_counter.count, trace_columns(dash_duo, graph(sid))[0]["x1"]
    wait_frames(dash_duo, 90)  # watch 90 frames: no request and no redraw while paused
    assert app_counter.count == paused_count
    assert trace_columns(dash_duo, graph(sid))[0]["x1"] == paused_x
    dash_duo.wait_for_text_to_equal(f"#{ids.panel(sid, 'fps')}", "paused")
    dash_duo.find_element(f"#{ids.PLAY}").click()
    wait_until(lambda: trace_columns(dash_duo, graph(sid))[0]["x1"] > paused_x + 0.2, 10, "resumes")
    if sid in SERVER:
        assert app_counter.count > paused_count
    assert x_strictly_increasing(dash_duo, sid)

    # the HUD's count is this panel's own, and agrees with the server's and the browser's counts (compared
    # paused, with nothing in flight: the server counts a request before the page has its answer)
    dash_duo.find_element(f"#{ids.PLAY}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Play")
    wait_until(lambda: stream_idle(dash_duo, graph(sid)), 10, "nothing in flight")
    snap = snapshot(dash_duo, graph(sid))
    served = app_counter.by_page[f"/strategy/{sid}?bridge=0"]  # not the landing page's bridge sample
    assert snap["requests"] == served == page_update_requests(dash_duo)
    assert (snap["requestBytes"] > 0) == (sid in SERVER)
    assert snap["errors"] == 0
    assert dash_duo.get_logs() == []


def test_strat002_controls_reach_server_strategies(dash_duo, app_counter):
    open_path(dash_duo, "/strategy/server-extend?window=800&channels=ch1,ch3&interval=200")
    wait_until(lambda: filled(dash_duo, "server-extend", 1600), 20, "800 x 2 channels")
    names = js(
        dash_duo,
        f"window.dash_clientside.tickless.stream.findGraphDiv('{graph('server-extend')}')"
        ".data.map(t => t.name)",
    )
    assert names == ["ch1", "ch3"]
    assert js(dash_duo, f"document.getElementById('{ids.INTERVAL}').value") == "200"
    panel = graph("server-extend")  # the bridge samples on this page too: count the panel's requests only
    # the first window can come from the view's own request, before the gate has seen an Interval tick
    wait_until(lambda: "ticks" in gate_figures(dash_duo, "server-extend"), 10, "the gate's first tick")
    first, before = gate_figures(dash_duo, "server-extend"), app_counter.requests_for(panel)
    wait_until(
        lambda: gate_figures(dash_duo, "server-extend")["ticks"] >= first["ticks"] + 10, 20, "ten ticks"
    )
    last, made = gate_figures(dash_duo, "server-extend"), app_counter.requests_for(panel) - before
    ticks, page_s = last["ticks"] - first["ticks"], (last["now"] - first["now"]) / 1000
    assert ticks == pytest.approx(page_s * 5, rel=0.35), (ticks, page_s)  # the Interval ticks every 200 ms
    assert made <= ticks + 1, (made, ticks)  # and Python hears at most one request per tick
    assert dash_duo.get_logs() == []


def test_cmp001_grid_shows_the_chosen_strategies_on_one_clock(dash_duo, app_counter):
    chosen = ["server-figure", "clientside-raf", "server-patch", "clientside-interval"]
    open_path(dash_duo, "/compare?s=" + ",".join(chosen))
    assert visible_panels(dash_duo) == chosen
    for sid in chosen:
        wait_until(lambda sid=sid: filled(dash_duo, sid, 3 * SETTINGS.window), 20, f"{sid} full")
    for sid in chosen:
        x1 = trace_columns(dash_duo, graph(sid))[0]["x1"]
        wait_until(
            lambda sid=sid, x1=x1: trace_columns(dash_duo, graph(sid))[0]["x1"] > x1, 10, f"{sid} rolls"
        )
    # one clock: paused, a view change redraws every panel at the same playhead (servers included)
    dash_duo.find_element(f"#{ids.PLAY}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Play")
    box = dash_duo.find_element(f"#{ids.WINDOW}")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("400", Keys.ENTER)
    for sid in chosen:
        wait_until(lambda sid=sid: filled(dash_duo, sid, 3 * 400), 20, f"{sid} redrawn")
    head = snapshot(dash_duo, graph("clientside-raf"))["sentEnd"]
    ends = {sid: round(trace_columns(dash_duo, graph(sid))[0]["x1"] * SETTINGS.rate) for sid in chosen}
    assert set(ends.values()) == {head - 1}, ends
    hidden = {s.id for s in STRATEGIES} - set(chosen)
    assert all(
        not snapshot(dash_duo, graph(sid)) or not snapshot(dash_duo, graph(sid))["active"] for sid in hidden
    )
    assert dash_duo.get_logs() == []


def test_url001_bad_values_get_messages_and_defaults_never_a_500(dash_duo, app_counter):
    path = "/strategy/nope?window=abc&speed=999&trace=bar&channels=zz&interval=5&colour=red"
    assert requests.get(dash_duo.server_url + path, timeout=10).status_code == 200
    open_path(dash_duo, path)
    for text in [
        'Unknown strategy "nope"',
        # the window's limit is the dataset's length (since #16)
        f'window="abc" is not allowed: use a whole number from {contract.WINDOW[0]} to {LONGEST:,}',
        'speed="999" is not allowed: use a number from 0.1 to 50',
        'trace="bar" is not allowed',
        'channels="zz" is not allowed',
        'interval="5" is not allowed: use a whole number from 20 to 5,000',
        'Unknown parameter "colour"',
    ]:
        dash_duo.wait_for_contains_text(f"#{ids.MESSAGE}", text)
    assert visible_panels(dash_duo) == ["clientside-raf"]
    wait_until(lambda: filled(dash_duo, "clientside-raf", 3 * SETTINGS.window), 20, "defaults drawn")
    open_path(dash_duo, "/compare?s=server-extend")
    dash_duo.wait_for_contains_text(f"#{ids.MESSAGE}", "Compare needs 2 to 4 strategies")
    assert visible_panels(dash_duo) == ["server-extend", "clientside-raf"]
    assert dash_duo.get_logs() == []


def test_url002_share_link_and_navigation_without_reload(dash_duo, app_counter):
    open_path(dash_duo, "/?window=700&speed=2")
    wait_until(lambda: filled(dash_duo, "clientside-raf", 2100), 20, "window from the URL")
    assert snapshot(dash_duo, graph("clientside-raf"))["speed"] == 2
    href = dash_duo.find_element(f"#{ids.SHARE}").get_attribute("href")
    assert href.endswith("/?window=700&speed=2")
    js(dash_duo, "window.__same_page = true")
    dash_duo.find_element(f"#{ids.NAV} a[href='/strategy/server-patch']").click()
    wait_until(lambda: visible_panels(dash_duo) == ["server-patch"], 10, "navigated")
    assert js(dash_duo, "window.__same_page") is True, "dcc.Link navigates without a reload"
    wait_until(lambda: filled(dash_duo, "server-patch", 2100), 20, "server panel uses the same view")
    share = dash_duo.find_element(f"#{ids.SHARE}").get_attribute("href")
    assert share.endswith("/strategy/server-patch?window=700&speed=2")
    # the link restores the view in a fresh page (preferences say otherwise: the URL wins)
    js(dash_duo, f"localStorage.setItem('{ids.PREFS_STORE}', JSON.stringify({{window: 300, speed: 5}}))")
    dash_duo.driver.get(share)
    wait_until(lambda: visible_panels(dash_duo) == ["server-patch"], 10, "page restored")
    wait_until(lambda: filled(dash_duo, "server-patch", 2100), 20, "window restored")
    assert snapshot(dash_duo, graph("server-patch"))["speed"] == 2
    assert dash_duo.get_logs() == []


def test_store001_local_prefs_across_visits_and_session_playhead_across_reloads(dash_duo, app_counter):
    open_path(dash_duo, "/")
    wait_until(lambda: filled(dash_duo, "clientside-raf", 1500), 20, "first figure")
    box = dash_duo.find_element(f"#{ids.WINDOW}")
    box.clear()
    box.send_keys("900\n")
    wait_until(lambda: filled(dash_duo, "clientside-raf", 2700), 10, "window 900")
    session = f"JSON.parse(sessionStorage.getItem('{ids.SESSION_STORE}'))"
    # the session store saves every 500 ms: wait for a save from after the window change
    pos = snapshot(dash_duo, graph("clientside-raf"))["position"]
    wait_until(lambda: (js(dash_duo, session) or {}).get("pos", 0) > pos, 10, "the playhead saved")
    saved = js(dash_duo, session)
    assert saved["pos"] > SETTINGS.window and saved["playing"] is True
    prefs = js(dash_duo, f"JSON.parse(localStorage.getItem('{ids.PREFS_STORE}'))")
    assert prefs["window"] == 900
    dash_duo.driver.refresh()
    dash_duo.wait_for_element(f"#{ids.PLAY}")
    wait_until(lambda: filled(dash_duo, "clientside-raf", 2700), 20, "preference restored")
    pos = snapshot(dash_duo, graph("clientside-raf"))["position"]
    assert pos >= saved["pos"], "the playhead carried on from the saved position"
    # the URL beats the stored preference
    open_path(dash_duo, "/?window=600")
    wait_until(lambda: filled(dash_duo, "clientside-raf", 1800), 20, "URL wins")
    assert dash_duo.get_logs() == []
