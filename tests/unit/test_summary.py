"""Block-summary analytics equal plain numpy on the raw window, for windows that wrap and loop many times."""

from __future__ import annotations

import numpy as np
import pytest

from app import analytics, contract, summary

RNG = np.random.default_rng(3)
DATA = RNG.normal(0, 1, (3, 1_050)).astype(np.float32)  # a length that is not a multiple of the block
BLOCKS = summary.build(DATA, block=100)


@pytest.mark.parametrize(
    ("head", "window"),
    [
        (1, 1),
        (7, 7),  # fewer samples than an FFT needs: no dominant frequency
        (8, 8),
        (50, 500),
        (1_000, 1_000),
        (1_049, 300),
        (1_100, 200),
        (5_000, 4_321),
        (10**15, 7_777),
        (99, 100),
    ],
)
def test_window_stats_equal_numpy_on_the_raw_window(head, window):
    rows = summary.window_stats(DATA, BLOCKS, head, window, [2, 0], rate=100)
    _, raw = analytics.window_slice(DATA, head, window)
    want = analytics.channel_stats(raw[[2, 0]], 100, channels=[2, 0])
    for got, ref in zip(rows, want, strict=True):
        assert got["channel"] == ref["channel"] and got["n"] == ref["n"]
        assert (got["min"], got["max"]) == (ref["min"], ref["max"]), "extremes are exact"
        assert got["mean"] == pytest.approx(ref["mean"], rel=1e-9, abs=1e-12)
        assert got["rms"] == pytest.approx(ref["rms"], rel=1e-9)
        if ref["n"] <= 16_384:
            assert got["dominant_hz"] == ref["dominant_hz"]


def test_a_constant_window_has_no_dominant_frequency_and_a_sine_has_its_own():
    t = np.arange(2_000) / 1_000
    data = np.vstack([np.full(2_000, 3.5), np.sin(2 * np.pi * 50 * t), np.zeros(2_000)]).astype(np.float32)
    rows = summary.window_stats(data, summary.build(data), 2_000, 2_000, [0, 1, 2], rate=1_000)
    assert [r["dominant_hz"] for r in rows] == [0.0, 50.0, 0.0]


def test_crossings_are_the_newest_and_bounded():
    head, window = 3_000, 2_500
    found, scanned = summary.crossings(
        DATA, head, window, {0: 0.0, 1: 0.5}, 100, ["a", "b", "c"], limit=7, scan=10**6
    )
    idx, raw = analytics.window_slice(DATA, head, window)
    ref = analytics.threshold_crossings(idx, raw, {0: 0.0, 1: 0.5}, 100, ["a", "b", "c"], limit=7)
    assert scanned == window and found == ref and len(found) == 7
    part, scanned = summary.crossings(DATA, head, window, {0: 0.0}, 100, ["a", "b", "c"], limit=50, scan=400)
    assert scanned == 400 and all(hit["t"] >= (head - 400) / 100 for hit in part)


def test_a_wide_windows_dominant_frequency_comes_from_a_decimated_slice_at_the_same_resolution():
    rate, n = 1000, 120_000
    t = np.arange(n) / rate
    rng = np.random.default_rng(9)
    signal = np.vstack(
        [np.sin(2 * np.pi * 7.3 * t), 0.5 * np.sin(2 * np.pi * 41.0 * t) + 0.1 * rng.normal(size=n)]
    ).astype(np.float32)
    blocks = summary.build(signal)
    rows = summary.window_stats(signal, blocks, n, 100_000, [0, 1], rate)
    fft_n = contract.FFT_MAX_SAMPLES
    exact = analytics.dominant_frequencies(signal[:, n - fft_n :], rate)  # the raw newest slice
    for row, ref in zip(rows, exact, strict=True):
        assert row["dominant_hz"] == pytest.approx(ref, abs=rate / fft_n), "same bins, same peak"
    assert [round(r["dominant_hz"]) for r in rows] == [7, 41]


@pytest.mark.parametrize("k", [1, 2, 4, 5])
def test_group_means_are_numpys_mean_of_each_group(k):
    data = (RNG.normal(0, 1, (3, 60 * k)) * np.array([[1.0], [1e-30], [1e30]])).astype(np.float32)
    data[0, :4] = [1e30, 1.0, -1e30, 1.0]  # magnitudes far apart: the order of the additions matters
    want = data.astype(np.float64).reshape(3, -1, k).mean(axis=2)
    assert np.array_equal(summary._group_means(data, k), want)


