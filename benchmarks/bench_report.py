"""The browser benchmark's part of the report: plotly figures, an HTML table and a markdown summary.

`browser_section(results_dir)` gives benchmarks/report.py a Section from the newest browser-*.json;
`browser_figures(doc)`, `browser_markdown(doc)` and `browser_table_html(doc)` work on a loaded document.
PNGs are drawn by the report's one renderer, report_kit.write_pngs. This module imports report_kit only.

    .venv/bin/python -m benchmarks.bench_report     # browser-summary.md + browser-*.png in benchmarks/results
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import bench_goals
from . import bench_results as res
from .bench_browser import human
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
    """The newest browser-*.json (names carry a sortable timestamp)."""
    files = sorted(p for p in results_dir.glob("browser-*.json") if not p.name.endswith(".tmp"))
    return files[-1] if files else None


def _ok(entries: list[dict]) -> list[dict]:
    return [e for e in entries if e.get("status") == "ok"]


def _series_key(c: dict) -> tuple:
    return (c["strategy"], c["channels"], c["trace"], c.get("decimate") or "")


def _name(c: dict) -> str:
    dec = f", decimate={c['decimate']}" if c.get("decimate") else ""
    gl = ", scattergl" if c["trace"] == "scattergl" else ""
    gl += " (software WebGL)" if gl and c.get("software_webgl") else ""
    return f"{c['strategy']}, {c['channels']} ch{gl}{dec}"


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


def breakdown_rows(doc: dict) -> list[tuple[str, dict, dict]]:
    """(name, breakdown, entry) of every measured cell and ceiling page that recorded a frame breakdown."""
    rows = [(c["id"], res.breakdown_of(c), c) for c in _ok(doc["cells"])]
    for r in _ok(doc["ceilings"].get("react", [])):
        rows.append(
            (f"react ceiling (bare page), {r['traces']} × {r['points']:,} pts", res.breakdown_of(r), r)
        )
    for e in _ok(doc["ceilings"].get("extend", [])):
        name = f"raw extendTraces (bare page), w={human(e['window'])} ch={e['channels']} {e['trace']}"
        rows.append((name, res.breakdown_of(e), e))
    return [(name, b, entry) for name, b, entry in rows if b]


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


def _ms(value, share=None) -> str:
    if not isinstance(value, (int, float)):
        return "–"
    return f"{value:.1f}" + (f" ({100 * share:.0f}%)" if isinstance(share, (int, float)) else "")


def breakdown_table(doc: dict) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the frame breakdown table (empty when no cell recorded one)."""
    budget = {r["cell"]: r for r in res.frame_budget(doc["cells"])}
    head = ["cell", "frame p50 / p95 ms"]
    head += [f"{res.BREAKDOWN_NAMES[c]} ms/frame" for c in res.BREAKDOWN]
    head += ["engine p95 ms", f"engine budget ≤ {res.BUDGET[3]:g} ms"]
    rows = []
    for name, b, entry in breakdown_rows(doc):
        check = budget.get(entry.get("id")) if "id" in entry else None
        row = [name, f"{_ms(b.get('frame_ms_p50'))} / {_ms(b.get('frame_ms_p95'))}"]
        row += [_ms(b.get(f"{c}_ms_mean"), b.get(f"{c}_share")) for c in res.BREAKDOWN]
        row += [_ms(b.get("engine_ms_p95")), ("met" if check["met"] else "**over**") if check else "–"]
        rows.append(row)
    return head, rows


