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
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import statistics
import sys
import time
from pathlib import Path

import psutil

from app import ids

from . import chrome, soak_stats
from .launcher import ROOT, Gunicorn, dataset_env, start, stop
from .report_kit import RESULTS
from .soak_memory import FLAGS, page_memory

PAGE_JS = Path(__file__).with_name("soak_page.js")
LOCUST = ROOT / ".venv-load" / "bin" / "locust"
SAMPLE_S = 10.0
FLAT_PCT = 10.0
TABS = {
    "clientside": ("clientside-raf", "clientside-interval", "component"),
    "server": ("server-extend", "server-patch", "server-figure"),
}
LOCUST_USERS = [  # a moderate load: one tab of each kind, two of the default page
    "ClientsideRafUser",
    "ClientsideIntervalUser",
    "ComponentUser",
    "ServerExtendUser",
    "ServerPatchUser",
    "ServerFigureUser",
]


def graphs(tab: str) -> list[str]:
    return [ids.panel(s, "graph") for s in TABS[tab]]


def now_ms() -> int:
    return int(time.time() * 1000)


class Browser:
    """One Chromium, one window per tab, the soak recorder installed in each before the page's scripts."""

    def __init__(self, base: str) -> None:
        from selenium import webdriver

        opts = chrome.options(foreground=True, extra=FLAGS)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(options=opts)
        self.driver.set_script_timeout(30)
        self.handles: dict[str, str] = {}
        self.logs: dict[str, list[dict]] = {}
        for i, tab in enumerate(TABS):
            if i:
                self.driver.switch_to.new_window("window")
            self.handles[tab] = self.driver.current_window_handle
            self.driver.execute_cdp_cmd(
                "Page.addScriptToEvaluateOnNewDocument", {"source": PAGE_JS.read_text()}
            )
            self.driver.get(f"{base}/compare?s={','.join(TABS[tab])}&bridge=1000")
            self.logs[tab] = []

    def use(self, tab: str) -> None:
        self.driver.switch_to.window(self.handles[tab])

    def snapshot(self, tab: str) -> dict | None:
        self.use(tab)
        return self.driver.execute_script("return window.__soak.snapshot(arguments[0]);", graphs(tab))

    def memory(self, tab: str) -> dict:
        """JS heap after a forced GC, the nodes and listeners the page holds, the renderer's counters
        (benchmarks/soak_memory.py `page_memory`)."""
        self.use(tab)
        return page_memory(self.driver.execute_cdp_cmd)

    def collect_logs(self, tab: str) -> list[dict]:
        self.use(tab)
        self.logs[tab] += self.driver.get_log("browser")
        return self.logs[tab]

    def fetches(self, tab: str) -> list[dict]:
        self.use(tab)
        return self.driver.execute_script("return window.__soak.fetches;")

    def window_state(self, tab: str, state: str) -> None:
        self.use(tab)
        wid = self.driver.execute_cdp_cmd("Browser.getWindowForTarget", {})["windowId"]
        self.driver.execute_cdp_cmd(
            "Browser.setWindowBounds", {"windowId": wid, "bounds": {"windowState": state}}
        )

    def quit(self) -> None:
        with contextlib.suppress(Exception):
            self.driver.quit()


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


def wait_for(predicate, timeout: float, poll: float = 0.1):
    """Poll until truthy; the value, or None after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            value = predicate()
            if value:
                return value
        time.sleep(poll)
    return None


def newest(browser: Browser, tab: str) -> dict[str, int]:
    snap = browser.snapshot(tab) or {"graphs": {}}
    return {g: v["newest"] for g, v in snap["graphs"].items()}


def recovery(browser: Browser, since_ms: int, timeout: float = 15.0) -> dict:
    """After the server answers again: ms until each tab's bridge answers and each server panel draws new data."""
    marks = {tab: browser.snapshot(tab) or {} for tab in TABS}
    out: dict[str, float | None] = {}
    pending = {f"bridge:{tab}" for tab in TABS} | {f"panel:{g}" for g in graphs("server")}
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for tab in TABS:
            snap = browser.snapshot(tab) or {}
            key = f"bridge:{tab}"
            if key in pending and snap.get("bridgeSeq", 0) > marks[tab].get("bridgeSeq", 0):
                out[key] = snap["t"] - since_ms
                pending.discard(key)
            if tab == "server":
                for g in graphs("server"):
                    was = marks[tab].get("graphs", {}).get(g, {}).get("newest", -1)
                    if f"panel:{g}" in pending and snap["graphs"][g]["newest"] > was:
                        out[f"panel:{g}"] = snap["t"] - since_ms
                        pending.discard(f"panel:{g}")
        time.sleep(0.1)
    for key in pending:
        out[key] = None
    return out


