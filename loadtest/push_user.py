"""A server-push tab as a locust user: it speaks the Dash renderer's websocket protocol to the push server.

What a browser tab on /strategy/server-push does over `ws://host/_dash-ws-callback` (dash 4.4.1,
dash-renderer's worker): send a `callback_request` for the push callback with no Input (read from
`/_dash-dependencies`), answer each `get_props_request` for the panel's control store with what the tab wants
and has applied (app/push.py read_control: channels, speed, clock anchor, from, run, seq), and take each
`set_props` into the data store. Each message is one locust request, "PUSH message", whose response time is
the data-to-arrival latency: now minus the production time of its newest sample (same machine, same clock);
its size is the message's bytes. Gaps in the sample numbering fire as failures ("PUSH dropped").

    .venv-load/bin/locust -f loadtest/push_user.py --host http://127.0.0.1:8051 -u 50 -r 10 -t 60s --headless
    .venv-load/bin/python -m loadtest.push_user http://127.0.0.1:8051     # one user, 10 s, for debugging
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import gevent
import websocket
from locust import User, between, task

if __package__ in (None, ""):  # locust loads files by path: make the `app` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import contract, ids  # noqa: E402  (standard library only: the load venv has no Dash)

SID = "server-push"
LANES, CONTROL = {ids.push_lane(SID, k) for k in range(contract.PUSH_LANES)}, ids.panel(SID, "control")
SPEED = 10.0  # the tab's replay speed: 10 kHz per channel for the built-in 1 kHz signal
CHANNELS = [0, 1, 2, 3]


def find_props(node, component_id: str) -> dict | None:
    """The props of the component with this id in a /_dash-layout tree, or None."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            props = item.get("props")
            if isinstance(props, dict) and props.get("id") == component_id:
                return props
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def page_channels(layout) -> list[int]:
    """Every channel of the page's dataset (the config store's names), as a tab that shows them all asks."""
    props = find_props(layout, ids.CONFIG_STORE) or {}
    names = (props.get("data") or {}).get("names") or ["ch1"]
    return list(range(len(names)))


def push_callback(dependencies: list[dict]) -> dict:
    """The push callback Dash re-runs on (re)connect: websocket, no Input, no Output."""
    for cb in dependencies:
        if not cb.get("inputs") and cb.get("websocket") and cb.get("persistent") and cb.get("no_output"):
            return cb
    raise LookupError("the push server lists no input-less websocket callback in /_dash-dependencies")


class PushTab:
    """The protocol state of one tab: its receiver's position and the control it answers with."""

    def __init__(self, channels=None, speed=SPEED, now_ms=None):
        self.channels = list(CHANNELS if channels is None else channels)
        self.speed = speed
        self.anchor = {"pos": 0, "t": time.time() * 1000 if now_ms is None else now_ms}
        self.run = 0
        self.seq = -1
        self.end = None
        self.dropped = 0
        self.duplicates = 0

    def control(self) -> dict:
        """The control store's value, as assets/js/67_push.js writes it."""
        return {
            "v": contract.PUSH_VERSION,
            "active": True,
            "channels": self.channels,
            "speed": self.speed,
            "anchor": self.anchor,
            "from": self.end or 0,
            "run": self.run,
            "seq": self.seq,
        }

    def apply(self, msg: dict) -> int | None:
        """Take one push message like the tab's receiver; returns the samples it added (None: ignored)."""
        if not isinstance(msg, dict) or msg.get("v") != contract.PUSH_VERSION:
            return None
        if msg["run"] < self.run or (msg["run"] == self.run and msg["seq"] <= self.seq):
            return None
        self.run, self.seq = msg["run"], msg["seq"]
        if not msg.get("n") or msg.get("ch") != self.channels:
            return 0
        start, n = msg["start"], msg["n"]
        if self.end is None:
            self.end = start
        if start < self.end:
            cut = min(n, self.end - start)
            self.duplicates += cut
            start, n = start + cut, n - cut
        gap = max(0, start - self.end)
        self.dropped += gap
        self.end = max(self.end, start + n)
        return n