def breakdown_markdown(doc: dict) -> str:
    """The frame breakdown as markdown, with the budget line; "" when no cell recorded a breakdown."""
    head, rows = breakdown_table(doc)
    if not rows:
        return ""
    lines = [
        "",
        "Where each frame's main-thread time goes (mean ms per animation frame, share of the wall time):",
        "",
        "| " + " | ".join(head) + " |",
        "|---|" + "---:|" * (len(head) - 1),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    text = res.budget_text(res.frame_budget(doc["cells"])).strip()
    lines += ["", f"Frame budget: {text}." if text else "Frame budget: no cell recorded the engine's JS."]
    return "\n".join(lines) + "\n"


def breakdown_table_html(doc: dict) -> str:
    """The frame breakdown as an HTML table with the budget line ("" when no cell recorded a breakdown)."""
    head, rows = breakdown_table(doc)
    if not rows:
        return ""
    header = "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(v.replace('**', ''))}</td>" for v in row) + "</tr>"
        for row in rows
    )
    text = res.budget_text(res.frame_budget(doc["cells"])).strip()
    return (
        "<h3>Where each frame's main-thread time goes</h3>"
        f"<table><thead>{header}</thead><tbody>{body}</tbody></table>"
        f"<p>Frame budget: {html.escape(text or 'no cell recorded the engine JS')}.</p>"
    )


def _cell_text(c: dict | None) -> str:
    if c is None:
        return ""
    if c["status"] != "ok":
        return c["status"]
    lat = c.get("latency_ms_p95")
    ratio = c.get("ratio_react_ceiling")
    text = f"{c['fps']:.1f}"
    if ratio is not None:
        text += f" ({ratio:.2f}×)"
    if lat is not None:
        text += f" · {lat:.0f} ms"
    return text


def _grid(doc: dict) -> tuple[list[int], list[tuple[str, dict[int, dict]]]]:
    windows = sorted({c["window"] for c in doc["cells"]})
    rows: dict[tuple, dict[int, dict]] = {}
    for c in doc["cells"]:
        rows.setdefault(_series_key(c), {})[c["window"]] = c
    named = []
    for cells in rows.values():
        first = next(iter(cells.values()))
        named.append((_name(first), cells))
    for e in doc["ceilings"].get("extend", []):
        key = f"raw extendTraces (bare page), {e['channels']} ch" + (
            ", scattergl" if e["trace"] == "scattergl" else ""
        )
        found = next((cells for name, cells in named if name == key), None)
        if found is None:
            found = {}
            named.append((key, found))
        found[e["window"]] = {**e, "ratio_react_ceiling": None}
    return windows, named


def browser_markdown(doc: dict) -> str:
    """A markdown summary: fps (ratio to the react ceiling) · latency p95 per strategy and window."""
    windows, named = _grid(doc)
    head = "| strategy | " + " | ".join(human(w) for w in windows) + " |"
    lines = [head, "|---|" + "---:|" * len(windows)]
    for name, cells in named:
        lines.append(f"| {name} | " + " | ".join(_cell_text(cells.get(w)) for w in windows) + " |")
    react = ", ".join(
        f"{r['traces']} × {r['points']:,} pts {r['trace']}: **{r['fps']:.1f} fps**"
        for r in _ok(doc["ceilings"].get("react", []))
    )
    applies = [g for g in doc.get("goals", []) if g.get("met") is not None]  # n/a: bench_goals.py
    met = sum(1 for g in applies if g["met"])
    b = doc.get("browser", {})
    lines += [
        "",
        "Cells: painted frames/s (× the react ceiling of the same trace count) · data-to-paint latency p95.",
        f"React ceiling (bare page, Plotly.react every frame, fixed ranges): {react or 'not measured'}.",
        f"Goals met: {met}/{len(applies)} (clientside cells and the default page; per cell below). "
        f"{doc.get('machine', {}).get('cores')} cores, {b.get('browser')} {b.get('browser_version')}, "
        f"WebGL: {b.get('webgl_renderer')}; source: `benchmarks/results/browser-{doc['stamp']}.json`.",
    ]
    return "\n".join(lines) + "\n" + breakdown_markdown(doc) + bench_goals.goals_markdown(doc)


def browser_table_html(doc: dict) -> str:
    """The same summary as an HTML table (for report.html)."""
    windows, named = _grid(doc)
    header = "<tr><th>strategy</th>" + "".join(f"<th>{human(w)}</th>" for w in windows) + "</tr>"
    body = "".join(
        f"<tr><td>{html.escape(name)}</td>"
        + "".join(f"<td>{html.escape(_cell_text(cells.get(w)))}</td>" for w in windows)
        + "</tr>"
        for name, cells in named
    )
    return f"<table><thead>{header}</thead><tbody>{body}</tbody></table>"


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
