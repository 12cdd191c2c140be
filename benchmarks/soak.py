"""`make soak`: every strategy streaming for minutes in headless Chromium against gunicorn under a moderate locust
load, with the scripted faults, sampled every 10 s. Reported, not asserted: each figure flat within ±10% after
warm-up (the Theil–Sen trend over the run and the 1-minute rolling median; benchmarks/soak_stats.py); each
fault recovered from by itself.

    .venv/bin/python -m benchmarks.soak                 # 10 minutes (make soak)
    .venv/bin/python -m benchmarks.soak --quick         # about 1 minute (make soak QUICK=1)
    .venv/bin/python -m benchmarks.soak --minutes 0.2 --no-locust --out DIR   # the smoke test's few seconds

Two browser windows (both shown): one with clientside-raf, clientside-interval and component, one with
server-extend, server-patch and server-figure, each with the bridge at 1 s. Every sample: each window's JS heap
right after a forced garbage collection and the nodes attached to its document (one synchronous call,
benchmarks/soak_memory.js), the event listeners attached (DOMDebugger.getEventListeners), the renderer's counters
(recorded, not judged: benchmarks/soak_memory.py says why), frames painted, each panel's newest sample; gunicorn's
master and each worker's RSS and open file descriptors (psutil). Faults, at fixed fractions of the run: a worker
killed with SIGKILL (30%), the whole server stopped for 10 s and started again on the same port (50%), the
server window minimised (hidden) for 60 s, 10 s in a quick run (70%). For each: whether the clientside panels
kept painting, requests and probes sent meanwhile, and how long after recovery the bridge and each server panel
drew new data. Output: benchmarks/results/soak-<stamp>.json; `make report` draws it (benchmarks/soak_report.py).
The browser and its windows are benchmarks/soak_browser.py, the faults benchmarks/soak_faults.py, a page's memory
reading benchmarks/soak_memory.py.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import psutil

from . import soak_stats
from .launcher import ROOT, Gunicorn, dataset_env, start, stop
from .report_kit import RESULTS
from .soak_browser import TABS, Browser, now_ms, wait_for
from .soak_faults import fault_hidden, fault_kill, fault_restart

LOCUST = ROOT / ".venv-load" / "bin" / "locust"
SAMPLE_S = 10.0
FLAT_PCT = 10.0
LOCUST_USERS = [  # a moderate load: one tab of each kind, two of the default page
    "ClientsideRafUser",
    "ClientsideIntervalUser",
    "ComponentUser",
    "ServerExtendUser",
    "ServerPatchUser",
    "ServerFigureUser",
]


def server_sample(server: Gunicorn) -> dict:
    """RSS and open file descriptors of gunicorn's master and each worker."""
    out = {"workers": []}
    try:
        master = psutil.Process(server.pid)
        out["master"] = {"rss_mb": round(master.memory_info().rss / 2**20, 2), "fds": master.num_fds()}
        for child in master.children():
            with contextlib.suppress(psutil.Error):
                out["workers"].append(
                    {
                        "pid": child.pid,
                        "rss_mb": round(child.memory_info().rss / 2**20, 2),
                        "fds": child.num_fds(),
                    }
                )
    except (psutil.Error, TypeError, ValueError):
        out["master"] = None
    return out


def summarise(samples: list[dict], warmup_s: float, faults: list[dict]) -> dict:
    """Per series after warm-up: the raw first→last change and widest swing of one sample (reported), the
    Theil–Sen trend over the run and per hour, and the 1-minute rolling median's band; flat when the trend and the
    band stay within ±FLAT_PCT (benchmarks/soak_stats.py says why). Server series are judged on the server that
    runs at the end (a restart starts new processes): from the restart's warm-up on."""
    t0 = samples[0]["t"] if samples else 0
    restart = next((f["at_ms"] + f["outage_ms"] for f in faults if "outage_ms" in f), None)
    series: dict[str, list[tuple[float, float]]] = {}
    for s in samples:
        rel = (s["t"] - t0) / 1000
        for tab, m in s["tabs"].items():
            for k in ("heap_mb", "nodes", "listeners", "documents"):
                if m.get(k) is not None:
                    series.setdefault(f"{tab} window.{k}", []).append((rel, m[k]))
        w = s["server"]["workers"]
        if w and s["server"].get("master"):
            series.setdefault("gunicorn.worker_rss_mb", []).append(
                (rel, statistics.mean(x["rss_mb"] for x in w))
            )
            series.setdefault("gunicorn.fds", []).append(
                (rel, s["server"]["master"]["fds"] + sum(x["fds"] for x in w))
            )
    out = {}
    for name, points in series.items():
        start = warmup_s
        if name.startswith("gunicorn.") and restart is not None:
            start = max(start, (restart - t0) / 1000 + warmup_s / 2)
        kept = [(t, v) for t, v in points if t >= start]
        if len(kept) < 2:
            out[name] = {"samples": len(kept), "flat": None}
            continue
        out[name] = soak_stats.judge(kept, FLAT_PCT)
    return out


