"""What the soak reads of a page's memory (benchmarks/soak.py samples each window with `page_memory`;
tests/integration/test_reliability.py test_rel008 reads a page the same way). `cdp` is a selenium driver's
execute_cdp_cmd; the browser must run with `--js-flags=--expose-gc --enable-precise-memory-info` (FLAGS).

Judged: the JS heap and the nodes attached to the document, both read by benchmarks/soak_memory.js in one
synchronous call right after a forced collection, and the event listeners attached (DOMDebugger). Recorded, not
judged: the renderer's counters and CDP's heap reading, which earlier runs judged. Between two CDP calls through
chromedriver the page runs on (a round trip took 190–220 ms, median, under the soak's load: a dozen frames and
Interval ticks), and what it allocates meanwhile is in a reading taken after the collection: the renderer's
counters count every Node and listener object alive, garbage included, and the heap grows back by megabytes
(benchmarks/soak_probe.py measured it; the README's *What the memory series count* has the figures).
"""

from __future__ import annotations

from pathlib import Path

COUNT_JS = Path(__file__).with_name("soak_memory.js").read_text()
FLAGS = ["--js-flags=--expose-gc", "--enable-precise-memory-info"]


def evaluate(cdp) -> dict:
    """benchmarks/soak_memory.js in one synchronous call: {collected, heap (bytes, right after gc()), nodes}."""
    done = cdp("Runtime.evaluate", {"expression": f"({COUNT_JS.strip()})()", "returnByValue": True})
    if "exceptionDetails" in done:
        raise RuntimeError(f"soak_memory.js failed: {done['exceptionDetails']}")
    return done["result"]["value"]


def attached_listeners(cdp) -> int:
    """Event listeners on the window, the document and every node in it (shadow roots and frames included): CDP
    DOMDebugger.getEventListeners, depth -1, pierce, counted in one synchronous call, so no garbage is in it."""
    found = 0
    for expr in ("window", "document"):
        target = cdp("Runtime.evaluate", {"expression": expr, "objectGroup": "soak"})["result"]["objectId"]
        params = (
            {"objectId": target} if expr == "window" else {"objectId": target, "depth": -1, "pierce": True}
        )
        found += len(cdp("DOMDebugger.getEventListeners", params)["listeners"])
    cdp("Runtime.releaseObjectGroup", {"objectGroup": "soak"})
    return found


def page_memory(cdp) -> dict:
    """One reading of a page's memory.

    Judged: `heap_mb`, the JS heap used right after gc() in the same task (performance.memory.usedJSHeapSize:
    V8's heap and the contents of ArrayBuffers, the typed arrays included); `nodes`, the nodes attached to the
    document; `listeners`, the listeners attached (`attached_listeners`); `documents`. Recorded, not judged:
    `nodes_counter` and `listeners_gc`, Memory.getDOMCounters read a round trip after that collection (every Node
    and listener object in the renderer, garbage the page made meanwhile included: the soak's clientside window
    re-creates its interval graph's DOM and handlers with each Plotly.react, 10 a second), and `heap_cdp_mb`,
    CDP's HeapProfiler.collectGarbage then Runtime.getHeapUsage a round trip later (V8's heap alone, the
    ArrayBuffers' contents left out, plus what the page allocated during the round trip)."""
    page = evaluate(cdp)
    if not page["collected"] or page["heap"] is None:
        raise RuntimeError(
            f"no gc() or performance.memory in the page: start Chromium with {' '.join(FLAGS)}"
        )
    counters = cdp("Memory.getDOMCounters", {})
    cdp("HeapProfiler.collectGarbage", {})
    heap_cdp = cdp("Runtime.getHeapUsage", {})
    return {
        "heap_mb": round(page["heap"] / 2**20, 3),
        "nodes": page["nodes"],
        "documents": counters["documents"],
        "listeners": attached_listeners(cdp),
        "nodes_counter": counters["nodes"],
        "listeners_gc": counters["jsEventListeners"],
        "heap_cdp_mb": round(heap_cdp["usedSize"] / 2**20, 3),
    }
