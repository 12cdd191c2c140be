"""Browser tests of the engine's own timing rules in headless Chromium: ids test_engine0xx.

While streaming, nothing on a timer goes through Dash but the bridge: the frame loop draws, and the engine writes
the HUD numbers into their nodes itself. These tests count what reaches the Dash renderer instead of reading code.
"""

from __future__ import annotations

from app import contract, create_app, ids, panels
from tests.integration.helpers import js, snapshot, start, wait_frames, wait_until
from tests.integration.test_live import SETTINGS

SID = "clientside-raf"
G = ids.panel(SID, "graph")
NS = "window.dash_clientside.tickless"
HUD_PARTS = ("fps", "points", "latency", "requests", "tab-requests", "follow")

# Count, from now on: every clientside callback call (every function of every dash_clientside namespace, which the
# renderer looks up at call time), every change of the renderer's callback state (a callback requested, run or
# done: server or clientside), every top-level redux dispatch (any renderer update: a prop change, a callback) and
# the page's /_dash-update-component requests (Resource Timing). A LiveChart's own setProps (its sampled fps/hover,
# at most once a minute: app/strategies/component.py SAMPLE_MS) are counted apart (`sampled`); the hidden component
# panel on the live page draws nothing and reports nothing, so every counter must stay exactly zero.
WATCH = """
window.__dash = {calls: {}, callbacks: 0, dispatches: 0, sampled: 0};
const w = window.__dash;
for (const [space, fns] of Object.entries(window.dash_clientside)) {
  if (!fns || typeof fns !== 'object') continue;
  for (const [name, fn] of Object.entries(fns)) {
    if (typeof fn !== 'function' || /^[A-Z]/.test(name)) continue;
    fns[name] = function () { w.calls[name] = (w.calls[name] || 0) + 1; return fn.apply(this, arguments); };
  }
}
const store = window.store, dispatch = store.dispatch;
let callbacks = store.getState().callbacks;
store.subscribe(() => {
  const now = store.getState().callbacks;
  if (now !== callbacks) w.callbacks += 1;
  callbacks = now;
});
store.dispatch = function (action) {
  if (String(new Error().stack).includes('tickless_livechart')) w.sampled += 1;
  else w.dispatches += 1;
  return dispatch.apply(this, arguments);
};
w.requests0 = performance.getEntriesByType('resource').filter(e => e.name.includes('/_dash-update-component')).length;
"""
SEEN = """(() => { const w = window.__dash;
  const requests = performance.getEntriesByType('resource').filter(e => e.name.includes('/_dash-update-component')).length;
  return {calls: w.calls, callbacks: w.callbacks, dispatches: w.dispatches, sampled: w.sampled,
          requests: requests - w.requests0}; })()"""


def hud(dash_duo, part: str) -> str:
    """The text of one HUD field of the live panel."""
    return js(dash_duo, f"document.getElementById({ids.panel(SID, part)!r}).textContent")


def test_engine001_streaming_with_the_bridge_off_goes_through_dash_not_once(dash_duo):
    start(dash_duo, create_app(SETTINGS))
    dash_duo.driver.get(dash_duo.server_url + "/?bridge=0")
    wait_until(lambda: (snapshot(dash_duo, G) or {}).get("fps", 0) > 5, 20, "streaming")
    wait_until(lambda: hud(dash_duo, "fps").isdigit(), 10, "the HUD shows frames per second")
    # the engine built the HUD into the one node Dash rendered for it: a labelled item per part, with its tooltip
    items = js(
        dash_duo,
        f"""Array.from(document.getElementById({ids.panel(SID, "hud")!r}).children).map(
        i => [i.className, i.firstChild.textContent, i.lastChild.id, i.title.length > 0])""",
    )
    assert items == [
        ["hud-item", label, ids.panel(SID, part), True] for part, label, _ in panels.HUD_FIELDS
    ], items
    # let the page settle (the route, configure and first-draw callbacks all done), then start counting
    wait_until(lambda: js(dash_duo, "window.store.getState().isLoading === false"), 10, "renderer idle")
    dash_duo.driver.execute_script(WATCH)
    # blank the HUD: only the engine can write it back, as no callback refreshes it
    js(dash_duo, "document.querySelectorAll('.hud b').forEach(b => { b.textContent = '–'; })")
    sent = snapshot(dash_duo, G)["sentEnd"]

    wait_until(
        lambda: hud(dash_duo, "fps").isdigit() and int(hud(dash_duo, "fps")) > 0, 10, "engine wrote fps"
    )
    wait_until(lambda: hud(dash_duo, "latency").endswith(" ms"), 10, "engine wrote the latency")
    assert hud(dash_duo, "points") == f"{3 * SETTINGS.window:,}"
    assert (hud(dash_duo, "requests"), hud(dash_duo, "tab-requests"), hud(dash_duo, "follow")) == (
        "0",
        "0",
        "live",
    )
    # watch a stretch of the page's own frames (over a second: longer than any timer the page had), during which
    # the chart keeps drawing and nothing at all reaches the Dash renderer
    ms = wait_frames(dash_duo, 150)
    assert ms > 1500, f"the observation covered {ms:.0f} ms of page time"
    assert snapshot(dash_duo, G)["sentEnd"] > sent + SETTINGS.rate, "the chart kept streaming"
    seen = js(dash_duo, SEEN)
    assert seen == {"calls": {}, "callbacks": 0, "dispatches": 0, "sampled": 0, "requests": 0}, seen

    # positive control: a click on Pause is one renderer update, seen by the same counters
    dash_duo.find_element(f"#{ids.PLAY}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Play")
    seen = js(dash_duo, SEEN)
    assert seen["calls"].get("configure", 0) >= 1 and seen["dispatches"] > 0 and seen["callbacks"] > 0, seen
    assert seen["requests"] == 0
    dash_duo.wait_for_text_to_equal(f"#{ids.panel(SID, 'fps')}", "paused")
    assert dash_duo.get_logs() == []