def kept_painting(browser: Browser, seconds: float) -> dict:
    """Watch the clientside window for `seconds`: frames and each panel's newest sample must keep advancing."""
    seen = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        snap = browser.snapshot("clientside")
        if snap:
            seen.append((snap["frames"], {g: v["newest"] for g, v in snap["graphs"].items()}))
        time.sleep(0.5)
    steps = list(zip(seen, seen[1:], strict=False))
    stalls = sum(1 for a, b in steps if b[0] <= a[0] or any(b[1][g] <= a[1][g] for g in a[1]))
    return {"checks": len(steps), "stalls": stalls, "painted": bool(steps) and stalls == 0}


def fault_kill(server: Gunicorn, browser: Browser) -> dict:
    victim = server.worker_pids()[0]
    t0 = now_ms()
    os.kill(victim, signal.SIGKILL)
    replaced = wait_for(
        lambda: len(server.worker_pids()) >= server.workers and victim not in server.worker_pids(), 30
    )
    t_ready = now_ms()
    rec = recovery(browser, t_ready)
    failed = [
        f for tab in TABS for f in browser.fetches(tab) if f["t0"] >= t0 and f["status"] in (0, 502, 503, 504)
    ]
    return {
        "kind": "kill -9 worker",
        "at_ms": t0,
        "victim": victim,
        "replaced_ms": (t_ready - t0) if replaced else None,
        "failed_requests": len(failed),
        "recovery_ms": rec,
    }


def fault_restart(server: Gunicorn, browser: Browser, outage_s: float) -> dict:
    t_stop = now_ms()
    server.stop()
    painting = kept_painting(browser, outage_s)
    t_start = now_ms()
    during = {tab: [f for f in browser.fetches(tab) if t_stop < f["t0"] < t_start] for tab in TABS}
    server.start()
    t_ready = now_ms()
    rec = recovery(browser, t_ready)
    callbacks = sum(1 for fs in during.values() for f in fs if "/_tickless/alive" not in f["url"])
    probes = sum(1 for fs in during.values() for f in fs if "/_tickless/alive" in f["url"])
    texts = {tab: (browser.snapshot(tab) or {}).get("linkText", "") for tab in TABS}
    return {
        "kind": f"server stopped {outage_s:g} s",
        "at_ms": t_stop,
        "outage_ms": t_start - t_stop,
        "boot_ms": t_ready - t_start,
        "clientside_kept_painting": painting,
        "callback_requests_during": callbacks,
        "probes_during": probes,
        "probes_per_s_per_tab": round(probes / len(TABS) / max(0.001, (t_start - t_stop) / 1000), 2),
        "recovery_ms": rec,
        "link_text_after": texts,
    }


def behind(snap: dict) -> dict[str, int]:
    """How many samples each panel's newest drawn sample is behind the clock's due end (1 kHz: milliseconds)."""
    return {g: snap["due"] - v["newest"] for g, v in (snap.get("graphs") or {}).items()}


