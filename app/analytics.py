"""Analytics on the server's own copy of the dataset for the window on screen: pure numpy, no Dash.

The browser replays the dataset in an endless loop, so virtual sample index v >= 0 has value
data[ch, v % length] and time v / rate seconds. Every function here works in virtual indices.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

MIN_FFT_SAMPLES = 8
_TINY = float(np.finfo(np.float64).tiny)


def window_slice(data: np.ndarray, head: int, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (virtual indices, values (channels, n)) for the window [max(0, head - window), head) of the loop.

    When the window does not wrap, values is a view of data (read-only for the built-in dataset); when it
    wraps around the end of the data (or is longer than the data) it is a copy made by one np.take.
    """
    if data.ndim != 2 or data.shape[1] == 0:
        raise ValueError(f"data must be a (channels, length) array with length >= 1, got shape {data.shape}")
    if head < 0 or window < 0:
        raise ValueError(f"head and window must be >= 0, got head={head}, window={window}")
    length = data.shape[1]
    start = max(0, head - window)
    indices = np.arange(start, head, dtype=np.int64)
    offset = start % length
    if offset + indices.size <= length:
        return indices, data[:, offset : offset + indices.size]
    # not np.take(mode="wrap"): it wraps a far-out index by repeated subtraction, which for a playhead near
    # 2**53 takes minutes; one modulo per index costs the same for any playhead
    return indices, np.take(data, indices % length, axis=1)


@lru_cache(maxsize=32)
def _hann(n: int) -> np.ndarray:
    """np.hanning(n), read-only, made once per length (a bridge call at the default window saves ~20 us)."""
    window = np.hanning(n)
    window.setflags(write=False)
    return window


def dominant_frequencies(values: np.ndarray, rate: int) -> np.ndarray:
    """Per row, the frequency in Hz of the largest rFFT bin (DC excluded) of the Hann-windowed, mean-removed signal.

    Rows with fewer than MIN_FFT_SAMPLES samples, or with no variation at all, give 0.0.
    """
    rows, n = values.shape
    if n < MIN_FFT_SAMPLES:
        return np.zeros(rows)
    x = values.astype(np.float64)  # always a copy (a float64 input too), so the caller's array is untouched
    return np.array(dominant_in_place(x, rate, x.mean(axis=1), np.abs(x).max(axis=1)), dtype=np.float64)


def dominant_in_place(
    x: np.ndarray, rate: float, means: np.ndarray, absmax: Sequence[float] | np.ndarray
) -> list[float]:
    """dominant_frequencies of float64 rows `x` (at least MIN_FFT_SAMPLES each) whose means and largest
    magnitudes the caller already has (the window's stats), as a list: `x` is overwritten."""
    n = x.shape[1]
    x -= means[:, None]
    x *= _hann(n)
    bins = np.fft.rfft(x, axis=1)
    # the power |X|^2 of bins 1.. (DC excluded), re*re + im*im as before, with two whole-array passes: the
    # complex result seen as (re, im) float pairs is squared in place, then each pair summed
    pairs = bins.view(np.float64)
    np.multiply(pairs, pairs, out=pairs)
    spectrum = pairs[:, 2::2] + pairs[:, 3::2]
    peaks = spectrum.argmax(axis=1).tolist()
    step = rate / n
    # a constant row leaves only rounding noise in the spectrum: no frequency dominates it
    return [
        0.0 if spectrum.item(i, p) <= (1e-9 * max(float(a) * n, _TINY)) ** 2 else (p + 1) * step
        for i, (p, a) in enumerate(zip(peaks, absmax, strict=True))
    ]


