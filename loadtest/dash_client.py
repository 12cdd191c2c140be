"""A browser tab of a Dash app over a locust HTTP session: page load, the tab's prop store, validated callbacks.

It needs nothing but an object with locust's `get`/`post(..., catch_response=True)` API and the request
event's `fire`, so it runs under FastHttpUser (and could run under HttpUser). Every request is validated;
a bad reply is a locust failure with a one-line reason. Statistics name page-load requests `page …` and
fire one `PAGE page load` event per tab (whole page, ms and wire bytes), so steady-state figures can
leave page loads out.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

from . import dash_protocol as dp
from . import dash_reply

PAGE = "page "  # name prefix of page-load requests in statistics
PAGE_EVENT = ("PAGE", "page load")  # request_type and name of the whole-page event
_LAYOUTS: dict[str, tuple[dict, list, Any]] = {}  # parsed layouts by content hash: tabs of one app share them
# parsed `_dash-dependencies` by content hash, shared the same way (never changed after parsing): one copy per tab
# was ~330 objects each, which a thousand tabs' full collections in this one process had to walk
_DEPENDENCIES: dict[str, list] = {}
NOTES: dict[str, Any] = {}  # what this process's tabs learnt about the app (e.g. callbacks not exercised)


def _wire_length(resp: Any) -> int:
    """Bytes on the wire (Content-Length of the compressed body) or, without it, the body length."""
    try:
        length = resp.headers.get("content-length")
        if length is not None:
            return int(length)
    except (AttributeError, TypeError, ValueError):
        pass
    return len(resp.content or b"")


class DashClient:
    """One tab: loads the page like the renderer, keeps the props callbacks read, and calls callbacks."""

    def __init__(self, http: Any, fire_event: Callable[..., None], *, first_visit: bool = False) -> None:
        self.http = http
        self.fire_event = fire_event
        self.first_visit = first_visit
        self.config: dict = {}
        self.layout: Any = None
        self.callbacks: list[dp.Callback] = []
        self.values: dict[str, Any] = {}
        self.ids: list[Any] = []
        self.watched: set[str] = set()
        self.url = ""
        self.page_bytes = 0
        self.page_requests = 0
        self.page_parts: dict[str, int] = {}

    # --- page load -----------------------------------------------------------------------------------

    def _get(
        self, path: str, name: str, headers: dict | None = None, size: int | None = None
    ) -> bytes | None:
        headers = {"Accept-Encoding": dp.ACCEPT_ENCODING, **(headers or {})}
        with self.http.get(path, name=name, headers=headers, catch_response=True) as resp:
            wire = _wire_length(resp) if resp.status_code else 0
            resp.request_meta["response_length"] = wire
            self.page_bytes += wire
            self.page_requests += 1
            self.page_parts[name] = self.page_parts.get(name, 0) + wire
            if resp.status_code != 200:
                resp.failure(f"GET {path}: HTTP {resp.status_code}")
                return None
            if size is not None and len(resp.content or b"") != size:
                resp.failure(f"GET {path}: {len(resp.content or b''):,} bytes decoded, expected {size:,}")
                return None
            resp.success()
            return resp.content

    def load_page(
        self, path: str = "/", fetches: Callable[[DashClient], Sequence[tuple]] | None = None
    ) -> bool:
        """GET the page (and, on a first visit, what it links), the layout and the dependencies; True if usable.

        `fetches(client)`, called once the layout is read, lists what the page's own JS GETs before it is
        usable, as (url, name, expected decoded bytes or None): e.g. Tickless's dataset on a first visit (a
        returning visitor's browser has it in its cache). They count as part of the page load.
        """
        start, self.page_bytes, self.page_requests, error = time.perf_counter(), 0, 0, None
        self.page_parts = {}  # request name → wire bytes
        try:
            page = self._get(path, PAGE + "/")
            if page is None:
                raise dp.ProtocolError(f"page {path} did not load")
            self.config = dp.page_config(page.decode("utf-8", "replace"))
            base = dp.base_path(self.config)
            if self.first_visit:
                for url in dp.page_resources(page.decode("utf-8", "replace")):
                    self._get(url, PAGE + "resources")
            layout = self._get(base + dp.LAYOUT_PATH, PAGE + "/" + dp.LAYOUT_PATH, dp.JSON_HEADERS)
            deps = self._get(base + dp.DEPENDENCIES_PATH, PAGE + "/" + dp.DEPENDENCIES_PATH, dp.JSON_HEADERS)
            if layout is None or deps is None:
                raise dp.ProtocolError("layout or dependencies did not load")
            self._read(layout, deps)
            for url, name, size in fetches(self) if fetches else ():
                if self._get(url, PAGE + name, size=size) is None:
                    raise dp.ProtocolError(f"{url} did not load")
        except (dp.ProtocolError, ValueError) as exc:
            error = exc
        request_type, name = PAGE_EVENT
        self.fire_event(
            request_type=request_type,
            name=name,
            response_time=(time.perf_counter() - start) * 1000,
            response_length=self.page_bytes,
            exception=error,
            context={},
        )
        return error is None

    def _read(self, layout_bytes: bytes, deps_bytes: bytes) -> None:
        digest = hashlib.sha1(layout_bytes).hexdigest()
        if digest not in _LAYOUTS:
            layout = json.loads(layout_bytes)
            values, ids = dp.layout_props(layout)
            if len(_LAYOUTS) > 4:
                _LAYOUTS.clear()
            _LAYOUTS[digest] = (values, ids, layout)
        values, self.ids, self.layout = _LAYOUTS[digest]
        self.values = dict(values)
        deps_digest = hashlib.sha1(deps_bytes).hexdigest()
        if deps_digest not in _DEPENDENCIES:
            if len(_DEPENDENCIES) > 4:
                _DEPENDENCIES.clear()
            _DEPENDENCIES[deps_digest] = dp.parse_dependencies(json.loads(deps_bytes))
        self.callbacks = _DEPENDENCIES[deps_digest]
        self.url = dp.update_url(self.config)
        server = [cb for cb in self.callbacks if not cb.clientside]
        self.watched = {p.key for cb in server for p in cb.inputs + cb.state if not p.wildcards}
        for cb in server:
            for p in cb.inputs + cb.state:
                if "ALL" in p.wildcards:
                    self.watched |= {
                        dp.prop_key(cid, p.property) for cid in self.ids if dp.matches(p.id, cid)
                    }

    # --- callbacks -----------------------------------------------------------------------------------

    def find(self, input_key: str) -> dp.Callback | None:
        """The server callback that has this `id.prop` as an Input, if any."""
        return next((cb for cb in self.callbacks if not cb.clientside and input_key in cb.input_keys), None)

    def call(
        self, cb: dp.Callback, changed: Sequence[str], name: str | None = None, require: Sequence[str] = ()
    ) -> dict | None:
        """POST one callback with the tab's current values; validate; store what it returns; None on failure."""
        payload = dp.build_payload(cb, self.values, changed, self.ids)
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        headers = {**dp.JSON_HEADERS, "Accept-Encoding": dp.ACCEPT_ENCODING}
        with self.http.post(
            self.url, data=body, headers=headers, name=name or cb.label, catch_response=True
        ) as resp:
            if not resp.status_code:  # connection error: locust already holds the exception
                return None
            resp.request_meta["response_length"] = _wire_length(resp)
            try:
                updates = dash_reply.check_response(cb, resp.status_code, resp.content or b"", require)
            except dp.ProtocolError as exc:
                resp.failure(str(exc))
                return None
            resp.success()
        self.absorb(updates)
        return updates

    def absorb(self, updates: dict[str, Any]) -> None:
        """Keep returned values that some server callback reads (Patches applied), as the renderer's store does."""
        for key, value in updates.items():
            if key not in self.watched:
                continue
            if dash_reply.is_patch(value):
                try:
                    value = dash_reply.apply_patch(self.values.get(key), value)
                except (dp.ProtocolError, LookupError, TypeError):
                    self.values.pop(key, None)
                    continue
            self.values[key] = value


