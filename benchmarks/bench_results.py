"""Turn raw page recordings into cell figures, then add ratios, the frame budget and a printable table (goals:
bench_goals.py)."""

from __future__ import annotations

import math
import statistics
from typing import Any

# Where each frame's main-thread time goes (bench_page.js `breakdown`, from 42_spans.js): per category, ms
# per frame (p50, p95, mean) and the share of the wall time. Older results have none (tolerated).
BREAKDOWN = ("plotly", "engine", "dash", "other", "idle")
BREAKDOWN_NAMES = {
    "plotly": "plotly",
    "engine": "Tickless engine",
    "dash": "Dash renderer",
    "other": "rest (style, layout, paint, GC)",
    "idle": "idle",
}
# The frame budget: the Tickless engine's own JS must stay a small part of a frame, whatever it draws.
BUDGET = ("engine_js_p95", "Tickless engine JS per frame, p95 (ms)", "<=", 2.0)
CONTENDED_CPU_PCT = 25.0  # other processes used more than a quarter core: figures are noisy (noted)
# rAF below RAF_MIN_HZ means throttling (invalid cell) unless the page was busy: frames or tasks over 50 ms
# filled at least BUSY_MIN of the time. A page slowed by its own work at < 20 Hz has most frames over 50 ms
# (measured here: 40-100% busy); a throttled page has next to none (one short frame a second is ~2-5%).
RAF_MIN_HZ = 20.0
BUSY_MIN = 0.2
NUMERIC = (int, float)


