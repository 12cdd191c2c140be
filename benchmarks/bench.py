"""Browser benchmark: what every Tickless strategy delivers on screen, in headless Chromium, with ceilings.

Serves the app with gunicorn (127.0.0.1, free port) on a dataset big enough for the largest window, opens
/strategy/<id>?window=…&channels=…&trace=…&speed=… for every cell of the matrix (strategy × window ×
channels × trace type [× decimate, once the router knows it]) and, after a warm-up, records for a fixed
duration: painted frames/s and data-to-paint latency (from the engine's own meters), frame time (an
injected rAF loop), long tasks, JS heap (with and without a forced GC), the page's server traffic, the
initial load and decode, and the time spent in Plotly calls. In the same run it measures two ceilings on
bare pages (bench_ceiling.py) and reports each cell's fps as a ratio to them and to server-extend; the goal
cells (clientside-raf, scatter, default render path) and the default page are measured in alternating pairs
with a matched ceiling, their figures the medians over the pairs (bench_pairs.py).
Results: benchmarks/results/browser-YYYYmmdd-HHMMSS.json and a table on stdout; bench_report.py plots them.

    .venv/bin/python -m benchmarks.bench               # full matrix, ≤ ~33 min
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

import json
import sys
import tempfile
import time
from datetime import datetime
from functools import partial
from pathlib import Path

from app import data as app_data
from app.strategies.common import BASE_LAYOUT

from . import bench_goals
from . import bench_results as res
from .bare_origin import BareOrigin
from .bench_args import parse_args
from .bench_browser import BROKEN, Browser, Cell, CellError
from .bench_ceiling import adjacent_ceiling, data_source, run_ceilings
from .bench_landing import measure_landing
from .bench_pairs import measure_pairs, pairs_text
from .bench_plan import KINDS, dataset_seconds, machine, plan, router_knows_decimate, skip_reason
from .launcher import ROOT, Gunicorn, PushServer, dataset_env


def ready_seconds(cell: Cell, args) -> float:
    """How long a cell may take to show its window: a live source (server-push) fills it in real time."""
    if KINDS[cell.strategy] == "push":
        return args.ready_timeout + cell.window / (args.rate * args.speed)
    return args.ready_timeout


def measure_cell(browser: Browser, server: Gunicorn | PushServer, cell: Cell, args) -> dict:
    """Open and measure one cell `args.repeat` times; the entry for the results file."""
    runs, notes = [], []
    for _ in range(args.repeat):
        opened = browser.open_cell(server.url, cell, args.speed, args.extra, ready_seconds(cell, args))
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
    push_log = Path(tempfile.gettempdir()) / f"tickless-bench-{stamp}-push.log"
    push = None  # the push server (uvicorn), started when a server-push cell is planned
    browser = Browser(script_timeout=max(120.0, args.warmup + args.duration + 60))
    origin = None  # the bare pages' own origin, serving the datasets a page-data ceiling draws
    source = None
    if args.ceiling_data == "page" and not args.no_ceilings:
        origin = BareOrigin().start()
        browser.bare_url = origin.url
        array = app_data.dataset(channels, args.rate, seconds)
        source = partial(data_source, origin.add("bench", array), array)
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
                "pairs": args.pairs,
                "rate": args.rate,
                "speed": args.speed,
                "dataset_seconds": seconds,
                "dataset_channels": channels,
                "workers": args.workers,
                "bridge": args.bridge,
                "interval": args.interval,
                "skip_rules": not args.no_skip,
                "ceiling_points": 2 * columns,
                "ceiling_data": args.ceiling_data,
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
        adjacent = None if args.no_ceilings else size
        if any(KINDS[cell.strategy] == "push" and reason is None for cell, reason in cells):
            push = PushServer(push_log, env=dataset_env(channels, args.rate, seconds)).start()
            log(f"bench: push server (uvicorn, FastAPI backend) at {push.url} for server-push")
        result["cells"] = run_cells(
            browser, server, cells, args, t_start, info["software_webgl"], adjacent, push, source
        )
        if push is not None:
            push.stop()
        result["interrupted"] = any(c.get("reason") == "run interrupted" for c in result["cells"])
        server.stop()  # the default page gets its own server, with the default dataset
        if not (args.no_landing or result["interrupted"]):
            log("bench: the default page / (the app's default dataset) and a ceiling drawing what it draws")
            result["landing"] = measure_landing(browser, args, measure_cell, size, log, origin)
    finally:
        browser.stop()
        server.stop()
        if origin is not None:
            origin.stop()
        if push is not None:
            push.stop()
    server_log.unlink(missing_ok=True)  # kept only when the run broke
    push_log.unlink(missing_ok=True)
    res.add_ratios(result["cells"], result["ceilings"], (result.get("browser") or {}).get("idle_raf_hz"))
    result["goals"] = bench_goals.goals(result["cells"], result["ceilings"], result.get("landing"))
    result["elapsed_s"] = round(time.monotonic() - t_start, 1)
    path = args.out / f"browser-{stamp}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(res.finite(result), indent=1, allow_nan=False, default=str))
    tmp.replace(path)
    print("\n" + res.table(result["cells"]))
    landing = result.get("landing")
    if landing:
        print("\n" + bench_goals.landing_text(landing))
    print("\n" + res.breakdown_text(result["cells"], result["ceilings"], landing))
    late = res.late_text(result["cells"], landing)
    if late:
        print("\n" + late)
    spread = pairs_text(result["cells"], landing)
    if spread:
        print("\n" + spread)
    print("\ngoals (clientside, scatter, default render path, the default page; reported, not asserted):")
    print(bench_goals.goals_text(result["goals"]) or "  no cell they apply to was measured")
    print(
        f"bench: wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} in {result['elapsed_s']:.0f} s"
    )
    return path, result["interrupted"]


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


def wants_adjacent(entry: dict) -> bool:
    """Does this cell get its own ceiling, run right after it? The cells of the ceiling goal (clientside-raf,
    scatter, the default render path): a ceiling measured minutes apart on a shared machine drifts."""
    return (
        entry["strategy"] == "clientside-raf"
        and entry["trace"] == "scatter"
        and entry.get("decimate") != "off"
    )


def ceiling_times(args) -> tuple[float, float]:
    """Warm-up and measured seconds of a bare ceiling page."""
    return min(args.warmup, 1.5), min(args.duration, 3.0)


def run_cells(
    browser: Browser,
    server: Gunicorn,
    cells,
    args,
    t_start: float,
    soft_gl: bool,
    adjacent: dict | None = None,
    push: PushServer | None = None,
    source=None,
) -> list[dict]:
    """Measure every planned cell with progress lines; skips, errors and budget overruns are recorded. With
    `adjacent` (the graph size), the ceiling-goal cells are measured in `args.pairs` alternating pairs with a
    matched react ceiling (bench_pairs.py), drawing the page's own dataset when `source` is given
    (bench_ceiling.data_source of the served dataset).
    server-push cells are served by `push` (the push server), every other cell by the gunicorn `server`."""
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
        host = push if KINDS[cell.strategy] == "push" else server
        try:
            if adjacent is not None and wants_adjacent(entry):
                # the cell and its matched react ceiling, in alternating pairs (bench_pairs.py)
                entry.update(
                    measure_pairs(
                        partial(measure_cell, browser, host, cell, args),
                        lambda got, named=entry: adjacent_ceiling(
                            browser,
                            {**named, **got},
                            args.rate * args.speed,
                            adjacent,
                            *ceiling_times(args),
                            log,
                            source,
                        ),
                        args.pairs,
                        log,
                        browser.recover,
                    )
                )
            else:
                entry.update(measure_cell(browser, host, cell, args))
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
