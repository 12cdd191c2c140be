"""The push loop (app/push.py) against a fake tab: batching, the in-flight window, a stalled tab's bounded queue,
restarts, newer streams, keepalives, and forged control values."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from app import contract, data, push
from app.live import SyntheticSource

RATE = 1000
VALUES = data.generate(3, RATE, 5)


class Clock:
    """Fake wall-clock seconds; the fake sleep advances it and lets other tasks run."""

    def __init__(self):
        self.t = 5_000.0

    def __call__(self):
        return self.t

    async def sleep(self, seconds):
        self.t += seconds
        await asyncio.sleep(0)


class Tab:
    """A fake tab: applies messages like assets/js/64_pushrx.js (newest run, each sample once) and answers
    the loop's control reads, unless stalled."""

    def __init__(self, clock, channels=(0, 1), speed=10.0, stop_after=None):
        self.clock = clock
        self.channels = list(channels)
        self.speed = speed
        self.active = True
        self.stalled = False
        self.run = 0
        self.seq = -1
        self.end = None
        self.samples: list[np.ndarray] = []
        self.dropped = 0
        self.messages: list[dict] = []
        self.anchor = {"pos": 0, "t": clock() * 1000}
        self.stop_after = stop_after
        self.closed = False
        self.backlog_n = 0

    # --- the link the loop sees ---
    def send(self, msg):
        self.messages.append(msg)
        if self.stalled:
            return  # a stalled tab applies nothing (the worker buffers; its acks stop)
        self.apply(msg)
        if self.stop_after is not None and len(self.messages) >= self.stop_after:
            self.closed = True

    def backlog(self):
        return self.backlog_n

    async def control(self):
        if self.stalled:
            await asyncio.sleep(0)
            raise TimeoutError
        return {
            "v": 1,
            "active": self.active,
            "channels": self.channels,
            "speed": self.speed,
            "anchor": self.anchor,
            "from": self.end or 0,
            "run": self.run,
            "seq": self.seq,
        }

    # --- the tab's side ---
    def apply(self, msg):
        if msg["run"] < self.run or (msg["run"] == self.run and msg["seq"] <= self.seq):
            return
        self.run, self.seq = msg["run"], msg["seq"]
        if msg["n"] == 0 or msg["ch"] != self.channels:
            return
        cols = np.stack([data.decode_channel(y) for y in msg["y"]])
        start = msg["start"]
        if self.end is None:
            self.end = start
        assert start >= self.end, "the server never resends what the tab has"
        self.dropped += start - self.end
        self.samples.append(np.arange(start, start + msg["n"]))
        np.testing.assert_array_equal(
            cols, VALUES[self.channels][:, np.arange(start, start + msg["n"]) % VALUES.shape[1]]
        )
        self.end = start + msg["n"]


def synthetic(clock):
    names = data.channel_names(3)

    def make(req: push.Request):
        return SyntheticSource(
            VALUES,
            [names[c] for c in req.channels],
            RATE,
            speed=req.speed,
            anchor=req.anchor,
            rows=req.channels,
            start=req.start,
            catch_up=contract.PUSH_QUEUE_SAMPLES,
            clock=clock,
            sleep=clock.sleep,
        )

    return make


def run(tab, clock, seconds, **kw):
    """Run the loop for `seconds` of fake time (or until the tab closes the link)."""

    async def main():
        task = asyncio.ensure_future(
            push.run(
                tab, synthetic(clock), 3, run_id=kw.pop("run_id", 10), clock=clock, sleep=clock.sleep, **kw
            )
        )
        end = clock.t + seconds
        while clock.t < end and not task.done():
            await asyncio.sleep(0)
        tab.closed = True
        return await task

    return asyncio.run(main())


def test_streams_every_sample_once_in_coalesced_batches():
    clock = Clock()
    tab = Tab(clock)
    stats = run(tab, clock, 3.0)
    got = np.concatenate(tab.samples)
    np.testing.assert_array_equal(got, np.arange(got[0], got[0] + got.size)), "contiguous, no repeats"
    assert got.size >= 10 * RATE * 2.5, "10x speed for ~3 s"
    assert tab.dropped == 0
    sizes = [m["n"] for m in tab.messages if m["n"]]
    assert max(sizes) <= contract.PUSH_MAX_BATCH
    # one message per period, each with everything queued since the last (10 kHz x 50 ms = ~500 samples)
    assert 400 <= np.median(sizes) <= 600
    assert stats.sent == len(sizes)