def parse_args(argv):
    p = argparse.ArgumentParser(prog="benchmarks.soak", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--quick", action="store_true", help="about one minute (faults kept, the hidden spell 10 s)"
    )
    p.add_argument("--minutes", type=float, help="duration (default 10; quick 1)")
    p.add_argument("--users", type=int, default=12, help="locust users, moderate load (default 12)")
    p.add_argument("--no-locust", action="store_true", help="no load (the smoke test)")
    p.add_argument("--no-faults", action="store_true", help="no scripted faults")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--out", type=Path, default=RESULTS, help="results folder")
    p.add_argument("--sample-seconds", type=float, default=SAMPLE_S)
    args = p.parse_args(argv)
    args.minutes = args.minutes if args.minutes is not None else (1.0 if args.quick else 10.0)
    if not 0 < args.minutes <= 120:
        p.error(f"--minutes {args.minutes:g}: expected more than 0 and at most 120")
    if not args.no_locust and not LOCUST.exists():
        p.error(f"locust not found at {LOCUST}: run `make setup-load` first")
    return args


def run(args) -> dict:
    duration = args.minutes * 60
    warmup = min(60.0, duration * 0.25)
    hidden_s = 60.0 if duration >= 300 else 10.0
    schedule = [] if args.no_faults or duration < 45 else [(0.3, "kill"), (0.5, "restart"), (0.7, "hidden")]
    work = args.out / "soak-work"
    work.mkdir(parents=True, exist_ok=True)
    server = Gunicorn(work / "gunicorn.log", workers=args.workers, env=dataset_env())
    locust = browser = None
    samples: list[dict] = []
    faults: list[dict] = []
    try:
        server.start()
        browser = Browser(server.url)
        for tab in TABS:
            ok = wait_for(
                lambda tab=tab: all(
                    v["points"] > 0
                    for v in (browser.snapshot(tab) or {"graphs": {"x": {"points": 0}}})["graphs"].values()
                ),
                60,
            )
            if not ok:
                raise RuntimeError(f"the {tab} window did not draw within 60 s")
        if not args.no_locust:
            cmd = [
                str(LOCUST),
                *("-f", "loadtest/locustfile.py", "--headless", "--host", server.url),
                *("-u", str(args.users), "-r", "4", "-t", f"{int(duration) + 30}s"),
                *(
                    "--loglevel",
                    "WARNING",
                    "--only-summary",
                    "--csv",
                    str(work / "locust"),
                    "--stop-timeout",
                    "5",
                ),
                *LOCUST_USERS,
            ]
            locust = start(cmd, work / "locust.log")
        t_begin = time.monotonic()
        next_sample = 0.0
        pending = list(schedule)
        print(
            f"soak: {args.minutes:g} min against {server.url}, sampling every {args.sample_seconds:g} s",
            flush=True,
        )
        while True:
            elapsed = time.monotonic() - t_begin
            if elapsed >= next_sample:
                sample = {"t": now_ms(), "tabs": {}, "server": server_sample(server)}
                for tab in TABS:
                    snap = browser.snapshot(tab) or {}
                    sample["tabs"][tab] = {
                        **browser.memory(tab),
                        "frames": snap.get("frames"),
                        "fps": {g: v["fps"] for g, v in snap.get("graphs", {}).items()},
                        "errors": snap.get("errors"),
                        "csp": snap.get("csp"),
                        "requests": snap.get("counts"),
                        "undo": snap.get("undo"),  # Dash's undo history: entries held, dropped (43_undo.js)
                    }
                samples.append(sample)
                heap = " ".join(
                    f"{t} {m['heap_mb']:.1f} MB/{m['nodes']} nodes" for t, m in sample["tabs"].items()
                )
                rss = "/".join(f"{w['rss_mb']:.0f}" for w in sample["server"]["workers"])
                print(f"  {elapsed:5.0f} s  heap {heap}  workers {rss} MB", flush=True)
                next_sample += args.sample_seconds
            if pending and elapsed >= pending[0][0] * duration:
                _, kind = pending.pop(0)
                print(f"  fault: {kind}", flush=True)
                if kind == "kill":
                    faults.append(fault_kill(server, browser))
                elif kind == "restart":
                    faults.append(fault_restart(server, browser, 10.0))
                else:
                    faults.append(fault_hidden(browser, hidden_s))
                print(f"    {json.dumps(faults[-1])}", flush=True)
                continue
            if elapsed >= duration:
                break
            time.sleep(0.2)
        logs = {tab: browser.collect_logs(tab) for tab in TABS}
        problems = {tab: browser.snapshot(tab) or {} for tab in TABS}
    finally:
        if browser is not None:
            browser.quit()
        stop(locust)
        server.stop()
    last_fault = max((f["at_ms"] for f in faults), default=0) + 20_000
    return {
        "kind": "soak",
        "version": 2,  # 2: heap_mb and nodes read in one call right after gc() (soak_memory.py); 1: CDP counters
        "meta": {
            "started": samples[0]["t"] if samples else None,
            "host": platform.node(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "argv": sys.argv[1:],
        },
        "settings": {
            "minutes": args.minutes,
            "sample_seconds": args.sample_seconds,
            "warmup_seconds": warmup,
            "workers": args.workers,
            "locust_users": 0 if args.no_locust else args.users,
            "tabs": {k: list(v) for k, v in TABS.items()},
            "flat_pct": FLAT_PCT,
        },
        "samples": samples,
        "faults": faults,
        "summary": summarise(samples, warmup, faults),
        "console": {
            tab: {
                "severe": sum(1 for e in ls if e["level"] == "SEVERE"),
                "severe_after_faults": [
                    e["message"][:200] for e in ls if e["level"] == "SEVERE" and e["timestamp"] > last_fault
                ],
                "uncaught_errors": problems[tab].get("errors"),
                "csp_violations": problems[tab].get("csp"),
            }
            for tab, ls in logs.items()
        },
        "locust": locust_stats(work / "locust_stats.csv"),
    }


def locust_stats(path: Path) -> dict | None:
    """The aggregated row of locust's CSV: requests, failures, median and p95 (ms)."""
    import csv

    if not path.exists():
        return None
    for row in csv.DictReader(path.open()):
        if row.get("Name") == "Aggregated":
            return {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median_ms": float(row["Median Response Time"] or 0),
                "p95_ms": float(row["95%"] or 0) if row.get("95%") not in (None, "N/A") else None,
                "rps": float(row["Requests/s"] or 0),
            }
    return None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    doc = run(args)
    stamp = time.strftime(
        "%Y%m%d-%H%M%S", time.gmtime(doc["meta"]["started"] / 1000 if doc["meta"]["started"] else None)
    )
    out = args.out / f"soak-{stamp}.json"
    out.write_text(json.dumps(doc, indent=1))
    print(f"soak: wrote {out}")
    for name, s in doc["summary"].items():
        if s.get("flat") is not None:
            mark = "flat" if s["flat"] else "NOT flat"
            print(
                f"  {name:28s} {s['first']:>10g} → {s['last']:>10g}  {s['change_pct']:+6.1f}%  "
                f"trend {s['trend_pct']:+.1f}% ({s['trend_pct_per_hour']:+.0f}%/h)  rolling median "
                f"{s['rolling_band_pct'][0]:+.1f}…{s['rolling_band_pct'][1]:+.1f}%  "
                f"(one sample's widest swing {s['max_dev_pct']:.1f}%)  {mark}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
