"""How the soak run judges a series "flat": on its trend, not on single samples.

One sample every 10 s of a live page catches it anywhere between two renders (a figure being built, a reply being
parsed), so single samples of its heap swing ±20–30% around their median however flat the page is, and the
widest swing of one sample says nothing about a leak. What does: the Theil–Sen slope (the median of the slopes
between every pair of samples, which a few outliers cannot tilt) projected over the run, and the band of the
1-minute rolling median. A series is flat when both stay within ±limit% of the series' median. The raw first→last
change and the widest single swing are still reported, not judged. The per-hour projection of the slope is
reported too, not judged: a 10-minute run cannot resolve a per-hour figure to ±10% (a flat page's per-hour
projection from 55 noisy samples wanders by tens of percent), so a drift smaller than ±limit% over the run is
below what the run can tell apart.
"""

from __future__ import annotations

import statistics

ROLLING_S = 60.0


def theil_sen(points: list[tuple[float, float]]) -> float:
    """The median of the pairwise slopes (value per second) of (t, value) points; 0.0 with fewer than two times."""
    slopes = [
        (v2 - v1) / (t2 - t1) for i, (t1, v1) in enumerate(points) for t2, v2 in points[i + 1 :] if t2 != t1
    ]
    return statistics.median(slopes) if slopes else 0.0


def rolling_medians(points: list[tuple[float, float]], span_s: float = ROLLING_S) -> list[float]:
    """The median of the samples in the `span_s` seconds ending at each sample, from the first full span on
    (sampling every 10 s: six samples each)."""
    if not points:
        return []
    start = points[0][0]
    out = []
    for t, _ in points:
        if t - start < span_s - 1e-9:
            continue
        out.append(statistics.median(v for s, v in points if t - span_s < s <= t))
    return out or [statistics.median(v for _, v in points)]


def judge(points: list[tuple[float, float]], limit_pct: float, span_s: float = ROLLING_S) -> dict:
    """A series' figures (in % of its median) and whether it is flat: the Theil–Sen trend over the run and the
    rolling median's band both within ±`limit_pct`."""
    vals = [v for _, v in points]
    med = statistics.median(vals)
    first, last = statistics.mean(vals[:3]), statistics.mean(vals[-3:])
    run_s = points[-1][0] - points[0][0]
    slope = theil_sen(points)
    rolling = rolling_medians(points, span_s)

    def pct(x: float) -> float:
        return 100 * x / med if med else 0.0

    trend = pct(slope * run_s)
    band = (pct(min(rolling) - med), pct(max(rolling) - med))
    return {
        "samples": len(vals),
        "seconds": round(run_s, 1),
        "first": round(first, 3),
        "last": round(last, 3),
        "median": round(med, 3),
        "change_pct": round(100 * (last - first) / first if first else 0.0, 1),
        "max_dev_pct": round(max(abs(v - med) for v in vals) / med * 100 if med else 0.0, 1),
        "trend_pct": round(trend, 1),
        "trend_pct_per_hour": round(pct(slope * 3600), 1),
        "rolling_band_pct": [round(band[0], 1), round(band[1], 1)],
        "flat": abs(trend) <= limit_pct and -limit_pct <= band[0] and band[1] <= limit_pct,
    }
