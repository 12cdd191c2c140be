"""Unit tests of the window analytics: looped slicing, stats, dominant frequency, crossings and alert merging."""

from __future__ import annotations

import numpy as np
import pytest

from app import data
from app.analytics import channel_stats, merge_alerts, threshold_crossings, window_slice

RNG = np.random.default_rng(3)
SMALL = RNG.normal(size=(3, 250)).astype(np.float32)
SMALL.setflags(write=False)

# The default dataset (4 channels, 1000 Hz, 300 s, seed 7) has exactly one upward crossing of 2.85 on
# channel 0 in its first 30 s: at sample 19147 (19.147 s), from 2.8313 to 2.9044. Browser tests use it.
KNOWN = {"head": 20_000, "window": 2000, "channel": 0, "threshold": 2.85, "index": 19_147}


def brute_slice(values: np.ndarray, head: int, window: int) -> tuple[list[int], list[list[float]]]:
    """The window of the endlessly looped data, one sample at a time."""
    length = values.shape[1]
    indices = list(range(max(0, head - window), head))
    return indices, [[float(row[v % length]) for v in indices] for row in values]


def brute_crossings(x: np.ndarray, threshold: float) -> list[int]:
    """Positions i (i >= 1) where x[i - 1] < threshold <= x[i], in float64."""
    x = x.astype(np.float64)
    return [i for i in range(1, len(x)) if x[i - 1] < threshold <= x[i]]


@pytest.mark.parametrize(
    ("head", "window"),
    [
        (0, 100),  # nothing played yet
        (60, 100),  # shorter than the window: starts at 0
        (200, 100),  # inside the data
        (250, 250),  # exactly the whole data
        (300, 100),  # wraps around the end once
        (251, 100),
        (1000, 600),  # longer than the data: repeats it
        (10_000_007, 333),  # many loops in
        (500, 0),
    ],
)
def test_window_slice_matches_brute_force(head, window):
    indices, values = window_slice(SMALL, head, window)
    want_indices, want_values = brute_slice(SMALL, head, window)
    assert indices.dtype == np.int64 and indices.tolist() == want_indices
    assert values.shape == (3, len(want_indices)) and values.dtype == SMALL.dtype
    assert values.tolist() == want_values


def test_window_slice_wraps_the_real_dataset():
    full = data.dataset(4, 1000, 300)
    indices, values = window_slice(full, 300_500, 1000)  # 299.5 s to 300.5 s: end of loop 1, start of loop 2
    assert indices[0] == 299_500 and indices[-1] == 300_499
    assert np.array_equal(values, np.concatenate([full[:, 299_500:], full[:, :500]], axis=1))


def test_window_slice_rejects_negative_arguments():
    with pytest.raises(ValueError, match="head"):
        window_slice(SMALL, -1, 100)
    with pytest.raises(ValueError, match="window"):
        window_slice(SMALL, 10, -1)


def test_stats_equal_plain_numpy_on_the_same_window():
    full = data.dataset(4, 1000, 300)
    _, values = window_slice(full, 300_700, 2000)  # a wrapped window
    stats = channel_stats(values, 1000)
    assert [s["channel"] for s in stats] == [0, 1, 2, 3]
    for row, s in zip(values, stats, strict=True):
        x = row.astype(np.float64)
        assert s["n"] == 2000
        assert s["min"] == float(np.min(row)) and s["max"] == float(np.max(row))
        assert s["mean"] == pytest.approx(float(np.mean(x)), rel=1e-12)
        assert s["rms"] == pytest.approx(float(np.sqrt(np.mean(x**2))), rel=1e-12)
        assert s["mean"] == pytest.approx(float(np.mean(row)), rel=1e-5, abs=1e-6)  # float32 numpy agrees too