def finite(obj: Any) -> Any:
    """The same structure with every NaN/Infinity replaced by None (strict JSON has neither)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [finite(v) for v in obj]
    return obj


def _r(value: Any, digits: int = 2) -> Any:
    return round(value, digits) if isinstance(value, NUMERIC) and not isinstance(value, bool) else value


def _get(d: dict | None, *keys: str) -> Any:
    for key in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


def cell_figures(raw: dict, opened: dict) -> dict:
    """The figures of one measurement of a strategy page (see bench_page.js stop())."""
    seconds = raw["seconds"] or 1.0
    snap0, snap = raw.get("snapshot0") or {}, raw.get("snapshot") or {}
    heap0, heap1 = raw.get("heapStartGc"), raw.get("heapEndGc")
    load = _get(raw, "start", "load") or {}
    cpu = raw.get("cpu_pct") or [None, None]
    delta = lambda key: (snap.get(key) or 0) - (snap0.get(key) or 0)  # noqa: E731
    figures = {
        "fps": raw["fps"],
        "painted_frames": raw["painted"],
        "raf_hz": raw["rafHz"],
        "frame_ms_p50": _get(raw, "frameMs", "p50"),
        "frame_ms_p95": _get(raw, "frameMs", "p95"),
        "frame_ms_max": _get(raw, "frameMs", "max"),
        "latency_ms_p50": _get(raw, "latencyMs", "p50"),
        "latency_ms_p95": _get(raw, "latencyMs", "p95"),
        "latency_samples": _get(raw, "latencyMs", "n"),
        "update_ms_p50": snap.get("updateMsP50"),  # from the engine, when it reports them
        "update_ms_p95": snap.get("updateMsP95"),
        "plotly_call_ms_p50": _get(raw, "plotlyCallMs", "p50"),  # harness-timed Plotly calls (sync part)
        "plotly_call_ms_p95": _get(raw, "plotlyCallMs", "p95"),
        "plotly_calls_per_s": (_get(raw, "plotlyCallMs", "n") or 0) / seconds,
        "long_tasks": _get(raw, "longTasks", "count"),
        "long_task_ms": _get(raw, "longTasks", "totalMs"),
        "long_task_max_ms": _get(raw, "longTasks", "maxMs"),
        "long_frames": _get(raw, "longFrames", "count"),
        "long_frame_ms": _get(raw, "longFrames", "totalMs"),
        "busy_fraction": raw.get("busyFraction"),
        "late": raw.get("late"),  # samples over two frames, long frames by cause (bench_late.js)
        "heap_start_mb": raw.get("heapStart"),
        "heap_end_mb": raw.get("heapEnd"),
        "heap_start_gc_mb": heap0,
        "heap_end_gc_mb": heap1,
        "heap_growth_pct": 100 * (heap1 - heap0) / heap0 if heap0 and heap1 else None,
        "requests_per_s": delta("requests") / seconds,
        "request_bytes_per_s": delta("requestBytes") / seconds,
        "tab_requests_per_s": _get(raw, "traffic", "count") / seconds,
        "tab_bytes_per_s": _get(raw, "traffic", "bytes") / seconds,
        "load_layout_bytes": load.get("layoutBytes"),
        "load_layout_decoded_bytes": load.get("layoutDecodedBytes"),
        "load_total_bytes": load.get("totalBytes"),
        "decode_ms": snap.get("decodeMs"),
        "ready_ms": opened.get("ready_ms"),
        "points": snap.get("points"),
        "decimated_bucket": (snap.get("decimated") or {}).get("bucket"),
        "engine_errors": delta("errors"),
        "skipped_samples": delta("skipped"),
        "browser_cpu_pct": cpu[0],
        "server_cpu_pct": cpu[1],
        "system_cpu_pct": raw.get("system_cpu_pct"),
        "other_cpu_pct": other_cpu(raw),
        "seconds": seconds,
        "source": raw.get("source"),
    }
    return {k: _r(v) for k, v in figures.items()}


def other_cpu(raw: dict) -> float | None:
    """CPU (% of one core) used during the measurement by processes other than this browser and server."""
    cpu = raw.get("cpu_pct") or [None, None]
    total = raw.get("system_cpu_pct")
    if total is None or None in cpu:
        return None
    return max(0.0, total - cpu[0] - cpu[1])


def validity(raw: dict, trace: str = "scatter") -> str | None:
    """Why a measurement is not valid (rAF not really ticking), or None when it is.

    WebGL cells are exempt from the rAF-rate rule: their frames are paced by the (software) GPU process,
    which main-thread timing does not see, so a slow rAF there is the renderer's cost, not throttling.
    """
    visible = raw.get("visible") or []
    if any(v != "visible" for v in visible):
        return f"page not visible ({'/'.join(map(str, visible))}): rAF is throttled"
    hz, busy = raw.get("rafHz") or 0, raw.get("busyFraction") or 0
    if hz < RAF_MIN_HZ and busy < BUSY_MIN and trace != "scattergl":
        return f"rAF ticked at {hz:.1f} Hz with the main thread {100 * busy:.0f}% busy: throttled, not loaded"
    return None


def merge_repeats(runs: list[dict]) -> dict:
    """Median of every numeric figure over repeats (the single run when there is one), into nested dicts too
    (the late-frame causes, the per-frame breakdown); anything else (lists, text, flags) is the first run's."""
    if len(runs) == 1:
        return dict(runs[0])
    out = {}
    for key in runs[0]:
        first = runs[0][key]
        values = [r[key] for r in runs if _number(r.get(key))]
        if _number(first) or (first is None and values):
            out[key] = _r(statistics.median(values)) if values else first
        elif isinstance(first, dict):
            nested = [r[key] for r in runs if isinstance(r.get(key), dict)]
            out[key] = merge_repeats(nested)
        else:
            out[key] = first
    return out


def _number(value: Any) -> bool:
    return isinstance(value, NUMERIC) and not isinstance(value, bool)


def _key(entry: dict, *names: str) -> tuple:
    return tuple(entry.get(n) for n in names)


