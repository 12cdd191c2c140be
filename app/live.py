"""Live sources: data that does not exist yet (a sensor, a feed, a process), yielded in numbered batches.

A live source is any object with `names` (one per channel), `rate` (samples per second per channel) and
`batches()`, an async iterator of `Batch`es: consecutive runs of samples for every channel, numbered by the
source's own counter (`start`), stamped with the wall-clock time the newest sample was produced. A gap in the
numbering means the source lost samples; the push path counts it, it never hides it.

Built in: `SyntheticSource`, the built-in dataset (app/data.py) produced in real time at a replay speed, and
`from_iterable`, which turns a user's generator (sync or async, one array per step) into a source. Between a
source and a socket sits a `SampleQueue`: bounded, newest-wins, counting what it drops, and coalescing what is
queued into one batch per send (see app/push.py).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

DTYPE = np.dtype("<f4")


@dataclass(frozen=True)
class Batch:
    """Samples [start, start + n) of every channel: `values` is (channels, n) float32; `t_ms` is the epoch ms
    at which the newest of them was produced (the data-to-paint latency is measured from it), `dt_ms` the time
    between two samples' production (1000 / rate at the source's pace), so every sample's time is known."""

    start: int
    values: np.ndarray
    t_ms: float
    dt_ms: float = 0.0

    @property
    def n(self) -> int:
        """Samples per channel in the batch."""
        return int(self.values.shape[1])

    @property
    def end(self) -> int:
        """Index after the batch's last sample."""
        return self.start + self.n


@runtime_checkable
class LiveSource(Protocol):
    """What the push path needs from a source: channel names, its sample rate, and the batches as they come."""

    names: Sequence[str]
    rate: float

    def batches(self) -> AsyncIterator[Batch]:
        """New samples as they are produced, in order; `start` numbers them (a gap = samples lost)."""
        ...


def as_block(item, channels: int) -> np.ndarray:
    """One step of a user's iterable as a (channels, n) float32 block: a (channels, n) or (channels,) array,
    or, for one channel, a 1-D run of samples. Raises ValueError naming the shape when it is neither."""
    block = np.asarray(item, dtype=DTYPE)
    if block.ndim == 1 and channels == 1:
        block = block[np.newaxis, :]
    elif block.ndim == 1 and block.shape[0] == channels:
        block = block[:, np.newaxis]
    if block.ndim != 2 or block.shape[0] != channels:
        raise ValueError(f"a live source step has shape {np.shape(item)}; expected ({channels}, n) samples")
    return block


class IterableSource:
    """A source built from a user's iterable (see `from_iterable`); sync iterables are read off the event loop."""

    def __init__(
        self, items, names: Sequence[str], rate: float, start: int = 0, clock: Callable[[], float] = time.time
    ):
        if not names:
            raise ValueError("a live source needs at least one channel name")
        if not (rate > 0 and np.isfinite(rate)):
            raise ValueError(
                f"a live source's rate must be a positive number of samples per second, got {rate!r}"
            )
        self.names = list(names)
        self.rate = float(rate)
        self._items = items
        self._clock = clock
        self.start = int(start)

    async def batches(self) -> AsyncIterator[Batch]:
        """Number the steps as they come (from `start`) and stamp each with the time it arrived."""
        start = self.start
        async for item in self._steps():
            block = as_block(item, len(self.names))
            if block.shape[1] == 0:
                continue
            yield Batch(start, block, self._clock() * 1000, 1000 / self.rate)
            start += block.shape[1]

    async def _steps(self):
        if isinstance(self._items, AsyncIterable):
            async for item in self._items:
                yield item
            return
        it = iter(self._items)
        done = object()
        while True:  # a blocking read (a serial port, a socket) must not hold up the other tabs' sockets
            item = await asyncio.to_thread(next, it, done)
            if item is done:
                return
            yield item


def from_iterable(
    items: Iterable | AsyncIterable,
    names: Sequence[str],
    rate: float,
    start: int = 0,
    clock: Callable[[], float] = time.time,
) -> IterableSource:
    """A live source from a generator yielding (channels, n) blocks (or 1-D runs for one channel), numbered
    from `start` (pass the request's `start`, so a tab that reconnects sees the new stream carry on)."""
    return IterableSource(items, names, rate, start, clock)


