"""The browser benchmark's part of the report: plotly figures, an HTML table and a markdown summary.

`browser_section(results_dir)` gives benchmarks/report.py a Section from the newest browser-*.json;
`browser_figures(doc)` works on a loaded document; the text summaries (`browser_markdown`, `browser_table_html`) are
in bench_tables.py.
PNGs are drawn by the report's one renderer, report_kit.write_pngs. This module imports report_kit only.

    .venv/bin/python -m benchmarks.bench_report     # browser-summary.md + browser-*.png in benchmarks/results
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import bench_results as res
from . import report_kit
from .bench_browser import human
from .bench_tables import (
    _name,
    _ok,
    _series_key,
    breakdown_rows,
    breakdown_table_html,
    browser_markdown,
    browser_table_html,
)
from .report_kit import COLORS, HEIGHT, RESULTS, WIDTH, Section, write_pngs

DASHES = {1: "solid", 4: "dot"}
SPLIT_COLORS = {
    "plotly": "#3b5bdb",
    "engine": "#1b9e77",
    "dash": "#d95f02",
    "other": "#9aa4b8",
    "idle": "#e1e4ea",
}


def newest(results_dir: Path = RESULTS) -> Path | None:
    """The newest full browser run (browser-*.json, not `--quick`: the README's figures come from a full run), else
    the newest of any kind."""
    found = report_kit.newest(
        results_dir, "browser-*.json", lambda doc: not (doc.get("settings") or {}).get("quick")
    )
    found = found or report_kit.newest(results_dir, "browser-*.json")
    return found[0] if found else None


def _layout(fig: go.Figure, title: str, y: str, windows: list[int], log_y: bool = False) -> go.Figure:
    ticks = [human(w) for w in windows]
    fig.update_layout(
        title=title,
        width=WIDTH,
        height=HEIGHT,
        template="plotly_white",
        xaxis={"title": "window (points per trace)", "type": "log", "tickvals": windows, "ticktext": ticks},
        yaxis={"title": y, "type": "log" if log_y else "linear"},
        legend={"font": {"size": 10}},
        margin={"l": 70, "r": 20, "t": 60, "b": 60},
    )
    return fig


def _open(decimate: str) -> str:
    return "-open" if decimate == "off" else ""


def _lines(cells: list[dict], metric: str, extra: list[dict] | None = None) -> list[go.Scatter]:
    groups: dict[tuple, list[dict]] = {}
    for c in sorted(_ok(cells), key=lambda c: c["window"]):
        if c.get(metric) is not None:
            groups.setdefault(_series_key(c), []).append(c)
    traces = []
    for key, rows in groups.items():
        traces.append(
            go.Scatter(
                x=[r["window"] for r in rows],
                y=[r[metric] for r in rows],
                name=_name(rows[0]),
                mode="lines+markers",
                line={
                    "color": COLORS.get(key[0]),
                    "dash": DASHES.get(key[1], "dash"),
                    "width": 1.2 if key[3] == "off" else 2.5,
                },
                marker={
                    "symbol": ("diamond" if key[2] == "scattergl" else "circle") + _open(key[3]),
                    "size": 8,
                },
            )
        )
    return traces + (extra or [])


def browser_figures(doc: dict) -> dict[str, go.Figure]:
    """fps against window (with both ceilings and 60 Hz), latency p95, and JS heap change per cell."""
    cells, ceilings = doc["cells"], doc["ceilings"]
    windows = sorted({c["window"] for c in cells}) or [1000]
    extra = []
    raw = {}
    for e in _ok(ceilings.get("extend", [])):
        raw.setdefault((e["channels"], e["trace"]), []).append(e)
    for (n, trace), rows in raw.items():
        rows.sort(key=lambda e: e["window"])
        extra.append(
            go.Scatter(
                x=[e["window"] for e in rows],
                y=[e["fps"] for e in rows],
                name=f"raw extendTraces (bare page), {n} ch{', scattergl' if trace == 'scattergl' else ''}",
                mode="lines+markers",
                line={"color": COLORS["raw extendTraces"], "dash": DASHES.get(n, "dash")},
                marker={"symbol": "x", "size": 8},
            )
        )
    for r in _ok(ceilings.get("react", [])):
        extra.append(
            go.Scatter(
                x=[windows[0], windows[-1]],
                y=[r["fps"], r["fps"]],
                name=f"react ceiling, {r['traces']} × {r['points']:,} pts {r['trace']}",
                mode="lines",
                line={"color": "#999999", "dash": "dash" if r["traces"] == 1 else "dashdot", "width": 1},
            )
        )
    extra.append(
        go.Scatter(
            x=[windows[0], windows[-1]],
            y=[60, 60],
            name="display 60 Hz",
            mode="lines",
            line={"color": "#ccc"},
        )
    )
    fps = _layout(go.Figure(_lines(cells, "fps", extra)), "Painted frames per second", "frames/s", windows)
    goal = go.Scatter(
        x=[windows[0], windows[-1]],
        y=[33, 33],
        name="goal 33 ms",
        mode="lines",
        line={"color": "#999", "dash": "dash"},
    )  # a trace, not add_hline: shapes on a log axis take log10 coordinates
    latency = _layout(
        go.Figure(_lines(cells, "latency_ms_p95", [goal])),
        "Data-to-paint latency, p95",
        "ms (log)",
        windows,
        True,
    )
    heap_cells = [c for c in _ok(cells) if c.get("heap_growth_pct") is not None]
    heap = go.Figure(
        go.Bar(
            x=[c["id"] for c in heap_cells],
            y=[c["heap_growth_pct"] for c in heap_cells],
            marker_color=[COLORS.get(c["strategy"]) for c in heap_cells],
            hovertext=[f"{c['heap_start_gc_mb']:.0f} → {c['heap_end_gc_mb']:.0f} MB" for c in heap_cells],
        )
    )
    heap.update_layout(
        title="JS heap change over the measurement, after a forced GC (goal: within ±10%)",
        width=WIDTH,
        height=HEIGHT,
        template="plotly_white",
        yaxis={"title": "%"},
        xaxis={"tickfont": {"size": 8}},
        margin={"l": 70, "r": 20, "t": 60, "b": 160},
    )
    for y in (-10, 10):
        heap.add_hline(y=y, line={"color": "#999", "dash": "dash"})
    figures = {"browser-fps": fps, "browser-latency": latency, "browser-heap": heap}
    split = breakdown_figure(doc)
    if split is not None:
        figures["browser-breakdown"] = split
    return figures


def breakdown_figure(doc: dict) -> go.Figure | None:
    """Where each frame's main-thread time goes, per cell (mean ms per frame by category, stacked), beside the
    engine's p95 against the frame budget; None when no cell recorded a breakdown."""
    rows = breakdown_rows(doc)
    if not rows:
        return None
    names = [name for name, _, _ in rows]
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        column_widths=[0.72, 0.28],
        horizontal_spacing=0.02,
        subplot_titles=("mean ms per frame", f"engine JS p95 (budget {res.BUDGET[3]:g} ms)"),
    )
    for cat in res.BREAKDOWN:
        fig.add_trace(
            go.Bar(
                y=names,
                x=[b.get(f"{cat}_ms_mean") for _, b, _ in rows],
                name=res.BREAKDOWN_NAMES[cat],
                orientation="h",
                marker_color=SPLIT_COLORS[cat],
                hovertext=[f"{100 * (b.get(f'{cat}_share') or 0):.0f}% of the wall time" for _, b, _ in rows],
            ),
            row=1,
            col=1,
        )
    p95 = [b.get("engine_ms_p95") for _, b, _ in rows]
    fig.add_trace(
        go.Bar(
            y=names,
            x=p95,
            orientation="h",
            name="engine JS p95",
            showlegend=False,
            marker_color=["#1b9e77" if (v or 0) <= res.BUDGET[3] else "#b3261e" for v in p95],
        ),
        row=1,
        col=2,
    )
    fig.add_vline(x=res.BUDGET[3], line={"color": "#b3261e", "dash": "dash"}, row=1, col=2)
    fig.update_layout(
        title="Where each frame's main-thread time goes (performance.measure spans + requestIdleCallback)",
        barmode="stack",
        width=WIDTH,
        height=max(HEIGHT, 140 + 22 * len(rows)),
        template="plotly_white",
        legend={
            "orientation": "h",
            "x": 0,
            "y": 0,
            "yanchor": "bottom",
            "yref": "container",
            "font": {"size": 10},
        },
        yaxis={"autorange": "reversed", "tickfont": {"size": 9}},
        margin={"l": 330, "r": 20, "t": 70, "b": 80},
    )
    return fig


