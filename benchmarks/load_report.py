"""The Tickless load benchmark's part of the report (`make loadtest`, `make report`).

Reads the newest whole Tickless load run (load-*.json written by loadtest/run.py without --target; a run against
another app is never taken, whatever its age) and gives a Section: the users each strategy holds as a
bracket [last pass, first fail) once bisected, frames/s, requests per frame, server CPU per tab, page-load
bytes, the ratio to server-extend and issue 13's goal; charts of latency, throughput and server CPU against
users, and the users held with their brackets. PNGs: load-latency, load-throughput, load-server-cpu, load-users.
When a newer re-run of a few scenarios carries the goal (`--strategies clientside-raf,server-extend --no-matrix`),
its table and goal line come first, labelled with its file, and the whole run's follow.
"""

from __future__ import annotations

import html
import statistics
from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go

from loadtest import scenarios

from .report_kit import COLORS, Section, held_text, html_table, layout, limit_line, newest


def is_tickless(doc: dict) -> bool:
    """A Tickless load run: kind "load" and no --target (older files had the kind but may carry a target)."""
    return doc.get("kind") == "load" and not (doc.get("server") or {}).get("target")


def is_full(doc: dict) -> bool:
    """A whole run: not --quick, not --no-matrix (a re-run of a few scenarios leaves the others out)."""
    options = doc.get("options") or {}
    return not options.get("quick") and not options.get("no_matrix")


def has_goal(doc: dict) -> bool:
    """A run whose headline carries issue 13's goal (both clientside-raf and server-extend at the defaults)."""
    return scenarios.headline(doc.get("results") or []).get("goal") is not None


def goal_pair(results_dir: Path, full: Path) -> tuple[Path, dict] | None:
    """The newest Tickless run newer than the whole run `full` that is not whole itself (a --no-matrix or quick
    re-run) and carries the goal: the run the README cites for the goal, shown beside the whole run's tables."""
    found = newest(results_dir, "load-*.json", lambda d: is_tickless(d) and not is_full(d) and has_goal(d))
    return found if found is not None and found[0].name > full.name else None


def select(results_dir: Path) -> tuple[Path, dict] | None:
    """The newest full Tickless load run in results_dir, else the newest of any size (runs against any other app
    are passed over): the report's tables and charts cover every strategy, as the README's do."""
    return newest(results_dir, "load-*.json", lambda d: is_tickless(d) and is_full(d)) or newest(
        results_dir, "load-*.json", is_tickless
    )


def _symbol(step: dict) -> str:
    """Circle: passed; x: failed; diamond: a bisection probe; open: other processes used the CPU meanwhile."""
    base = ("diamond" if step.get("phase") == "bisect" else "circle") if step["ok"] else "x"
    return base + ("-open" if (step.get("machine") or {}).get("noisy") else "")


def _series(doc: dict, metric: Callable[[dict], float | None]) -> list[go.Scatter]:
    traces = []
    for res in doc["results"]:
        sc, steps = res["scenario"], sorted(res.get("steps") or [], key=lambda s: s["users"])
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


def _at_limit(res: dict) -> dict | None:
    """The passing step with the most users (the figures a scenario holds at its limit)."""
    return max((s for s in res.get("steps") or [] if s.get("ok")), key=lambda s: s["users"], default=None)


def per_tab(res: dict) -> dict:
    """Server CPU per tab (ms of CPU per tab-second) at the limit, and per page load (≈, median over the
    ramps), and the page load's wire bytes per tab."""
    step = _at_limit(res)
    out = {"cpu_ms_per_tab_s": None, "page_kb": None, "cpu_ms_per_load": None}
    per_load = [
        s["ramp"]["server_cpu_ms_per_load"]
        for s in res.get("steps") or []
        if (s.get("ramp") or {}).get("server_cpu_ms_per_load") is not None
    ]
    if per_load:
        out["cpu_ms_per_load"] = round(statistics.median(per_load), 1)
    if step is None:
        return out
    srv = step.get("server") or {}
    if srv.get("cpu_percent") is not None and step["users"]:
        out["cpu_ms_per_tab_s"] = round(10 * srv["cpu_percent"] / step["users"], 3)
    pages = [
        (s.get("ramp") or {}).get("page") or {}
        for s in res.get("steps") or []
        if (s.get("ramp") or {}).get("page")
    ]
    sizes = [p["avg_bytes"] for p in pages if p.get("avg_bytes")]
    if sizes:
        out["page_kb"] = round(statistics.median(sizes) / 1024, 1)
    return out