def add_ratios(cells: list[dict], ceilings: dict, idle_raf_hz: float | None = None) -> None:
    """fps as a ratio to the react ceiling, to server-extend, to raw extendTraces, to clientside-raf at the same
    view (same decimate mode) and to the idle page's rAF rate (what any renderer could paint), all same run."""
    react = {
        _key(c, "traces", "trace"): c["fps"] for c in ceilings.get("react", []) if c.get("status") == "ok"
    }
    raw = {
        _key(c, "window", "channels", "trace"): c["fps"]
        for c in ceilings.get("extend", [])
        if c.get("status") == "ok"
    }
    server = {
        _key(c, "window", "channels", "trace"): c["fps"]
        for c in cells
        if c["strategy"] == "server-extend" and c["status"] == "ok" and not c.get("decimate")
    }
    raf = {
        _key(c, "window", "channels", "trace", "decimate"): c["fps"]
        for c in cells
        if c["strategy"] == "clientside-raf" and c["status"] == "ok"
    }

    def ratio(fps, base):
        return round(fps / base, 3) if isinstance(fps, NUMERIC) and base else None

    for c in cells:
        fps = c.get("fps") if c["status"] == "ok" else None
        c["ratio_react_ceiling"] = ratio(fps, react.get(_key(c, "channels", "trace")))
        c["ratio_server_extend"] = ratio(fps, server.get(_key(c, "window", "channels", "trace")))
        c["ratio_raw_extend"] = ratio(fps, raw.get(_key(c, "window", "channels", "trace")))
        c["ratio_clientside_raf"] = ratio(fps, raf.get(_key(c, "window", "channels", "trace", "decimate")))
        c["ratio_idle_raf"] = ratio(fps, idle_raf_hz)


def breakdown_of(entry: dict) -> dict | None:
    """A cell's (or ceiling's) per-frame breakdown when it has a usable one, else None (older results)."""
    b = entry.get("breakdown") if isinstance(entry, dict) else None
    return b if isinstance(b, dict) and b.get("frames") else None


def frame_budget(cells: list[dict]) -> list[dict]:
    """The frame budget check (reported, never asserted) for every measured cell with a breakdown: the
    Tickless engine's JS per frame, p95, against BUDGET; cells without a breakdown are left out."""
    key, what, op, target = BUDGET
    out = []
    for c in cells:
        b = breakdown_of(c) if c.get("status") == "ok" else None
        value = b.get("engine_ms_p95") if b else None
        if not isinstance(value, NUMERIC) or isinstance(value, bool):
            continue
        out.append(
            {
                "cell": c["id"],
                "budget": key,
                "what": what,
                "target": f"{op} {target:g}",
                "value": value,
                "met": value <= target,
            }
        )
    return out


def budget_text(rows: list[dict]) -> str:
    """One line: how many cells keep the engine within the frame budget, and the values of the others."""
    if not rows:
        return ""
    _, what, op, target = BUDGET
    over = ", ".join(f"{r['cell']} {r['value']:g}" for r in rows if not r["met"])
    met = sum(r["met"] for r in rows)
    return f"  {what} {op} {target:g}: {met}/{len(rows)} cells" + (f"; over: {over}" if over else "")


def breakdown_text(cells: list[dict], ceilings: dict, landing: dict | None = None) -> str:
    """Where each frame's main-thread time went (ms per frame, mean/p95), per measured cell and bare ceiling,
    and the engine's frame budget check (bench_results.BUDGET, reported, not asserted)."""
    entries = cells + ([landing] if landing else [])
    rows = [(c["id"], breakdown_of(c)) for c in entries if c.get("status") == "ok"]
    rows += [
        (f"react ceiling {c['traces']} x {c['points']} {c['trace']}", breakdown_of(c))
        for c in ceilings.get("react", []) + ([landing.get("ceiling") or {}] if landing else [])
        if c.get("status") == "ok"
    ]
    rows = [(label, b) for label, b in rows if b]
    if not rows:
        return "where each frame's time goes: no breakdown recorded"
    width = max(len(label) for label, _ in rows)
    head = f"{'ms per frame, mean/p95':<{width}}  " + "  ".join(f"{c:>12}" for c in BREAKDOWN)
    lines = ["where each frame's main-thread time goes (bench_page.js spans):", head]
    for label, b in rows:
        cols = (f"{_ms(b.get(f'{c}_ms_mean'))}/{_ms(b.get(f'{c}_ms_p95'))}" for c in BREAKDOWN)
        lines.append(f"{label:<{width}}  " + "  ".join(f"{v:>12}" for v in cols))
    budget = budget_text(frame_budget(entries))
    return "\n".join(lines + ([budget] if budget else []))


