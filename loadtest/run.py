"""Load benchmark of every Tickless strategy: gunicorn on 127.0.0.1, stepped locust users, JSON + CSV results.

For each scenario (a strategy at one Interval or bridge period) this starts the production server
(gunicorn, default 2 sync workers) on a free 127.0.0.1 port, runs locust headless from .venv-load with the
stepped load of loadtest/steps.py, prints each step as it lands, and stops both. Every step is bounded in
users and time, a scenario stops at its first failing step, and the whole run stops at --budget-minutes.
Results go to benchmarks/results/load-<stamp>.json and .csv; `python -m benchmarks.report` plots them.
With --target (any Dash app already serving on 127.0.0.1) the run uses loadtest/any_dash.py, starts no
server, and writes anydash-<stamp>.json/.csv: the app's own results, never mixed with Tickless's.

    .venv/bin/python -m loadtest.run                  # full run (≤ 25 min)
    .venv/bin/python -m loadtest.run --quick          # small steps, short windows (≤ 8 min)
    .venv/bin/python -m loadtest.run --target http://127.0.0.1:8050   # any Dash app already serving
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import psutil

from app import contract
from benchmarks import launcher, ports

from . import bracket, console, scenarios, tickless
from . import results as results_doc

ROOT = launcher.ROOT
FULL = {
    "steps": "10,25,50,100,200,400,800,1600",
    "step_seconds": 10.0,
    "settle": 2.0,
    "drain": 10.0,
    "warmup": 60.0,
    "budget": 25.0,
}
QUICK = {
    "steps": "5,10,20,40,80",
    "step_seconds": 3.0,
    "settle": 1.0,
    "drain": 3.0,
    "warmup": 30.0,
    "budget": 8.0,
}
MAX_USERS = 5000
MIN_SCENARIO_S = 20.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line flags; a bad value exits with one line naming it."""
    p = argparse.ArgumentParser(
        prog="loadtest.run",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawTextHelpFormatter,
    )
    p.add_argument(
        "--quick", action="store_true", help=f"steps {QUICK['steps']}, {QUICK['step_seconds']:g} s each"
    )
    p.add_argument("--steps", help=f"user counts, ascending (default {FULL['steps']})")
    p.add_argument("--step-seconds", type=float, help="measurement window per step (default 10)")
    p.add_argument("--p95-limit-ms", type=float, default=100.0, help="a step passes while p95 is below this")
    p.add_argument(
        "--bisect-within",
        type=float,
        default=bracket.WITHIN,
        help="after the first failing step, bisect until the bracket is this narrow (0.1 = 10%%)",
    )
    p.add_argument(
        "--bisect-max-probes",
        type=int,
        default=bracket.MAX_PROBES,
        help="bisection probes per scenario (0: none)",
    )
    p.add_argument(
        "--strategies",
        default=",".join(scenarios.LOADABLE),
        help="comma-separated strategy ids (default: every strategy with a load user)",
    )
    p.add_argument("--no-matrix", action="store_true", help="only each strategy at its defaults")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    p.add_argument("--worker-class", default="sync", help="gunicorn worker class (sync, gthread, …)")
    p.add_argument("--threads", type=int, default=0, help="gunicorn threads per worker (gthread)")
    p.add_argument("--page-load", choices=("returning", "first"), default="returning", help="see locustfile")
    p.add_argument(
        "--page-loads",
        type=int,
        default=5,
        help="before the scenarios, this many page loads of a first and of a returning visit, one tab after "
        "another: wire bytes, requests and server CPU per load (loadtest/pageload.py; 0: none; not with --target)",
    )
    p.add_argument("--ramp-rate", type=float, default=50.0, help="users started per second")
    p.add_argument(
        "--client-gc",
        choices=("freeze", "default"),
        default="default",
        help="locust's own collector: leave it (default) or freeze the tabs after each ramp (see loadtest/steps.py)",
    )
    p.add_argument("--budget-minutes", type=float, help="stop starting scenarios after this (20; quick: 8)")
    p.add_argument(
        "--nice",
        type=int,
        default=0,
        help="niceness of gunicorn and locust (below 0: higher priority, root only)",
    )
    p.add_argument(
        "--quiet-cpu", type=float, default=25.0, help="wait before each scenario until others use less"
    )
    p.add_argument("--target", help="load-test a Dash app already serving at this URL (generic mode)")
    p.add_argument("--allow-remote", action="store_true", help="let --target be a host other than loopback")
    p.add_argument("--server-pid", type=int, default=0, help="with --target: server pid to measure CPU/RSS")
    p.add_argument("--results-dir", type=Path, default=ROOT / "benchmarks" / "results")
    p.add_argument("--locust", type=Path, default=ROOT / ".venv-load" / "bin" / "locust")
    p.add_argument("--gunicorn", type=Path, default=ROOT / ".venv" / "bin" / "gunicorn")
    args = p.parse_args(argv)
    preset = QUICK if args.quick else FULL
    args.steps = args.steps or preset["steps"]
    args.step_seconds = args.step_seconds or preset["step_seconds"]
    args.settle, args.drain, args.warmup = preset["settle"], preset["drain"], preset["warmup"]
    args.budget_minutes = args.budget_minutes or preset["budget"]
    try:
        steps = [int(s) for s in args.steps.split(",")]
    except ValueError:
        p.error(f"invalid --steps {args.steps!r}: expected ascending integers like 10,25,50")
    if not steps or steps != sorted(set(steps)) or steps[0] < 1 or steps[-1] > MAX_USERS:
        p.error(f"invalid --steps {args.steps!r}: expected ascending integers from 1 to {MAX_USERS}")
    if not 0 <= args.page_loads <= 100:
        p.error(f"invalid --page-loads {args.page_loads}: expected 0 (none) to 100")
    if not 1 <= args.step_seconds <= 300:
        p.error(f"invalid --step-seconds {args.step_seconds:g}: expected 1 to 300")
    if not 0 < args.budget_minutes <= 120:
        p.error(f"invalid --budget-minutes {args.budget_minutes:g}: expected more than 0, at most 120")
    if not -20 <= args.nice <= 19 or (args.nice < 0 and os.geteuid() != 0):
        p.error(f"invalid --nice {args.nice}: expected -20 to 19 (below 0 only as root)")
    if not 0.01 <= args.bisect_within <= 1 or not 0 <= args.bisect_max_probes <= 12:
        p.error("invalid --bisect-within/--bisect-max-probes: expected 0.01 to 1 and 0 to 12")
    if not 1 <= args.workers <= 64:
        p.error(f"invalid --workers {args.workers}: expected 1 to 64")
    unknown = [s for s in args.strategies.split(",") if s not in scenarios.LOADABLE]
    if unknown:
        p.error(f"invalid --strategies {','.join(unknown)}: expected some of {','.join(scenarios.LOADABLE)}")
    if args.target and not ports.is_loopback(args.target) and not args.allow_remote:
        p.error(
            f"invalid --target {args.target}: not a loopback address (add --allow-remote for a host you own)"
        )
    if not args.locust.exists():
        p.error(f"locust not found at {args.locust}: run `make .venv-load/.installed` first")
    return args


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name).strip("-")