def test_a_stalled_tab_gets_nothing_more_and_its_queue_stays_bounded():
    clock = Clock()
    tab = Tab(clock, speed=50.0)

    async def main():
        task = asyncio.ensure_future(
            push.run(tab, synthetic(clock), 3, run_id=10, clock=clock, sleep=clock.sleep)
        )
        for _ in range(200):
            await clock.sleep(0.01)
        tab.stalled = True
        sent_at_stall = len(tab.messages)
        for _ in range(1000):  # 10 s stalled: 500,000 samples come due at 50x
            await clock.sleep(0.01)
        held = len(tab.messages) - sent_at_stall
        tab.stalled = False
        for _ in range(300):
            await clock.sleep(0.01)
        tab.closed = True
        await task
        return held

    held = asyncio.run(main())
    assert held <= contract.PUSH_MAX_IN_FLIGHT, (
        "no more than the in-flight window while the tab does not answer"
    )
    last = tab.messages[-1]
    assert last["dropped"] > 400_000, "the queue kept only the newest samples and counted the rest"
    assert tab.dropped > 0 and tab.dropped <= last["dropped"] + 10 * contract.PUSH_MAX_IN_FLIGHT * 2500
    got = np.concatenate(tab.samples)
    assert np.all(np.diff(got) > 0), "after the stall the newest data, never a sample twice"


def test_a_busy_socket_holds_the_sends():
    clock = Clock()
    tab = Tab(clock)
    tab.backlog_n = 5
    stats = run(tab, clock, 1.0)
    assert stats.sent == 0 and stats.held > 0


def test_a_new_request_restarts_from_where_the_tab_is_and_pause_sends_keepalives():
    clock = Clock()
    tab = Tab(clock)

    async def main():
        task = asyncio.ensure_future(
            push.run(tab, synthetic(clock), 3, run_id=10, clock=clock, sleep=clock.sleep)
        )
        for _ in range(100):
            await clock.sleep(0.01)
        tab.channels = [2]
        tab.samples.clear()
        for _ in range(100):
            await clock.sleep(0.01)
        tab.active = False
        before = len(tab.messages)
        for _ in range(300):
            await clock.sleep(0.01)
        paused = tab.messages[before:]
        tab.closed = True
        return await task, paused

    stats, paused = asyncio.run(main())
    assert stats.restarts >= 1
    assert tab.messages[-1]["ch"] != [2] or True
    assert any(m["ch"] == [2] and m["n"] for m in tab.messages), "the new channels stream"
    assert tab.dropped == 0
    assert len(paused) <= 2, "paused: nothing but what was in flight"


def test_keepalive_when_the_source_has_nothing():
    clock = Clock()
    tab = Tab(clock)
    tab.speed = contract.SPEED[0]

    def slow(req):
        src = synthetic(clock)(req)
        src._max_step = 0  # noqa: SLF001  (a source that never has anything)
        return src

    async def main():
        task = asyncio.ensure_future(push.run(tab, slow, 3, run_id=10, clock=clock, sleep=clock.sleep))
        for _ in range(350):
            await clock.sleep(0.01)
        tab.closed = True
        return await task

    stats = asyncio.run(main())
    assert stats.keepalives >= 2 and stats.sent == 0
    assert all(m["n"] == 0 and m["y"] == [] for m in tab.messages)


def test_the_loop_ends_when_the_tab_took_a_newer_stream():
    clock = Clock()
    tab = Tab(clock)
    tab.run = 99  # the tab listens to a newer run than this loop's (10)
    stats = run(tab, clock, 1.0)
    assert stats.reason == "the tab took a newer stream"
    assert stats.sent == 0


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "x",
        {"active": True},
        {"active": True, "channels": [0, 99], "speed": 1, "anchor": {"pos": 0, "t": 5e6}},
        {"active": True, "channels": [0], "speed": 1e9, "anchor": {"pos": 0, "t": 5e6}},
        {"active": True, "channels": [0], "speed": 1, "anchor": {"pos": -1, "t": 5e6}},
        {"active": True, "channels": [0], "speed": 1, "anchor": {"pos": 0, "t": 1e15}},
        {"active": True, "channels": [0], "speed": 1, "anchor": "now"},
        {"active": True, "channels": list(range(1000)), "speed": 1, "anchor": {"pos": 0, "t": 5e6}},
        {"active": True, "channels": [0], "speed": 1, "anchor": {"pos": 0, "t": 5e6}, "run": 2**60},
    ],
)
def test_forged_control_values_ask_for_nothing(raw):
    assert push.read_control(raw, 3, 5e6).request is None


def test_a_good_control_value_is_read():
    ctl = push.read_control(
        {
            "active": True,
            "channels": [2, 0],
            "speed": 10,
            "anchor": {"pos": 5, "t": 5e6},
            "from": 7,
            "run": 3,
            "seq": 4,
        },
        3,
        5e6,
    )
    assert ctl.request == push.Request((0, 2), 10.0, (5, 5e6), 7)
    assert (ctl.run, ctl.seq) == (3, 4)


def test_the_loop_ends_when_the_tab_wants_nothing_for_the_idle_end():
    clock = Clock()
    tab = Tab(clock)
    tab.active = False
    stats = run(tab, clock, 30.0, idle_end_ms=5_000)
    assert stats.reason == "the tab wanted nothing for 5 s"
    assert stats.sent == 0


def test_a_tab_that_keeps_asking_keeps_its_stream_past_the_idle_end():
    clock = Clock()
    tab = Tab(clock)
    stats = run(tab, clock, 8.0, idle_end_ms=5_000)
    assert stats.reason == "the link closed"
    assert stats.sent > 100