def late_text(cells: list[dict], landing: dict | None = None) -> str:
    """Why latency samples went over two frames, per measured entry with late figures (bench_late.js) and its
    adjacent ceiling: the share of samples late (the p95 goal allows 5%) and the long frames (a vsync missed)
    by what ran in them: a collection inside plotly's draw, the Dash renderer (>= 2 ms), both, or neither."""
    entries = [c for c in cells + ([landing] if landing else []) if c.get("status") == "ok"]
    rows = []
    for c in entries:
        for label, late in (
            (c["id"], c.get("late")),
            ("  its ceiling", (c.get("ceiling") or {}).get("late")),
        ):
            if isinstance(late, dict) and late.get("frames"):
                rows.append((label, late))
    if not rows:
        return ""
    width = max(len(label) for label, _ in rows)
    head = f"{'late samples; long frames by cause':<{width}}  {'late %':>6} {'long':>5} {'gc':>4} {'dash':>5} {'both':>5} {'other':>6}"
    lines = ["why latency went over two frames (bench_late.js; the p95 goal allows 5% late):", head]
    for label, x in rows:
        lines.append(
            f"{label:<{width}}  {_fmt(x.get('late_pct')):>6} {x.get('long', 0):>5} {x.get('gc', 0):>4} "
            f"{x.get('dash', 0):>5} {x.get('gc_dash', 0):>5} {x.get('other', 0):>6}"
        )
    return "\n".join(lines)


def _ms(value) -> str:
    return f"{value:.1f}" if isinstance(value, (int, float)) else "–"


def _fmt(value: Any, spec: str = ".1f") -> str:
    return format(value, spec) if isinstance(value, NUMERIC) else "–"


def _breakdown_columns(c: dict) -> str:
    b = breakdown_of(c) or {}
    means = " ".join(f"{_fmt(b.get(f'{cat}_ms_mean')):>5}" for cat in BREAKDOWN[:4])
    return f" {means} {_fmt(b.get('engine_ms_p95')):>5}"


def table(cells: list[dict]) -> str:
    """A short fixed-width table of every cell; with the frame breakdown (mean ms per frame of plotly, the
    engine, the Dash renderer and the rest, and the engine's p95) when any cell has one."""
    split = any(breakdown_of(c) for c in cells)
    head = (
        f"{'strategy':<20} {'window':>7} {'ch':>2} {'trace':<9} {'dec':<4} {'fps':>5} {'×ceil':>5} "
        f"{'×srv':>5} {'×raw':>5} {'×raf':>5} {'lat50':>6} {'lat95':>6} {'frm95':>6} {'heap%':>6} "
        f"{'req/s':>5}"
    )
    if split:
        head += f" {'plot':>5} {'eng':>5} {'dash':>5} {'rest':>5} {'eng95':>5}"
    head += "  status"
    lines = [head, "-" * len(head)]
    for c in cells:
        status = c["status"] if c["status"] == "ok" else f"{c['status']}: {c.get('reason', '')}"[:60]
        trace = "gl(sw)" if c.get("software_webgl") else c["trace"]
        if c["status"] == "ok" and any(n.startswith("contended") for n in c.get("notes", [])):
            status = "ok (contended CPU)"
        lines.append(
            f"{c['strategy']:<20} {c['window']:>7} {c['channels']:>2} {trace:<9} {c.get('decimate') or '':<4} "
            f"{_fmt(c.get('fps')):>5} {_fmt(c.get('ratio_adjacent_ceiling') or c.get('ratio_react_ceiling'), '.2f'):>5} "
            f"{_fmt(c.get('ratio_server_extend'), '.2f'):>5} {_fmt(c.get('ratio_raw_extend'), '.2f'):>5} "
            f"{_fmt(c.get('ratio_clientside_raf'), '.2f'):>5} "
            f"{_fmt(c.get('latency_ms_p50'), '.0f'):>6} {_fmt(c.get('latency_ms_p95'), '.0f'):>6} "
            f"{_fmt(c.get('frame_ms_p95'), '.0f'):>6} {_fmt(c.get('heap_growth_pct'), '+.1f'):>6} "
            f"{_fmt(c.get('requests_per_s'), '.1f'):>5}"
            + (_breakdown_columns(c) if split else "")
            + f"  {status}"
        )
    if split:
        lines.append(
            "plot/eng/dash/rest: mean ms per frame (bench_page.js breakdown); eng95: engine p95 ms per frame"
        )
    return "\n".join(lines)