def channel_stats(
    values: np.ndarray, rate: int, channels: Sequence[int] | None = None
) -> list[dict[str, Any]]:
    """Per row of values: channel, n, min, max, mean, rms and dominant frequency (Hz), computed in float64.

    `channels` labels the rows (default 0, 1, ...). An empty window gives None for min, max, mean and rms
    (JSON null) and 0.0 for the dominant frequency.
    """
    rows, n = values.shape
    labels = list(range(rows)) if channels is None else [int(c) for c in channels]
    if len(labels) != rows:
        raise ValueError(f"got {len(labels)} channel labels for {rows} rows of values")
    if n == 0:
        empty = {"n": 0, "min": None, "max": None, "mean": None, "rms": None, "dominant_hz": 0.0}
        return [{"channel": label, **empty} for label in labels]
    x = values.astype(np.float64)
    mins, maxs, means = x.min(axis=1), x.max(axis=1), x.mean(axis=1)
    rms = np.sqrt(np.mean(x * x, axis=1))
    dominant = dominant_frequencies(x, rate)
    return [
        {
            "channel": label,
            "n": int(n),
            "min": float(mins[i]),
            "max": float(maxs[i]),
            "mean": float(means[i]),
            "rms": float(rms[i]),
            "dominant_hz": float(dominant[i]),
        }
        for i, label in enumerate(labels)
    ]


def threshold_crossings(
    indices: np.ndarray,
    values: np.ndarray,
    thresholds: dict[int, float],
    rate: int,
    channel_names: Sequence[str],
    *,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Every upward crossing (previous < threshold <= current) inside the window, newest first.

    values has one row per channel of the dataset (as window_slice returns), so thresholds and channel_names
    are indexed by channel. Comparisons are made in float64. Each crossing is
    {channel, name, t (seconds = virtual index / rate), value, threshold}; ties in t are ordered by channel.
    `limit`, if given, keeps only that many of the newest crossings.
    """
    if values.ndim != 2 or values.shape[1] != len(indices):
        raise ValueError(f"values shape {values.shape} does not match {len(indices)} indices")
    found: list[tuple[int, int, float, float]] = []  # (virtual index, channel, value, threshold)
    for channel, threshold in thresholds.items():
        if not 0 <= channel < values.shape[0]:
            raise ValueError(f"threshold for channel {channel}, but values has {values.shape[0]} channels")
        level = float(threshold)
        if not math.isfinite(level):
            continue  # nothing crosses NaN or infinity
        x = values[channel].astype(np.float64)
        hits = np.flatnonzero((x[:-1] < level) & (x[1:] >= level)) + 1
        found.extend((int(indices[i]), channel, float(x[i]), level) for i in hits)
    found.sort(key=lambda hit: (-hit[0], hit[1]))
    if limit is not None:
        found = found[: max(0, limit)]
    return [
        {"channel": ch, "name": channel_names[ch], "t": index / rate, "value": value, "threshold": level}
        for index, ch, value, level in found
    ]


def _alert_key(alert: Any) -> tuple[int, float] | None:
    """(channel, t) of a well-formed alert, or None for an entry that cannot be one."""
    if not isinstance(alert, dict):
        return None
    channel, t = alert.get("channel"), alert.get("t")
    if not isinstance(channel, int) or isinstance(channel, bool):
        return None
    if not isinstance(t, int | float) or isinstance(t, bool) or not math.isfinite(t):
        return None
    return channel, float(t)


def merge_alerts(existing: list[dict], new: list[dict], limit: int = 50) -> list[dict]:
    """Merge new crossings into the alert list: newest first, at most `limit`, one entry per (channel, t).

    Re-sampling an overlapping window finds the same crossings again; they are listed once (the entry already
    listed is kept). Entries without an int channel and a finite t (e.g. a Store edited in devtools) are skipped.
    """
    merged: dict[tuple[int, float], dict] = {}
    for alert in [*existing, *new]:
        key = _alert_key(alert)
        if key is not None and key not in merged:
            merged[key] = alert
    ordered = sorted(merged.items(), key=lambda item: (-item[0][1], item[0][0]))
    return [alert for _, alert in ordered[: max(0, limit)]]
