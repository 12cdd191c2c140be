"""What one bridge call costs the server, as a ratio to a no-op Dash callback measured in the same run, and
what one page load costs, for a first and a returning visit (#13).

    make bench-bridge                      # or: .venv/bin/python -m benchmarks.bench_bridge [--quick]

gunicorn (one sync worker) serves the production app plus one no-op callback (benchmarks/noop_wsgi.py). The
client posts real renderer requests (built from `_dash-dependencies` and the layout, as the load client does):
batches of no-op calls and of bridge samples, interleaved, each bridge sample one second of playhead later
than the last (a playing tab: no two windows alike, so no cache helps: the "cold" rows), and at the default window
also the "warm" row: a crowd's samples, windows some tab asked for before (see `measure`). The worker's own CPU
time (psutil) per
call is the figure; the ratio bridge / no-op is taken per round (the no-op batches before and after it) and the
median reported, for the default window and wider ones. The same is measured in-process with the Flask test
client (no HTTP, no gunicorn: the app's share alone). Page loads (loadtest/pageload.py): wire bytes, requests
and gunicorn's CPU per load, first visit (everything, the dataset's binary included) and returning visit
(the browser's cache holds the assets and the dataset). Results: benchmarks/results/bridge-<time>.json; the
load benchmark can embed `measure(...)`'s dict under `bridge_cost` and pageload.measure's under `page_loads`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from dash import Dash, Input, Output, dcc

from app import contract, ids
from app.bridge_analysis import grid_step
from loadtest import dash_protocol as dp
from loadtest import tickless

from . import bridge_probe, bridge_summary

RESULTS = Path(__file__).resolve().parent / "results"
NOOP_IN = "bench-noop-in"
NOOP_OUT = "bench-noop-out"
WINDOWS = (contract.DEFAULTS["window"], 20_000, 200_000, 1_000_000)


def add_noop(app: Dash) -> Dash:
    """Add the yardstick: two hidden stores and a server callback that returns its input. Returns the app.

    In a worker started with TICKLESS_BRIDGE_PROBE set, the probe it names is installed (bridge_probe.py)."""
    bridge_probe.from_env()
    app.layout.children.extend([dcc.Store(id=NOOP_IN), dcc.Store(id=NOOP_OUT)])

    @app.callback(Output(NOOP_OUT, "data"), Input(NOOP_IN, "data"), prevent_initial_call=True)
    def noop(value):
        return value

    return app


class Bodies:
    """Request bodies as the renderer sends them: the no-op call and a bridge sample at any playhead."""

    def __init__(self, page: str, layout, dependencies) -> None:
        self.config = dp.page_config(page)
        self.url = dp.update_url(self.config)
        self.values, self.order = dp.layout_props(layout)
        callbacks = [c for c in dp.parse_dependencies(dependencies) if not c.clientside]
        self.noop_cb = next(c for c in callbacks if f"{NOOP_IN}.data" in c.input_keys)
        self.bridge_cb = next(c for c in callbacks if tickless.BRIDGE_SAMPLE in c.input_keys)
        defaults = tickless.tab_defaults(self.values)
        self.rate, self.channels = defaults["rate"], defaults["channels"]

    def noop(self, seq: int) -> bytes:
        """A no-op call carrying a small number (the store's new value)."""
        values = {**self.values, f"{NOOP_IN}.data": seq}
        return json.dumps(dp.build_payload(self.noop_cb, values, [f"{NOOP_IN}.data"], self.order)).encode()

    def bridge(self, seq: int, head: int, window: int) -> bytes:
        """A bridge sample (div transport, as the page sends by default) for window [head - window, head)."""
        sample = tickless.bridge_sample(seq, time.time() * 1000, head, window, self.channels, 60.0)
        values = {**self.values, tickless.BRIDGE_SAMPLE: sample}
        body = dp.build_payload(self.bridge_cb, values, [tickless.BRIDGE_SAMPLE], self.order)
        return json.dumps(body).encode()


def _http_poster(base: str) -> Callable[[str, bytes], int]:
    parts = urlsplit(base)

    def post(path: str, body: bytes) -> int:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            conn.request("POST", path, body, {**dp.JSON_HEADERS, "Accept-Encoding": dp.ACCEPT_ENCODING})
            resp = conn.getresponse()
            resp.read()
            return resp.status
        finally:
            conn.close()

    return post


def _get_json(base: str, path: str):
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        text = resp.read().decode()
    finally:
        conn.close()
    return text if path == "/" else json.loads(text)


CROWD_SECONDS = 60  # warm rows: tabs that started playing within a minute of each other (a load step's ramp)


def measure(
    post: Callable[[str, bytes], int],
    cpu: Callable[[], float],
    bodies: Bodies,
    *,
    windows=WINDOWS,
    calls: int = 200,
    rounds: int = 5,
    warm: bool = True,
) -> dict:
    """Interleaved batches; per call CPU (ms) of the no-op and of the bridge at each window, and their ratios.

    `post(path, body)` sends one request and returns its status; `cpu()` reads the server's CPU seconds.

    Two kinds of bridge call, both from playing tabs. Cold (`rows`): each sample a second of playhead after the
    last, on a playhead no call used before, so every window is new to the worker and computed. Warm
    (`warm_rows`, the default window): the windows of a crowd of tabs that started playing the same data within
    CROWD_SECONDS of each other, each window already asked for once (a warm-up pass over them first): a playing
    tab's window ends on a grid point (app/bridge_analysis.py analysed_head), so a crowd asks for the same few hundred
    windows and a worker computes each once.
    """
    seq = [0]
    head = [10 * max(windows) + 1]
    rng = random.Random(13)

    def batch(make: Callable[[], bytes]) -> float:
        payloads = [make() for _ in range(calls)]  # built before the clock starts: client work is not counted
        before = cpu()
        for body in payloads:
            status = post(bodies.url, body)
            if status != 200:
                raise RuntimeError(f"server answered {status} to {body[:200]!r}")
        return (cpu() - before) / calls * 1000

    def noop() -> bytes:
        seq[0] += 1
        return bodies.noop(seq[0])

    def bridge(window: int) -> Callable[[], bytes]:
        def make() -> bytes:
            seq[0] += 1
            head[0] += bodies.rate  # a playing tab samples once a second: a new window every call
            return bodies.bridge(seq[0], head[0], window)

        return make

    default = contract.DEFAULTS["window"]
    crowd_from = 10**9  # far from the cold playheads: no window is shared between the two kinds
    crowd_span = CROWD_SECONDS * bodies.rate

    def crowd() -> bytes:
        seq[0] += 1
        return bodies.bridge(seq[0], crowd_from + rng.randrange(crowd_span), default)

    def meet_the_crowd() -> None:
        """Every window of the crowd asked for once, untimed (again before each warm batch: the cold batches'
        windows in between would otherwise push some out of the worker's bounded cache)."""
        step = grid_step(default, bodies.rate)  # the grid a playing tab's window ends on
        for at in range(crowd_from, crowd_from + crowd_span + step, step):
            seq[0] += 1
            post(bodies.url, bodies.bridge(seq[0], at, default))

    kinds = {w: bridge(w) for w in windows}
    if warm:
        kinds["warm"] = crowd
    for window in windows:  # warm-up: lazy caches (dataset, block summaries, Dash's own)
        post(bodies.url, bridge(window)())
    post(bodies.url, noop())
    noop_ms, per_kind = [], {k: [] for k in kinds}
    ratios = {k: [] for k in kinds}
    last = batch(noop)
    for _ in range(rounds):
        costs = {}
        for k, make in kinds.items():
            if k == "warm":
                meet_the_crowd()
            costs[k] = batch(make)
        after = batch(noop)
        base = (last + after) / 2
        noop_ms.append(after)
        for k, ms in costs.items():
            per_kind[k].append(ms)
            ratios[k].append(ms / base if base > 0 else float("nan"))
        last = after

    def row(kind, window: int) -> dict:
        return {
            "window": window,
            "bridge_ms": statistics.median(per_kind[kind]),
            "ratio": statistics.median(ratios[kind]),
            "ratio_rounds": ratios[kind],
        }

    out = {
        "calls_per_batch": calls,
        "rounds": rounds,
        "noop_ms": statistics.median(noop_ms),
        "noop_ms_rounds": noop_ms,
        "rows": [row(w, w) for w in windows],
    }
    if warm:
        out["warm_rows"] = [{**row("warm", default), "crowd_seconds": CROWD_SECONDS}]
    return out


def run_server(args) -> dict:
    """Measure through gunicorn (one sync worker): the worker's CPU per call, HTTP included."""
    from .launcher import Gunicorn

    RESULTS.mkdir(exist_ok=True)
    log = RESULTS / "bench-bridge-gunicorn.log"
    env = {bridge_probe.PROBE_ENV: args.probe} if args.probe else None
    with Gunicorn(log, workers=1, target="benchmarks.noop_wsgi:server", env=env) as server:
        import psutil

        worker = psutil.Process(server.worker_pids()[0])
        schedstat = Path(f"/proc/{worker.pid}/schedstat")

        def cpu() -> float:
            # Linux: the scheduler's nanosecond count of the worker's time on a CPU; psutil's user + system
            # time ticks at 10 ms, 0.03 ms a call over a batch of 300
            try:
                return int(schedstat.read_text().split()[0]) / 1e9
            except (OSError, ValueError, IndexError):
                t = worker.cpu_times()
                return t.user + t.system

        bodies = Bodies(
            _get_json(server.url, "/"),
            _get_json(server.url, "/_dash-layout"),
            _get_json(server.url, "/_dash-dependencies"),
        )
        return measure(
            _http_poster(server.url), cpu, bodies, windows=args.windows, calls=args.calls, rounds=args.rounds
        )


def run_page_loads(args) -> dict:
    """Server CPU, wire bytes and requests per page load, first and returning visit (loadtest/pageload.py),
    against gunicorn with the app's default worker count."""
    from loadtest import pageload

    from .launcher import Gunicorn

    log = RESULTS / "bench-bridge-gunicorn.log"
    with Gunicorn(log, workers=2) as server:
        return pageload.measure(server.url, server.cpu_seconds, loads=args.page_loads)


def run_inprocess(args) -> dict:
    """Measure in this process with the Flask test client (no HTTP): CPU of the app's own work per call."""
    from app import create_app
    from app.settings import Settings

    client = add_noop(create_app(Settings.load())).server.test_client()
    undo = bridge_probe.install(args.probe)
    bodies = Bodies(
        client.get("/").get_data(as_text=True),
        client.get("/_dash-layout").get_json(),
        client.get("/_dash-dependencies").get_json(),
    )

    def post(path: str, body: bytes) -> int:
        return client.post(path, data=body, headers=dp.JSON_HEADERS).status_code

    try:
        return measure(
            post, time.process_time, bodies, windows=args.windows, calls=args.calls, rounds=args.rounds
        )
    finally:
        undo()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls and rounds (about 20 s)")
    parser.add_argument("--calls", type=int, default=600, help="calls per batch")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds")
    parser.add_argument(
        "--windows",
        type=lambda s: [int(w) for w in s.split(",")],
        default=list(WINDOWS),
        help="comma-separated",
    )
    parser.add_argument("--no-server", action="store_true", help="in-process only (no gunicorn)")
    parser.add_argument("--page-loads", type=int, default=10, help="page loads per visit kind (0: none)")
    parser.add_argument("--out", type=Path, default=None, help="JSON path (default benchmarks/results/)")
    parser.add_argument(
        "--probe",
        choices=bridge_probe.PROBES,
        default=None,
        help="replace one part of the bridge call to measure it (benchmarks/bridge_probe.py); no goal figure",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.calls, args.rounds = min(args.calls, 100), min(args.rounds, 3)
        args.page_loads = min(args.page_loads, 4)
    result: dict = {
        "kind": "bridge-cost",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "meta": {
            "python": sys.version.split()[0],
            "machine": platform.machine(),
            "processor": platform.processor(),
            "default_window": contract.DEFAULTS["window"],
            "bridge_input": tickless.BRIDGE_SAMPLE,
            "ids": {"result": ids.BRIDGE_RESULT},
        },
        "probe": args.probe,
        "inprocess": run_inprocess(args),
    }
    if not args.no_server:
        result["server"] = run_server(args)
        if args.page_loads:
            result["page_loads"] = run_page_loads(args)
    reached = None if args.probe else bridge_summary.goal(result)  # a probe's figures are not the bridge's
    if reached is not None:
        result["goal"] = reached
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = args.out or RESULTS / f"bridge-{stamp}{'-probe-' + args.probe if args.probe else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print("\n".join(bridge_summary.summary_lines(result)))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