class SyntheticSource:
    """The built-in dataset (its channels `rows`) produced in real time: sample i comes due at `anchor_ms + (i - anchor_pos) /
    (rate * speed)` seconds, looping over the data. The anchor comes from the tab, so a new connection (after
    a restart, on any server) resumes where the tab left off: the samples due while it was away come at once,
    bounded by the queue they go into."""

    def __init__(
        self,
        values: np.ndarray,
        names: Sequence[str],
        rate: int,
        *,
        speed: float = 1.0,
        start: int = 0,
        anchor: tuple[int, float] | None = None,
        rows: Sequence[int] | None = None,
        catch_up: int | None = None,
        step_ms: float = 10.0,
        max_step: int = 100_000,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], object] = asyncio.sleep,
    ):
        if values.ndim != 2 or values.shape[1] == 0:
            raise ValueError("the synthetic source needs a (channels, samples) array")
        self.rows = list(range(values.shape[0])) if rows is None else [int(r) for r in rows]
        if len(names) != len(self.rows):
            raise ValueError(f"{len(names)} names for {len(self.rows)} channels")
        self.names = list(names)
        self.rate = float(rate)
        self.speed = float(speed)
        self._values = values
        self._clock = clock
        self._sleep = sleep
        self._step_s = step_ms / 1000
        self._max_step = int(max_step)
        now_ms = clock() * 1000
        self.anchor = (int(anchor[0]), float(anchor[1])) if anchor else (int(start), now_ms)
        # resuming far behind the clock: start `catch_up` samples before it (the ones skipped show as a gap)
        self.start = int(start) if catch_up is None else max(int(start), self.due_end(now_ms) - int(catch_up))

    @property
    def dt_ms(self) -> float:
        """Milliseconds between two samples coming due."""
        return 1000 / (self.rate * self.speed)

    def due_end(self, now_ms: float) -> int:
        """Index after the last sample due at `now_ms` on the anchored clock."""
        pos, t = self.anchor
        return pos + int(max(0.0, now_ms - t) * self.rate * self.speed / 1000)

    def produced_ms(self, index: int) -> float:
        """Epoch ms at which sample `index` came due."""
        pos, t = self.anchor
        return t + (index - pos) * 1000 / (self.rate * self.speed)

    def take(self, start: int, end: int) -> np.ndarray:
        """Samples [start, end) of every channel, looping over the data."""
        idx = np.arange(start, end, dtype=np.int64) % self._values.shape[1]
        return self._values.take(idx, axis=1)[self.rows]

    async def batches(self) -> AsyncIterator[Batch]:
        """Every `step_ms`, the samples that came due since the last step (at most `max_step` at a time)."""
        start = self.start
        while True:
            end = min(self.due_end(self._clock() * 1000), start + self._max_step)
            if end > start:
                yield Batch(start, self.take(start, end), self.produced_ms(end - 1), self.dt_ms)
                start = end
            await self._sleep(self._step_s)


class SampleQueue:
    """The per-client queue between a source and its socket: bounded to `cap` samples per channel, newest wins.

    `put` appends a batch (a gap before it is counted as `lost`, samples the source never delivered); past the
    cap the oldest samples are dropped and counted as `dropped`. `take` coalesces everything queued into one
    batch, so a socket that fell behind sends one message, not a backlog.
    """

    def __init__(self, channels: int, cap: int):
        if cap < 1:
            raise ValueError("the queue must hold at least one sample")
        self.channels = channels
        self.cap = int(cap)
        self._parts: deque[Batch] = deque()
        self.size = 0
        self.dropped = 0
        self.lost = 0
        self._end: int | None = None

    def put(self, batch: Batch) -> None:
        """Queue a batch; drop the oldest samples past the cap; count gaps and overlaps (overlaps are cut)."""
        if batch.values.shape[0] != self.channels:
            raise ValueError(f"batch has {batch.values.shape[0]} channels; the queue carries {self.channels}")
        if self._end is not None and batch.start < self._end:  # overlap: keep only what is new
            cut = self._end - batch.start
            if cut >= batch.n:
                return
            batch = Batch(self._end, batch.values[:, cut:], batch.t_ms, batch.dt_ms)
        if self._end is not None and batch.start > self._end:
            self.lost += batch.start - self._end
        self._end = batch.end
        self._parts.append(batch)
        self.size += batch.n
        while self.size > self.cap:
            over = self.size - self.cap
            head = self._parts[0]
            if head.n <= over:
                self._parts.popleft()
                self.size -= head.n
                self.dropped += head.n
            else:
                self._parts[0] = Batch(head.start + over, head.values[:, over:], head.t_ms, head.dt_ms)
                self.size -= over
                self.dropped += over

    def take(self, limit: int | None = None) -> Batch | None:
        """The oldest contiguous run queued (at most `limit` samples) as one batch, or None when empty; a gap
        the source left stays a gap (the next take starts after it)."""
        if not self._parts:
            return None
        limit = self.cap if limit is None else max(1, int(limit))
        run: list[Batch] = []
        taken = 0
        while self._parts and taken < limit:
            part = self._parts[0]
            if run and part.start != run[-1].end:
                break
            if taken + part.n > limit:  # split: the rest stays queued
                keep = limit - taken
                newest = (
                    part.t_ms - (part.n - keep) * part.dt_ms
                )  # production time of the piece's last sample
                run.append(Batch(part.start, part.values[:, :keep], newest, part.dt_ms))
                self._parts[0] = Batch(part.start + keep, part.values[:, keep:], part.t_ms, part.dt_ms)
                taken += keep
                break
            run.append(self._parts.popleft())
            taken += part.n
        self.size -= taken
        values = run[0].values if len(run) == 1 else np.concatenate([p.values for p in run], axis=1)
        return Batch(run[0].start, values, run[-1].t_ms, run[-1].dt_ms)