@pytest.mark.parametrize(
    ("head", "window"), [(1_000, 1_000), (1_049, 300), (5_017, 4_321), (10**15 + 3, 777), (60, 50)]
)
def test_a_shared_dominant_frequency_is_the_grid_slices_and_the_stats_stay_the_windows(head, window):
    asked = []

    def dominant_of(end, n, decimate):
        asked.append((end, n, decimate))
        return summary.slice_dominant(DATA, end, n, 100, decimate)

    rows = summary.window_stats(DATA, BLOCKS, head, window, [2, 0], rate=100, dominant_of=dominant_of)
    _, raw = analytics.window_slice(DATA, head, window)
    want = analytics.channel_stats(raw[[2, 0]], 100, channels=[2, 0])
    (end, n, decimate), grid = asked[0], max(1, window // summary.GRID_PARTS)
    assert len(asked) == 1 and n == window and not decimate
    assert end == head - head % grid and head - grid < end <= head, "the grid point at or before the head"
    _, part = analytics.window_slice(DATA, end, n)
    slice_ref = analytics.channel_stats(part[[2, 0]], 100, channels=[2, 0])
    for got, ref, dom in zip(rows, want, slice_ref, strict=True):
        assert (got["min"], got["max"]) == (ref["min"], ref["max"]), "the window's own extremes"
        assert got["mean"] == pytest.approx(ref["mean"], rel=1e-9, abs=1e-12)
        assert got["rms"] == pytest.approx(ref["rms"], rel=1e-9)
        assert got["dominant_hz"] == dom["dominant_hz"], "numpy's on the grid slice of the same length"


def test_the_grid_slice_never_starts_before_sample_0_and_a_wide_window_is_decimated():
    assert summary.grid_end(1_010, 1_000) == 1_000 and summary.grid_end(999, 1_000) == 999
    assert summary.grid_end(1_000, 2_000) == 1_000, "too early for a whole slice on the grid: the head itself"
    asked = []
    summary.window_stats(
        DATA, BLOCKS, 10**6 + 7, 20_000, [1], 100, dominant_of=lambda *a: asked.append(a) or [0.0] * 3
    )
    n = contract.FFT_MAX_SAMPLES
    assert asked == [(10**6 + 7 - (10**6 + 7) % (n // summary.GRID_PARTS), n, True)]


CELL_DATA = RNG.normal(5, 3, (3, 1_000)).astype(np.float32)  # 20 cells of 50 samples


@pytest.mark.parametrize(
    ("head", "window"),
    [
        (1_000, 1_000),  # the whole data
        (600, 500),
        (1_100, 300),  # wraps the end of the data
        (10**12 + 250, 1_000),  # the whole data, wrapping, far on
        (1_150, 950),  # 19 cells, wrapping
        (50, 50),
    ],
)
def test_grid_windows_from_cells_equal_numpy_on_the_raw_window(head, window):
    cells = summary.build_cells(CELL_DATA, 50)
    blocks = summary.build(CELL_DATA, block=100)
    dominant = lambda end, n, decimate: [1.0, 2.0, 3.0]  # noqa: E731 (the FFT is not the cells' business)
    rows = summary.window_stats(
        CELL_DATA, blocks, head, window, [2, 0], 100, dominant_of=dominant, cells=cells
    )
    _, raw = analytics.window_slice(CELL_DATA, head, window)
    want = analytics.channel_stats(raw[[2, 0]], 100, channels=[2, 0])
    for got, ref in zip(rows, want, strict=True):
        assert got["n"] == ref["n"] == window
        assert (got["min"], got["max"]) == (ref["min"], ref["max"]), "extremes are exact"
        assert got["mean"] == pytest.approx(ref["mean"], rel=1e-12)
        assert got["rms"] == pytest.approx(ref["rms"], rel=1e-12)
    assert [r["dominant_hz"] for r in rows] == [3.0, 1.0]
    assert summary.cell_stats(cells, head - window, window, [2, 0]) is not None, "taken from the cells"


def test_windows_off_the_grid_or_too_wide_are_not_read_from_cells():
    cells = summary.build_cells(CELL_DATA, 50)
    assert summary.cell_stats(cells, 25, 500, [0]) is None, "starts between grid points"
    assert summary.cell_stats(cells, 0, 510, [0]) is None, "not whole cells"
    assert summary.cell_stats(cells, 0, 50 * (summary.MAX_CELLS + 1), [0]) is None, "too many cells"
    assert summary.cell_stats(cells, 0, 0, [0]) is None
    assert summary.cell_stats(cells, 0, 1_050, [0]) is None, "more than the whole data: the blocks loop it"


def test_cells_are_not_built_where_they_would_not_be_numpys_numbers_or_would_be_too_many():
    assert summary.build_cells(CELL_DATA, 30) is None, "1,000 samples are not whole cells of 30"
    gaps = CELL_DATA.copy()
    gaps[1, 17] = np.nan
    assert summary.build_cells(gaps, 50) is None, "NaN: Python's min would not propagate it as numpy does"
    wide = np.zeros((4, summary.CELLS_LIMIT * 2), dtype=np.float32)
    assert summary.build_cells(wide, 2) is None, "more cells than the limit"
    assert summary.build_cells(CELL_DATA, 1) is None


TABLE_DATA = RNG.normal(0, 1, (2, 1_200)).astype(np.float32) + np.sin(np.arange(1_200) / 3).astype(np.float32)


@pytest.mark.parametrize(("n", "decimate"), [(400, False), (200, False), (400, True)])
def test_a_slice_table_holds_what_slice_dominant_gives_for_every_grid_end(n, decimate):
    table = summary.slice_table(TABLE_DATA, n, 100, decimate, work=10**9)
    assert table.step == n // summary.GRID_PARTS
    ends = range(0, TABLE_DATA.shape[1], table.step)
    assert len(table.by_channel[0]) == len(ends)
    for end in ends:  # the first slices wrap the end of the data, as a looping tab's do
        assert table.at(end) == summary.slice_dominant(TABLE_DATA, end, n, 100, decimate), end
    assert table.at(table.step + 1) is None, "off the grid: computed, not looked up"


def test_a_slice_table_is_not_built_where_it_does_not_apply_or_costs_more_than_its_work():
    assert summary.slice_table(TABLE_DATA, 460, 100, False, work=10**9) is None, (
        "1,200 is not whole steps of 23"
    )
    assert summary.slice_table(TABLE_DATA[:, :300], 400, 100, False, work=10**9) is None, (
        "shorter than a slice"
    )
    assert summary.slice_table(TABLE_DATA, 4, 100, False, work=10**9) is None, "too short for an FFT"
    work = 2 * (1_200 // 20) * 400  # channels x slices x samples
    assert summary.slice_table(TABLE_DATA, 400, 100, False, work=work) is not None
    assert summary.slice_table(TABLE_DATA, 400, 100, False, work=work - 1) is None