def wait_quiet(limit: float, max_wait: float) -> float:
    """Wait (at most `max_wait` s) until other processes use under `limit` % of one core; return the last reading."""
    deadline, said = time.monotonic() + max_wait, 0.0
    if limit >= 100 * (psutil.cpu_count() or 1):
        return 0.0  # no limit: do not even look
    while True:
        busy = psutil.cpu_percent(interval=2) * (psutil.cpu_count() or 1)
        if busy < limit or time.monotonic() > deadline:
            return busy
        if time.monotonic() - said > 15:
            print(
                f"  waiting for a quiet machine: other processes use {busy:.0f}% of a core (limit {limit:g}%)"
            )
            said = time.monotonic()


def locust_command(args, sc: dict, host: str, pid: int, log: Path, cap_s: int) -> list[str]:
    """The locust command line for one scenario."""
    users = "loadtest/any_dash.py" if args.target else "loadtest/locustfile.py"
    tabs = (
        ()
        if args.target
        else ("--tick-ms", str(sc.get("tick_ms") or 0), "--bridge-ms", str(sc.get("bridge_ms", -1)))
    )
    return [
        str(args.locust),
        *("-f", f"{users},loadtest/steps.py", "--headless", "--host", host),
        *("--loglevel", "WARNING", "--only-summary", "--stop-timeout", "5", "-t", f"{cap_s}s"),
        *(
            "--steps",
            args.steps,
            "--step-seconds",
            str(args.step_seconds),
            "--settle-seconds",
            str(args.settle),
            "--drain-seconds",
            str(args.drain),
        ),
        *("--warmup-max-seconds", str(args.warmup), "--ramp-rate", str(args.ramp_rate)),
        *("--p95-limit-ms", str(args.p95_limit_ms), "--server-pid", str(pid), "--step-log", str(log)),
        *("--bisect-within", str(args.bisect_within), "--bisect-max-probes", str(args.bisect_max_probes)),
        *("--scenario", sc["name"], "--page-load", args.page_load, "--client-gc", args.client_gc),
        *(("--noisy-retries", "1", "--quiet-wait-seconds", "10") if args.nice < 0 else ()),
        *tabs,
        sc["user"],
    ]


