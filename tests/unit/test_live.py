"""Live sources (app/live.py): the interface, the synthetic source's pacing and resume, the bounded queue."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from app import data
from app.live import Batch, LiveSource, SampleQueue, SyntheticSource, as_block, from_iterable


class FakeClock:
    """Wall-clock seconds that only move when the fake sleep is awaited."""

    def __init__(self, t: float = 1_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += seconds


def collect(source, count: int) -> list[Batch]:
    """The first `count` batches of a source."""

    async def run():
        out = []
        async for batch in source.batches():
            out.append(batch)
            if len(out) == count:
                return out
        return out

    return asyncio.run(run())


def batch(start: int, n: int, channels: int = 2, t: float = 0.0) -> Batch:
    """A batch whose values are the sample indices (so order and loss are visible)."""
    values = np.tile(np.arange(start, start + n, dtype="<f4"), (channels, 1))
    return Batch(start, values, t, 1.0)


def test_sources_satisfy_the_interface():
    values = data.generate(2, 100, 2)
    assert isinstance(SyntheticSource(values, ["a", "b"], 100), LiveSource)
    assert isinstance(from_iterable([], ["a"], 10), LiveSource)


def test_synthetic_source_yields_the_dataset_in_real_time_at_its_speed():
    values = data.generate(3, 1000, 2)
    clock = FakeClock()
    src = SyntheticSource(values, ["a", "c"], 1000, speed=10, rows=[0, 2], clock=clock, sleep=clock.sleep)
    batches = collect(src, 20)
    starts = [b.start for b in batches]
    assert starts[0] == 0
    assert all(b.start == a.end for a, b in zip(batches, batches[1:], strict=False)), "contiguous, no repeats"
    # 10x of 1 kHz for the 10 ms steps: 100 samples a step, taken from rows 0 and 2, looping over the data
    assert batches[5].n == 100
    end = batches[-1].end
    assert end == pytest.approx((clock.t - 1000.0) * 10_000, abs=101)
    want = values[[0, 2]][:, np.arange(0, end) % values.shape[1]]
    got = np.concatenate([b.values for b in batches], axis=1)
    np.testing.assert_array_equal(got, want)
    # each batch is stamped with the time its newest sample came due
    assert batches[3].t_ms == pytest.approx(src.produced_ms(batches[3].end - 1))
    assert batches[3].dt_ms == pytest.approx(0.1)


def test_synthetic_source_resumes_from_the_tabs_position_with_a_bounded_catch_up():
    values = data.generate(1, 1000, 2)
    clock = FakeClock(2_000.0)
    anchor = (0, 1_000_000.0)  # sample 0 came due 1000 s ago: 1,000,000 samples are due now
    src = SyntheticSource(
        values, ["a"], 1000, anchor=anchor, start=500, catch_up=5_000, clock=clock, sleep=clock.sleep
    )
    assert src.start == 1_000_000 - 5_000, "far behind: start a catch-up's worth before the clock"
    near = SyntheticSource(
        values, ["a"], 1000, anchor=anchor, start=999_000, catch_up=5_000, clock=clock, sleep=clock.sleep
    )
    assert near.start == 999_000, "close behind: resume exactly where the tab is"
    first = collect(near, 1)[0]
    assert first.start == 999_000 and first.end == 1_000_000, "what came due while away comes at once"


def test_iterable_source_numbers_steps_and_accepts_sync_and_async_generators():
    def gen():
        yield np.ones((2, 3))
        yield np.zeros((2, 0))  # an empty step is skipped
        yield [[5.0], [6.0]]

    async def agen():
        for k in range(3):
            yield np.full(4, k)  # one channel: a 1-D run of samples

    sync = collect(from_iterable(gen(), ["a", "b"], 100, start=40), 5)
    assert [(b.start, b.n) for b in sync] == [(40, 3), (43, 1)]
    assert sync[0].dt_ms == pytest.approx(10.0)
    one = collect(from_iterable(agen(), ["x"], 4), 5)
    assert [(b.start, b.n) for b in one] == [(0, 4), (4, 4), (8, 4)]


def test_a_step_of_the_wrong_shape_is_refused_with_its_shape():
    with pytest.raises(ValueError, match=r"shape \(3, 2\)"):
        as_block(np.zeros((3, 2)), 2)
    with pytest.raises(ValueError, match="rate"):
        from_iterable([], ["a"], 0)


def test_queue_is_bounded_newest_wins_and_counts_drops():
    q = SampleQueue(2, cap=250)
    for k in range(10):
        q.put(batch(k * 100, 100))
    assert q.size == 250 and q.dropped == 750
    out = q.take()
    assert (out.start, out.n) == (750, 250), "the newest samples, contiguous"
    np.testing.assert_array_equal(out.values[0], np.arange(750, 1000))
    assert q.take() is None and q.size == 0


def test_queue_coalesces_into_one_batch_and_splits_at_the_limit():
    q = SampleQueue(2, cap=10_000)
    for k in range(5):
        q.put(batch(k * 10, 10, t=float(k)))
    first = q.take(limit=23)
    assert (first.start, first.n) == (0, 23)
    assert first.t_ms == pytest.approx(2.0 - 7 * 1.0), "a split piece is stamped with its own newest sample"
    rest = q.take()
    assert (rest.start, rest.n) == (23, 27) and rest.t_ms == 4.0
    np.testing.assert_array_equal(np.concatenate([first.values, rest.values], axis=1)[1], np.arange(50))


def test_queue_cuts_overlaps_and_counts_source_gaps():
    q = SampleQueue(1, cap=1000)
    q.put(batch(0, 10, channels=1))
    q.put(batch(5, 10, channels=1))  # 5..9 again: only 10..14 is new
    q.put(batch(20, 5, channels=1))  # 15..19 never came
    assert q.lost == 5 and q.dropped == 0
    a = q.take()
    assert (a.start, a.n) == (0, 15), "one contiguous run per take; the gap stays a gap"
    b = q.take()
    assert (b.start, b.n) == (20, 5)
    with pytest.raises(ValueError, match="channels"):
        q.put(batch(25, 1, channels=2))
