"""The soak run's flatness judgement (benchmarks/soak_stats.py, benchmarks/soak.py summarise) on synthetic series:
a flat series with a live page's noise passes, a +15% drift fails, whatever single samples do."""

from __future__ import annotations

import random

import pytest

from benchmarks import soak, soak_stats

N, STEP, WARM = 55, 10.0, 60.0  # a 10-minute run after its warm-up: 55 samples 10 s apart


def series(seed: int, drift: float, sigma: float = 0.04, spikes: int = 6) -> list[tuple[float, float]]:
    """A heap-like series around 38 MB: Gaussian noise (`sigma`), `spikes` samples caught mid-render (±20–30%),
    and a linear `drift` (fraction) from the first sample to the last."""
    r = random.Random(seed)
    vals = [1 + drift * i / (N - 1) + r.gauss(0, sigma) for i in range(N)]
    for k in r.sample(range(N), spikes):
        vals[k] += r.choice((-1, 1)) * r.uniform(0.2, 0.3)
    return [(WARM + STEP * i, 38 * v) for i, v in enumerate(vals)]


def test_theil_sen_is_the_median_pairwise_slope_and_ignores_outliers():
    line = [(t, 2.0 * t + 5) for t in range(10)]
    assert soak_stats.theil_sen(line) == pytest.approx(2.0)
    line[3] = (3, 1000.0)  # one wild sample barely moves it
    assert soak_stats.theil_sen(line) == pytest.approx(2.0)
    assert soak_stats.theil_sen([(1.0, 5.0)]) == 0.0


def test_rolling_medians_start_at_the_first_full_minute():
    pts = [(10.0 * i, float(i)) for i in range(13)]  # 0..120 s
    med = soak_stats.rolling_medians(pts, 60)
    assert len(med) == 7  # at 60, 70, …, 120 s
    assert med[0] == pytest.approx(3.5)  # samples at 10..60 s (1..6)
    assert soak_stats.rolling_medians(pts[:3], 60) == [1.0]  # shorter than a minute: the median of all


def test_a_flat_noisy_series_passes_though_single_samples_swing_20_percent():
    j = soak_stats.judge(series(seed=1, drift=0.0), 10)
    assert j["max_dev_pct"] >= 20, "the raw swing is still reported"
    assert abs(j["trend_pct"]) < 5 and -10 <= j["rolling_band_pct"][0] <= j["rolling_band_pct"][1] <= 10, j
    assert j["flat"] is True


def test_a_15_percent_drift_fails():
    j = soak_stats.judge(series(seed=1, drift=0.15), 10)
    assert j["trend_pct"] > 10 and j["trend_pct_per_hour"] > 60, j
    assert j["flat"] is False


def test_a_smooth_drift_fails_on_the_trend_and_a_step_fails_on_the_band():
    smooth = [(WARM + STEP * i, 100 * (1 + 0.12 * i / (N - 1))) for i in range(N)]
    j = soak_stats.judge(smooth, 10)
    assert j["trend_pct"] == pytest.approx(12 * 100 / 106, abs=0.2)  # in % of the median (106)
    assert j["flat"] is False
    step = [(WARM + STEP * i, 100.0 if i < 40 else 125.0) for i in range(N)]
    j = soak_stats.judge(step, 10)
    assert j["rolling_band_pct"][1] == pytest.approx(25.0) and j["flat"] is False


def test_over_many_seeds_flat_mostly_passes_and_drift_mostly_fails():
    """The judgement is a statistic: with this noise it calls ≥ 90% of flat runs flat and ≤ 10% of +15% runs."""
    flat = sum(soak_stats.judge(series(s, 0.0), 10)["flat"] for s in range(100))
    drift = sum(soak_stats.judge(series(s, 0.15), 10)["flat"] for s in range(100))
    assert flat >= 90 and drift <= 10, (flat, drift)


def sample(t_ms: int, heap: float, rss: float = 95.0) -> dict:
    tab = {"heap_mb": heap, "nodes": 2500, "listeners": 825, "documents": 1}
    return {
        "t": t_ms,
        "tabs": {"clientside": dict(tab), "server": dict(tab)},
        "server": {"master": {"rss_mb": 30, "fds": 10}, "workers": [{"rss_mb": rss, "fds": 8}] * 2},
    }


def test_summarise_judges_each_series_after_warm_up_and_server_series_after_the_restart():
    flat, drift = series(2, 0.0), series(2, 0.2)
    samples = [sample(0, 10.0, rss=150.0)]  # warm-up sample: ignored
    samples += [sample(int(t * 1000), v) for (t, v) in flat]
    for s, (_, v) in zip(samples[1:], drift, strict=True):
        s["tabs"]["server"]["heap_mb"] = v
    for s in samples[1:19]:  # 60..230 s
        s["server"]["workers"] = [{"rss_mb": 150.0, "fds": 8}] * 2  # the workers before the restart
    restart = [{"at_ms": 200_000, "outage_ms": 10_000}]
    out = soak.summarise(samples, WARM, restart)
    assert out["clientside window.heap_mb"]["flat"] is True
    assert out["server window.heap_mb"]["flat"] is False
    assert out["server window.nodes"]["flat"] is True and out["server window.nodes"]["trend_pct"] == 0
    rss = out["gunicorn.worker_rss_mb"]
    assert rss["first"] == 95.0 and rss["flat"] is True  # judged from the restart's warm-up on (240 s)
    assert set(out["clientside window.heap_mb"]) >= {
        "change_pct",
        "max_dev_pct",
        "trend_pct",
        "trend_pct_per_hour",
        "rolling_band_pct",
    }
