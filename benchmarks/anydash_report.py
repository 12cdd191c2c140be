"""The report of a load run against any other Dash app (`make loadtest TARGET=http://127.0.0.1:PORT`).

Reads the newest anydash-*.json (or an older load-*.json that carries a --target) and gives the app its own
section, written to its own page and PNGs (anydash-report.html, anydash-*.png): never Tickless's report or
figures. It says what the load mode found (callbacks on Interval timers with their period and outputs,
initial and chained calls), what it skipped and why, the users held (a bracket once bisected), latency and
bytes; nothing about frames, strategies or ratios to a Tickless strategy.
"""

from __future__ import annotations

import html
from pathlib import Path

import plotly.graph_objects as go

from loadtest import scenarios

from .report_kit import Section, held_text, html_table, layout, limit_line, newest

PAGE_NAME = "anydash-report.html"
COLOR = "#3b5bdb"


def is_target(doc: dict) -> bool:
    """A run against an app this harness did not start (--target)."""
    return doc.get("kind") == "load-target" or (
        doc.get("kind") == "load" and bool((doc.get("server") or {}).get("target"))
    )


def select(results_dir: Path) -> tuple[Path, dict] | None:
    """The newest run against another app: anydash-*.json first, else an older load-*.json with a target."""
    return newest(results_dir, "anydash-*.json", is_target) or newest(results_dir, "load-*.json", is_target)


def _plan(doc: dict) -> dict:
    """What the planner found: from the app's description, else from the locust notes (older files)."""
    plan = (doc.get("app") or {}).get("plan")
    if plan:
        return plan
    for res in doc["results"]:
        notes = (res.get("done") or {}).get("notes") or {}
        if notes.get("plan"):
            old = notes["plan"]  # older runs: timers and skipped as lines
            return {
                "initial": old.get("initial", []),
                "timers": [{"callback": t} for t in old.get("timers", [])],
                "chained": [],
                "skipped": [
                    dict(zip(("callback", "reason"), (line.split(": ", 1) + [""])[:2], strict=True))
                    for line in old.get("skipped", [])
                ],
            }
    return {"initial": [], "timers": [], "chained": [], "skipped": []}


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>" if items else "<p>none</p>"


def found_html(plan: dict) -> str:
    """What was found and what was skipped (and why), as HTML lists."""
    timers = []
    for t in plan["timers"]:
        period = f" every {t['period_ms']:g} ms ({t['interval']})" if t.get("period_ms") is not None else ""
        outputs = f" → {', '.join(t['outputs'])}" if t.get("outputs") else ""
        timers.append(f"{t['callback']}{period}{outputs}")
    return (
        "<h3>What the load mode found</h3><p>Callbacks fired on Interval timers:</p>"
        + _list(timers)
        + "<p>Called when the page loads:</p>"
        + _list(plan["initial"])
        + "<p>Fired by the timers' replies (chained):</p>"
        + _list(plan.get("chained") or [])
        + "<h3>Skipped, and why</h3>"
        + _list([f"{s['callback']}: {s['reason']}" for s in plan["skipped"]])
    )


def _num(value, spec: str = "g") -> str:
    return "–" if value is None else format(value, spec)


def figures(doc: dict) -> dict[str, go.Figure]:
    """p95 latency and requests served against users (a run may hold several scenarios: one line each)."""
    limit = doc["p95_limit_ms"]
    lat, rps = [], []
    for res in doc["results"]:
        steps = sorted(res.get("steps") or [], key=lambda s: s["users"])
        if not steps:
            continue
        x = [s["users"] for s in steps]
        marker = {"symbol": ["circle" if s["ok"] else "x" for s in steps], "size": 9, "color": COLOR}
        name = res["scenario"]["name"]
        lat.append(
            go.Scatter(x=x, y=[s["p95_ms"] for s in steps], name=name, mode="lines+markers", marker=marker)
        )
        rps.append(
            go.Scatter(x=x, y=[s["rps"] for s in steps], name=name, mode="lines+markers", marker=marker)
        )
    lat.append(limit_line([u for t in lat for u in t.x], limit))
    latency = layout(go.Figure(lat), "p95 latency of steady-state callback calls", "users (tabs)", "ms (log)")
    latency.update_yaxes(type="log")
    throughput = layout(go.Figure(rps), "Callback requests served per second", "users (tabs)", "req/s")
    return {"anydash-latency": latency, "anydash-throughput": throughput}


def section(results_dir: Path) -> Section | None:
    """The foreign app's section, from its newest run; None when there is none."""
    found = select(results_dir)
    if found is None:
        return None
    path, doc = found
    app = doc.get("app") or {"url": (doc.get("server") or {}).get("target")}
    head = scenarios.target_headline(doc["results"])
    name = app.get("title") or app.get("url")
    client = doc.get("client") or {}
    measured = (
        "its CPU measured by pid" if (doc.get("server") or {}).get("measured_pid") else "its CPU not measured"
    )
    intro = (
        f"{app.get('url')} (Dash renderer {app.get('dash_renderer') or 'unknown'}, Server header "
        f"{app.get('server_header') or 'none'}), served by the app itself, not started by this run ({measured}); "
        f"locust {client.get('locust') or ''} on a {doc['machine']['cpus']}-core machine. Each user is one "
        f"browser tab: it loads the page, makes the initial calls, then fires the Interval-driven callbacks at "
        f"their period and validates every reply. Steps of {doc['options']['steps']} users; a step passes "
        f"while the p95 of steady-state calls stays below {doc['p95_limit_ms']:g} ms with ≤ 1% failures, then "
        "the run bisects to a bracket within 10%."
    )
    rows = [
        [
            r["scenario"],
            held_text(r),
            _num(r["p50_ms"]),
            _num(r["p95_ms"]),
            _num(r["rps"]),
            _num(None if r["bytes_per_s"] is None else round(r["bytes_per_s"] / 1024, 1)),
            _num(r["avg_bytes"], ".0f"),
        ]
        for r in head["rows"]
    ]
    cols = ["run", f"users held at p95 < {doc['p95_limit_ms']:g} ms", "p50 ms", "p95 ms", "req/s"]
    table = html_table([*cols, "KB/s served", "bytes per reply"], rows) + found_html(_plan(doc))
    if app.get("error"):
        table += f"<p>The app's description could not be read: {html.escape(app['error'])}</p>"
    return Section(f"Any Dash app: {name}", intro, table, figures(doc), path.name)
