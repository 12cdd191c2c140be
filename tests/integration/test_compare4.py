"""Browser tests of the 4-way compare and of the server panels' tick gate: ids test_cmp4/gate (`pytest -k gate`).

Server panels must degrade, never livelock: with four busy panels on one page a reply can take longer than the
Interval period, and a tick that superseded the request in flight made the renderer drop its reply (plotly/dash
#1613), so a server panel never drew. The gate (assets/js/62_gate.js) lets a tick through only when the panel has
nothing in flight; these tests check that from outside the gate: a fetch wrapper installed before the page's own
scripts counts each panel's requests in flight, and a Flask hook counts, holds or fails the server's ticks.
"""

from __future__ import annotations

import re
import threading
import time

import pytest
from flask import Response, request

from app import create_app, ids
from app.settings import Settings
from tests.conftest import free_port
from tests.integration.helpers import UPDATE_PATH, js, snapshot, trace_columns, wait_until

SETTINGS = Settings(channels=4, rate=1000, seconds=30, window=2000, seed=11)
CHOSEN = ["server-extend", "clientside-raf", "server-figure", "clientside-interval"]
SERVER = ["server-extend", "server-figure"]
PERIOD_S = 0.1  # the default Interval period (contract.DEFAULTS["interval"])
BRIDGE_S = 1.0  # the default bridge period (contract.DEFAULTS["bridge"])

# Installed with CDP before any page script: the page's own wrapper (40_metrics.js) wraps this one, so it sees
# every callback request; a request is in flight from fetch until its reply's body is read (or it fails).
FLIGHTS = r"""
(() => {
  const native = window.fetch;
  const f = (window.__flights = { now: {}, max: {}, sent: {} });
  const panelOf = (body) => {
    try {
      const m = /(server-[a-z]+)-graph\./.exec(JSON.parse(body).output);
      return m ? m[1] : null;
    } catch (err) {
      return null;
    }
  };
  window.fetch = function (input, init) {
    const url = typeof input === "string" ? input : (input && input.url) || "";
    const result = native.apply(this, arguments);
    const p = url.includes("/_dash-update-component") ? panelOf(init && init.body) : null;
    if (!p) return result;
    f.now[p] = (f.now[p] || 0) + 1;
    f.sent[p] = (f.sent[p] || 0) + 1;
    f.max[p] = Math.max(f.max[p] || 0, f.now[p]);
    let open = true;
    const close = () => { if (open) { open = false; f.now[p] -= 1; } };
    return result.then(
      (r) => {
        if (r.status !== 200) { close(); return r; }
        const json = r.json;
        r.json = function () { return json.apply(r, arguments).finally(close); };
        return r;
      },
      (err) => { close(); throw err; }
    );
  };
})();
"""


class ServerTicks:
    """Counts the server's callback requests per panel (and the rest), and can hold or fail one panel's next tick.

    A tick is a request whose changed prop is the panel's request store; its cursor (State) is recorded, so a
    test can see which cursor the tick after a lost reply carries.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[str, int] = {}
        self.cursors: dict[str, list] = {}
        self.hold: dict[str, threading.Event] = {}
        self.holding: set[str] = set()
        self.fail: set[str] = set()

    def count(self, key: str) -> int:
        with self.lock:
            return self.counts.get(key, 0)

    def install(self, server) -> None:
        """Register the before_request hook on the Flask server."""

        @server.before_request
        def _tick():
            if request.path != UPDATE_PATH:
                return None
            body = request.get_json(silent=True) or {}
            match = re.search(r"(server-[a-z]+)-graph\.", str(body.get("output", "")))
            key = match.group(1) if match else "other"
            sid = key if f"{ids.panel(key, 'request')}.data" in body.get("changedPropIds", []) else None
            with self.lock:
                self.counts[key] = self.counts.get(key, 0) + 1
                if sid is None:
                    return None
                cursor = next(
                    (s.get("value") for s in body.get("state", []) if s.get("id", "").endswith("cursor")),
                    None,
                )
                self.cursors.setdefault(sid, []).append((cursor or {}).get("end"))
                hold = self.hold.pop(sid, None)
                fail = sid in self.fail
                self.fail.discard(sid)
                if hold is not None:
                    self.holding.add(sid)
            if fail:
                return Response("dropped by the test", status=503)
            if hold is not None:
                hold.wait(60)  # until the test releases it (or gives up)
                with self.lock:
                    self.holding.discard(sid)
            return None


@pytest.fixture
def ticks(dash_duo) -> ServerTicks:
    """The 4-channel app on a free port, its server-side tick hook, and the page's fetch wrapper (CDP)."""
    app = create_app(SETTINGS)
    hook = ServerTicks()
    hook.install(app.server)
    dash_duo.start_server(app, port=free_port())
    dash_duo.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FLIGHTS})
    return hook