def test_stats_label_rows_and_handle_empty_and_short_windows():
    stats = channel_stats(SMALL[:2, :5], 100, channels=[3, 1])
    assert [s["channel"] for s in stats] == [3, 1]
    assert all(s["dominant_hz"] == 0.0 and s["n"] == 5 for s in stats)  # fewer than 8 samples
    empty = channel_stats(np.zeros((2, 0), dtype=np.float32), 100)
    assert empty[0] == {
        "channel": 0,
        "n": 0,
        "min": None,
        "max": None,
        "mean": None,
        "rms": None,
        "dominant_hz": 0.0,
    }
    with pytest.raises(ValueError, match="labels"):
        channel_stats(SMALL, 100, channels=[0])


@pytest.mark.parametrize(
    ("freq", "rate", "n"), [(7.0, 1000, 2000), (7.3, 1000, 2000), (7.0, 250, 1000), (41.7, 500, 777)]
)
def test_dominant_frequency_of_a_sine(freq, rate, n):
    t = np.arange(n) / rate
    noise = np.random.default_rng(1).normal(0, 0.05, n)
    sine = 3.0 + np.sin(2 * np.pi * freq * t + 0.4) + noise  # a large DC offset must not win
    other = 0.3 * np.sin(2 * np.pi * 1.1 * t)  # a weaker tone on another channel's row
    values = np.vstack([sine, sine + other, np.full(n, 2.5)]).astype(np.float32)
    stats = channel_stats(values, rate)
    bin_hz = rate / n
    assert abs(stats[0]["dominant_hz"] - freq) <= bin_hz
    assert abs(stats[1]["dominant_hz"] - freq) <= bin_hz
    if (freq * n / rate).is_integer():
        assert stats[0]["dominant_hz"] == pytest.approx(freq)
    assert stats[2]["dominant_hz"] == 0.0  # a constant has no dominant frequency


def test_crossings_on_a_ramp_and_a_sine_at_exact_indices_newest_first():
    n, offset, rate = 200, 1000, 100
    k = np.arange(n)
    ramp = k % 10  # 0..9 repeated: rises through 5 at every k % 10 == 5, falls 9 -> 0 (not a crossing)
    sine = np.sin(2 * np.pi * (k + 0.5) / 20)  # rises through 0 between k % 20 == 19 and k % 20 == 0
    values = np.vstack([ramp, sine, ramp]).astype(np.float32)
    indices = np.arange(offset, offset + n)
    names = ["a", "b", "c"]
    found = threshold_crossings(indices, values, {0: 5.0, 1: 0.0}, rate, names)
    want = [(0, offset + i) for i in range(5, n, 10)] + [(1, offset + i) for i in range(20, n, 20)]
    want.sort(key=lambda hit: (-hit[1], hit[0]))
    assert [(c["channel"], round(c["t"] * rate)) for c in found] == want
    assert found[0] == {"channel": 0, "name": "a", "t": 1195 / rate, "value": 5.0, "threshold": 5.0}
    assert all(c["name"] == names[c["channel"]] for c in found)
    assert [c["t"] for c in found] == sorted((c["t"] for c in found), reverse=True)
    # ties in t are ordered by channel; channels without a threshold are ignored; limit keeps the newest
    tied = threshold_crossings(indices, values, {2: 4.5, 0: 4.5}, rate, names, limit=3)
    assert [(c["channel"], c["t"]) for c in tied] == [(0, 11.95), (2, 11.95), (0, 11.85)]
    assert threshold_crossings(indices, values, {0: 9.5, 1: float("nan")}, rate, names) == []
    assert threshold_crossings(indices[:1], values[:, :1], {0: 0.0}, rate, names) == []


def test_crossings_match_a_brute_force_search_on_random_data():
    indices, values = window_slice(SMALL, 400, 200)
    for threshold in (-1.0, 0.0, 0.37, 2.0):
        found = threshold_crossings(indices, values, {1: threshold}, 50, ["x", "y", "z"])
        want = sorted((int(indices[i]) for i in brute_crossings(values[1], threshold)), reverse=True)
        assert [round(c["t"] * 50) for c in found] == want
        assert all(c["value"] >= threshold for c in found)


