"""Browser benchmark: what every Tickless strategy delivers on screen, in headless Chromium, with ceilings.

Serves the app with gunicorn (127.0.0.1, free port) on a dataset big enough for the largest window, opens
/strategy/<id>?window=…&channels=…&trace=…&speed=… for every cell of the matrix (strategy × window ×
channels × trace type [× decimate, once the router knows it]) and, after a warm-up, records for a fixed
duration: painted frames/s and data-to-paint latency (from the engine's own meters), frame time (an
injected rAF loop), long tasks, JS heap (with and without a forced GC), the page's server traffic, the
initial load and decode, and the time spent in Plotly calls. In the same run it measures two ceilings on
bare pages (bench_ceiling.py) and reports each cell's fps as a ratio to them and to server-extend.
Results: benchmarks/results/browser-YYYYmmdd-HHMMSS.json and a table on stdout; bench_report.py plots them.

    .venv/bin/python -m benchmarks.bench               # full matrix, ≤ ~25 min
    .venv/bin/python -m benchmarks.bench --quick       # about one minute
    .venv/bin/python -m benchmarks.bench --strategies clientside-raf --windows 100000 --channels 4

Every cell ends with a status: ok; skipped (with the reason: see bench_plan.skip_reason — software WebGL
beyond 100k points on screen, a server strategy at a window wider than one reply may carry
(contract.SERVER_MAX_POINTS over all traces: it would draw only the newest part), a decimate mode that gives
the same render path as one already run, or the time budget); failed (the strategy did not draw: nothing
on screen after 20 s, or no frame painted 20 s after the window was drawn, or not ready after
--ready-timeout); invalid (rAF was not really ticking: the page was hidden, or rAF ran below 20 Hz while the
main thread was < 20% busy, see bench_results.validity); error (the browser or harness broke; restarted).
The run starts no cell after --budget-minutes, so a full run ends within about that time plus one cell.
Goals are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from app import contract
from app.strategies.common import BASE_LAYOUT

from . import bench_results as res
from .bench_browser import BROKEN, Browser, Cell, CellError
from .bench_ceiling import run_ceilings
from .bench_plan import KINDS, dataset_seconds, machine, plan, router_knows_decimate, skip_reason
from .launcher import ROOT, Gunicorn, dataset_env

RESULTS = ROOT / "benchmarks" / "results"
FULL = {"windows": "1000,10000,100000,1000000", "channels": "1,4", "traces": ",".join(contract.TRACE_TYPES)}
FULL.update(strategies=",".join(KINDS), duration=5.0, warmup=2.0, budget=25.0, ready=90.0)
QUICK = {
    "windows": "10000,100000",
    "channels": "1",
    "traces": "scatter",
    "strategies": "clientside-raf,server-extend",
}
QUICK.update(duration=3.0, warmup=1.5, budget=3.0, ready=30.0)


def _ints(text: str, name: str) -> list[int]:
    try:
        values = [int(v.replace("_", "")) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid --{name} {text!r}: expected integers like 1000,10000"
        ) from None
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"invalid --{name} {text!r}: expected positive integers")
    return values


def _num(value: float) -> str:
    """1000000 → "1,000,000", 0.1 → "0.1"."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _some_of(values: tuple[str, ...]) -> str:
    """("a", "b", "c") → "a, b and/or c"."""
    return f"{', '.join(values[:-1])} and/or {values[-1]}" if len(values) > 1 else values[0]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line flags; a bad value exits with one line naming it."""
    p = argparse.ArgumentParser(
        prog="benchmarks.bench",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawTextHelpFormatter,
    )
    p.add_argument(
        "--quick", action="store_true", help="a one-minute run: 2 strategies × 10k,100k × 1 channel"
    )
    p.add_argument("--strategies", help=f"comma-separated ids (default: all: {FULL['strategies']})")
    p.add_argument("--windows", help=f"points per trace (default {FULL['windows']})")
    p.add_argument("--channels", help=f"channel counts (default {FULL['channels']})")
    p.add_argument("--traces", help=f"trace types (default {FULL['traces']})")
    p.add_argument(
        "--decimate",
        default="auto,off",
        help="decimate modes for clientside cells, when the router knows them",
    )
    p.add_argument("--duration", type=float, help="seconds measured per cell (default 5; quick 3)")
    p.add_argument(
        "--warmup", type=float, help="seconds after the first paint before measuring (default 2; quick 1.5)"
    )
    p.add_argument(
        "--repeat", type=int, default=1, help="measurements per cell; figures are medians (default 1)"
    )
    p.add_argument("--rate", type=int, default=10_000, help="dataset sample rate, Hz (default 10000)")
    p.add_argument("--speed", type=float, default=1.0, help="replay speed (default 1)")
    p.add_argument(
        "--bridge", type=int, help="bridge period (ms) on every page (default: the app's; 0 = off)"
    )
    p.add_argument(
        "--interval", type=int, help="Interval period (ms) of Interval-driven strategies (default: the app's)"
    )
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    p.add_argument("--budget-minutes", type=float, help="start no cell after this (default 25; quick 3)")
    p.add_argument("--ready-timeout", type=float, help="seconds a page may take to draw its first window")
    p.add_argument("--no-skip", action="store_true", help="run the cells the skip rules would leave out")
    p.add_argument("--no-ceilings", action="store_true", help="skip the bare-page ceilings")
    p.add_argument("--out", type=Path, default=RESULTS, help="results directory (default benchmarks/results)")
    args = p.parse_args(argv)
    preset = QUICK if args.quick else FULL
    try:
        args.strategies = [
            s.strip() for s in (args.strategies or preset["strategies"]).split(",") if s.strip()
        ]
        args.windows = _ints(args.windows or preset["windows"], "windows")
        args.channels = _ints(args.channels or preset["channels"], "channels")
    except argparse.ArgumentTypeError as err:
        p.error(str(err))
    args.traces = [t.strip() for t in (args.traces or preset["traces"]).split(",") if t.strip()]
    args.decimate = [d.strip() for d in args.decimate.split(",") if d.strip()]
    unknown = [s for s in args.strategies if s not in KINDS]
    if unknown or not args.strategies:
        p.error(f"invalid --strategies {','.join(unknown) or '(empty)'}: choose from {','.join(KINDS)}")
    if not args.traces or any(t not in contract.TRACE_TYPES for t in args.traces):
        p.error(f"invalid --traces {','.join(args.traces)!r}: use {_some_of(contract.TRACE_TYPES)}")
    if any(d not in contract.DECIMATE_MODES for d in args.decimate):
        p.error(f"invalid --decimate {','.join(args.decimate)!r}: use {_some_of(contract.DECIMATE_MODES)}")
    for name, (lo, hi) in (("windows", contract.WINDOW), ("channels", contract.CHANNELS)):
        outside = [v for v in getattr(args, name) if not lo <= v <= hi]
        if outside:
            p.error(f"invalid --{name}: {outside[0]:,} is outside the app's limits {lo:,} to {hi:,}")
    for name in ("duration", "warmup"):
        setattr(args, name, preset[name] if getattr(args, name) is None else getattr(args, name))
    if args.duration <= 0 or args.warmup < 0 or args.repeat < 1:
        p.error("invalid --duration/--warmup/--repeat: expected duration > 0, warmup ≥ 0, repeat ≥ 1")
    ranges = (
        ("rate", contract.RATE, " Hz"),
        ("speed", contract.SPEED, ""),
        ("interval", contract.INTERVAL, " ms"),
        ("bridge", contract.BRIDGE_PERIOD, " ms, or 0 (off)"),
    )
    for name, (lo, hi), unit in ranges:
        value = getattr(args, name)
        if value is not None and not lo <= value <= hi and not (name == "bridge" and value == 0):
            p.error(f"invalid --{name} {_num(value)}: expected {_num(lo)} to {_num(hi)}{unit}")
    args.extra = {k: v for k, v in (("bridge", args.bridge), ("interval", args.interval)) if v is not None}
    args.budget_minutes = args.budget_minutes or preset["budget"]
    args.ready_timeout = args.ready_timeout or preset["ready"]
    return args


def measure_cell(browser: Browser, server: Gunicorn, cell: Cell, args) -> dict:
    """Open and measure one cell `args.repeat` times; the entry for the results file."""
    runs, notes = [], []
    for _ in range(args.repeat):
        opened = browser.open_cell(server.url, cell, args.speed, args.extra, args.ready_timeout)
        if opened["message"]:
            notes.append(f"page message: {opened['message']}")
        raw = browser.measure(
            cell.graph_id, args.warmup, args.duration, [browser.cpu_seconds, server.cpu_seconds]
        )
        bad = res.validity(raw, cell.trace)
        errors = [e["message"][:200] for e in browser.console() if e.get("level") == "SEVERE"]
        browser.clear_storage()
        if bad:
            return {"status": "invalid", "reason": bad, **res.cell_figures(raw, opened)}
        figures = res.cell_figures(raw, opened)
        if (figures.get("other_cpu_pct") or 0) > res.CONTENDED_CPU_PCT:
            notes.append(f"contended: other processes used {figures['other_cpu_pct']:.0f}% CPU meanwhile")
        figures["series"] = raw.get("series")
        # where each frame's main-thread time went (bench_page.js)
        figures["breakdown"] = raw.get("breakdown")
        figures["console_errors"] = errors[:5]
        runs.append(figures)
    merged = res.merge_repeats(runs)
    merged["repeats"] = len(runs)
    if len(runs) > 1:
        merged["fps_runs"] = [r["fps"] for r in runs]
    return {"status": "ok", "notes": sorted(set(notes)), **merged}


def run(args) -> tuple[Path, bool]:
    """The whole benchmark: server, browser, ceilings, cells, JSON; returns the results path and whether
    the run was interrupted (Ctrl-C during the cells still writes what was measured)."""
    t_start = time.monotonic()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    args.out.mkdir(parents=True, exist_ok=True)
    seconds = dataset_seconds(args.windows, args.rate)
    channels = max(4, max(args.channels))
    decimate_ok = router_knows_decimate()
    log(
        f"bench: dataset {channels} ch × {seconds:g} s at {args.rate:,} Hz; decimate param known: {decimate_ok}"
    )
    server_log = Path(tempfile.gettempdir()) / f"tickless-bench-{stamp}-gunicorn.log"
    server = Gunicorn(server_log, workers=args.workers, env=dataset_env(channels, args.rate, seconds))
    browser = Browser(script_timeout=max(120.0, args.warmup + args.duration + 60))
    result: dict = {
        "kind": "tickless-browser-bench",
        "schema": 1,
        "stamp": stamp,
        "created": datetime.now().isoformat(),
    }
    try:
        server.start()
        log(f"bench: gunicorn ({args.workers} workers) at {server.url}, RSS {server.rss_mb():.0f} MB")
        browser.start()
        info = browser.info()
        log(
            f"bench: {info['browser']} {info['browser_version']}, WebGL {info['webgl_renderer']!r}, idle rAF {info['idle_raf_hz']} Hz"
        )
        probe = browser.open_cell(
            server.url, Cell("clientside-raf", 1000, 1, "scatter"), 1, args.extra, args.ready_timeout
        )
        browser.clear_storage()
        size = probe["graph_size"] or {"width": 1246, "height": 420, "plotWidth": 1176}
        info["graph_size"] = size
        columns = int(size["plotWidth"])
        cells = plan(args, info["software_webgl"], columns, decimate_ok)
        result.update(
            command=[sys.executable, "-m", "benchmarks.bench", *sys.argv[1:]],
            machine=machine(),
            browser=info,
            settings={
                "quick": args.quick,
                "strategies": args.strategies,
                "windows": args.windows,
                "channels": args.channels,
                "traces": args.traces,
                "decimate": args.decimate if decimate_ok else None,
                "duration_s": args.duration,
                "warmup_s": args.warmup,
                "repeat": args.repeat,
                "rate": args.rate,
                "speed": args.speed,
                "dataset_seconds": seconds,
                "dataset_channels": channels,
                "workers": args.workers,
                "bridge": args.bridge,
                "interval": args.interval,
                "skip_rules": not args.no_skip,
                "ceiling_points": 2 * columns,
                "budget_minutes": args.budget_minutes,
            },
        )
        if args.no_ceilings:
            result["ceilings"] = {"react": [], "extend": []}
        else:
            log(f"bench: ceilings on bare pages ({2 * columns} points per trace for react)")
            soft = info["software_webgl"]

            def ceiling_skip(kind, points, n, trace):
                return (
                    skip_reason("bare", kind, points, n, trace, soft_gl=soft, drawn=points)
                    if not args.no_skip
                    else None
                )

            result["ceilings"] = run_ceilings(
                browser,
                windows=args.windows,
                channels=args.channels,
                traces=args.traces,
                skip=ceiling_skip,
                rate=args.rate,
                speed=args.speed,
                size=size,
                layout=BASE_LAYOUT,
                points=2 * columns,
                warmup_s=min(args.warmup, 1.5),
                duration_s=min(args.duration, 3.0),
                log=log,
            )
        result["cells"] = run_cells(browser, server, cells, args, t_start, info["software_webgl"])
        result["interrupted"] = any(c.get("reason") == "run interrupted" for c in result["cells"])
    finally:
        browser.stop()
        server.stop()
    server_log.unlink(missing_ok=True)  # kept only when the run broke
    res.add_ratios(result["cells"], result["ceilings"], (result.get("browser") or {}).get("idle_raf_hz"))
    result["goals"] = res.goals(result["cells"])
    result["elapsed_s"] = round(time.monotonic() - t_start, 1)
    path = args.out / f"browser-{stamp}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(res.finite(result), indent=1, allow_nan=False, default=str))
    tmp.replace(path)
    print("\n" + res.table(result["cells"]))
    print("\n" + breakdown_text(result["cells"], result["ceilings"]))
    print("\ngoals (clientside, scatter, default render path; reported, not asserted):")
    print(res.goals_text(result["goals"]) or "  no cell they apply to was measured")
    print(
        f"bench: wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} in {result['elapsed_s']:.0f} s"
    )
    return path, result["interrupted"]


def breakdown_text(cells: list[dict], ceilings: dict) -> str:
    """Where each frame's main-thread time went (ms per frame, mean/p95), per measured cell and bare ceiling,
    and the engine's frame budget check (bench_results.BUDGET, reported, not asserted)."""
    rows = [(c["id"], res.breakdown_of(c)) for c in cells if c.get("status") == "ok"]
    rows += [
        (f"react ceiling {c['traces']} x {c['points']} {c['trace']}", res.breakdown_of(c))
        for c in ceilings.get("react", [])
        if c.get("status") == "ok"
    ]
    rows = [(label, b) for label, b in rows if b]
    if not rows:
        return "where each frame's time goes: no breakdown recorded"
    width = max(len(label) for label, _ in rows)
    head = f"{'ms per frame, mean/p95':<{width}}  " + "  ".join(f"{c:>12}" for c in res.BREAKDOWN)
    lines = ["where each frame's main-thread time goes (bench_page.js spans):", head]
    for label, b in rows:
        cols = (f"{_ms(b.get(f'{c}_ms_mean'))}/{_ms(b.get(f'{c}_ms_p95'))}" for c in res.BREAKDOWN)
        lines.append(f"{label:<{width}}  " + "  ".join(f"{v:>12}" for v in cols))
    budget = res.budget_text(res.frame_budget(cells))
    return "\n".join(lines + ([budget] if budget else []))