def request_message(renderer: str, request_id: str, cb: dict) -> dict:
    """A renderer's callback_request for an input-less callback."""
    payload = {
        "output": cb["output"],
        "outputs": [],
        "inputs": [],
        "changedPropIds": [],
        "parsedChangedPropsIds": [],
        "state": [],
    }
    return {"type": "callback_request", "rendererId": renderer, "requestId": request_id, "payload": payload}


class PushUser(User):
    """One tab on /strategy/server-push: one socket, the push stream, acknowledgements on request."""

    wait_time = between(3600, 3600)  # the task runs for the user's life

    def on_start(self) -> None:
        self.tab = PushTab()
        self.ws = None

    @task
    def stream(self) -> None:
        """Connect, start the push callback, then answer and take messages until stopped."""
        base = self.host.rstrip("/")
        fire = self.environment.events.request.fire
        t0 = time.perf_counter()
        try:
            import urllib.request

            with urllib.request.urlopen(base + "/_dash-dependencies", timeout=30) as reply:
                cb = push_callback(json.loads(reply.read()))
            with urllib.request.urlopen(base + "/_dash-layout", timeout=30) as reply:
                self.tab.channels = page_channels(json.loads(reply.read()))
            parts = urlsplit(base)
            scheme = "wss" if parts.scheme == "https" else "ws"
            # skip_utf8_validation: websocket-client checks a text frame's UTF-8 byte by byte in Python (~1.9 ms
            # for one 11 kB push message here, 190x the JSON parse), which made one locust process the bottleneck
            # at ~25 tabs; the frame's decode to str still checks it, in C
            self.ws = websocket.create_connection(
                f"{scheme}://{parts.netloc}/_dash-ws-callback",
                origin=base,
                timeout=30,
                skip_utf8_validation=True,
            )
        except Exception as exc:  # noqa: BLE001  (any failure to connect is this user's failure)
            fire(
                request_type="PUSH",
                name="connect",
                response_time=0,
                response_length=0,
                exception=exc,
                context={},
            )
            gevent.sleep(5)
            return
        fire(
            request_type="PUSH",
            name="connect",
            response_time=(time.perf_counter() - t0) * 1000,
            response_length=0,
            exception=None,
            context={},
        )
        renderer = f"locust-{id(self)}"
        self.ws.send(json.dumps(request_message(renderer, f"{renderer}-1", cb)))
        while True:
            try:
                text = self.ws.recv()
            except Exception as exc:  # noqa: BLE001
                fire(
                    request_type="PUSH",
                    name="socket closed",
                    response_time=0,
                    response_length=0,
                    exception=exc,
                    context={},
                )
                return
            received = time.time() * 1000
            data = json.loads(text)
            for m in data if isinstance(data, list) else [data]:
                self.handle(m, received, len(text), fire)

    def handle(self, m: dict, received: float, size: int, fire) -> None:
        """One server message: answer a get_props_request, take a set_props into the tab."""
        kind = m.get("type")
        if kind == "get_props_request":
            payload = m.get("payload") or {}
            value = self.tab.control() if payload.get("componentId") == CONTROL else None
            self.ws.send(
                json.dumps(
                    {
                        "type": "get_props_response",
                        "requestId": m.get("requestId"),
                        "payload": {"data": value},
                    }
                )
            )
        elif kind == "set_props":
            payload = m.get("payload") or {}
            if payload.get("componentId") not in LANES:
                return
            msg = (payload.get("props") or {}).get("data")
            before = self.tab.dropped
            added = self.tab.apply(msg)
            if added:
                fire(
                    request_type="PUSH",
                    name="message",
                    response_time=max(0.0, received - msg["t"]),
                    response_length=size,
                    exception=None,
                    context={},
                )
            if self.tab.dropped > before:
                fire(
                    request_type="PUSH",
                    name="dropped",
                    response_time=0,
                    response_length=0,
                    exception=RuntimeError(f"{self.tab.dropped - before} samples dropped"),
                    context={},
                )

    def on_stop(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                self.ws.close()


if __name__ == "__main__":
    from locust import run_single_user

    PushUser.host = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8051"
    gevent.spawn_later(10, lambda: sys.exit(0))
    run_single_user(PushUser)