def serve(args, log: Path, env: dict) -> launcher.Gunicorn:
    """The run's gunicorn (the app as in production, with the run's workers, class, threads and priority),
    started on a free 127.0.0.1 port and answering."""
    return launcher.Gunicorn(
        log,
        workers=args.workers,
        worker_class=args.worker_class,
        threads=args.threads,
        env=env,
        nice=args.nice,
        gunicorn=args.gunicorn,
    ).start(120)


def run_scenario(args, sc: dict, work: Path, remaining: float) -> dict:
    """Serve (unless --target), run one stepped locust process, stop both; the scenario's result."""
    slug, n_steps = _slug(sc["name"]), len(args.steps.split(",")) + args.bisect_max_probes
    per_step = args.warmup + args.settle + args.step_seconds + 2
    cap = int(min(remaining, n_steps * per_step + args.bisect_max_probes * args.drain + 30))
    print(f"\n▶ {sc['name']} ({sc['user']}), at most {cap} s")
    wait = 10.0 if args.nice < 0 else 120.0  # at raised priority, others mostly get idle CPU
    busy_before = wait_quiet(args.quiet_cpu, min(wait, max(0.0, remaining - cap)))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DEBUG": "false"}
    gunicorn = locust = None
    started = time.monotonic()
    try:
        if args.target:
            host, pid = args.target.rstrip("/"), args.server_pid
        else:
            gunicorn = serve(args, work / f"{slug}-gunicorn.log", env)
            host, pid = gunicorn.url, gunicorn.pid
        if args.target:
            ports.wait_http(host, 120)
        log = work / f"{slug}.jsonl"
        command = locust_command(args, sc, host, pid, log, cap)
        locust = launcher.start(command, work / f"{slug}-locust.log", env, args.nice)
        records = console.follow(log, locust, started + cap + 15, args.p95_limit_ms)
        exit_code = locust.wait(10)
    finally:
        launcher.stop(locust)
        if gunicorn is not None:
            gunicorn.stop()
    steps = [r for r in records if r["type"] == "step" and not r.get("superseded")]
    done = next((r for r in records if r["type"] == "done"), None)
    held = scenarios.max_users(steps)
    bound = "≥ " if held["lower_bound"] else ""
    span = f", fails at {held['fails_at']}" if held["fails_at"] else ""
    span += f" (bracket +{held['bracket_pct']:g}%)" if held["bracket_pct"] is not None else ""
    print(
        f"  held {bound}{held['users']} users{span} at p95 < {args.p95_limit_ms:g} ms "
        f"({done['reason'] if done else 'stopped'})"
    )
    return {
        "scenario": sc,
        "steps": steps,
        "superseded_steps": [r for r in records if r.get("superseded")],  # noisy, measured again
        "held": held,
        "done": done,
        "locust_exit_code": exit_code,
        "seconds": round(time.monotonic() - started, 1),
        "other_cpu_before": round(busy_before, 1),
    }


