"""The bridge's analysis of one valid sample: which window, its statistics, crossings and clicks (app/bridge.py
validates the sample and keeps the tab's state).

Per worker and never per user, keyed by the data's content hash: the windows analysed (a playing tab's window ends
on a grid, so a crowd of tabs playing the same data asks for the same windows), the FFT slices, and the per-cell
summaries of a playing tab's grid (app/summary.py).
"""

from __future__ import annotations

from functools import lru_cache

from . import analytics, contract, summary
from .bridge_schema import BridgeSample
from .tabdata import TabData

# windows whose analytics a worker keeps (~2 kB each at 4 channels: ~9 MB at most): a playing tab's window ends on
# a grid (analysed_head), so a crowd of tabs that play the same data asks for the same few thousand windows
WINDOW_CACHE = 4_096
SLICE_CACHE = 8_192  # FFT slices whose dominant frequencies a worker keeps (a tuple of floats each)
# samples a worker transforms once, for the server's own data at its default window, to know every grid slice's
# dominant frequency (summary.slice_table): the built-in data's 4 x 300,000 samples at 1 kHz and a 2,000-sample
# window are 12,000 FFTs of 2,000 = 24M samples, ~0.3 s once per worker
TABLE_WORK = 32_000_000
# rows (grid windows x channels) of the default window a worker keeps (window_table): 3,000 x 4 for the built-in data
ROWS_LIMIT = 50_000


@lru_cache(maxsize=WINDOW_CACHE)
def window_analytics(
    data: TabData, head: int, window: int, channels: tuple, thresholds: tuple, tabled: bool = False
) -> tuple[tuple[dict, ...], tuple[dict, ...], int]:
    """(stats rows, crossings, samples scanned) of one window: computed once per worker for the same window.

    Bounded (WINDOW_CACHE entries) and keyed by the window and the data (its content hash and shape: TabData
    compares by those), never by a user: a sample repeated (the Apply button re-analyses the last one; a paused
    tab's click) costs a lookup. The dicts (rows carry the channel's name) are shared between callers and
    never changed: a reply sends them as they are.

    `tabled`: the window is the server's default and the data its own, so the dominant frequencies of the grid
    slices come from the worker's table (slice_table), built at the first such call (or at start, warm).
    """
    rows = summary.window_stats(
        data.values,
        data.blocks,
        head,
        window,
        list(channels),
        data.rate,
        dominant_of=lambda end, n, decimate: dominant_at(data, end % data.length, n, decimate, tabled),
        cells=cells_of(data, grid_step(window, data.rate)),
    )
    for row in rows:
        row["name"] = data.names[row["channel"]]
    crossings, scanned = summary.crossings(
        data.values,
        head,
        window,
        dict(thresholds),
        data.rate,
        list(data.names),
        limit=contract.ALERT_LIMIT,
        scan=contract.CROSSING_SCAN_SAMPLES,
    )
    return tuple(rows), tuple(crossings), scanned


@lru_cache(maxsize=8)
def cells_of(data: TabData, cell: int) -> summary.Cells | None:
    """The data's per-cell summaries on a playing tab's grid (summary.build_cells), once per worker for a dataset
    and a grid step (8 kept: ~1.5 MB each for the default data and window); None where they do not apply."""
    return summary.build_cells(data.values, cell)


@lru_cache(maxsize=SLICE_CACHE)
def slice_dominant(data: TabData, end: int, n: int, decimate: bool) -> tuple[float, ...]:
    """Every channel's dominant frequency over samples [end - n, end) of the looping data (end < its length).

    The FFT of a window runs on a slice that ends on a grid of n / 20 samples (summary.grid_end), so the windows
    of every tab playing the same data fall on a few thousand slices; each is computed once per worker, like the
    block summaries: dataset-derived, keyed by the data's hash and the slice, never by a user, and bounded
    (SLICE_CACHE entries of a few floats). A slice no tab asked for yet costs one FFT, as before.
    """
    return tuple(summary.slice_dominant(data.values, end, n, data.rate, decimate))


@lru_cache(maxsize=2)
def slice_table(data: TabData, n: int, decimate: bool) -> summary.SliceTable | None:
    """Every grid slice's dominant frequencies for slices of n samples (summary.slice_table), once per worker;
    None where it does not apply or would cost more than TABLE_WORK. Only asked for the server's own data at its
    default window (analyse's `table_window`), so no request can make a worker build another."""
    return summary.slice_table(data.values, n, data.rate, decimate, work=TABLE_WORK)


def dominant_at(
    data: TabData, end: int, n: int, decimate: bool, tabled: bool
) -> tuple[float, ...] | list[float]:
    """Every channel's dominant frequency over samples [end - n, end) (0 <= end < length): from the worker's
    table when `tabled` and the slice is on its grid, else slice_dominant (an FFT, remembered)."""
    table = slice_table(data, n, decimate) if tabled else None
    found = table.at(end) if table is not None else None
    return found if found is not None else slice_dominant(data, end, n, decimate)