def test_crossings_on_the_built_in_dataset():
    full = data.dataset(4, 1000, 300)
    names = data.channel_names(4)
    # any window and a level the signal passes through in it: numpy finds the crossings, so must we
    indices, values = window_slice(full, 41_000, 3000)
    x = values[0].astype(np.float64)
    level = float(np.percentile(x, 80))
    expected = (np.flatnonzero((x[:-1] < level) & (x[1:] >= level)) + 1)[::-1]
    assert expected.size >= 1
    found = threshold_crossings(indices, values, {0: level}, 1000, names)
    assert [c["t"] for c in found] == [int(indices[i]) / 1000 for i in expected]
    assert [c["value"] for c in found] == [float(x[i]) for i in expected]
    # the known crossing the browser tests rely on, also one loop later (virtual time keeps growing)
    for loops in (0, 1):
        head = KNOWN["head"] + loops * full.shape[1]
        indices, values = window_slice(full, head, KNOWN["window"])
        found = threshold_crossings(indices, values, {KNOWN["channel"]: KNOWN["threshold"]}, 1000, names)
        index = KNOWN["index"] + loops * full.shape[1]
        assert [(c["channel"], c["name"], c["t"]) for c in found] == [(0, "ch1", index / 1000)]
        assert found[0]["value"] == pytest.approx(2.9043963, abs=1e-6)
    first_30_s = full[0, :30_000].astype(np.float64)
    assert brute_crossings(first_30_s, KNOWN["threshold"]) == [KNOWN["index"]]


def alert(channel: int, t: float, tag: str = "") -> dict:
    return {
        "channel": channel,
        "name": f"ch{channel + 1}",
        "t": t,
        "value": 1.0,
        "threshold": 0.5,
        "tag": tag,
    }


def test_merge_alerts_is_newest_first_bounded_and_deduplicated():
    existing = [alert(0, 5.0, "old"), alert(1, 3.0, "old")]
    new = [alert(0, 6.0), alert(0, 5.0, "new"), alert(1, 5.0), alert(0, 4.0)]
    merged = merge_alerts(existing, new)
    assert [(a["channel"], a["t"]) for a in merged] == [(0, 6.0), (0, 5.0), (1, 5.0), (0, 4.0), (1, 3.0)]
    assert merged[1]["tag"] == "old"  # the entry already listed stays
    assert [(a["channel"], a["t"]) for a in merge_alerts(existing, new, limit=2)] == [(0, 6.0), (0, 5.0)]
    assert merge_alerts([], [], limit=50) == [] and merge_alerts(existing, new, limit=0) == []
    many = [alert(i % 4, float(i)) for i in range(200)]
    bounded = merge_alerts(many[:120], many[80:])
    assert len(bounded) == 50 and bounded[0]["t"] == 199.0 and bounded[-1]["t"] == 150.0


def test_merge_alerts_skips_malformed_stored_entries():
    junk = [
        None,
        "x",
        {"channel": "0", "t": 1.0},
        {"channel": True, "t": 1.0},
        {"channel": 0, "t": float("nan")},
    ]
    assert merge_alerts([*junk, alert(0, 1.0)], [alert(0, 2.0)]) == [alert(0, 2.0), alert(0, 1.0)]
    assert merge_alerts([{"channel": 0, "t": 5}], [alert(0, 5.0)])[0] == {"channel": 0, "t": 5}  # JSON int t


def test_resampling_overlapping_windows_lists_each_crossing_once():
    full = data.dataset(4, 1000, 300)
    names = data.channel_names(4)
    thresholds = {0: 0.0, 2: 5.0}
    alerts: list[dict] = []
    for head in range(10_000, 14_001, 500):  # a bridge sample every 0.5 s of a 2 s window
        indices, values = window_slice(full, head, 2000)
        alerts = merge_alerts(
            alerts, threshold_crossings(indices, values, thresholds, 1000, names), limit=1000
        )
    indices, values = window_slice(full, 14_000, 6000)
    assert alerts == threshold_crossings(indices, values, thresholds, 1000, names)
    assert len(alerts) > 2