def measure_page_loads(args, work: Path) -> dict:
    """A first and a returning visit's page load (loadtest/pageload.py) against the server the scenarios get,
    started for it alone: {"first": {...}, "returning": {...}}, per load."""
    from . import pageload

    server = serve(
        args, work / "page-loads-gunicorn.log", {**os.environ, "PYTHONPATH": str(ROOT), "DEBUG": "false"}
    )
    try:
        return pageload.measure(server.url, server.cpu_seconds, loads=args.page_loads)
    finally:
        server.stop()


def plan(args) -> list[dict]:
    """The scenarios of this run, as dicts."""
    if args.target:
        return [
            {"name": "any-dash", "user": "AnyDashUser", "strategy": "any-dash", "headline": True, "fps": 0}
        ]
    window = int(os.environ.get("TICKLESS_WINDOW", contract.DEFAULTS["window"]))
    channels = int(os.environ.get("TICKLESS_CHANNELS", "4"))
    measured = scenarios.browser_fps(args.results_dir, window, channels)
    chosen = args.strategies.split(",")
    return [s.to_json() for s in scenarios.build(chosen, not args.no_matrix, measured, tickless.DISPLAY_HZ)]


def main(argv: list[str] | None = None) -> int:
    """Run every scenario within the budget and write the results; 130 if interrupted."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM cleans up like Ctrl-C
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    prefix = results_doc.PREFIX_TARGET if args.target else results_doc.PREFIX
    work = args.results_dir / f"{prefix}-{stamp}.tmp"
    work.mkdir()
    todo, results, status = plan(args), [], 0
    deadline = time.monotonic() + args.budget_minutes * 60
    print(
        f"load benchmark: {len(todo)} scenarios, steps {args.steps}, {args.step_seconds:g} s each, ", end=""
    )
    served = (
        f"the app at {args.target} (not started by this run)"
        if args.target
        else f"gunicorn {args.workers} {args.worker_class} workers"
    )
    print(f"{served}, budget {args.budget_minutes:g} min; logs in {work}")
    app = results_doc.describe_target(args.target) if args.target else None
    began = time.time()
    page_loads = None
    try:
        if args.page_loads > 0 and not args.target:
            page_loads = measure_page_loads(args, work)
            print(console.page_loads_line(page_loads))
        for sc in todo:
            remaining = deadline - time.monotonic()
            if remaining < MIN_SCENARIO_S:
                results.append({"scenario": sc, "steps": [], "skipped": "time budget used up"})
                print(f"\n▷ {sc['name']}: skipped (time budget used up)")
                continue
            results.append(run_scenario(args, sc, work, remaining))
    except KeyboardInterrupt:
        print("\ninterrupted: writing what was measured")
        status = 130
    doc = results_doc.document(args, results, began, status, app)
    if page_loads is not None:
        doc["page_loads"] = page_loads
    out = args.results_dir / f"{prefix}-{stamp}.json"
    out.write_text(json.dumps(doc, indent=1))
    results_doc.write_csv(out.with_suffix(".csv"), results)
    clean = status == 0 and all(r.get("done") or r.get("skipped") for r in results)
    if clean:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept the process logs in {work}")
    print(f"\nwrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} and .csv")
    results_doc.print_headline(doc)
    return status


if __name__ == "__main__":
    sys.exit(main())