class Schedule:
    """A tab's timers: each action runs every period, like setInterval; missed beats collapse into one."""

    def __init__(self) -> None:
        self.jobs: list[list] = []  # [due (monotonic s), period s, action]

    def every(self, period_s: float, action: Callable[[], None], first_in: float | None = None) -> None:
        """Run `action` every `period_s` seconds, first after `first_in` (default: a random phase).

        Tabs that users open at random times tick at random phases; locust starts many tabs within a
        second, so without a random phase their timers would fire in lockstep bursts no real crowd makes.
        """
        if period_s <= 0:
            raise ValueError("a timer needs a positive period")
        first = random.uniform(0, period_s) if first_in is None else first_in
        self.jobs.append([time.monotonic() + first, period_s, action])

    def wait(self) -> float:
        """Seconds until the next action is due (1 s when there is none, so an idle tab stays idle)."""
        if not self.jobs:
            return 1.0
        return max(0.0, min(job[0] for job in self.jobs) - time.monotonic())

    def run_due(self) -> None:
        """Run the earliest action if it is due, and schedule its next beat on the same grid."""
        if not self.jobs:
            return
        job = min(self.jobs, key=lambda j: j[0])
        now = time.monotonic()
        if job[0] > now:
            return
        job[0] += job[1]
        if job[0] <= now:  # late (a slow reply): this call stands for every missed beat, no catch-up burst
            job[0] += job[1] * (math.floor((now - job[0]) / job[1]) + 1)
        job[2]()
