"""The push loop: one live source → one tab, over any link that can send a message and read the tab's control.

`run(link, make_source, ...)` is what the websocket callback runs for a connection (app/strategies/
server_push.py gives it a link over Dash's `ctx.websocket`; the unit tests give it a fake). It
  - waits until the tab asks for a stream (its control store: active, channels, speed, anchor, where it is);
  - runs the source into a bounded `SampleQueue` (app/live.py), newest wins, drops counted;
  - every period sends one message with everything queued (coalesced, at most PUSH_MAX_BATCH per channel),
    only while the tab has fewer than PUSH_MAX_IN_FLIGHT messages it has not acknowledged: a stalled tab gets
    nothing, its queue stays bounded and the tab sees the gap, counted;
  - reads the tab's control every PUSH_ACK_MS (acknowledgement + what it asks for; every PUSH_IDLE_MS while the
    tab wants nothing: another page, paused): a changed request starts a new source from where the tab is; a
    newer stream the tab adopted (`run`) ends this one;
  - sends a keepalive when there is nothing to send, so the tab's watchdog and Dash's inactivity timer see a
    live link;
  - ends when the tab has wanted nothing for `idle_end_ms` (paused, another page, gone quiet): its socket then
    carries only heartbeats and Dash's inactivity timeout closes it; the tab's watchdog asks for a new stream
    (and so a new socket) when it wants data again.
Every message carries the run id and its sequence number, so the tab applies each sample once, whatever
reconnects in between.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from . import contract, data, untrusted
from .live import Batch, LiveSource, SampleQueue

log = logging.getLogger("tickless")


class Link(Protocol):
    """What the push loop needs from a connection."""

    @property
    def closed(self) -> bool:
        """Has the connection gone?"""
        ...

    def send(self, message: dict) -> None:
        """Queue one message to the tab (never blocks)."""
        ...

    def backlog(self) -> int:
        """Messages queued on this connection and not yet written to the socket."""
        ...

    async def control(self) -> Any:
        """The tab's control store as it holds it now (raises TimeoutError when the tab does not answer)."""
        ...


@dataclass(frozen=True)
class Request:
    """What a tab asks for, checked: which channels, at what speed, on which clock anchor, from which sample."""

    channels: tuple[int, ...]
    speed: float
    anchor: tuple[int, float]
    start: int  # the tab's received end: the next sample it wants

    @property
    def signature(self) -> tuple:
        """Changes when the stream must start again (a new position alone does not)."""
        return (self.channels, self.speed, self.anchor)


@dataclass(frozen=True)
class Control:
    """The tab's control store, read: its request (None while it wants nothing) and what it has applied."""

    request: Request | None
    run: int  # the stream the tab listens to (0: none yet)
    seq: int  # the last message of that stream it applied (-1: none)


def read_control(raw: Any, n_channels: int, now_ms: float) -> Control:
    """Check a control store value from the browser (it may be forged); anything unusable asks for nothing."""
    if not isinstance(raw, dict):
        return Control(None, 0, -1)
    try:
        run = untrusted.integer(raw.get("run", 0), "push 'run'", 0, contract.MAX_INT)
        seq = untrusted.integer(raw.get("seq", -1), "push 'seq'", -1, contract.MAX_INT)
    except untrusted.Rejected as exc:
        log.warning("push control: ignored: %s", exc)
        return Control(None, 0, -1)
    if not raw.get("active"):
        return Control(None, run, seq)
    try:
        channels = untrusted.items(raw.get("channels"), "push 'channels'", n_channels, "channel indices")
        channels = tuple(sorted({untrusted.integer(c, "push channel", 0, n_channels - 1) for c in channels}))
        speed = untrusted.number(raw.get("speed"), "push 'speed'", *contract.SPEED)
        anchor = raw.get("anchor") or {}
        pos = untrusted.integer(anchor.get("pos"), "push 'anchor.pos'", 0, contract.MAX_INT)
        # an anchor more than a day away from the server's clock is forged or from a broken clock: re-anchor now
        t = untrusted.number(anchor.get("t"), "push 'anchor.t'", now_ms - 86_400_000, now_ms + 86_400_000)
        start = untrusted.integer(raw.get("from", pos), "push 'from'", 0, contract.MAX_INT)
    except (untrusted.Rejected, AttributeError) as exc:
        log.warning("push control: ignored: %s", exc)
        return Control(None, run, seq)
    return Control(Request(channels, speed, (pos, t), start), run, seq)


def encode(batch: Batch, run: int, seq: int, source: LiveSource, channels, queue: SampleQueue) -> dict:
    """One push message (contract.PUSH_FIELDS): base64url float32 per channel, numbered, timed and counted."""
    return {
        "v": contract.PUSH_VERSION,
        "run": run,
        "seq": seq,
        "start": batch.start,
        "n": batch.n,
        "rate": source.rate,
        "t": batch.t_ms,
        "dt": batch.dt_ms,
        "ch": list(channels),
        "y": [data.encode_channel(row) for row in batch.values],
        "dropped": queue.dropped,
        "lost": queue.lost,
    }


