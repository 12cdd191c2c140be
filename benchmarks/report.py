"""Turn the newest benchmark results into a report: one HTML page of plotly charts, and PNGs for the README.

Each benchmark contributes a section built from its newest JSON in benchmarks/results/: the load benchmark
(`load-*.json`, loadtest/run.py) here; the browser benchmark adds a function to SECTIONS. plotly.js is copied
from the plotly package next to the page (no CDN); PNGs are screenshots of each chart in headless Chromium
(selenium + chromedriver, as the browser tests use), so no kaleido or matplotlib is needed.

    .venv/bin/python -m benchmarks.report            # benchmarks/results/report.html + load-*.png
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import plotly
import plotly.graph_objects as go

from loadtest import scenarios

from . import chrome

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
WIDTH, HEIGHT = 960, 480
CHROME_FLAGS = ["--headless", *chrome.CLOSED_NETWORK, "--window-size=1100,900"]
COLORS = {
    "clientside-raf": "#1b9e77",
    "clientside-interval": "#66a61e",
    "component": "#e6ab02",
    "server-extend": "#d95f02",
    "server-patch": "#7570b3",
    "server-figure": "#e7298a",
    "any-dash": "#666666",
}


@dataclass
class Section:
    """One benchmark's part of the report: a title, a short text, an HTML table and charts (id → figure)."""

    title: str
    intro: str
    table: str = ""
    figures: dict[str, go.Figure] = field(default_factory=dict)
    source: str = ""


def newest(results_dir: Path, pattern: str) -> Path | None:
    """The newest results file matching a glob (names carry a sortable timestamp)."""
    files = sorted(results_dir.glob(pattern))
    return files[-1] if files else None


def _layout(fig: go.Figure, title: str, x: str, y: str, log_x: bool = True) -> go.Figure:
    fig.update_layout(
        title=title,
        width=WIDTH,
        height=HEIGHT,
        template="plotly_white",
        xaxis={"title": x, "type": "log" if log_x else "linear"},
        yaxis={"title": y},
        legend={"font": {"size": 11}},
        margin={"l": 70, "r": 20, "t": 60, "b": 60},
    )
    return fig


def _symbol(step: dict) -> str:
    """Circle: passed; x: failed; open: other processes used the CPU meanwhile (a noisy step)."""
    base = "circle" if step["ok"] else "x"
    return base + ("-open" if (step.get("machine") or {}).get("noisy") else "")


def _series(doc: dict, metric: Callable[[dict], float | None]) -> list[go.Scatter]:
    traces = []
    for res in doc["results"]:
        sc, steps = res["scenario"], res.get("steps") or []
        if not steps:
            continue
        traces.append(
            go.Scatter(
                x=[s["users"] for s in steps],
                y=[metric(s) for s in steps],
                name=sc["name"],
                mode="lines+markers",
                line={"color": COLORS.get(sc["strategy"]), "dash": "solid" if sc["headline"] else "dot"},
                marker={"symbol": [_symbol(s) for s in steps], "size": 9},
            )
        )
    return traces


def _fails(row: dict) -> str:
    return f" (fails at {row['fails_at']})" if row.get("fails_at") else ""


def load_figures(doc: dict) -> dict[str, go.Figure]:
    """Latency, throughput and server CPU against users per scenario, and users held against frames/s."""
    limit = doc["p95_limit_ms"]
    traces = _series(doc, lambda s: s["p95_ms"])
    users = [x for t in traces for x in t.x] or [1]
    traces.append(
        go.Scatter(
            x=[min(users), max(users)],
            y=[limit, limit],
            name=f"limit {limit:g} ms",
            mode="lines",
            line={"color": "#999", "dash": "dash"},
        )
    )
    latency = _layout(go.Figure(traces), "p95 latency of steady-state calls", "users", "ms (log)")
    latency.update_yaxes(type="log")
    throughput = _layout(
        go.Figure(_series(doc, lambda s: s["rps"])), "Requests served per second", "users", "req/s"
    )
    cpu = _layout(
        go.Figure(_series(doc, lambda s: (s.get("server") or {}).get("cpu_percent"))),
        "Server CPU (gunicorn master + workers; 100% = one core)",
        "users",
        "% of one core",
    )
    rows = [r for r in doc["headline"]["rows"] if r["fps"]]
    held = go.Figure(
        go.Bar(
            y=[r["scenario"] for r in rows],
            x=[r["max_users"] for r in rows],
            orientation="h",
            marker_color=[COLORS.get(r["strategy"]) for r in rows],
            text=[
                f"{'≥' if r['lower_bound'] else ''}{r['max_users']} users{_fails(r)} · {r['fps']:g} fps · "
                f"{r['requests_per_frame']:.3g} req/frame"
                for r in rows
            ],
            textposition="auto",
        )
    )
    _layout(
        held, f"Users held at p95 < {limit:g} ms, and the frames/s each setting paints", "users", "", False
    )
    held.update_layout(margin={"l": 230}, yaxis={"autorange": "reversed", "title": None})
    return {
        "load-latency": latency,
        "load-throughput": throughput,
        "load-server-cpu": cpu,
        "load-users": held,
    }