def steady_behind(browser: Browser, tab: str, seconds: float = 3.0) -> dict[str, float | None]:
    """Each panel's median lag behind the clock over `seconds`: where it stays when nothing is wrong (a server
    panel under load trails the clock by its round trip and render, often more than 0.5 s on this machine)."""
    seen: dict[str, list[int]] = {g: [] for g in graphs(tab)}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for g, lag in behind(browser.snapshot(tab) or {}).items():
            seen.setdefault(g, []).append(lag)
        time.sleep(0.25)
    return {g: statistics.median(v) if v else None for g, v in seen.items()}


def fault_hidden(browser: Browser, hidden_s: float) -> dict:
    """Minimise the server window for `hidden_s`, show it again: what it did while hidden, and how soon each server
    panel was back at the live edge, both absolute (within 0.5 s of the clock) and relative to its own lag before
    hiding (within twice that, at least 0.5 s: a panel that trailed by 0.7 s before is back when it trails by
    ≤ 1.4 s), timed for all panels at once from the moment the page says it is visible."""
    lag_before = steady_behind(browser, "server")
    limit = {g: max(500.0, 2 * (v or 0)) for g, v in lag_before.items()}
    before = browser.snapshot("server") or {}
    browser.window_state("server", "minimized")
    hidden = wait_for(lambda: (browser.snapshot("server") or {}).get("visible") == "hidden", 5)
    t_hidden = now_ms()
    time.sleep(hidden_s)
    t_shown = now_ms()
    during = browser.snapshot("server") or {}
    sent = [f for f in browser.fetches("server") if t_hidden + 300 < f["t0"] < t_shown]
    browser.window_state("server", "normal")
    wait_for(lambda: (browser.snapshot("server") or {}).get("visible") == "visible", 5)
    t_vis = now_ms()
    # what holds each server panel as it is shown, and a second later: its tick gate and the renderer's queue
    looks = {"at_show": browser.snapshot("server") or {}}
    edge: dict[str, float | None] = {g: None for g in limit}
    steady: dict[str, float | None] = {g: None for g in limit}
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and (None in edge.values() or None in steady.values()):
        snap = browser.snapshot("server") or {}
        if "after_1s" not in looks and snap.get("t", 0) - t_vis >= 1000:
            looks["after_1s"] = snap
        for g, lag in behind(snap).items():
            if edge.get(g, 0) is None and lag < 500:
                edge[g] = snap["t"] - t_vis
            if steady.get(g, 0) is None and lag <= limit[g]:
                steady[g] = snap["t"] - t_vis
        time.sleep(0.1)
    looks.setdefault("after_1s", browser.snapshot("server") or {})
    gates = {g: v["gate"] for g, v in ((browser.snapshot("server") or {}).get("graphs") or {}).items()}
    after = [f for f in browser.fetches("server") if f["t0"] >= t_vis and f["output"]]
    per_panel = {g: sum(1 for f in after if g in f["output"] and f["t0"] < t_vis + 1000) for g in limit}
    first = {g: min((f["t0"] - t_vis for f in after if g in f["output"]), default=None) for g in limit}
    return {
        "kind": f"server window hidden {hidden_s:g} s",
        "at_ms": t_hidden,
        "hidden": bool(hidden),
        "frames_while_hidden": during.get("frames", 0) - before.get("frames", 0),
        "requests_while_hidden": len(sent),
        "lag_before_ms": lag_before,  # each server panel's median lag behind the clock in the 3 s before hiding
        "live_edge_ms": edge,  # shown → within 0.5 s of the clock (None: not within 15 s)
        "steady_ms": steady,  # shown → back within max(0.5 s, twice its lag before hiding)
        "first_request_ms": first,  # shown → the panel's first request
        "requests_first_second_per_panel": per_panel,
        "gates_after": gates,  # each server panel's tick gate once the live-edge wait ended (62_gate.js figures)
        "looks": {
            when: {
                "t_ms": snap.get("t", 0) - t_vis,
                "link": {k: (snap.get("link") or {}).get(k) for k in ("up", "hidden", "allows")},
                "gates": {g: v["gate"] for g, v in (snap.get("graphs") or {}).items()},
                "queue": snap.get("queue"),
            }
            for when, snap in looks.items()
        },
    }


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
