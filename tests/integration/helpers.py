"""Helpers for browser tests: start an app on a free port, count its callback requests, poll the page."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from dash.testing.wait import until
from flask import request

from tests.conftest import free_port

UPDATE_PATH = "/_dash-update-component"


class RequestCounter:
    """Counts the server's /_dash-update-component requests (server side, independent of the page)."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def install(self, server) -> None:
        """Register a before_request hook on the Flask server."""

        @server.before_request
        def _count() -> None:
            if request.path == UPDATE_PATH:
                with self._lock:
                    self.count += 1


def start(dash_duo, app) -> RequestCounter:
    """Serve `app` on a free port, open it, and return its server-side request counter."""
    counter = RequestCounter()
    counter.install(app.server)
    dash_duo.start_server(app, port=free_port())
    return counter


def js(dash_duo, expression: str) -> Any:
    """Evaluate a JS expression in the page and return its value."""
    return dash_duo.driver.execute_script(f"return ({expression});")


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, message: str = "") -> Any:
    """Poll `predicate` until it returns something truthy; fail with `message` after `timeout` s."""
    return until(predicate, timeout, poll=0.05, msg=f"timed out after {timeout}s: {message}")


def wait_frames(dash_duo, frames: int) -> float:
    """Block until the page has run `frames` more animation frames; return the elapsed page time (ms)."""
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