def load_figures(doc: dict) -> dict[str, go.Figure]:
    """Latency, throughput and server CPU against users per scenario, and the users each held (bracketed)."""
    limit = doc["p95_limit_ms"]
    traces = _series(doc, lambda s: s["p95_ms"])
    traces.append(limit_line([x for t in traces for x in t.x], limit))
    latency = layout(go.Figure(traces), "p95 latency of steady-state calls", "users", "ms (log)")
    latency.update_yaxes(type="log")
    throughput = layout(
        go.Figure(_series(doc, lambda s: s["rps"])), "Requests served per second", "users", "req/s"
    )
    cpu = layout(
        go.Figure(_series(doc, lambda s: (s.get("server") or {}).get("cpu_percent"))),
        "Server CPU (gunicorn master + workers; 100% = one core)",
        "users",
        "% of one core",
    )
    rows = doc["headline"]["rows"]  # every scenario that ran, whatever it paints
    held = go.Figure(
        go.Bar(
            y=[r["scenario"] for r in rows],
            x=[r["max_users"] for r in rows],
            orientation="h",
            marker_color=[COLORS.get(r["strategy"]) for r in rows],
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [(r["fails_at"] - r["max_users"]) if r.get("fails_at") else 0 for r in rows],
                "arrayminus": [0] * len(rows),
                "color": "#444",
            },
            text=[
                f"{held_text(r)} users · {r['fps']:g} fps · {r['requests_per_frame']:.3g} req/frame"
                if r.get("requests_per_frame") is not None
                else f"{held_text(r)} users"
                for r in rows
            ],
            textposition="auto",
        )
    )
    layout(
        held,
        f"Users held at p95 < {limit:g} ms (whisker: up to the first failing count), and frames/s",
        "users",
        "",
        False,
    )
    held.update_layout(margin={"l": 230}, yaxis={"autorange": "reversed", "title": None})
    return {
        "load-latency": latency,
        "load-throughput": throughput,
        "load-server-cpu": cpu,
        "load-users": held,
    }


def load_table(doc: dict) -> str:
    """The headline table: users held (bracket), frames/s, requests per frame, server CPU per tab, page load,
    ratio to the baseline; then the goal line."""
    head = doc["headline"]
    tabs = {r["scenario"]["name"]: per_tab(r) for r in doc["results"]}
    cells = [
        "scenario",
        "frames/s",
        "req/frame",
        f"users held at p95 < {doc['p95_limit_ms']:g} ms",
        "server CPU ms per tab-second",
        "page load KB",
        "server CPU ms per page load (≈)",
        "user-frames/s",
        f"× {head['baseline']}",
    ]
    rows = []
    for r in head["rows"]:
        bound = "≥ " if r["lower_bound"] else ""
        ratio = f"{bound}{r['ratio_to_baseline']:g}×" if r["ratio_to_baseline"] is not None else "–"
        per_frame = "–" if r["requests_per_frame"] is None else f"{r['requests_per_frame']:.3g}"
        tab = tabs.get(r["scenario"], {})
        cpu = "–" if tab.get("cpu_ms_per_tab_s") is None else f"{tab['cpu_ms_per_tab_s']:g}"
        page = "–" if tab.get("page_kb") is None else f"{tab['page_kb']:g}"
        load = "–" if tab.get("cpu_ms_per_load") is None else f"{tab['cpu_ms_per_load']:g}"
        rows.append(
            [r["scenario"], f"{r['fps']:g}", per_frame, held_text(r), cpu, page, load]
            + [f"{bound}{r['user_frames_per_s']:g}", ratio]
        )
    table = html_table(cells, rows, [r["headline"] for r in head["rows"]])
    goal = head.get("goal")
    return table + (f"<p><b>Goal:</b> {goal['text']}.</p>" if goal else "") + page_loads_table(doc)