def test_engine002_the_page_says_which_trace_type_it_chose_by_default(dash_duo):
    start(dash_duo, create_app(SETTINGS))
    dash_duo.driver.get(dash_duo.server_url + "/")
    renderer = js(
        dash_duo,
        """(() => { const gl = document.createElement('canvas').getContext('webgl');
            const info = gl && gl.getExtension('WEBGL_debug_renderer_info');
            return gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : ''; })()""",
    )
    software = not renderer or any(word in renderer.lower() for word in contract.SOFTWARE_RENDERERS)
    chosen = "scatter" if software else "scattergl"
    dash_duo.wait_for_contains_text(f"#{ids.RENDERER}", f"default trace {chosen}: ")
    note = dash_duo.find_element(f"#{ids.RENDERER}").text
    assert ("software WebGL" in note or "no WebGL" in note) if software else "GPU" in note, note
    wait_until(lambda: (snapshot(dash_duo, G) or {}).get("points", 0) > 0, 20, "first figure")
    assert js(dash_duo, f"{NS}.stream.findGraphDiv({G!r}).data[0].type") == chosen
    assert dash_duo.find_element(f"#{ids.TRACE} input:checked").get_attribute("value") == chosen
    assert dash_duo.get_logs() == []


def test_engine003_the_inspector_listens_only_on_its_page_or_to_what_was_switched_on_there(dash_duo):
    start(dash_duo, create_app(SETTINGS))
    dash_duo.driver.get(dash_duo.server_url + "/?bridge=0")
    wait_until(lambda: (snapshot(dash_duo, G) or {}).get("fps", 0) > 5, 20, "streaming")
    subscribed = f"{NS}.inspector.subscribed().sort()"
    assert js(dash_duo, subscribed) == [], "off its page the inspector listens to nothing"
    assert js(dash_duo, f"document.getElementById({ids.INSPECTOR_TABLE!r}).children.length") == 0, "not built"
    dash_duo.find_element(f"#{ids.NAV} a[href='/inspector']").click()
    dash_duo.wait_for_contains_text(f"#{ids.INSPECTOR_STATUS}", "41 of 41 events subscribed")
    boxes = dash_duo.find_elements(f"#{ids.INSPECTOR_TABLE} input[type=checkbox]")
    assert len(boxes) == 41 and all(b.is_selected() for b in boxes)
    # a switch flipped by hand: off, then on again (now it is kept off the page too)
    afterplot = dash_duo.find_element(f"#{ids.INSPECTOR_TABLE} input[data-event='plotly_afterplot']")
    afterplot.click()
    dash_duo.wait_for_contains_text(f"#{ids.INSPECTOR_STATUS}", "40 of 41 events subscribed")
    afterplot.click()
    dash_duo.wait_for_contains_text(f"#{ids.INSPECTOR_STATUS}", "41 of 41 events subscribed")
    count = f"({NS}.inspector.stats.get('plotly_afterplot') || {{count: 0}}).count"
    wait_until(lambda: js(dash_duo, count) > 0, 10, "afterplot counted")
    wait_until(
        lambda: int(dash_duo.find_element("td[id*='plotly_afterplot'][id*='inspector-count']").text) > 0,
        10,
        "the engine writes the count into the table",
    )
    dash_duo.find_element(f"#{ids.NAV} a[href='/']").click()
    status = f"document.getElementById({ids.INSPECTOR_STATUS!r}).textContent"  # hidden: no selenium .text
    wait_until(lambda: js(dash_duo, status).startswith("1 of 41 events subscribed"), 10, "one kept")
    assert js(dash_duo, subscribed) == ["plotly_afterplot"]
    seen = js(dash_duo, count)
    wait_until(lambda: js(dash_duo, count) > seen + 10, 10, "the event switched on by hand is still counted")
    assert dash_duo.get_logs() == []


def test_engine004_the_page_runs_on_the_browsers_own_string_and_number_parsers(dash_duo):
    # Dash's @babel/polyfill replaces trim/parseInt/parseFloat with JavaScript versions that plotly calls on every
    # draw; 01_natives.js puts the built-ins back. Asked with a fresh realm's toString (the polyfill's own lies).
    start(dash_duo, create_app(SETTINGS))
    dash_duo.driver.get(dash_duo.server_url + "/")
    wait_until(lambda: (snapshot(dash_duo, G) or {}).get("points", 0) > 0, 20, "first figure")
    wait_frames(dash_duo, 10)
    not_native = js(
        dash_duo,
        f"""(() => {{ const f = document.createElement('iframe'); document.documentElement.appendChild(f);
            const toText = f.contentWindow.Function.prototype.toString;
            const out = {NS}.natives.NAMES.map(([path, key]) => (path ? path + '.' + key : key))
              .filter((name) => !/\\[native code\\]\\s*\\}}\\s*$/.test(toText.call(eval(name))));
            f.remove(); return out; }})()""",
    )
    assert not_native == []
    assert js(dash_duo, "' x\\u00a0'.trim() + parseInt('0x1f') + parseFloat(' 2.5e1 ')") == "x3125"
    assert dash_duo.get_logs() == []