def graph(sid: str) -> str:
    return ids.panel(sid, "graph")


def open_path(dash_duo, path: str) -> None:
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element(f"#{ids.PLAY}")


def gate(dash_duo, sid: str) -> dict:
    return js(dash_duo, f"window.dash_clientside.tickless.gate.snapshot({graph(sid)!r})") or {}


def flights(dash_duo) -> dict:
    return js(dash_duo, "window.__flights")


def newest(dash_duo, sid: str) -> float:
    cols = trace_columns(dash_duo, graph(sid))
    return cols[0]["x1"] if cols else float("-inf")


def late(dash_duo, sid: str) -> bool:
    """Does the panel's "behind" line say it is falling behind (62_gate.js marks it late)?"""
    return "late" in (dash_duo.find_element(f"#{ids.panel(sid, 'behind')}").get_attribute("class") or "")


def contiguous(dash_duo, sid: str) -> bool:
    """Every trace holds consecutive samples: no duplicate, no gap, nothing out of order."""
    return js(
        dash_duo,
        f"""(() => {{ const gd = window.dash_clientside.tickless.stream.findGraphDiv({graph(sid)!r});
            const rate = {SETTINGS.rate};
            return gd.data.every(t => {{ for (let i = 1; i < t.x.length; i++)
                if (Math.round(t.x[i] * rate) !== Math.round(t.x[i - 1] * rate) + 1) return false;
                return true; }}); }})()""",
    )


def drew_window(snap: dict, full: int) -> bool:
    """Every sample of the window on screen, or (a clientside panel narrow enough to decimate, decimate=auto)
    the min/max envelope of all of it: two points per bucket of samples."""
    envelope = snap.get("decimated")
    if envelope:
        return snap.get("points", 0) >= 2 * full // envelope["bucket"]
    return snap.get("points") == full


def test_cmp4001_every_panel_draws_and_server_panels_send_one_request_at_a_time(dash_duo, ticks):
    open_path(dash_duo, "/compare?s=" + ",".join(CHOSEN))
    full = SETTINGS.channels * SETTINGS.window
    for sid in CHOSEN:  # bounded time, on a page where every panel competes for one main thread
        wait_until(lambda sid=sid: drew_window(snapshot(dash_duo, graph(sid)) or {}, full), 60, f"{sid} drew")
    for sid in CHOSEN:
        x1 = newest(dash_duo, sid)
        wait_until(lambda sid=sid, x1=x1: newest(dash_duo, sid) > x1 + 0.2, 30, f"{sid} rolls")

    # a stretch of steady state: at most one request per tick period per server panel, the bridge apart
    start, before = time.monotonic(), {k: ticks.count(k) for k in (*SERVER, "other")}
    wait_until(lambda: all(ticks.count(sid) >= before[sid] + 8 for sid in SERVER), 60, "8 more ticks each")
    elapsed = time.monotonic() - start
    made = {k: ticks.count(k) - before[k] for k in before}
    for sid in SERVER:
        assert made[sid] <= elapsed / PERIOD_S + 2, (sid, made, elapsed)
    assert made["other"] <= elapsed / BRIDGE_S + 2, (made, elapsed)  # the bridge: nothing else calls Python

    # never two requests of one server panel in flight, seen by the page's outermost fetch wrapper (read in one
    # call with the gates' own figures: on a busy page every webdriver call waits for the main thread)
    seen = js(
        dash_duo,
        f"""({{flights: window.__flights, gates: {SERVER!r}.map(
            s => window.dash_clientside.tickless.gate.snapshot(s + '-graph'))}})""",
    )
    flown = seen["flights"]
    assert {sid: flown["max"].get(sid) for sid in SERVER} == {sid: 1 for sid in SERVER}, flown
    for sid, g in zip(SERVER, seen["gates"], strict=True):
        assert g["maxInFlight"] == 1 and g["failed"] == 0 and g["abandoned"] == 0, g
        assert g["admitted"] + g["skipped"] == g["ticks"]
        assert g["admitted"] <= flown["sent"][sid], "every tick let through went out (and the view's request)"
        text = dash_duo.find_element(f"#{ids.panel(sid, 'behind')}").text
        assert re.match(r"^\d+(\.\d)? m?s", text), text  # the panel says how far behind the clock it draws
    assert contiguous(dash_duo, "server-extend"), "extendData never duplicated or skipped a sample"
    assert dash_duo.get_logs() == []