def page_loads_table(doc: dict) -> str:
    """The run's page loads of a first and a returning visit (loadtest/pageload.py, measured before its
    scenarios): wire bytes, requests and server CPU per load; "" for runs without them."""
    loads = doc.get("page_loads") or {}
    rows = [
        [
            f"{kind} visit",
            f"{v['bytes'] / 1000:,.1f}",
            f"{v['requests']:g}",
            f"{v['server_cpu_ms']:g}",
            f"{v['failures']} of {v['loads']}",
        ]
        for kind, v in loads.items()
    ]
    if not rows:
        return ""
    head = ["page load", "kB on the wire", "requests", "server CPU ms per load", "failed"]
    return (
        "<p>Page loads measured before the scenarios, one tab after another (a first visit fetches every asset "
        "and the dataset's binary; a returning one finds them in the browser's cache):</p>"
        + html_table(head, rows)
    )


def measured_seconds(doc: dict) -> float | None:
    """The median measurement window the steps really had (the records' measure_s), not the option asked."""
    spans = [s["measure_s"] for r in doc["results"] for s in r.get("steps") or [] if s.get("measure_s")]
    return round(statistics.median(spans), 1) if spans else None


def load_section(results_dir: Path) -> Section | None:
    """The Tickless load benchmark's section, from the newest Tickless load-*.json."""
    found = select(results_dir)
    if found is None:
        return None
    path, doc = found
    doc["headline"] = scenarios.headline(doc["results"])  # recomputed: files from older runs read the same
    srv = doc["server"]
    seconds = measured_seconds(doc)
    window = f"{seconds:g} s" if seconds is not None else f"{doc['options']['step_seconds']:g} s"
    intro = (
        f"gunicorn, {srv['workers']} {srv['worker_class']} workers on a {doc['machine']['cpus']}-core machine, "
        f"locust (FastHttpUser) on the same machine; steps of {doc['options']['steps']} users, {window} "
        "measured per step after every page load; a step passes while the p95 of steady-state calls stays "
        f"below {doc['p95_limit_ms']:g} ms with ≤ 1% failures. After the first failing step the run bisects "
        "between the last pass and the first fail (diamonds) until the bracket is within 10%: 'a–b' means "
        "a users held and b failed. Bold rows: each strategy at the app's defaults. '≥' marks a lower bound "
        "(every step passed, or the client ran out of CPU first)."
    )
    noisy = sum(
        bool((st.get("machine") or {}).get("noisy")) for r in doc["results"] for st in r.get("steps", [])
    )
    if noisy:
        intro += (
            f" {noisy} step(s) ran while other processes used the CPU (open markers): treat them with care."
        )
    table, source = load_table(doc), path.name
    pair = goal_pair(results_dir, path) if is_full(doc) else None
    if pair is not None:
        table = pair_table(*pair) + f"<h3>Every strategy: the whole run {path.name}</h3>" + table
        source = f"{path.name} (every strategy, charts); {pair[0].name} (the newest goal pair)"
    return Section("Load: users each strategy holds", intro, table, load_figures(doc), source)


def pair_table(path: Path, doc: dict) -> str:
    """The newest goal pair's table and goal line, labelled with its file and the scenarios it ran."""
    doc["headline"] = scenarios.headline(doc["results"])
    ran = ", ".join(r["scenario"]["name"] for r in doc["results"])
    return (
        f"<h3>The goal: the newest goal pair {html.escape(path.name)}</h3>"
        f"<p>A re-run of a few scenarios ({html.escape(ran)}), newer than the whole run below: the goal's figures "
        "come from it. The whole run's table and charts follow, from an older commit.</p>" + load_table(doc)
    )