def browser_section(results_dir: Path = RESULTS) -> Section | None:
    """A benchmarks.report Section for the newest browser-*.json, or None when there is none."""
    path = newest(results_dir)
    if path is None:
        return None
    doc = json.loads(path.read_text())
    s = doc["settings"]
    intro = (
        f"Headless Chromium ({doc['browser']['browser_version']}, software rendering) on a "
        f"{doc['machine']['cores']}-core machine; gunicorn with {s['workers']} workers on the same machine. "
        f"Dataset at {s['rate']:,} Hz replayed at {s['speed']:g}×; {s['warmup_s']:g} s warm-up then "
        f"{s['duration_s']:g} s measured per cell. Cells: frames painted per second (ratio to the react "
        "ceiling measured in the same run) · data-to-paint latency p95."
    )
    table = browser_table_html(doc) + breakdown_table_html(doc)
    return Section("Browser: what each strategy paints", intro, table, browser_figures(doc), path.name)


def main(argv: list[str] | None = None) -> int:
    """Write browser-summary.md and the browser PNGs from the newest browser-*.json; 1 if there is none."""
    p = argparse.ArgumentParser(prog="benchmarks.bench_report", description=__doc__.split("\n\n")[0])
    p.add_argument("--results-dir", type=Path, default=RESULTS)
    p.add_argument("--no-png", action="store_true", help="only the markdown summary (no browser needed)")
    args = p.parse_args(argv)
    path = newest(args.results_dir)
    if path is None:
        print(
            f"bench_report: no browser-*.json in {args.results_dir}; run `make bench` first", file=sys.stderr
        )
        return 1
    doc = json.loads(path.read_text())
    summary = args.results_dir / "browser-summary.md"
    summary.write_text(browser_markdown(doc), encoding="utf-8")
    print(f"bench_report: wrote {summary}")
    if not args.no_png:
        for png in write_pngs(browser_figures(doc), args.results_dir):
            print(f"bench_report: wrote {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
