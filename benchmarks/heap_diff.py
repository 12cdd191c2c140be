"""What grows in a page's heap: open a Tickless page in headless Chromium against gunicorn, take a heap snapshot
after forced garbage collection at several times (CDP HeapProfiler.takeHeapSnapshot over the DevTools websocket)
and print what grew between them, by constructor (count and self size), with Dash's undo history length and the
page's Resource Timing entries. How the soak's server-window heap drift was traced to Dash's undo history (#14).

    .venv/bin/python -m benchmarks.heap_diff                       # the soak's server window, snapshots at 60, 180, 300 s
    .venv/bin/python -m benchmarks.heap_diff --block '*43_undo.js*'   # the same without the page's undo trimming
    .venv/bin/python -m benchmarks.heap_diff --path '/compare?s=clientside-raf' --times 30,150

--block enables the DevTools Network domain (to block the URL), which keeps its own record of each response
(blink::NetworkResourcesData::ResourceData): compare runs made with the same setting.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from websockets.sync.client import connect

from . import chrome
from .launcher import Gunicorn, dataset_env
from .ports import free_port
from .report_kit import RESULTS


class CDP:
    """A minimal DevTools protocol client: one call at a time, events passed to a callback while waiting."""

    def __init__(self, ws_url):
        self.ws = connect(ws_url, max_size=None, open_timeout=30, ping_interval=None, close_timeout=1)
        self.n = 0

    def call(self, method, params=None, on_event=None, timeout=600):
        self.n += 1
        mid = self.n
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params or {}}))
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = json.loads(self.ws.recv(timeout=timeout))
            if msg.get("id") == mid:
                if "error" in msg:
                    raise RuntimeError(msg["error"])
                return msg.get("result")
            if on_event and "method" in msg:
                on_event(msg)
        raise TimeoutError(method)

    def eval(self, expr):
        r = self.call("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True})
        return r["result"].get("value")


def snapshot(cdp):
    """A heap snapshot (parsed JSON) after two forced garbage collections."""
    chunks = []
    cdp.call("HeapProfiler.collectGarbage")
    cdp.call("HeapProfiler.collectGarbage")

    def ev(msg):
        if msg["method"] == "HeapProfiler.addHeapSnapshotChunk":
            chunks.append(msg["params"]["chunk"])

    cdp.call("HeapProfiler.takeHeapSnapshot", {"reportProgress": False}, on_event=ev)
    return json.loads("".join(chunks))


def aggregate(snap):
    """Count and self size per (node type, constructor name); strings lumped together."""
    meta = snap["snapshot"]["meta"]
    fields = meta["node_fields"]
    nf = len(fields)
    types = meta["node_types"][0]
    i_type, i_name, i_size = fields.index("type"), fields.index("name"), fields.index("self_size")
    strings = snap["strings"]
    nodes = snap["nodes"]
    agg = collections.defaultdict(lambda: [0, 0])
    total = 0
    for k in range(0, len(nodes), nf):
        t = types[nodes[k + i_type]]
        name = strings[nodes[k + i_name]] if t in ("object", "closure", "native") else f"({t})"
        if t == "string" or t == "concatenated string" or t == "sliced string":
            name = "(string)"
        a = agg[(t, name[:80])]
        a[0] += 1
        a[1] += nodes[k + i_size]
        total += nodes[k + i_size]
    return agg, total


def main() -> None:
    p = argparse.ArgumentParser(prog="benchmarks.heap_diff", description=__doc__.split("\n\n")[0])
    p.add_argument("--path", default="/compare?s=server-extend,server-patch,server-figure&bridge=1000")
    p.add_argument("--times", default="60,180,300", help="seconds after loading to snapshot at")
    p.add_argument("--out", type=Path, default=RESULTS / "heap-diff.json")
    p.add_argument("--block", default="", help="URL pattern to block (e.g. *43_undo.js*)")
    args = p.parse_args()
    times = [float(x) for x in args.times.split(",")]
    work = RESULTS / "soak-work"
    work.mkdir(parents=True, exist_ok=True)
    server = Gunicorn(work / "heap-diff-gunicorn.log", workers=2, env=dataset_env())
    server.start()
    port = free_port()
    flags = chrome.flags(
        foreground=True,
        extra=[
            "--js-flags=--expose-gc",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={tempfile.mkdtemp(prefix='heap-diff-')}",
        ],
    )
    proc = subprocess.Popen(
        [chrome.CHROMIUM, *flags, "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    result = {"path": args.path, "points": []}
    try:
        for _ in range(100):
            try:
                url = f"http://127.0.0.1:{port}/json/list"
                targets = json.load(urllib.request.urlopen(url))  # noqa: S310 (loopback)
                page = next(t for t in targets if t["type"] == "page")
                break
            except (OSError, StopIteration, ValueError):
                time.sleep(0.2)
        else:
            raise RuntimeError("Chromium's DevTools endpoint did not answer within 20 s")
        cdp = CDP(page["webSocketDebuggerUrl"])
        cdp.call("Page.enable")
        cdp.call("Runtime.enable")
        if args.block:
            cdp.call("Network.enable")
            cdp.call("Network.setBlockedURLs", {"urls": [args.block]})
        cdp.call("Page.navigate", {"url": server.url + args.path})
        t0 = time.time()
        prev = None
        for t in times:
            while time.time() - t0 < t:
                time.sleep(1)
            info = cdp.eval(
                "(() => { const s = window.store && window.store.getState(); const u = window.dash_clientside.tickless.undo;"
                " return {past: s ? s.history.past.length : null, res: performance.getEntriesByType('resource').length,"
                " frames: window.dash_clientside.tickless.stream.tab.frameCount, undo: u ? u.dropped : null}; })()"
            )
            snap = snapshot(cdp)
            heap = cdp.call("Runtime.getHeapUsage")
            agg, total = aggregate(snap)
            usage = {k: round(v / 2**20, 2) for k, v in heap.items()}
            print(
                f"t={time.time() - t0:.0f}s heap MB {usage}; snapshot {total / 2**20:.2f} MB; {info}",
                flush=True,
            )
            point = {
                "t": time.time() - t0,
                "used_mb": heap["usedSize"] / 2**20,
                "total_mb": total / 2**20,
                "info": info,
            }
            if prev is not None:
                rows = []
                for key in set(agg) | set(prev):
                    a, b = prev.get(key, [0, 0]), agg.get(key, [0, 0])
                    rows.append((b[1] - a[1], b[0] - a[0], key))
                rows.sort(reverse=True)
                print("  top growth by self size (bytes, count, (type, name)):")
                for r in rows[:25]:
                    print("   ", r[0], r[1], r[2])
                point["top"] = [[r[0], r[1], list(r[2])] for r in rows[:40]]
            result["points"].append(point)
            prev = dict(agg)
    finally:
        proc.terminate()
        proc.wait(10)
        server.stop()
    args.out.write_text(json.dumps(result, indent=1))
    print(f"heap_diff: wrote {args.out}")


if __name__ == "__main__":
    main()