def new_run_id() -> int:
    """A stream id that grows with time (the tab keeps the newest stream it has heard), unique enough."""
    return (time.time_ns() // 1_000_000) * 1000 + int.from_bytes(os.urandom(2), "big") % 1000


@dataclass
class Stats:
    """What one run did (for logs and tests)."""

    sent: int = 0
    keepalives: int = 0
    held: int = 0  # periods with data queued that the in-flight window or the socket's backlog held back
    restarts: int = 0
    reason: str = ""


async def run(
    link: Link,
    make_source: Callable[[Request], LiveSource],
    n_channels: int,
    *,
    run_id: int | None = None,
    period_ms: float = contract.PUSH_PERIOD_MS,
    ack_ms: float = contract.PUSH_ACK_MS,
    idle_ms: float = contract.PUSH_IDLE_MS,
    keepalive_ms: float = contract.PUSH_KEEPALIVE_MS,
    max_in_flight: int = contract.PUSH_MAX_IN_FLIGHT,
    queue_cap: int = contract.PUSH_QUEUE_SAMPLES,
    max_batch: int = contract.PUSH_MAX_BATCH,
    max_backlog: int = 2,
    idle_end_ms: float | None = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> Stats:
    """Push one tab's stream until the link closes or the tab adopts a newer stream; returns what it did."""
    run_id = new_run_id() if run_id is None else run_id
    stats = Stats()
    producer: asyncio.Task | None = None
    queue: SampleQueue | None = None
    source: LiveSource | None = None
    current: Request | None = None
    seq = -1  # last message sent
    acked = -1
    last_send = 0.0
    last_ack = -1e18
    wanted_at = clock() * 1000  # when the tab last asked for data (or the run began)
    asking: asyncio.Task | None = None

    async def produce(src: LiveSource, q: SampleQueue) -> None:
        async for batch in src.batches():
            q.put(batch)

    def stop_producer() -> None:
        if producer is not None:
            producer.cancel()

    try:
        while not link.closed:
            now = clock() * 1000
            if asking is None and now - last_ack >= (ack_ms if current is not None else idle_ms):
                asking = asyncio.ensure_future(link.control())
                last_ack = now
            if asking is not None and asking.done():
                task, asking = asking, None
                try:
                    ctl = read_control(task.result(), n_channels, clock() * 1000)
                except TimeoutError:
                    ctl = None  # the tab did not answer: hold, ask again
                except Exception as exc:  # the link went away under the request
                    stats.reason = f"control: {type(exc).__name__}"
                    break
                if ctl is not None:
                    if ctl.run > run_id:
                        stats.reason = "the tab took a newer stream"
                        break
                    if ctl.run == run_id:
                        acked = max(acked, ctl.seq)
                    want = ctl.request
                    if want is not None:
                        wanted_at = clock() * 1000
                    if want is None or current is None or want.signature != current.signature:
                        stop_producer()
                        producer, queue, source = None, None, None
                        if current is not None:
                            stats.restarts += 1
                        current = want
                        if want is not None:
                            source = make_source(want)
                            queue = SampleQueue(len(source.names), queue_cap)
                            producer = asyncio.ensure_future(produce(source, queue))
                            acked = seq  # the tab starts over from its own position: nothing is in flight
            if idle_end_ms is not None and now - wanted_at >= idle_end_ms:
                stats.reason = f"the tab wanted nothing for {idle_end_ms / 1000:g} s"
                break
            if producer is not None and producer.done() and not producer.cancelled() and producer.exception():
                stats.reason = f"source failed: {producer.exception()!r}"
                log.warning("push: %s", stats.reason)
                break
            if queue is not None and source is not None and current is not None:
                free = seq - acked < max_in_flight and link.backlog() <= max_backlog
                if queue.size and not free:
                    stats.held += 1
                batch = queue.take(max_batch) if free and queue.size else None
                if batch is not None:
                    seq += 1
                    link.send(encode(batch, run_id, seq, source, current.channels, queue))
                    stats.sent += 1
                    last_send = now
                elif free and now - last_send >= keepalive_ms:
                    seq += 1
                    link.send(keepalive(run_id, seq, source, current.channels, queue))
                    stats.keepalives += 1
                    last_send = now
            await sleep(period_ms / 1000)
        else:
            stats.reason = "the link closed"
    finally:
        stop_producer()
        if asking is not None:
            asking.cancel()
            with contextlib.suppress(BaseException):
                await asking
    return stats


def keepalive(run: int, seq: int, source: LiveSource, channels, queue: SampleQueue) -> dict:
    """A message with no samples: the link is alive, and here are the counters."""
    empty = Batch(0, np.zeros((0, 0), dtype="<f4"), 0.0)
    message = encode(empty, run, seq, source, channels, queue)
    message.update(start=None, n=0, y=[])
    return message
