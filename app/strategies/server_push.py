"""server-push: a live source pushed over Dash's websocket callbacks into the panel's Store; the engine draws it.

Only the push server has it (the FastAPI backend, `app/asgi.py`, served by uvicorn on PUSH_PORT): the Flask
app's panel says where that server is. Two async websocket callbacks run the same loop (app/push.py):
  - `server_push_stream`, with no Input and no Output, is what Dash starts on page load and again after every
    reconnect of its websocket (dash-renderer re-triggers exactly those);
  - `server_push_restart`, fired by the tab's watchdog writing the prod store when it heard nothing for a
    while: the request itself wakes a closed websocket (an inactivity timeout, retries given up), and its run
    replaces whatever stream the tab had (a newer run id wins; the older one ends at its next look at the tab).
A panel's clientside callbacks (assets/js/67_push.js) turn the view into an empty figure and hand every pushed
message to the receiver; nothing per message goes back through Dash but the tab's control store, which the
server reads with `get_prop` (its acknowledgement and what it asks for).
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

from dash import ClientsideFunction, Dash, Input, Output, State, ctx
from dash.exceptions import PreventUpdate

from .. import contract, ids, push
from ..live import LiveSource, SyntheticSource
from ..settings import Settings, SettingsError
from . import common

SID = "server-push"
log = logging.getLogger("tickless")
SourceFactory = Callable[[push.Request], LiveSource]
CONTROL_TIMEOUT_S = 2.0  # a tab that takes longer to answer get_prop is stalled: the loop holds meanwhile


@dataclass(frozen=True)
class PushSettings:
    """The push server's own settings: its port, which live source it streams and its sockets' inactivity
    timeout (env PUSH_PORT, TICKLESS_PUSH_SOURCE, TICKLESS_PUSH_INACTIVITY_MS; the rest comes from the app's
    Settings)."""

    port: int
    source: str = "synthetic"
    inactivity_ms: int = contract.PUSH_INACTIVITY_MS

    @property
    def idle_end_ms(self) -> int:
        """How long a stream the tab wants nothing from runs on: half the inactivity timeout, within
        contract.PUSH_IDLE_END_MS (so the socket can go idle well before Dash would close it)."""
        lo, hi = contract.PUSH_IDLE_END_MS
        return hi if self.inactivity_ms == 0 else min(hi, max(lo, self.inactivity_ms // 2))

    @classmethod
    def load(cls, settings: Settings, env=None) -> PushSettings:
        """PUSH_PORT (default: the app's port + 1) and TICKLESS_PUSH_SOURCE ("synthetic" or module:factory)."""
        env = os.environ if env is None else env
        raw_port = env.get("PUSH_PORT", "").strip()
        port = settings.port + contract.PUSH_PORT_OFFSET
        if raw_port:
            if not raw_port.isdigit() or not 1 <= int(raw_port) <= 65535:
                raise SettingsError(f"invalid PUSH_PORT {raw_port!r}: expected an integer from 1 to 65535")
            port = int(raw_port)
        if port > 65535:
            raise SettingsError(
                f"invalid PORT {settings.port}: the push server needs PORT + 1 (set PUSH_PORT)"
            )
        source = env.get("TICKLESS_PUSH_SOURCE", "synthetic").strip() or "synthetic"
        if source != "synthetic" and (source.count(":") != 1 or not all(source.split(":"))):
            raise SettingsError(
                f"invalid TICKLESS_PUSH_SOURCE {source!r}: expected synthetic, or package.module:factory"
            )
        raw_idle = env.get("TICKLESS_PUSH_INACTIVITY_MS", "").strip()
        inactivity = contract.PUSH_INACTIVITY_MS
        if raw_idle:
            lo, hi = contract.PUSH_INACTIVITY_LIMITS
            if not raw_idle.isdigit() or not (int(raw_idle) == 0 or lo <= int(raw_idle) <= hi):
                raise SettingsError(
                    f"invalid TICKLESS_PUSH_INACTIVITY_MS {raw_idle!r}: expected 0 (never) or an integer "
                    f"from {lo} to {hi} (milliseconds)"
                )
            inactivity = int(raw_idle)
        return cls(port, source, inactivity)


def synthetic(settings: Settings) -> SourceFactory:
    """The page's dataset (the built-in signal, or the --data file) in real time, anchored on the tab's clock, resuming where the tab is (the samples
    due while it was away come at once, at most a queue's worth: older ones are skipped, and the tab counts
    them as dropped)."""
    values = common.dataset(
        settings
    )  # the --data file, or the built-in signal: what the page's channels name
    names = common.names(settings)

    def make(request: push.Request) -> LiveSource:
        return SyntheticSource(
            values,
            [names[c] for c in request.channels],
            settings.rate,
            speed=request.speed,
            anchor=request.anchor,
            rows=request.channels,
            start=request.start,
            catch_up=contract.PUSH_QUEUE_SAMPLES,
        )

    return make


def source_factory(settings: Settings, push_settings: PushSettings) -> SourceFactory:
    """The factory the push loop calls per stream: the synthetic source, or a user's `module:factory`."""
    if push_settings.source == "synthetic":
        return synthetic(settings)
    module, name = push_settings.source.split(":")
    try:
        factory = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise SettingsError(f"invalid TICKLESS_PUSH_SOURCE {push_settings.source!r}: {exc}") from None
    if not callable(factory):
        raise SettingsError(f"invalid TICKLESS_PUSH_SOURCE {push_settings.source!r}: not a function")
    return factory


class DashLink:
    """The push loop's link over `ctx.websocket`: set_props into the data Store, get_prop of the control Store."""

    def __init__(self, ws, lanes: list[str], control_id: str):
        self._ws = ws
        self._lanes = lanes
        self._control_id = control_id

    @property
    def closed(self) -> bool:
        """Has the websocket gone?"""
        return bool(self._ws.is_shutdown)

    def send(self, message: dict) -> None:
        """Queue one message into its lane (Dash serialises it and its sender task writes it)."""
        self._ws.set_prop_sync(self._lanes[message["seq"] % len(self._lanes)], "data", message)

    def backlog(self) -> int:
        """Messages Dash has queued on this socket and not written yet (a slow network or a full TCP buffer)."""
        getter = getattr(self._ws, "_get_outbound_queue", None)  # dash 4.4.1's DashWebsocketCallback
        queue = getter() if getter else None
        try:
            return int(queue.sync_q.qsize()) if queue is not None else 0
        except (AttributeError, RuntimeError):
            return 0

    async def control(self):
        """The tab's control store (raises TimeoutError when the tab does not answer in time)."""
        return await self._ws.get_prop(self._control_id, "data", timeout=CONTROL_TIMEOUT_S)


def available(app: Dash) -> bool:
    """Can this app push (a backend with websocket callbacks: FastAPI, Quart)?"""
    return bool(getattr(getattr(app, "backend", None), "websocket_capability", False))


def register(app: Dash, settings: Settings) -> None:
    """Wire the panel's view and data Store to the page; on a websocket-capable app, the push callbacks too."""
    graph = ids.panel(SID, "graph")
    app.clientside_callback(
        ClientsideFunction("tickless", "pushView"),
        Output(graph, "figure"),
        Input(ids.panel(SID, "view"), "data"),
        State(graph, "id"),
        prevent_initial_call=True,
    )
    lanes = [ids.push_lane(SID, k) for k in range(contract.PUSH_LANES)]
    app.clientside_callback(
        ClientsideFunction("tickless", "pushData"),
        *(Input(lane, "data") for lane in lanes),
        State(graph, "id"),
        prevent_initial_call=True,
    )
    if not available(app):
        return
    push_settings = PushSettings.load(settings)
    make_source = source_factory(settings, push_settings)
    control_id = ids.panel(SID, "control")
    n_channels = len(common.names(settings))

    async def stream() -> None:
        ws = ctx.websocket
        if ws is None:  # not over the websocket (a forged HTTP request): nothing to push into
            raise PreventUpdate
        link = DashLink(ws, lanes, control_id)
        stats = await push.run(link, make_source, n_channels, idle_end_ms=push_settings.idle_end_ms)
        log.info("push: stream ended after %d messages (%s)", stats.sent, stats.reason)

    @app.callback(websocket=True, persistent=True)
    async def server_push_stream():
        await stream()

    @app.callback(
        Input(ids.panel(SID, "prod"), "data"), websocket=True, persistent=True, prevent_initial_call=True
    )
    async def server_push_restart(_prod):
        await stream()
