"""What the soak's memory readings carry besides what the page retains: the soak's two windows read in several
ways, back to back, about once a second each, under the soak's load.

    .venv/bin/python -m benchmarks.soak_probe --minutes 3 [--no-locust]

Per reading and window: (a) the soak's reading until soak-20261203-200012.json (CDP HeapProfiler.collectGarbage,
then Runtime.getHeapUsage one round trip later, then Memory.getDOMCounters a round trip after that); (b) a second
collection and heap reading right after (a), and the lower of the two; (c) one synchronous evaluation of
benchmarks/soak_memory.js (gc(), the heap used right after it, the nodes attached to the document); (d) the
callback requests in flight when (c) ran. Prints each series' median, spread and what the soak's judgement
(benchmarks/soak_stats.py) makes of one reading every 10 s; writes benchmarks/results/soak-probe-<stamp>.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from . import soak, soak_browser, soak_memory, soak_stats
from .launcher import Gunicorn, dataset_env, start, stop
from .report_kit import RESULTS

MEMORY = "performance.memory.usedJSHeapSize"
IN_FLIGHT = "window.__soak.fetches.filter((f) => f.t1 === null && f.output).length"


def reading(browser: soak_browser.Browser, tab: str) -> dict:
    browser.use(tab)
    cdp = browser.driver.execute_cdp_cmd
    out: dict = {"t": soak_browser.now_ms()}
    cdp("HeapProfiler.collectGarbage", {})
    out["heap_cdp"] = cdp("Runtime.getHeapUsage", {})["usedSize"] / 2**20
    out["nodes_counter"] = cdp("Memory.getDOMCounters", {})["nodes"]
    cdp("HeapProfiler.collectGarbage", {})
    out["heap_cdp2"] = cdp("Runtime.getHeapUsage", {})["usedSize"] / 2**20
    out["heap_cdp_min"] = min(out["heap_cdp"], out["heap_cdp2"])
    out["in_flight"] = cdp("Runtime.evaluate", {"expression": IN_FLIGHT, "returnByValue": True})["result"][
        "value"
    ]
    page = soak_memory.evaluate(cdp)
    out["heap_page"] = page["heap"] / 2**20
    out["nodes_attached"] = page["nodes"]
    out["nodes_counter_after_page"] = cdp("Memory.getDOMCounters", {})["nodes"]
    # the bisect: which part of (a) moves it, the collection (CDP's or gc()) or the round trip before the reading
    cdp("Runtime.evaluate", {"expression": "window.gc()"})
    usage = cdp("Runtime.getHeapUsage", {})
    out["heap_gc_then_cdp"] = usage["usedSize"] / 2**20
    out["usage"] = usage  # its fields, to set the page's figure beside CDP's
    cdp("HeapProfiler.collectGarbage", {})
    out["heap_cdp_then_page"] = (
        cdp("Runtime.evaluate", {"expression": MEMORY, "returnByValue": True})["result"]["value"] / 2**20
    )
    t = time.perf_counter()
    cdp("Runtime.evaluate", {"expression": "0"})
    out["round_trip_ms"] = 1000 * (time.perf_counter() - t)
    return out


def describe(name: str, rows: list[dict], key: str, every_s: float = 10.0) -> str:
    vals = [r[key] for r in rows]
    med = statistics.median(vals) or 1.0  # in_flight's median can be 0
    q = statistics.quantiles(vals, n=4)
    pts, last = [], -1e9
    for r in rows:  # one reading every `every_s`, as the soak samples
        t = (r["t"] - rows[0]["t"]) / 1000
        if t - last >= every_s - 0.5:
            pts.append((t, r[key]))
            last = t
    j = soak_stats.judge(pts, soak.FLAT_PCT) if len(pts) >= 2 else {}
    return (
        f"{name:10s} {key:24s} median {med:9.2f}  IQR {100 * (q[2] - q[0]) / med:5.1f}%  "
        f"range {100 * (min(vals) - med) / med:+6.1f}…{100 * (max(vals) - med) / med:+6.1f}%  "
        f"| every {every_s:g} s: n={j.get('samples')} trend {j.get('trend_pct')}% "
        f"band {j.get('rolling_band_pct')} flat {j.get('flat')}"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="benchmarks.soak_probe", description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, default=3.0)
    p.add_argument("--no-locust", action="store_true")
    p.add_argument("--users", type=int, default=12)
    p.add_argument("--show", type=Path, help="print the figures of an earlier probe's JSON, run nothing")
    args = p.parse_args(argv)
    if args.show:
        show(json.loads(args.show.read_text())["rows"])
        return 0
    work = RESULTS / "soak-work"
    work.mkdir(parents=True, exist_ok=True)
    server = Gunicorn(work / "gunicorn-probe.log", workers=2, env=dataset_env())
    locust = browser = None
    rows: dict[str, list[dict]] = {tab: [] for tab in soak_browser.TABS}
    try:
        server.start()
        browser = soak_browser.Browser(server.url)
        if not args.no_locust:
            cmd = [str(soak.LOCUST), "-f", "loadtest/locustfile.py", "--headless", "--host", server.url]
            cmd += ["-u", str(args.users), "-r", "4", "-t", f"{int(args.minutes * 60) + 60}s"]
            locust = start([*cmd, "--loglevel", "WARNING", *soak.LOCUST_USERS], work / "locust-probe.log")
        time.sleep(30)  # warm-up
        end = time.monotonic() + args.minutes * 60
        while time.monotonic() < end:
            for tab in soak_browser.TABS:
                rows[tab].append(reading(browser, tab))
            time.sleep(0.5)
    finally:
        if browser is not None:
            browser.quit()
        stop(locust)
        server.stop()
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    out = RESULTS / f"soak-probe-{stamp}.json"
    out.write_text(json.dumps({"kind": "soak-probe", "argv": sys.argv[1:], "rows": rows}, indent=1))
    print(f"wrote {out}")
    show(rows)
    return 0


def show(rows: dict[str, list[dict]]) -> None:
    for tab, rs in rows.items():
        keys = (
            "heap_cdp",
            "heap_cdp2",
            "heap_cdp_min",
            "heap_page",
            "heap_gc_then_cdp",
            "heap_cdp_then_page",
        )
        for key in (k for k in keys if k in rs[0]):
            print(describe(tab, rs, key))
        for key in (
            "nodes_counter",
            "nodes_counter_after_page",
            "nodes_attached",
            "in_flight",
            "round_trip_ms",
        ):
            if key in rs[0]:
                print(describe(tab, rs, key))


if __name__ == "__main__":
    sys.exit(main())
