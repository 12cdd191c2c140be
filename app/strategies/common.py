"""Stateless helpers for the server strategies: read the view and clock a request carries, slice and draw."""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import data
from ..settings import SPEED_MAX, SPEED_MIN, WINDOW_MAX, WINDOW_MIN, Settings

log = logging.getLogger("tickless")

TRACE_TYPES = ("scatter", "scattergl")
INTERVAL_MIN, INTERVAL_MAX, INTERVAL_DEFAULT = 20, 5000, 100

# The one figure layout every strategy draws with (JS gets it through the config store).
BASE_LAYOUT: dict = {
    "margin": {"l": 50, "r": 20, "t": 10, "b": 40},
    "xaxis": {"title": {"text": "time (s)"}, "autorange": True},
    "yaxis": {"autorange": False},
    "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    "showlegend": True,
    "uirevision": "tickless",
}


@dataclass(frozen=True)
class View:
    """What a panel shows: points per trace, which channels, which trace type."""

    window: int
    channels: tuple[int, ...]
    trace: str

    @property
    def signature(self) -> str:
        """A short string that changes whenever the figure must be rebuilt."""
        return f"{self.window}|{','.join(map(str, self.channels))}|{self.trace}"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read_view(raw, n_channels: int) -> View | None:
    """Validate a view store's data (it comes from the browser, so it may be forged); None if unusable."""
    if not isinstance(raw, dict):
        if raw is not None:
            log.warning("view: expected an object, got %.60r", raw)
        return None
    window, channels, trace = raw.get("window"), raw.get("channels"), raw.get("trace")
    problems = []
    if not (_is_int(window) and WINDOW_MIN <= window <= WINDOW_MAX):
        problems.append(f"window {window!r:.40} not an integer {WINDOW_MIN}..{WINDOW_MAX}")
    if not (
        isinstance(channels, list)
        and all(_is_int(c) and 0 <= c < n_channels for c in channels)
        and len(set(channels)) == len(channels)
    ):
        problems.append(f"channels {channels!r:.60} not unique indices 0..{n_channels - 1}")
    if trace not in TRACE_TYPES:
        problems.append(f"trace {trace!r:.40} not one of {TRACE_TYPES}")
    if problems:
        log.warning("view: ignored: %s", "; ".join(problems))
        return None
    return View(window, tuple(sorted(channels)), trace)


def head_now(clock, rate: int, now_ms: float | None = None) -> int | None:
    """End (exclusive) of the samples due now on the tab's clock; None if the clock data is unusable.

    The clock store holds the anchor of the browser's replay clock in epoch milliseconds, so the
    server derives the playhead from the request alone (any worker can answer any tick).
    """
    if not isinstance(clock, dict):
        return None
    pos, t, speed, playing = (clock.get(k) for k in ("pos", "t", "speed", "playing"))
    numbers = (pos, t, speed)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers):
        log.warning("clock: ignored non-numeric %.80r", clock)
        return None
    if not all(math.isfinite(v) for v in numbers) or pos < 0 or not SPEED_MIN <= speed <= SPEED_MAX:
        log.warning("clock: ignored out-of-range %.80r", clock)
        return None
    if playing is True:
        now_ms = time.time() * 1000 if now_ms is None else now_ms
        pos = pos + max(0.0, now_ms - t) * rate * speed / 1000
    return int(math.floor(pos)) + 1


def dataset(settings: Settings) -> np.ndarray:
    """The server's read-only copy of the dataset these settings describe."""
    return data.dataset(settings.channels, settings.rate, settings.seconds, settings.seed)


def columns(values: np.ndarray, channels, start: int, end: int, rate: int):
    """x (seconds) and one y array per channel for virtual samples [start, end) of the looped data."""
    idx = np.arange(start, end, dtype=np.int64)
    x = idx / rate
    wrapped = idx % values.shape[1]
    return x, [values[c].take(wrapped) for c in channels]


@lru_cache(maxsize=8)
def channel_ranges(settings: Settings) -> tuple[tuple[float, float], ...]:
    """Smallest and largest value of each channel (computed once per process)."""
    return tuple((float(row.min()), float(row.max())) for row in dataset(settings))


def y_range(settings: Settings, channels) -> list[float]:
    """A fixed y range covering the chosen channels' whole data, with 5% padding (as the JS does)."""
    if not channels:
        return [0.0, 1.0]
    ranges = channel_ranges(settings)
    lo = min(ranges[c][0] for c in channels)
    hi = max(ranges[c][1] for c in channels)
    pad = (hi - lo) * 0.05 or 0.5
    return [lo - pad, hi + pad]


def figure(settings: Settings, view: View, start: int, end: int, **layout) -> dict:
    """The whole figure for samples [start, end) of a view, in the shared layout."""
    values = dataset(settings)
    names = data.channel_names(settings.channels)
    x, ys = columns(values, view.channels, start, end, settings.rate)
    traces = [
        {"type": view.trace, "mode": "lines", "name": names[c], "x": x, "y": y, "line": {"width": 1}}
        for c, y in zip(view.channels, ys, strict=True)
    ]
    base = {**BASE_LAYOUT, "yaxis": {**BASE_LAYOUT["yaxis"], "range": y_range(settings, view.channels)}}
    for key, value in layout.items():
        base[key] = {**base.get(key, {}), **value} if isinstance(value, dict) else value
    return {"data": traces, "layout": base}
