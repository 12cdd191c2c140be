"""The results file of a load run: one JSON document (every step record) and a CSV with one row per step."""

from __future__ import annotations

import argparse
import csv
import os
import platform
import time
from importlib import metadata
from pathlib import Path

from . import scenarios


def write_csv(path: Path, results: list[dict]) -> None:
    """One row per measured step."""
    cols = [
        "scenario",
        "strategy",
        "tick_ms",
        "bridge_ms",
        "fps",
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
                            k: s.get(k) for k in ("users", "rps", "bytes_per_s", "p50_ms", "p95_ms", "p99_ms")
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


def document(args: argparse.Namespace, results: list[dict], began: float, status: int) -> dict:
    """The JSON document of a run: machine, server, versions, options, every scenario and the headline."""
    return {
        "kind": "load",
        "version": 1,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(began)),
        "seconds": round(time.time() - began, 1),
        "interrupted": status != 0,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "server": {
            "target": args.target,
            "workers": None if args.target else args.workers,
            "worker_class": None if args.target else args.worker_class,
            "threads": args.threads or None,
            "settings": {k: v for k, v in os.environ.items() if k.startswith("TICKLESS_")},
        },
        "versions": {n: _version(n) for n in ("dash", "plotly", "gunicorn", "orjson", "flask-compress")},
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "p95_limit_ms": args.p95_limit_ms,
        "results": results,
        "headline": scenarios.headline(results),
    }


def print_headline(doc: dict) -> None:
    """Max users per scenario, with the ratio to the baseline, one line each."""
    base = doc["headline"]["baseline"]
    for row in doc["headline"]["rows"]:
        ratio = f" ({row['ratio_to_baseline']:g}× {base})" if row["ratio_to_baseline"] else ""
        bound = "≥" if row["lower_bound"] else " "
        fails = f", fails at {row['fails_at']}" if row.get("fails_at") else ""
        print(
            f"  {row['scenario']:<34} {row['fps']:>5g} fps  {bound}{row['max_users']:>5} users{fails}{ratio}"
        )