@lru_cache(maxsize=2)
def window_table(data: TabData, window: int) -> tuple[tuple[dict, ...], ...] | None:
    """Every channel's rows for every window of `window` samples that ends on a playing tab's grid, once per
    worker: index g holds the window ending at g * step of the looping data (what window_analytics gives with no
    thresholds, computed the same way, from the cells and the slice table). Only for the server's own data at its
    default window (analyse's `table_window`); None where the cells do not apply or it would hold more than
    ROWS_LIMIT rows, or there is no slice table. ~3,000 windows for the built-in data: a playing tab's window costs a lookup whether or not
    another tab asked for it before."""
    step, length = grid_step(window, data.rate), data.length
    if length % step or window % step or length < window or window // step > summary.MAX_CELLS:
        return None
    if data.channels * (length // step) > ROWS_LIMIT or cells_of(data, step) is None:
        return None
    n = min(window, contract.FFT_MAX_SAMPLES)
    if slice_table(data, n, window > n) is None:  # else each row would cost an FFT here, beyond TABLE_WORK
        return None
    channels = tuple(range(data.channels))
    compute = window_analytics.__wrapped__  # not through the bounded cache: the table is the cache here
    return tuple(
        compute(data, g * step + (length if g * step < window else 0), window, channels, (), True)[0]
        for g in range(length // step)
    )


def table_rows(data: TabData, head: int, window: int, channels) -> tuple[dict, ...] | None:
    """The rows of window [head - window, head) from window_table, or None when it is not on the grid or there
    is no table."""
    step = grid_step(window, data.rate)
    if head < window or head % step:
        return None
    table = window_table(data, window)
    if table is None:
        return None
    every = table[(head % data.length) // step]
    return tuple(every[c] for c in channels)


def warm(data: TabData, window: int) -> None:
    """Build what a worker's first bridge calls at the default window would otherwise build inside a request:
    the block summaries, the cells of a playing tab's grid, the slice table and the window table (app/wsgi.py, at
    start)."""
    data.blocks  # noqa: B018 (a cached property: built here, once)
    cells_of(data, grid_step(window, data.rate))
    n = min(window, contract.FFT_MAX_SAMPLES)
    slice_table(data, n, window > n)
    window_table(data, window)


def analysed_head(sample: BridgeSample, rate: int) -> int:
    """The newest sample + 1 of the window the analytics describe.

    While the tab plays: the grid point at or before the sampled playhead, every 1/GRID_PARTS of the window but
    at most 100 ms of data (100 samples at the defaults: the window is then at most 100 ms older than the chart
    when it was sampled, once a second), so tabs playing the same data ask for the same windows and a worker
    computes each once (window_analytics). Paused, or before the first whole window: the sampled playhead itself
    (exact: what a user inspecting a still chart sees). The reply names the window it describes (start, head)
    beside the sampled playhead."""
    head, window = sample.head, sample.window
    if not sample.playing:
        return head
    step = grid_step(window, rate)
    end = head - head % step
    return end if end >= window else head


def grid_step(window: int, rate: int) -> int:
    """A playing tab's grid (analysed_head): 1/GRID_PARTS of the window, at most 100 ms of data."""
    return max(1, min(window // summary.GRID_PARTS, rate // 10))


def analyse(
    data: TabData,
    sample: BridgeSample,
    thresholds: dict[int, float],
    state: dict,
    new_clicks: bool = True,
    table_window: int | None = None,
) -> dict:
    """Stats, new alerts and clicks for one valid sample of the tab's data; returns the next state.

    `table_window`: the server's default window when `data` is its own dataset (a playing tab's window of that size
    with no threshold is a row of window_table; other windows of that size take their grid slice's dominant
    frequencies from slice_table), else None."""
    names = data.names
    chosen = {c: level for c, level in thresholds.items() if c in sample.channels}
    head, tabled = analysed_head(sample, data.rate), sample.window == table_window
    # a playing tab at the default window with no threshold: a row lookup (window_table)
    rows = table_rows(data, head, sample.window, sample.channels) if tabled and not chosen else None
    if rows is not None:
        found, scanned = (), min(sample.window, contract.CROSSING_SCAN_SAMPLES)  # as crossings says with none
    else:
        rows, found, scanned = window_analytics(
            data, head, sample.window, tuple(sample.channels), tuple(sorted(chosen.items())), tabled
        )
    crossings = [dict(hit) for hit in found]
    alerts = analytics.merge_alerts(state.get("alerts") or [], crossings, limit=contract.ALERT_LIMIT)
    clicks = (
        [
            {"channel": c.channel, "name": names[c.channel], "t": c.x, "value": c.y}
            for c in reversed(sample.clicks)
        ]
        if new_clicks
        else []
    )
    return {
        "rows": list(rows),
        "alerts": alerts,
        "clicks": (clicks + (state.get("clicks") or []))[: contract.MAX_CLICKS],
        "scanned": bool(chosen) and scanned < sample.window,
        "scan": scanned,
    }