def test_gate001_a_slow_reply_holds_the_ticks_then_the_panel_carries_on_from_its_cursor(dash_duo, ticks):
    sid = "server-extend"
    open_path(dash_duo, f"/strategy/{sid}?bridge=0")
    full = SETTINGS.channels * SETTINGS.window
    wait_until(lambda: (snapshot(dash_duo, graph(sid)) or {}).get("points") == full, 30, "window full")
    held = threading.Event()
    with ticks.lock:
        ticks.hold[sid] = held
    try:
        wait_until(lambda: sid in ticks.holding, 10, "a tick held by the server")
        count, skipped = ticks.count(sid), gate(dash_duo, sid)["skipped"]
        # while the reply is held the Interval keeps ticking, and the gate skips every tick
        wait_until(lambda: gate(dash_duo, sid)["skipped"] >= skipped + 5, 10, "5 ticks skipped")
        assert ticks.count(sid) == count, "no second request while one is in flight"
        assert flights(dash_duo)["now"][sid] == 1
        wait_until(lambda: late(dash_duo, sid), 10, "the panel shows it is falling behind")
        behind = gate(dash_duo, sid)["lagMs"]
    finally:
        held.set()
    x1 = newest(dash_duo, sid)
    wait_until(lambda: newest(dash_duo, sid) > x1 + 0.5, 10, "carries on after the slow reply")
    wait_until(lambda: gate(dash_duo, sid)["lagMs"] < behind, 10, "catches up: less behind than while held")
    assert contiguous(dash_duo, sid), "the reply after the slow one starts where the graph ends"
    assert flights(dash_duo)["max"][sid] == 1
    assert dash_duo.get_logs() == []


def test_gate002_a_failed_reply_is_asked_again_from_the_same_cursor(dash_duo, ticks):
    sid = "server-extend"
    open_path(dash_duo, f"/strategy/{sid}?bridge=0")
    full = SETTINGS.channels * SETTINGS.window
    wait_until(lambda: (snapshot(dash_duo, graph(sid)) or {}).get("points") == full, 30, "window full")
    with ticks.lock:
        ticks.fail.add(sid)
        at = len(ticks.cursors.get(sid, []))
    wait_until(lambda: gate(dash_duo, sid).get("failed") == 1, 10, "the page saw the tick fail")
    wait_until(lambda: len(ticks.cursors[sid]) >= at + 3, 10, "ticks after the failure")
    failed, retry = ticks.cursors[sid][at], ticks.cursors[sid][at + 1]
    assert failed is not None and retry == failed, (
        "the next tick asks again from the cursor the lost reply left"
    )
    x1 = newest(dash_duo, sid)
    wait_until(lambda: newest(dash_duo, sid) > x1 + 0.5, 10, "carries on")
    assert contiguous(dash_duo, sid), "no duplicate and no gap where the reply was lost"
    # the one failure the test caused, as Chromium reports it and as the renderer logs the callback's error
    logs = sorted(entry["message"] for entry in dash_duo.get_logs())
    assert len(logs) == 2 and "status of 503" in logs[1] and "dash_renderer" in logs[0], logs