def _ms(value) -> str:
    return f"{value:.1f}" if isinstance(value, (int, float)) else "–"


def entry_for(cell: Cell, soft_gl: bool) -> dict:
    """The fields that name a cell in the results."""
    return {
        "id": cell.label(),
        "strategy": cell.strategy,
        "kind": KINDS[cell.strategy],
        "window": cell.window,
        "channels": cell.channels,
        "trace": cell.trace,
        "decimate": cell.decimate,
        "software_webgl": cell.trace == "scattergl" and soft_gl,
    }


def run_cells(browser: Browser, server: Gunicorn, cells, args, t_start: float, soft_gl: bool) -> list[dict]:
    """Measure every planned cell with progress lines; skips, errors and budget overruns are recorded."""
    out: list[dict] = []
    runnable = sum(1 for _, reason in cells if reason is None)
    done, t_cells = 0, time.monotonic()
    for index, (cell, reason) in enumerate(cells):
        entry = entry_for(cell, soft_gl)
        elapsed = time.monotonic() - t_start
        if reason is None and elapsed > 60 * args.budget_minutes:
            reason = f"time budget of {args.budget_minutes:g} min used up"
        if reason:
            out.append({**entry, "status": "skipped", "reason": reason})
            log(f"  skip {cell.label()}: {reason}")
            continue
        done += 1
        t0 = time.monotonic()
        try:
            entry.update(measure_cell(browser, server, cell, args))
        except KeyboardInterrupt:
            log("bench: interrupted: writing what was measured so far")
            rest = [entry_for(c, soft_gl) for c, _ in cells[index:]]
            return out + [{**e, "status": "skipped", "reason": "run interrupted"} for e in rest]
        except Exception as exc:  # one broken cell must not lose the whole run
            text = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
            failed = isinstance(exc, CellError)  # the strategy did not draw (else: harness/browser fault)
            severe = [e["message"] for e in browser.console() if e.get("level") == "SEVERE"]
            if severe:
                text += f"; console: {severe[0][:200]} (×{len(severe)})"
            entry.update(status="failed" if failed else "error", reason=text)
            if not failed:
                entry["reason"] = f"{type(exc).__name__}: {text}"
                browser.restart()
            browser.clear_storage()
        took = time.monotonic() - t0
        if entry["status"] == "ok":
            what = f"{entry['fps']:.1f} fps, latency p95 {entry.get('latency_ms_p95') or float('nan'):.0f} ms"
        else:
            what = f"{entry['status']}: {entry['reason']}"
        eta = (time.monotonic() - t_cells) / done * (runnable - done)
        log(f"  [{done}/{runnable}] {cell.label()}: {what} ({took:.1f} s; ~{eta / 60:.1f} min left)")
        out.append(entry)
    return out


def log(text: str) -> None:
    """A progress line, flushed at once."""
    print(text, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse flags, run, return an exit code (0 even when goals are missed)."""
    args = parse_args(argv)
    try:
        _, interrupted = run(args)
        if interrupted:
            return 130
    except KeyboardInterrupt:
        log("bench: interrupted")
        return 130
    except (RuntimeError, *BROKEN) as err:
        text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        log(f"bench: error: {text}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
