"""Ceilings measured in the same run as the strategies, on bare pages (about:blank + plotly.js, no Dash).

- react ceiling: Plotly.react every frame with a fixed small dataset (the size a decimated view draws:
  2 points per plot-area pixel column by default) of the same trace count, both axis ranges given (no
  autorange). It is what the Plotly pipeline itself allows on this machine, whatever the window. A goal
  cell's adjacent ceiling (`--ceiling-data page`) draws the page's own picture instead: its dataset, decimated
  as the engine decimates it, sliding as its clock does, on a bare page served by benchmarks/bare_origin.py
  (the same origin as the data).
- raw extendTraces: a full window drawn once, then every frame Plotly.extendTraces with the samples that
  came due at the benchmark's sample rate, maxPoints = window, in the app's layout (x autorange, fixed y
  range), one call in flight: what the clientside strategies would do with no Dash and no engine at all.

Both draw without plotly's legend, as the pages they are compared with do (their channel key is HTML the
engine writes once per view, assets/js/47_key.js): the same figure work on both sides (`bare_layout`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from app import contract

from .bench_browser import BROKEN, Browser


def bare_layout(layout: dict) -> dict:
    """The app's layout as a bare page draws it: no plotly legend, like the clientside pages it is compared with."""
    return {**layout, "showlegend": False}


def y_range(traces: int) -> list[float]:
    """A fixed y range for `traces` synthetic traces (each ~±1.45 around 2.5 × its index), padded as the app pads."""
    return contract.y_range(-1.5, 2.5 * (traces - 1) + 1.5)


def summarize(raw: dict) -> dict:
    """Flatten a bare-page result into the cell-like figures the report and ratios use."""
    frame = raw.get("frameMs") or {}
    latency = raw.get("latencyMs") or {}
    calls = raw.get("plotlyCallMs") or {}
    heap0, heap1 = raw.get("heapStartGc"), raw.get("heapEndGc")
    return {
        "fps": _round(raw.get("fps")),
        "raf_hz": _round(raw.get("rafHz")),
        "frame_ms_p50": _round(frame.get("p50")),
        "frame_ms_p95": _round(frame.get("p95")),
        "latency_ms_p50": _round(latency.get("p50")),
        "latency_ms_p95": _round(latency.get("p95")),
        "call_ms_p50": _round(calls.get("p50")),
        "call_ms_p95": _round(calls.get("p95")),
        "long_tasks": (raw.get("longTasks") or {}).get("count"),
        "heap_start_gc_mb": _round(heap0),
        "heap_end_gc_mb": _round(heap1),
        "heap_growth_pct": _round(100 * (heap1 - heap0) / heap0) if heap0 and heap1 else None,
        "seconds": _round(raw.get("seconds")),
        "plotly_version": raw.get("plotlyVersion"),
        **({"drawn_points": _round(raw["drawnPoints"], 1)} if raw.get("drawnPoints") is not None else {}),
        "breakdown": raw.get("breakdown"),  # plotly's share of each frame on the bare page (bench_page.js)
        "late": raw.get("late"),  # latency samples over two frames, long frames by cause (bench_late.js)
    }


def _round(value: Any, digits: int = 2) -> Any:
    return round(value, digits) if isinstance(value, (int, float)) else value