def load_table(doc: dict) -> str:
    """The headline table as HTML: max users per scenario, frames/s, requests per frame, ratio to the baseline."""
    head = doc["headline"]
    cells = [
        "scenario",
        "frames/s",
        "req/frame",
        f"max users at p95 < {doc['p95_limit_ms']:g} ms",
        "user-frames/s",
    ]
    cells.append(f"× {head['baseline']}")
    rows = []
    for r in head["rows"]:
        bound = "≥ " if r["lower_bound"] else ""
        ratio = f"{bound}{r['ratio_to_baseline']:g}×" if r["ratio_to_baseline"] is not None else "–"
        per_frame = "–" if r["requests_per_frame"] is None else f"{r['requests_per_frame']:.3g}"
        values = [r["scenario"], f"{r['fps']:g}", per_frame, f"{bound}{r['max_users']}{_fails(r)}"]
        values += [f"{bound}{r['user_frames_per_s']:g}", ratio]
        style = ' class="headline"' if r["headline"] else ""
        rows.append(f"<tr{style}>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in values) + "</tr>")
    header = "<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in cells) + "</tr>"
    return f"<table><thead>{header}</thead><tbody>{''.join(rows)}</tbody></table>"


def load_section(results_dir: Path) -> Section | None:
    """The load benchmark's section, from the newest load-*.json."""
    path = newest(results_dir, "load-*.json")
    if path is None:
        return None
    doc = json.loads(path.read_text())
    doc["headline"] = scenarios.headline(doc["results"])  # recomputed: files from older runs read the same
    srv = doc["server"]
    where = srv["target"] or f"gunicorn, {srv['workers']} {srv['worker_class']} workers"
    intro = (
        f"{where} on a {doc['machine']['cpus']}-core machine, locust (FastHttpUser) on the same machine; "
        f"steps of {doc['options']['steps']} users, {doc['options']['step_seconds']:g} s measured per step after "
        "every page load; a step passes while the p95 of steady-state calls stays below "
        f"{doc['p95_limit_ms']:g} ms with ≤ 1% failures. Bold rows: each strategy at the app's defaults. "
        "'≥' marks a lower bound (every step passed, or the client ran out of CPU first)."
    )
    noisy = sum(
        bool((st.get("machine") or {}).get("noisy")) for r in doc["results"] for st in r.get("steps", [])
    )
    if noisy:
        intro += (
            f" {noisy} step(s) ran while other processes used the CPU (open markers): treat them with care."
        )
    return Section("Load: users each strategy holds", intro, load_table(doc), load_figures(doc), path.name)


def browser_section(results_dir: Path) -> Section | None:
    """The browser benchmark's section (benchmarks/bench_report.py), when that module is present."""
    try:
        from .bench_report import browser_section as build
    except ImportError:
        return None
    return build(results_dir)


SECTIONS: list[Callable[[Path], Section | None]] = [load_section, browser_section]

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Tickless benchmarks</title>
<script src="plotly.min.js"></script>
<style>body{{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#222}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:4px 8px;text-align:right}}
td:first-child,th:first-child{{text-align:left}}tr.headline{{font-weight:bold}}.src{{color:#777;font-size:90%}}</style>
</head><body><h1>Tickless benchmarks</h1>{body}</body></html>
"""


def render(sections: list[Section], out: Path) -> list[str]:
    """Write the HTML page (and plotly.min.js beside it); return the chart div ids."""
    shutil.copyfile(
        Path(plotly.__file__).parent / "package_data" / "plotly.min.js", out.parent / "plotly.min.js"
    )
    parts, ids = [], []
    for sec in sections:
        parts.append(f"<h2>{html.escape(sec.title)}</h2><p>{html.escape(sec.intro)}</p>{sec.table}")
        for div_id, fig in sec.figures.items():
            parts.append(fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id))
            ids.append(div_id)
        parts.append(f'<p class="src">source: benchmarks/results/{html.escape(sec.source)}</p>')
    out.write_text(PAGE.format(body="\n".join(parts)), encoding="utf-8")
    return ids


def screenshots(page: Path, ids: list[str], out_dir: Path) -> list[Path]:
    """PNG of every chart, drawn by plotly.js itself (Plotly.toImage) in headless Chromium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options)
    driver.set_script_timeout(60)
    written = []
    try:
        driver.get(page.resolve().as_uri())
        for div_id in ids:
            url = driver.execute_async_script(TO_IMAGE, div_id, WIDTH, HEIGHT)
            if not isinstance(url, str) or not url.startswith("data:image/png;base64,"):
                raise RuntimeError(f"chart {div_id} did not render: {str(url)[:200]}")
            path = out_dir / f"{div_id}.png"
            path.write_bytes(base64.b64decode(url.split(",", 1)[1]))
            written.append(path)
    finally:
        driver.quit()
    return written


TO_IMAGE = """
const [id, width, height, done] = arguments;
const start = Date.now();
(function poll() {
  const gd = document.getElementById(id);
  if (gd && gd._fullLayout && window.Plotly) {
    Plotly.toImage(gd, {format: "png", width, height, scale: 1}).then(done, (e) => done(String(e)));
  } else if (Date.now() - start > 30000) {
    done("timeout");
  } else {
    setTimeout(poll, 100);
  }
})();
"""


def main(argv: list[str] | None = None) -> int:
    """Build the report from the newest results; 1 if there are none."""
    p = argparse.ArgumentParser(prog="benchmarks.report", description=__doc__.split("\n\n")[0])
    p.add_argument("--results-dir", type=Path, default=RESULTS)
    p.add_argument("--no-png", action="store_true", help="skip the PNG screenshots (no browser needed)")
    args = p.parse_args(argv)
    sections = [s for s in (make(args.results_dir) for make in SECTIONS) if s is not None]
    if not sections:
        print(f"report: no results in {args.results_dir}; run `make loadtest` first", file=sys.stderr)
        return 1
    page = args.results_dir / "report.html"
    ids = render(sections, page)
    print(f"report: wrote {page}")
    if not args.no_png:
        for path in screenshots(page, ids, args.results_dir):
            print(f"report: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
