"""Window analytics at a bounded cost, whatever the window: per-block summaries built once per worker.

A bridge sample may ask for a 1,000,000-point window of 16 channels. Reading every sample of it would cost
the server tens of milliseconds per call, so min, max, mean and RMS come from per-block summaries
(min, max, sum and sum of squares of every `contract.BLOCK` samples, computed once per process) plus at
most two partial blocks of raw samples at each edge: exact, at O(window / BLOCK) work. The dominant
frequency is found on the newest `contract.FFT_MAX_SAMPLES` samples (of a wider window: averaged in groups of
`contract.FFT_DECIMATE`, a quarter of the FFT at the same frequency resolution), and threshold crossings on the
newest `scan` samples; both say when they looked at less than the whole window.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import analytics, contract

DIRECT_BLOCKS = 4  # a window of at most this many blocks is read raw: cheaper than joining edges and blocks
GRID_PARTS = 20  # a shared dominant frequency's slice ends on a grid of 1/20 of its length (window_stats)

# dominant_of(end, n, decimate): the dominant frequency (Hz) of every channel over samples [end - n, end), the
# slice decimated by FFT_DECIMATE when `decimate` (slice_dominant computes it; a caller may look it up)
DominantOf = Callable[[int, int, bool], "list[float] | tuple[float, ...]"]


@dataclass(frozen=True)
class Blocks:
    """Per-block summaries of a (channels, length) array: one column per whole block of BLOCK samples."""

    block: int
    mins: np.ndarray
    maxs: np.ndarray
    sums: np.ndarray
    sqs: np.ndarray
    total: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # min, max, sum, sum of squares of all


def build(values: np.ndarray, block: int = contract.BLOCK) -> Blocks:
    """Summaries of every whole block of `values` (the remainder is read raw when asked for)."""
    channels, length = values.shape
    nb = length // block
    out = {k: np.empty((channels, nb)) for k in ("min", "max", "sum", "sq")}
    total = {k: np.empty(channels) for k in ("min", "max", "sum", "sq")}
    for c in range(channels):  # one channel at a time: float64 copies of one row, not of the whole dataset
        x = values[c].astype(np.float64)
        shaped = x[: nb * block].reshape(nb, block)
        out["min"][c], out["max"][c] = shaped.min(axis=1), shaped.max(axis=1)
        out["sum"][c], out["sq"][c] = shaped.sum(axis=1), (shaped * shaped).sum(axis=1)
        total["min"][c], total["max"][c], total["sum"][c], total["sq"][c] = (
            x.min(),
            x.max(),
            x.sum(),
            (x * x).sum(),
        )
    return Blocks(
        block,
        out["min"],
        out["max"],
        out["sum"],
        out["sq"],
        (total["min"], total["max"], total["sum"], total["sq"]),
    )


MAX_CELLS = 64  # a window of at most this many grid cells is summed from the cells, with no numpy call
CELLS_LIMIT = (
    50_000  # cells (per statistic, all channels) a dataset's grid may have to be summarised this way
)


@dataclass(frozen=True)
class Cells:
    """Per-cell min, max, sum and sum of squares of every `cell` samples, as Python floats (a list per channel).

    A playing tab's window starts and ends on a grid (app/bridge_analysis.py analysed_head): its statistics are then a
    min, a max and two exactly rounded sums (math.fsum) over a few dozen cells, plain Python on lists. Inside a
    request each numpy call costs several times its tight-loop time; four reductions of the raw window cost more
    than this. Built once per worker for a dataset and a grid (only when the data's length is whole cells)."""

    cell: int
    length: int
    mins: tuple[list[float], ...]
    maxs: tuple[list[float], ...]
    sums: tuple[list[float], ...]
    sqs: tuple[list[float], ...]


def build_cells(values: np.ndarray, cell: int) -> Cells | None:
    """Cells of `cell` samples over the whole data, or None when the length is not whole cells or they would
    be more than CELLS_LIMIT (the raw window is read instead)."""
    channels, length = values.shape
    if cell < 2 or length % cell or channels * (length // cell) > CELLS_LIMIT:
        return None
    if np.isnan(values).any():  # gaps: Python's min and max do not propagate NaN as numpy does
        return None
    out: dict[str, list[list[float]]] = {k: [] for k in ("min", "max", "sum", "sq")}
    for c in range(channels):  # one channel's float64 copy at a time
        shaped = values[c].astype(np.float64).reshape(length // cell, cell)
        out["min"].append(shaped.min(axis=1).tolist())
        out["max"].append(shaped.max(axis=1).tolist())
        out["sum"].append(shaped.sum(axis=1).tolist())
        out["sq"].append(np.einsum("ij,ij->i", shaped, shaped).tolist())
    return Cells(cell, length, *(tuple(out[k]) for k in ("min", "max", "sum", "sq")))


def cell_stats(cells: Cells, start: int, n: int, rows: list[int]):
    """(mins, maxs, sums, sums of squares) per row of virtual window [start, start + n), or None when the window
    is not whole cells on the grid or spans more than MAX_CELLS of them. Min and max exact; the sums are the
    cells' float64 sums added with math.fsum (correctly rounded)."""
    cell = cells.cell
    if start % cell or n % cell or not 0 < n // cell <= MAX_CELLS:
        return None
    count, first = len(cells.mins[0]), (start % cells.length) // cell
    k = n // cell
    if k > count:  # the window holds the whole data more than once: the block summaries loop it
        return None
    if first + k <= count:
        pick = lambda col: col[first : first + k]  # noqa: E731
    else:  # the window wraps the end of the data (once: k <= count)
        pick = lambda col: col[first:] + col[: first + k - count]  # noqa: E731
    return (
        [min(pick(cells.mins[c])) for c in rows],
        [max(pick(cells.maxs[c])) for c in rows],
        [math.fsum(pick(cells.sums[c])) for c in rows],
        [math.fsum(pick(cells.sqs[c])) for c in rows],
    )


def _physical(values: np.ndarray, blocks: Blocks, rows: list[int], a: int, b: int, block: int):
    """(min, max, sum, sum of squares) per row over physical samples [a, b)."""
    pieces = []
    first, last = -(-a // block), b // block
    if first >= last:
        pieces.append(values[:, a:b][rows].astype(np.float64))
        blocks_part = None
    else:
        pieces.append(values[:, a : first * block][rows].astype(np.float64))
        pieces.append(values[:, last * block : b][rows].astype(np.float64))
        blocks_part = slice(first, last)
    raw = np.concatenate(pieces, axis=1)
    lo = [raw.min(axis=1)] if raw.shape[1] else []
    hi = [raw.max(axis=1)] if raw.shape[1] else []
    s, q = raw.sum(axis=1), (raw * raw).sum(axis=1)
    if blocks_part is not None:
        lo.append(blocks.mins[rows, blocks_part].min(axis=1))
        hi.append(blocks.maxs[rows, blocks_part].max(axis=1))
        s = s + blocks.sums[rows, blocks_part].sum(axis=1)
        q = q + blocks.sqs[rows, blocks_part].sum(axis=1)
    return np.min(lo, axis=0), np.max(hi, axis=0), s, q


def _from_blocks(values: np.ndarray, blocks: Blocks, start: int, n: int, rows: list[int]):
    """(min, max, sum, sum of squares) per row of virtual window [start, start + n), from the block summaries."""
    length = values.shape[1]
    block = blocks.block
    a = start % length
    first = min(n, length - a)
    parts = [_physical(values, blocks, rows, a, a + first, block)]
    rest = n - first
    loops, tail = divmod(rest, length)
    if loops:
        t_min, t_max, t_sum, t_sq = blocks.total
        parts.append((t_min[rows], t_max[rows], t_sum[rows] * loops, t_sq[rows] * loops))
    if tail:
        parts.append(_physical(values, blocks, rows, 0, tail, block))
    return (
        np.min([p[0] for p in parts], axis=0),
        np.max([p[1] for p in parts], axis=0),
        np.sum([p[2] for p in parts], axis=0),
        np.sum([p[3] for p in parts], axis=0),
    )


def window_stats(
    values: np.ndarray,
    blocks: Blocks,
    head: int,
    window: int,
    channels: list[int],
    rate: int,
    dominant_of: DominantOf | None = None,
    cells: Cells | None = None,
) -> list[dict[str, Any]]:
    """Per channel: n, min, max, mean, rms and dominant frequency (Hz) of virtual window [head-window, head).

    Equal to analytics.channel_stats on the raw window (min and max exactly, mean and RMS to rounding), at a
    cost that grows with window / BLOCK. The dominant frequency uses the raw window up to FFT_MAX_SAMPLES (exact,
    as numpy on the raw window); a wider window's newest FFT_MAX_SAMPLES samples averaged in groups of FFT_DECIMATE:
    the same frequency bins (rate / FFT_MAX_SAMPLES) up to rate / (2 * FFT_DECIMATE), at a quarter of the cost.

    With `dominant_of`, the dominant frequency is that of the same number of samples ending on a grid of
    1/GRID_PARTS of their count (`grid_end`: at most 5% older than the window's newest sample), every channel,
    from `dominant_of(end, n, decimate)`: windows of many tabs fall on the same grid slice, so a caller that
    remembers slices (app/bridge_analysis.py) computes each FFT once. The statistics are still the window's own.

    With `cells` (build_cells) and a window of whole cells on their grid, min, max and the sums come from the
    cells (cell_stats) with no numpy work on the raw window; the dominant frequency then needs `dominant_of`.
    """
    rows = list(channels)
    start = max(0, head - window)
    n = head - start
    if n == 0 or not rows:
        return analytics.channel_stats(np.zeros((len(rows), 0), dtype=np.float32), rate, channels=rows)
    fft_n = min(n, contract.FFT_MAX_SAMPLES)
    shared = None
    if dominant_of is not None:
        every = dominant_of(grid_end(head, fft_n), fft_n, n > fft_n)
        shared = [every[c] for c in rows]
    from_cells = cell_stats(cells, start, n, rows) if cells is not None and shared is not None else None
    if from_cells is not None:  # a playing tab's window on the grid: the cells, no numpy call
        mins, maxs, sums, sqs = from_cells
        dominant = shared
    elif n <= min(
        fft_n, DIRECT_BLOCKS * blocks.block
    ):  # a narrow window (the default): read once, stats + FFT
        newest = _newest(values, head, fft_n)  # all channels, at most FFT_MAX_SAMPLES each
        if rows != list(range(values.shape[0])):
            newest = newest[rows]
        # few numpy calls: inside a request each one costs several times what it does in a tight loop. The one
        # copy (float32 to float64 is exact) gives the stats, then is the FFT's input, in place
        x = newest.astype(np.float64)
        table = np.array([x.min(axis=1), x.max(axis=1), x.sum(axis=1), np.einsum("ij,ij->i", x, x)])
        mins, maxs, sums, sqs = table.tolist()
        if shared is not None:
            dominant = shared
        elif n >= analytics.MIN_FFT_SAMPLES:
            absmax = [max(-lo, hi) for lo, hi in zip(mins, maxs, strict=True)]
            dominant = analytics.dominant_in_place(x, rate, table[2] / n, absmax)
        else:
            dominant = [0.0] * len(rows)
    else:
        mins, maxs, sums, sqs = _from_blocks(values, blocks, start, n, rows)
        if shared is not None:
            dominant = shared
        elif n > fft_n:  # a wide window: a bounded, decimated slice (group means: a mild low-pass first)
            newest = _newest(values, head, fft_n)[rows]
            k = contract.FFT_DECIMATE
            dominant = analytics.dominant_frequencies(_group_means(newest, k), rate / k).tolist()
        else:
            dominant = analytics.dominant_frequencies(_newest(values, head, fft_n)[rows], rate).tolist()
        mins, maxs, sums, sqs = np.array([mins, maxs, sums, sqs], dtype=np.float64).tolist()
    # Python floats, one conversion per column (min and max exact, as float() of each element gives)
    n = int(n)
    return [
        {
            "channel": c,
            "n": n,
            "min": lo,
            "max": hi,
            "mean": total / n,
            "rms": math.sqrt(max(sq, 0.0) / n),
            "dominant_hz": hz,
        }
        for c, lo, hi, total, sq, hz in zip(rows, mins, maxs, sums, sqs, dominant, strict=True)
    ]


def grid_end(head: int, n: int) -> int:
    """Where a shared dominant frequency's slice of n samples ends for playhead `head`: the grid point (every
    n // GRID_PARTS samples) at or before it; `head` itself when the slice would start before sample 0."""
    end = head - head % max(1, n // GRID_PARTS)
    return end if end >= n else head


def slice_dominant(values: np.ndarray, end: int, n: int, rate: int, decimate: bool) -> list[float]:
    """The dominant frequency (Hz) of every channel over samples [end - n, end) of the looping data, as
    window_stats finds it for a window of n (`decimate`: a wider window's slice, averaged in groups of
    FFT_DECIMATE)."""
    newest = _newest(values, end, n)
    if decimate:
        k = contract.FFT_DECIMATE
        return analytics.dominant_frequencies(_group_means(newest, k), rate / k).tolist()
    return analytics.dominant_frequencies(newest, rate).tolist()


@dataclass(frozen=True)
class SliceTable:
    """Every grid slice's dominant frequencies: for each end on the grid (multiples of `step` in [0, length)),
    the dominant frequency of samples [end - n, end) of the looping data, per channel, as slice_dominant gives it.

    A playing tab's slices end on this grid (grid_end), so with the table a window no tab asked for before costs
    a lookup, not an FFT: built once per worker for the server's data at its default window (the block summaries'
    idea, for the spectrum)."""

    n: int
    step: int
    decimate: bool
    by_channel: tuple[list[float], ...]

    def at(self, end: int) -> list[float] | None:
        """Every channel's dominant frequency for the slice ending at `end` (0 <= end < length), or None when
        `end` is not on the grid."""
        if end % self.step:
            return None
        g = end // self.step
        return [col[g] for col in self.by_channel]


TABLE_CHUNK = 256  # slices transformed at a time while a table is built (~4 MB of float64 at n = 2,000)


def slice_table(values: np.ndarray, n: int, rate: int, decimate: bool, *, work: int) -> SliceTable | None:
    """The SliceTable of slices of n samples on the grid of n // GRID_PARTS, or None when it does not apply: the
    data is not whole grid steps or shorter than a slice, or it would transform more than `work` samples."""
    channels, length = values.shape
    step = max(1, n // GRID_PARTS)
    ends = length // step
    if n < analytics.MIN_FFT_SAMPLES or length % step or length < n or channels * ends * n > work:
        return None
    k = contract.FFT_DECIMATE if decimate else 1
    columns = []
    for c in range(channels):  # one channel at a time: a chunk's float64 copy is the only big allocation
        # the slice ending at e (the data loops) is looped[e : e + n]
        looped = np.concatenate([values[c, length - n :], values[c]])
        slices = np.lib.stride_tricks.sliding_window_view(looped, n)[: ends * step : step]
        column: list[float] = []
        for at in range(0, ends, TABLE_CHUNK):
            chunk = _group_means(slices[at : at + TABLE_CHUNK], k)
            column.extend(analytics.dominant_frequencies(chunk, rate / k).tolist())
        columns.append(column)
    return SliceTable(n, step, decimate, tuple(columns))


def _group_means(values: np.ndarray, k: int) -> np.ndarray:
    """Means of consecutive groups of k samples per row, in float64 (the row length a multiple of k).

    The same numbers as reshape(rows, -1, k).mean(axis=2) (float32 samples: a sum of k of them in float64 is
    exact), in k strided adds: numpy reduces a short last axis one group at a time, ~6 times slower."""
    x = values.astype(np.float64)
    if k == 1:
        return x
    total = x[:, 0::k] + x[:, 1::k]
    for j in range(2, k):
        total += x[:, j::k]
    total /= k
    return total


def _newest(values: np.ndarray, head: int, n: int) -> np.ndarray:
    """Samples [head - n, head) of every channel of the looping data: a view, or one np.take when it wraps
    (analytics.window_slice without the index array)."""
    length = values.shape[1]
    offset = (head - n) % length
    if offset + n <= length:
        return values[:, offset : offset + n]
    return np.take(values, np.arange(head - n, head, dtype=np.int64) % length, axis=1)


def crossings(
    values: np.ndarray,
    head: int,
    window: int,
    thresholds: dict[int, float],
    rate: int,
    names: list[str],
    *,
    limit: int,
    scan: int,
) -> tuple[list[dict[str, Any]], int]:
    """The newest `limit` upward crossings in the window, looking at most at its newest `scan` samples.

    Returns (crossings, samples looked at per channel). Only the channels that have a threshold are read.
    """
    n = min(head - max(0, head - window), max(2, scan // max(1, len(thresholds))))
    if not thresholds or n <= 1:
        return [], n
    found: list[dict[str, Any]] = []
    for c in sorted(thresholds):
        indices, part = analytics.window_slice(values[c : c + 1], head, n)  # a view, or a copy of n samples
        hits = analytics.threshold_crossings(indices, part, {0: thresholds[c]}, rate, [names[c]], limit=limit)
        found.extend({**hit, "channel": c} for hit in hits)
    found.sort(key=lambda hit: (-hit["t"], hit["channel"]))
    return found[:limit], n