def run_ceilings(
    browser: Browser,
    *,
    windows: list[int],
    channels: list[int],
    traces: list[str],
    skip: Callable[[str, int, int, str], str | None],
    rate: int,
    speed: float,
    size: dict,
    layout: dict,
    points: int,
    warmup_s: float,
    duration_s: float,
    log: Callable[[str], None],
) -> dict:
    """Measure the react ceilings (per trace count and type) and raw extendTraces (per window too)."""
    common = {
        "width": size["width"],
        "height": size["height"],
        "layout": bare_layout(layout),
        "rate": int(rate * speed),
        "warmupMs": int(warmup_s * 1000),
        "durationMs": int(duration_s * 1000),
    }
    react: list[dict] = []
    extend: list[dict] = []
    for trace in traces:
        for n in channels:
            entry = {"traces": n, "trace": trace, "points": points}
            reason = skip("react", points, n, trace)
            options = {**common, "traces": n, "trace": trace, "points": points, "yRange": y_range(n)}
            options["shift"] = max(1, points // 120)  # the view slides ~1/120 of its width a frame
            react.append(_run(browser, "react", entry, reason, log, options))
            for window in windows:
                entry = {"window": window, "channels": n, "trace": trace}
                reason = skip("extend", window, n, trace)
                options = {**common, "traces": n, "trace": trace, "window": window, "yRange": y_range(n)}
                extend.append(_run(browser, "extend", entry, reason, log, options))
    return {"react": react, "extend": extend}


def react_ceiling(
    browser: Browser,
    *,
    traces: int,
    trace: str,
    points: int,
    rate: int,
    shift: int,
    size: dict,
    warmup_s: float,
    duration_s: float,
    log: Callable[[str], None],
    layout: dict | None = None,
    data: dict | None = None,
) -> dict:
    """One react ceiling drawing `traces` × `points` (x at `rate` samples/s, sliding `shift` points a frame), or,
    with `data` ({url, traces, length, window, bucket, yRange}: data_source's plus the page's window and
    bucket), the page's own dataset as envelopes, sliding `rate` samples a second; `points` is then the key
    that matches it to the page, and `drawn_points` what it drew."""
    from app.strategies.common import BASE_LAYOUT  # the app's layout (imports Dash: only when measuring)

    options = {
        "width": size["width"],
        "height": size["height"],
        "layout": bare_layout(layout or BASE_LAYOUT),
        "rate": rate,
        "warmupMs": int(warmup_s * 1000),
        "durationMs": int(duration_s * 1000),
        "traces": traces,
        "trace": trace,
        "points": points,
        "yRange": y_range(traces),
        "shift": shift,
        **({"data": data} if data else {}),
    }
    entry = {"traces": traces, "trace": trace, "points": points, "rate": rate, "shift": shift}
    if data:
        entry.update(source="page data", window=data["window"], bucket=data["bucket"])
    return _run(browser, "react", entry, None, log, options)


def slide_shift(points: int, window: int, rate: float) -> int:
    """Points a ceiling slides per frame so its x range moves across its width as fast as a page showing
    `window` samples at `rate` samples/s moves across its own at 60 Hz (so tick labels change as often)."""
    return max(1, round(points * rate / (60 * window)))


def data_source(url: str, array, traces: int) -> dict:
    """What a page-data ceiling needs of a served dataset (bare_origin.BareOrigin.add's `url` of `array`,
    channels × samples) to draw its first `traces` channels: the page's y range over them, padded as the app pads."""
    shown = array[:traces]
    return {
        "url": url,
        "traces": traces,
        "length": int(array.shape[1]),
        "yRange": contract.y_range(float(shown.min()), float(shown.max())),
    }


def page_picture(source: dict, window: int, bucket: int | None) -> dict:
    """A page-data ceiling's `data`: a data_source, in the page's window and bucket (1 at full resolution)."""
    return {**source, "window": window, "bucket": int(bucket or 1)}


def adjacent_ceiling(
    browser: Browser,
    entry: dict,
    rate: float,
    size: dict,
    warmup_s: float,
    duration_s: float,
    log,
    source: Callable[[int], dict] | None = None,
) -> dict:
    """The react ceiling for one measured cell, run right after it (same machine state): its trace count and
    type, the points per trace it drew, sliding as fast; with `source` (traces → data_source), the page's own
    dataset in the page's window and bucket (the cell's `decimated_bucket`, 1 when drawn at full resolution)."""
    traces = entry["channels"]
    points = round((entry.get("points") or 0) / traces) or entry["window"]
    data = page_picture(source(traces), entry["window"], entry.get("decimated_bucket")) if source else None
    return react_ceiling(
        browser,
        traces=traces,
        trace=entry["trace"],
        points=points,
        rate=int(rate),
        shift=slide_shift(points, entry["window"], rate),
        size=size,
        warmup_s=warmup_s,
        duration_s=duration_s,
        log=log,
        data=data,
    )


def _run(browser: Browser, kind: str, entry: dict, reason: str | None, log, options: dict) -> dict:
    """One bare-page measurement (or a skip) as a result entry; a broken browser is restarted."""
    what = "react ceiling" if kind == "react" else "raw extendTraces"
    label = ", ".join(f"{k}={v}" for k, v in entry.items())
    if reason:
        log(f"  {what} {label}: skipped ({reason})")
        return {**entry, "status": "skipped", "reason": reason}
    t0 = time.monotonic()
    try:
        raw = browser.bare(kind, options)
    except BROKEN as exc:
        browser.restart()
        msg = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        log(f"  {what} {label}: error ({msg})")
        return {**entry, "status": "error", "reason": msg}
    if raw.get("error"):
        log(f"  {what} {label}: error ({raw['error']})")
        return {**entry, "status": "error", "reason": raw["error"]}
    figures = summarize(raw)
    log(f"  {what} {label}: {figures['fps']:.1f} fps ({time.monotonic() - t0:.1f} s)")
    return {**entry, "status": "ok", **figures}
