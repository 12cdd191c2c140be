"""The results file of a load run: one JSON document (every step record) and a CSV with one row per step.

A Tickless run writes load-<stamp>.json with Tickless's server and packages; a run against any other Dash app
(--target) writes anydash-<stamp>.json with that app's own description (`describe_target`: its title, Dash
renderer version and Server header read from its page, and what the planner found) and only the load
client's versions: it never claims Tickless's packages or a gunicorn the run did not start.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import subprocess
import time
import urllib.error
import urllib.request
from importlib import metadata
from pathlib import Path

from . import dash_plan, scenarios
from . import dash_protocol as dp

PREFIX, PREFIX_TARGET = "load", "anydash"  # results file names: Tickless's runs, any other app's runs


def write_csv(path: Path, results: list[dict]) -> None:
    """One row per measured step."""
    cols = [
        "scenario",
        "strategy",
        "tick_ms",
        "bridge_ms",
        "fps",
        "phase",
        "users",
        "rps",
        "bytes_per_s",
        "p50_ms",
        "p95_ms",
    ]
    cols += ["p99_ms", "requests", "failures", "server_cpu_percent", "server_rss_mb", "client_cpu_percent"]
    cols += ["client_bound", "other_cpu_percent", "ok", "reasons"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, fieldnames=cols)
        out.writeheader()
        for res in results:
            sc = res["scenario"]
            for s in res.get("steps", []):
                srv = s.get("server") or {}
                out.writerow(
                    {
                        **{k: sc.get(k) for k in ("strategy", "tick_ms", "bridge_ms", "fps")},
                        "scenario": sc["name"],
                        **{
                            k: s.get(k)
                            for k in ("phase", "users", "rps", "bytes_per_s", "p50_ms", "p95_ms", "p99_ms")
                        },
                        **{k: s.get(k) for k in ("requests", "failures", "ok")},
                        "server_cpu_percent": srv.get("cpu_percent"),
                        "server_rss_mb": srv.get("rss_mb"),
                        "client_cpu_percent": s["client"]["cpu_percent"],
                        "client_bound": s["client"]["bound"],
                        "other_cpu_percent": (s.get("machine") or {}).get("other_cpu_percent"),
                        "reasons": "; ".join(s.get("reasons", [])),
                    }
                )


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _fetch(url: str, timeout: float = 30.0) -> tuple[bytes, dict]:
    with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (a loopback URL checked by run.py)
        return resp.read(), dict(resp.headers)


def describe_target(url: str) -> dict:
    """What a foreign Dash app says about itself: page title, Dash renderer version (from its script URLs),
    Server header, layout and dependency sizes, and the planner's summary (what a tab will do, what not)."""
    url = url.rstrip("/")
    out: dict = {"url": url}
    try:
        page, headers = _fetch(url + "/")
        text = page.decode("utf-8", "replace")
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        renderer = re.search(r"dash_renderer\.v(\d+)_(\d+)_(\d+)", text)
        out.update(
            title=title.group(1).strip() if title else None,
            dash_renderer=".".join(renderer.groups()) if renderer else None,
            server_header=headers.get("Server"),
            page_bytes=len(page),
        )
        base = dp.base_path(dp.page_config(text))
        layout_raw, _ = _fetch(f"{url}{base}_dash-layout")
        deps_raw, _ = _fetch(f"{url}{base}_dash-dependencies")
        layout, deps = json.loads(layout_raw), json.loads(deps_raw)
        _, ids = dp.layout_props(layout)
        callbacks = dp.parse_dependencies(deps)
        out.update(
            layout_bytes=len(layout_raw),
            callbacks=len(callbacks),
            intervals=len(dash_plan.intervals(layout)),
            plan=dash_plan.plan(layout, callbacks, ids).summary(),
        )
    except (OSError, ValueError, urllib.error.URLError, dp.ProtocolError) as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"[:300]
    return out


def locust_version(locust: Path) -> str | None:
    """The load client's locust version (it lives in .venv-load, not in this venv)."""
    try:
        done = subprocess.run([str(locust), "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"(\d+\.\d+(?:\.\d+)?)", done.stdout + done.stderr)
    return found.group(1) if found else None


def document(
    args: argparse.Namespace, results: list[dict], began: float, status: int, app: dict | None = None
) -> dict:
    """The JSON document of a run: machine, server, versions, options, every scenario and the headline.

    With --target the server part describes that app (`app`, from describe_target) and the versions are the
    load client's only."""
    common = {
        "version": 1,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(began)),
        "seconds": round(time.time() - began, 1),
        "interrupted": status != 0,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "p95_limit_ms": args.p95_limit_ms,
        "results": results,
    }
    if args.target:
        return {
            "kind": "load-target",
            **common,
            "server": {
                "target": args.target,
                "started_by_run": False,
                "measured_pid": args.server_pid or None,  # server CPU/RSS only when its pid was given
            },
            "app": app or {"url": args.target},
            "client": {"locust": locust_version(args.locust), "python": platform.python_version()},
            "headline": scenarios.target_headline(results),
        }
    return {
        "kind": "load",
        **common,
        "server": {
            "target": None,
            "started_by_run": True,
            "workers": args.workers,
            "worker_class": args.worker_class,
            "threads": args.threads or None,
            "settings": {k: v for k, v in os.environ.items() if k.startswith("TICKLESS_")},
        },
        "versions": {
            **{n: _version(n) for n in ("dash", "plotly", "gunicorn", "orjson", "flask-compress")},
            "locust": locust_version(args.locust),
        },
        "headline": scenarios.headline(results),
    }


def print_headline(doc: dict) -> None:
    """Users held per scenario (a bracket once bisected), one line each; Tickless runs add frames/s, the
    ratio to the baseline and the goal."""
    head = doc["headline"]
    for row in head["rows"]:
        bound = "≥" if row["lower_bound"] else " "
        pct = row.get("bracket_pct")
        fails = f", fails at {row['fails_at']}" if row.get("fails_at") else ""
        fails += f" (bracket +{pct:g}%)" if pct is not None else ""
        if doc.get("kind") == "load-target":
            print(f"  {row['scenario']:<34} {bound}{row['max_users']:>5} users{fails}")
            continue
        ratio = f" ({row['ratio_to_baseline']:g}× {head['baseline']})" if row["ratio_to_baseline"] else ""
        print(
            f"  {row['scenario']:<34} {row['fps']:>5g} fps  {bound}{row['max_users']:>5} users{fails}{ratio}"
        )
    goal = head.get("goal")
    if goal:
        print(f"  goal: {goal['text']}")
