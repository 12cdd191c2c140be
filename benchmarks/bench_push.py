"""server-push measured next to server-extend and clientside-raf, in one run, as ratios (`make bench-push`).

Browser: one push server (uvicorn, the FastAPI backend, `python -m app.push_server`) serves
/compare?s=server-push,server-extend,clientside-raf, so the three share one clock, one machine and one page;
headless Chromium streams for `--seconds`, then each panel's frames/s and data-to-paint latency (p50, p95: from
the sample coming due, or for push from its production on the server, to the frame that shows it) are read
from the engine's snapshot, with push's dropped and duplicate counts.

Load, in the same run: locust's PushUser (loadtest/push_user.py, the renderer's websocket protocol: one socket,
the push callback, control answers, set_props into the lanes) against the same server at the user counts
`make loadtest` would pick (loadtest/bracket.py: `--users` steps until one fails, then bisection until the
bracket is within `--bisect-within`, 10%), each step `--step-seconds`; per step the messages' p95 arrival
latency (production → received), messages/s, the push server's CPU per tab (process CPU seconds / step seconds
/ users), and locust's own CPU (all its processes, `--processes`): a step where a locust process used ≥ 85% of
a core is marked `client_bound`, and its latency says more about the client than the server. "Held" = p95 <
100 ms, no failures, not client-bound. Then, once the push server has stopped, server-extend and
clientside-raf at their defaults under gunicorn exactly as `make loadtest` runs them (loadtest.run's
run_scenario: HTTP users of loadtest/locustfile.py, the stepped shape of loadtest/steps.py, the same
bisection), from `--extend-steps` and `--raf-steps`. `load_compare` in the JSON holds each strategy's bracket
and server CPU per tab-second at its held count, and the ratios push / server-extend and clientside-raf /
push (benchmarks/push_compare.py). No step starts after `--budget-minutes`.

    .venv/bin/python -m benchmarks.bench_push [--seconds 20] [--users 50,100,200,400] [--step-seconds 20]
        [--extend-steps 25,50,100,200] [--raf-steps 100,200,400,800] [--http-step-seconds 10]
        [--processes 1] [--budget-minutes 25] [--no-browser] [--no-http]

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

from loadtest import bracket

from . import push_compare
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


def push_steps(url: str, args, work: Path, server_pid: int, deadline: float) -> tuple[list[dict], str]:
    """PushUser at the user counts loadtest/bracket.py picks (steps, then bisection to --bisect-within)."""

    def measure(users: int) -> dict:
        step = load_step(url, users, args.step_seconds, work, server_pid, args.processes)
        why = []
        if not step["latency_p95_ms"] < 100:
            why.append(f"p95 {step['latency_p95_ms']:g} ms ≥ 100 ms")
        if step["failures"]:
            why.append(f"{step['failures']} failures")
        if step["client_bound"]:
            why.append(f"client-bound: locust at {100 * step['client_busiest_process_share']:.0f}% CPU")
        step["reason"] = "; ".join(why)
        print(json.dumps(step), flush=True)
        return step

    return push_compare.search(
        counts(args.users),
        measure,
        args.bisect_within,
        args.bisect_max_probes,
        time_left=lambda: deadline - time.monotonic(),
        step_cost=lambda users: args.step_seconds + 15 + min(10, users / 20),
    )


def http_rows(args, work: Path, deadline: float) -> tuple[dict[str, dict], list[dict]]:
    """server-extend and clientside-raf at their defaults under gunicorn, stepped and bisected by loadtest.run."""
    from loadtest import run as loadrun

    rows, raw = {}, []
    for sid, steps in ((push_compare.EXTEND, args.extend_steps), (push_compare.RAF, args.raf_steps)):
        remaining = deadline - time.monotonic()
        if remaining < loadrun.MIN_SCENARIO_S:
            rows[sid] = push_compare.http_row(sid, [], "time budget used up")
            continue
        largs = loadrun.parse_args(
            [
                *("--strategies", sid, "--no-matrix", "--steps", steps),
                *(
                    "--step-seconds",
                    f"{args.http_step_seconds:g}",
                    "--results-dir",
                    str(RESULTS),
                ),  # its browser fps
                *("--bisect-within", f"{args.bisect_within:g}"),
                *("--bisect-max-probes", str(args.bisect_max_probes)),
                *("--budget-minutes", f"{max(0.5, remaining / 60):g}"),
            ]
        )
        (sc,) = [s for s in loadrun.plan(largs) if s["headline"]]
        result = loadrun.run_scenario(largs, sc, work, remaining)
        why = (result.get("done") or {}).get("reason", "stopped (time budget)")
        rows[sid] = push_compare.http_row(sid, result["steps"], why)
        raw.append(result)
    return rows, raw


def counts(text: str) -> list[int]:
    """Ascending user counts from `10,50,100`; a bad list exits with one line."""
    try:
        out = [int(u) for u in text.split(",") if u.strip()]
    except ValueError:
        out = []
    if not out or out != sorted(set(out)) or out[0] < 1 or out[-1] > 5000:
        raise SystemExit(f"invalid user counts {text!r}: expected ascending integers from 1 to 5000")
    return out


def main(argv: list[str] | None = None) -> int:
    """Browser cells, then push load steps, then the HTTP strategies' load; write JSON; print the summary."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=20, help="browser streaming time per run")
    p.add_argument("--speed", type=float, default=10, help="replay speed (push: the live source's pace)")
    p.add_argument("--users", default="50,100,200,400", help="PushUser counts, ascending; then bisection")
    p.add_argument("--step-seconds", type=float, default=20, help="push: measurement window per step")
    p.add_argument("--processes", type=int, default=1, help="locust processes (its --processes) per step")
    p.add_argument("--extend-steps", default="25,50,100,200", help="server-extend user counts (loadtest)")
    p.add_argument("--raf-steps", default="100,200,400,800", help="clientside-raf user counts (loadtest)")
    p.add_argument("--http-step-seconds", type=float, default=10, help="HTTP: measurement window per step")
    p.add_argument("--bisect-within", type=float, default=bracket.WITHIN, help="bracket width to reach")
    p.add_argument("--bisect-max-probes", type=int, default=bracket.MAX_PROBES, help="probes per strategy")
    p.add_argument("--budget-minutes", type=float, default=25, help="start no step after this")
    p.add_argument("--results-dir", type=Path, default=RESULTS, help="where the JSON goes")
    p.add_argument("--no-browser", action="store_true", help="skip the browser cells")
    p.add_argument("--no-load", action="store_true", help="skip every load step")
    p.add_argument("--no-http", action="store_true", help="skip server-extend and clientside-raf load")
    args = p.parse_args(argv)
    for text in (args.users, args.extend_steps, args.raf_steps):
        counts(text)
    if not 0 < args.budget_minutes <= 120:
        p.error(f"invalid --budget-minutes {args.budget_minutes:g}: expected more than 0, at most 120")
    deadline = time.monotonic() + 60 * args.budget_minutes
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    work = args.results_dir / f"push-{stamp}.tmp"  # process logs and locust CSVs (gitignored)
    work.mkdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    result = {"when": stamp, "speed": args.speed, "seconds": args.seconds, "args": vars(args)}
    server = push_server(work / "push-server.log", port)
    b = None
    try:
        if not args.no_browser:
            b = result["browser"] = browser_run(url, args.seconds, args.speed)
            result["ratios"] = {
                f"{sid}/server-extend fps": round(b[sid]["fps"] / b["server-extend"]["fps"], 2)
                if b["server-extend"]["fps"]
                else None
                for sid in ("server-push", "clientside-raf")
            }
            print(json.dumps(result["browser"]), flush=True)
        steps, why = ([], "not run") if args.no_load else push_steps(url, args, work, server.pid, deadline)
        result["load"] = steps
        held = [s["users"] for s in steps if s["held"]]
        result["max_users_held"] = max(held) if held else 0
    finally:
        stop(server)
    rows = {push_compare.PUSH: push_compare.push_row(steps, why)}
    if not (args.no_load or args.no_http):
        http, result["http"] = http_rows(args, work, deadline)
        rows.update(http)
    result["load_compare"] = {"rows": rows, "ratios": push_compare.ratios(rows)}
    out = args.results_dir / f"push-{stamp}.json"
    out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    for sid in PANELS if b else ():
        c = b[sid]
        print(
            f"{sid:15s} fps {c['fps']:5.1f}  latency p50 {c['latencyP50'] or 0:6.0f} ms  p95 {c['latencyP95'] or 0:6.0f} ms  requests {c['requests']}"
        )
    if b:
        print(
            "push:", {k: b["push"][k] for k in ("dropped", "duplicates", "reconnects", "messages", "playout")}
        )
        print("ratios:", result["ratios"])
    print("\n".join(push_compare.table(rows)))
    print("load ratios:", json.dumps(result["load_compare"]["ratios"]))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
