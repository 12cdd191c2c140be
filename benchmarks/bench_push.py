"""server-push measured next to server-extend and clientside-raf, in one run, as ratios (`make bench-push`).

Browser: one push server (uvicorn, the FastAPI backend, `python -m app.push_server`) serves
/compare?s=server-push,server-extend,clientside-raf, so the three share one clock, one machine and one page;
headless Chromium streams for `--seconds`, then each panel's frames/s and data-to-paint latency (p50, p95: from
the sample coming due, or for push from its production on the server, to the frame that shows it) are read
from the engine's snapshot, with push's dropped and duplicate counts.

Load: locust's PushUser (loadtest/push_user.py, the renderer's websocket protocol: one socket, the push
callback, control answers, set_props into the lanes) at stepped user counts against the same server, each
step `--step-seconds`; per step the messages' p95 arrival latency (production → received), messages/s, and
the push server's CPU per tab (process CPU seconds / step seconds / users), and locust's own CPU (all its
processes, `--processes`): a step where a locust process used ≥ 85% of a core is marked `client_bound`, and its
latency says more about the client than the server. "Held" = p95 < 100 ms, no failures, not client-bound.

    .venv/bin/python -m benchmarks.bench_push [--seconds 20] [--users 10,50,100,200] [--step-seconds 20]
        [--processes 1]

Writes benchmarks/results/push-<timestamp>.json and prints a summary. Not a test: figures drift ±30% on a
shared 2-core machine, so compare within one run.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import sys
import time
from pathlib import Path

import psutil

from .launcher import ROOT, start, stop, tree_cpu_seconds
from .ports import free_port, wait_http

RESULTS = ROOT / "benchmarks" / "results"
PANELS = ("server-push", "server-extend", "clientside-raf")
LOAD_PYTHON = ROOT / ".venv-load" / "bin" / "python"


def push_server(log: Path, port: int, env: dict | None = None):
    """Start the push server on `port` and wait until it answers."""
    full = {**os.environ, "HOST": "127.0.0.1", "PUSH_PORT": str(port), **(env or {})}
    proc = start([sys.executable, "-m", "app.push_server"], log, full)
    wait_http(f"http://127.0.0.1:{port}/_dash-dependencies", 120, proc)
    return proc


def browser_run(url: str, seconds: float, speed: float) -> dict:
    """Stream the compare page for `seconds`; each panel's fps and latency, and push's counters."""
    from selenium import webdriver

    from . import chrome

    opts = chrome.options(foreground=True, window=(1600, 1000), binary=chrome.CHROMIUM)
    driver = webdriver.Chrome(options=opts)
    try:
        driver.get(f"{url}/compare?s={','.join(PANELS)}&bridge=0&speed={speed:g}")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready = driver.execute_script(
                "const t = window.dash_clientside && window.dash_clientside.tickless;"
                "return Boolean(t && t.push && (t.push.state('server-push-graph') || {}).draws > 5);"
            )
            if ready:
                break
            time.sleep(0.5)
        time.sleep(seconds)
        out = {}
        for sid in PANELS:
            snap = driver.execute_script(
                f"return window.dash_clientside.tickless.stream.snapshot('{sid}-graph')"
            )
            out[sid] = {
                k: snap.get(k)
                for k in ("fps", "latencyP50", "latencyP95", "updateMsP50", "points", "requests")
            }
        out["push"] = driver.execute_script(
            "return window.dash_clientside.tickless.push.state('server-push-graph')"
        )
        return out
    finally:
        driver.quit()


CLIENT_BOUND = 0.85  # a locust process busier than this share of a core is the bottleneck, not the server


def process_cpu(pid: int) -> dict[int, float]:
    """CPU seconds so far of a process and each of its children, by pid (locust's --processes forks)."""
    out = {}
    with contextlib.suppress(psutil.Error):
        root = psutil.Process(pid)
        for p in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                t = p.cpu_times()
                out[p.pid] = t.user + t.system
    return out


def load_step(url: str, users: int, seconds: float, work: Path, server_pid: int, processes: int = 1) -> dict:
    """One locust step of PushUser at `users`; p95 latency, messages/s, failures, server and client CPU."""
    prefix = work / f"push-{users}"
    cmd = [
        str(LOAD_PYTHON), "-m", "locust", "-f", str(ROOT / "loadtest" / "push_user.py"), "--headless",
        "--host", url, "-u", str(users), "-r", str(max(1, users // 2)), "-t", f"{int(seconds) + 5}s",
        "--csv", str(prefix), "--only-summary", "--stop-timeout", "2",
        *(["--processes", str(processes)] if processes > 1 else []),
    ]  # fmt: skip
    proc = start(cmd, work / "locust.log", dict(os.environ))
    time.sleep(5 + min(10, users / 20))  # ramp
    cpu0, t0 = tree_cpu_seconds(server_pid), time.monotonic()
    client0 = process_cpu(proc.pid)
    cpu, wall, client1 = 0.0, 1e-3, client0
    deadline = t0 + seconds + 60
    while proc.poll() is None and time.monotonic() < deadline:  # readings while locust runs
        reading = process_cpu(proc.pid)
        if reading:
            client1 = reading
            cpu, wall = tree_cpu_seconds(server_pid) - cpu0, time.monotonic() - t0
        time.sleep(0.5)
    stop(proc)  # an overloaded client stops late: stop it, keep what it wrote
    client_shares = {pid: (client1[pid] - client0.get(pid, 0.0)) / wall for pid in client1}
    busiest = max(client_shares.values(), default=0.0)
    with open(f"{prefix}_stats.csv") as f:
        rows = {r["Name"]: r for r in csv.DictReader(f)}
    msg = rows.get("message", {})
    failures = sum(int(r.get("Failure Count", 0) or 0) for name, r in rows.items() if name != "Aggregated")
    p95 = float(msg.get("95%", "nan") or "nan")
    return {
        "users": users,
        "messages_per_s": float(msg.get("Requests/s", 0) or 0),
        "latency_p50_ms": float(msg.get("50%", "nan") or "nan"),
        "latency_p95_ms": p95,
        "failures": failures,
        "server_cpu_ms_per_tab_s": round(1000 * cpu / wall / users, 3),
        "server_cpu_share": round(cpu / wall, 3),
        "client_processes": processes,
        "client_cpu_share": round(sum(client_shares.values()), 3),
        "client_busiest_process_share": round(busiest, 3),
        "client_bound": busiest >= CLIENT_BOUND,
        "held": bool(p95 < 100 and failures == 0 and busiest < CLIENT_BOUND),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the browser cells, then the load steps; write JSON; print the summary."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=20, help="browser streaming time per run")
    p.add_argument("--speed", type=float, default=10, help="replay speed (push: the live source's pace)")
    p.add_argument("--users", default="10,50,100,200", help="locust user counts, one step each")
    p.add_argument("--step-seconds", type=float, default=20)
    p.add_argument("--processes", type=int, default=1, help="locust processes (its --processes) per step")
    p.add_argument("--no-load", action="store_true")
    args = p.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    work = RESULTS / f"push-{stamp}"
    work.mkdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = push_server(work / "push-server.log", port)
    try:
        result = {
            "when": stamp,
            "speed": args.speed,
            "seconds": args.seconds,
            "browser": browser_run(url, args.seconds, args.speed),
        }
        b = result["browser"]
        result["ratios"] = {
            f"{sid}/server-extend fps": round(b[sid]["fps"] / b["server-extend"]["fps"], 2)
            if b["server-extend"]["fps"]
            else None
            for sid in ("server-push", "clientside-raf")
        }
        print(json.dumps(result["browser"]), flush=True)
        steps = []
        if not args.no_load:
            for users in (int(u) for u in args.users.split(",") if u.strip()):
                steps.append(load_step(url, users, args.step_seconds, work, server.pid, args.processes))
                print(json.dumps(steps[-1]), flush=True)
        result["load"] = steps
        held = [s["users"] for s in steps if s["held"]]
        result["max_users_held"] = max(held) if held else 0
    finally:
        stop(server)
    out = RESULTS / f"push-{stamp}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    for sid in PANELS:
        c = b[sid]
        print(
            f"{sid:15s} fps {c['fps']:5.1f}  latency p50 {c['latencyP50'] or 0:6.0f} ms  p95 {c['latencyP95'] or 0:6.0f} ms  requests {c['requests']}"
        )
    print("push:", {k: b["push"][k] for k in ("dropped", "duplicates", "reconnects", "messages", "playout")})
    print("ratios:", result["ratios"], "| push tabs held at p95 < 100 ms:", result["max_users_held"])
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
