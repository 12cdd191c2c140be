"""Helpers for browser tests: start an app on a free port, count its callback requests, poll the page.

Tests wait on conditions (`wait_until`, `stream_idle`, `time_requests`, dash_duo.wait_for_*); `wait_frames`
is only for an observation window in which something must NOT happen (no condition can say when to stop).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from dash.testing.wait import until
from flask import request
from selenium.webdriver.common.actions.action_builder import ActionBuilder

from tests.conftest import free_port

UPDATE_PATH = "/_dash-update-component"


class RequestCounter:
    """Counts the server's /_dash-update-component requests (server side, independent of the page): in all,
    per page that sent them (the Referer's path and query, e.g. "/strategy/server-extend?bridge=0") and per
    callback output (the body's "output")."""

    def __init__(self) -> None:
        self.count = 0
        self.by_page: Counter[str] = Counter()
        self.by_output: Counter[str] = Counter()
        self._lock = threading.Lock()

    def requests_for(self, component_id: str) -> int:
        """Requests of the callbacks that write a prop of `component_id`."""
        with self._lock:
            return sum(n for output, n in self.by_output.items() if f"{component_id}." in output)

    def install(self, server) -> None:
        """Run first among the Flask server's before_request hooks, so requests the app's guard rejects count too."""

        def _count() -> None:
            if request.path == UPDATE_PATH:
                referrer = urlsplit(request.referrer or "")
                page = referrer.path + (f"?{referrer.query}" if referrer.query else "")
                try:  # a forged body is the app's guard's business, not the counter's
                    body = request.get_json(silent=True)
                except RecursionError:
                    body = None
                output = str(body.get("output", "")) if isinstance(body, dict) else ""
                with self._lock:
                    self.count += 1
                    self.by_page[page] += 1
                    self.by_output[output] += 1

        server.before_request_funcs.setdefault(None, []).insert(0, _count)


def start(dash_duo, app) -> RequestCounter:
    """Serve `app` on a free port, open it, and return its server-side request counter."""
    counter = RequestCounter()
    counter.install(app.server)
    dash_duo.start_server(app, port=free_port())
    return counter


def js(dash_duo, expression: str) -> Any:
    """Evaluate a JS expression in the page and return its value."""
    return dash_duo.driver.execute_script(f"return ({expression});")


def wall_display(dash_duo, screen: tuple[int, int] = (2560, 1440)) -> None:
    """Make the page see a wall display's screen (`screen.width` and height) from the next load on; the window
    keeps its size (CDP device metrics)."""
    metrics = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
    metrics.update(screenWidth=screen[0], screenHeight=screen[1])
    dash_duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, message: str = "") -> Any:
    """Poll `predicate` until it returns something truthy; fail with `message` after `timeout` s."""
    return until(predicate, timeout, poll=0.05, msg=f"timed out after {timeout}s: {message}")


def wait_frames(dash_duo, frames: int) -> float:
    """Block until the page has run `frames` more animation frames; return the elapsed page time (ms).

    Only for watching that nothing happens (no request, no redraw) over a stretch of the page's own frames;
    anything that can be waited for has its condition instead.
    """
    dash_duo.driver.set_script_timeout(60)
    return dash_duo.driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const n = arguments[0];
        const t0 = performance.now();
        let k = 0;
        function tick() { k += 1; if (k >= n) done(performance.now() - t0); else requestAnimationFrame(tick); }
        requestAnimationFrame(tick);
        """,
        frames,
    )


def callbacks_pending(dash_duo) -> int:
    """Callbacks the Dash renderer has requested, queued or not applied yet (0 when it is idle)."""
    return js(
        dash_duo,
        """(() => { const c = Object.assign({}, window.store.getState().callbacks);
            delete c.stored; delete c.completed;
            return [].concat(...Object.values(c)).length; })()""",
    )


def stream_idle(dash_duo, graph_id: str) -> bool:
    """Paused and fully drawn: no callback pending and, for a clientside stream, no draw in flight, nothing
    due (rAF) and the graph's newest drawn sample the last one sent (see assets/js/50_stream.js)."""
    settled = js(
        dash_duo,
        f"""(() => {{
            const ns = window.dash_clientside.tickless, tab = ns.stream.tab, s = tab.streams.get({graph_id!r});
            if (!s || !tab.clock || tab.clock.playing) return false;
            if (s.mode === "server") return true;
            if (s.busy) return false;  // a rAF draw in flight
            // the rAF loop catches up with the paused playhead; an Interval is disabled while paused
            if (s.mode === "raf" && s.sentEnd < ns.clock.dueEnd(tab.clock, performance.now())) return false;
            if (s.decimated) return s.decimated.end === s.sentEnd;
            const gd = ns.stream.findGraphDiv({graph_id!r}), t = gd && gd.data && gd.data[0];
            return !!t && Math.round(t.x[t.x.length - 1] * tab.dataset.rate) + 1 === s.sentEnd;
        }})()""",
    )
    return bool(settled) and callbacks_pending(dash_duo) == 0


def component_prop(dash_duo, component_id: str, prop: str) -> Any:
    """A component's prop as the Dash renderer holds it now (dash_component_api.getLayout)."""
    return js(
        dash_duo,
        f"(window.dash_component_api.getLayout({component_id!r}) || {{props: {{}}}}).props[{prop!r}]",
    )


def time_requests(counter: RequestCounter, n: int, timeout: float = 30.0) -> tuple[float, int]:
    """Seconds from one server request to the n-th after it, and the requests counted in that time.

    Starting on a request makes the measured stretch whole periods, whatever the phase of the timer.
    """
    first = counter.count
    wait_until(lambda: counter.count > first, timeout, "a first request")
    start, base = time.monotonic(), counter.count
    wait_until(lambda: counter.count >= base + n, timeout, f"{n} more requests")
    return time.monotonic() - start, counter.count - base


def _pointer(dash_duo, x: float, y: float, click: bool = False) -> None:
    """Move the mouse to viewport point (x, y), and click there if asked."""
    actions = ActionBuilder(dash_duo.driver)
    actions.pointer_action.move_to_location(x, y)
    if click:
        actions.pointer_action.click()
    actions.perform()


def hover_then_click(dash_duo, element, dx: float, dy: float, hovered: Callable[[], Any]) -> None:
    """Hover just above (dx, dy) from `element`'s top-left corner until `hovered()` says plotly saw it, then
    click at (dx, dy): plotly's click reports the point of the last hover, as with a user's pointer.

    The point is scrolled to the middle of the viewport and reached in viewport coordinates (selenium 4.2's
    element offsets assume the element's centre is in view, which a tall graph's may not be).
    """
    x, y = dash_duo.driver.execute_script(
        """const [el, dx, dy] = arguments;
        let r = el.getBoundingClientRect();
        window.scrollBy(r.left + dx - innerWidth / 2, r.top + dy - innerHeight / 2);
        r = el.getBoundingClientRect();
        return [r.left + dx, r.top + dy];""",
        element,
        dx,
        dy,
    )
    moves = iter(range(1_000_000))

    def hover() -> Any:
        """Move next to the point (1 or 2 px above, alternately, so each poll is a fresh mousemove)."""
        _pointer(dash_duo, x, y - 1 - next(moves) % 2)
        return hovered()

    wait_until(hover, 10, "plotly registered the hover")
    _pointer(dash_duo, x, y, click=True)


def snapshot(dash_duo, graph_id: str) -> dict | None:
    """The stream snapshot of a graph (see assets/js/50_stream.js)."""
    return js(dash_duo, f"window.dash_clientside.tickless.stream.snapshot({graph_id!r})")


def trace_columns(dash_duo, graph_id: str) -> list[dict]:
    """Type, length, first and last x of every trace in the plotly graph div."""
    return js(
        dash_duo,
        f"""(() => {{
            const gd = window.dash_clientside.tickless.stream.findGraphDiv({graph_id!r});
            if (!gd || !gd.data) return [];
            return gd.data.map(t => ({{type: t.type, n: t.x.length, x0: t.x[0], x1: t.x[t.x.length - 1]}}));
        }})()""",
    )


def page_update_requests(dash_duo) -> int:
    """The browser's own count of /_dash-update-component requests (Resource Timing entries)."""
    return js(
        dash_duo,
        f"performance.getEntriesByType('resource').filter(e => e.name.includes({UPDATE_PATH!r})).length",
    )
