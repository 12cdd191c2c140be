"""What one page load costs the server and the wire, for a first visit and a returning one (issue #13).

The same page-load code as the locust tabs (loadtest/dash_client.py `DashClient.load_page`, with Tickless's
dataset fetch from loadtest/tickless.py), over a plain `requests` session, one tab after another:

- first visit: the page, every script and stylesheet it links, the layout, the dependencies and the dataset's
  binary (app/dataroute.py);
- returning visit: the page, the layout and the dependencies; the browser's cache holds the versioned assets
  and the immutable dataset, so it asks for neither (tests/integration/test_binary.py checks this in
  Chromium).

    from loadtest import pageload
    pageload.measure(url, cpu_seconds)   # {"first": {...}, "returning": {...}}

`cpu_seconds()` reads the server's CPU time (e.g. benchmarks.launcher.Gunicorn.cpu_seconds). Figures per page
load: wire bytes, requests, wall ms, server CPU ms. stdlib + requests only (both venvs have it).
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Callable
from typing import Any

import requests

from . import tickless
from .dash_client import DashClient

KINDS = ("first", "returning")


class _Reply:
    """A locust-like response inside `catch_response`: status, headers, decoded content, success/failure."""

    def __init__(self, resp: requests.Response | None, error: str | None = None) -> None:
        self.status_code = resp.status_code if resp is not None else 0
        self.headers = resp.headers if resp is not None else {}
        self.content = resp.content if resp is not None else b""
        self.request_meta: dict[str, Any] = {}
        self.error = error

    def success(self) -> None:
        pass

    def failure(self, message: str) -> None:
        self.error = message


class Session:
    """The subset of locust's HTTP session DashClient uses, over requests (which decodes br and gzip)."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.http = requests.Session()
        self.errors: list[str] = []

    @contextlib.contextmanager
    def _reply(self, method: str, path: str, **kwargs):
        try:
            resp = self.http.request(method, self.base + path, timeout=60, **kwargs)
            reply = _Reply(resp)
        except requests.RequestException as exc:
            reply = _Reply(None, f"{method} {path}: {exc}")
        yield reply
        if reply.error:
            self.errors.append(reply.error)

    def get(self, path: str, name: str = "", headers: dict | None = None, catch_response: bool = True):
        return self._reply("GET", path, headers=headers)

    def post(self, path: str, data=None, headers=None, name: str = "", catch_response: bool = True):
        return self._reply("POST", path, data=data, headers=headers)


def load(base: str, kind: str, path: str = "/") -> dict:
    """One tab's page load of this kind; {ok, bytes (on the wire), requests, ms, errors}."""
    session = Session(base)
    client = DashClient(session, lambda **_: None, first_visit=kind == "first")
    start = time.perf_counter()
    ok = client.load_page(path, lambda c: tickless.page_fetches(c.values, c.first_visit))
    return {
        "ok": ok and not session.errors,
        "bytes": client.page_bytes,
        "requests": client.page_requests,
        "parts": dict(client.page_parts),  # request name ("page data", "page resources", ...) → wire bytes
        "ms": (time.perf_counter() - start) * 1000,
        "errors": session.errors[:3],
    }


def measure(base: str, cpu_seconds: Callable[[], float], loads: int = 10, path: str = "/") -> dict:
    """Per visit kind: `loads` page loads one after another (after one to warm the server's caches);
    medians of wire bytes, requests and wall ms, and the server's CPU ms per load."""
    out = {}
    for kind in KINDS:
        load(base, kind, path)  # warm-up: compressed layout, the dataset's compressed body, Dash's caches
        cpu0 = cpu_seconds()
        runs = [load(base, kind, path) for _ in range(loads)]
        cpu = cpu_seconds() - cpu0
        out[kind] = {
            "loads": loads,
            "failures": sum(not r["ok"] for r in runs),
            "errors": next((r["errors"] for r in runs if r["errors"]), []),
            "bytes": statistics.median(r["bytes"] for r in runs),
            "requests": statistics.median(r["requests"] for r in runs),
            "parts": runs[-1]["parts"],
            "ms": round(statistics.median(r["ms"] for r in runs), 1),
            "server_cpu_ms": round(cpu / loads * 1000, 2),
        }
    return out
