"""Rough frame rate of LiveChart in headless Chromium: replay of C channels with a W-sample window (not a test).

Serves a one-chart Dash app on 127.0.0.1 (a free port), opens it in Debian's Chromium with the foreground flags
the browser tests use, waits for the first draw and a warm-up, then reports frames drawn per second, animation
frames per second and the JS time of a drawing frame (envelope update + uPlot draw) over a few seconds, then
the animation frames per second of the same page paused (nothing drawn): the machine's own ceiling in that run.

    .venv/bin/python livechart/fps_probe.py                      # 4 channels, 1,000,000-point window
    .venv/bin/python livechart/fps_probe.py --window 100000 --channels 1 --seconds 10
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

import numpy as np
from dash import Dash, html
from selenium import webdriver
from tickless_livechart import LiveChart, to_data
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks import chrome  # noqa: E402  (shared Chromium flags)


def build_app(channels: int, window: int, rate: int) -> Dash:
    """A page with one LiveChart replaying random walks long enough to fill the window (plus 20%)."""
    length = int(window * 1.2) + rate
    walk = np.cumsum(np.random.default_rng(1).normal(0, 1, (channels, length)), axis=1)
    app = Dash(__name__)
    chart = LiveChart(
        id="lc", data=to_data(walk, rate), mode="replay", window=window, style={"height": "500px"}
    )
    app.layout = html.Div([chart])
    return app


def measure(url: str, seconds: float) -> dict:
    """Open the page, wait for the chart, warm up 2 s, then count frames and draws for `seconds`."""
    driver = webdriver.Chrome(options=chrome.options(foreground=True, window=(1280, 900)))
    snap = "return document.getElementById('lc')?.livechart?.snapshot()"
    try:
        driver.get(url)
        deadline = time.monotonic() + 120
        while not (driver.execute_script(snap) or {}).get("points"):
            if time.monotonic() > deadline:
                raise SystemExit("fps_probe: the chart did not draw within 120 s")
            time.sleep(0.2)
        time.sleep(2)
        t0, a = driver.execute_script(f"return [performance.now(), ({snap[7:]})]")
        time.sleep(seconds)
        t1, b = driver.execute_script(f"return [performance.now(), ({snap[7:]})]")
        span = (t1 - t0) / 1000
        # control: the same page with the chart paused (nothing drawn) shows what rAF alone gets on this machine
        driver.execute_script("window.dash_clientside.set_props('lc', {playing: false});")
        time.sleep(1)
        t2, c = driver.execute_script(f"return [performance.now(), ({snap[7:]})]")
        time.sleep(min(seconds, 3))
        t3, d = driver.execute_script(f"return [performance.now(), ({snap[7:]})]")
        return {
            "paused_raf_per_s": round((d["frames"] - c["frames"]) / ((t3 - t2) / 1000), 1),
            "draws_per_s": round((b["draws"] - a["draws"]) / span, 1),
            "raf_per_s": round((b["frames"] - a["frames"]) / span, 1),
            "draw_ms": round(b["drawMs"], 2),
            "bucket": b["bucket"],
            "points_drawn_per_channel": b["points"],
            "window": b["hi"] - b["lo"],
        }
    finally:
        driver.quit()


def main() -> None:
    """Parse the flags, serve the app in a thread, measure, print one line of results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=4)
    parser.add_argument("--window", type=int, default=1_000_000)
    parser.add_argument("--rate", type=int, default=10_000, help="samples per second of the replayed data")
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time after the warm-up")
    args = parser.parse_args()
    server = make_server(
        "127.0.0.1", 0, build_app(args.channels, args.window, args.rate).server, threaded=True
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = measure(f"http://127.0.0.1:{server.server_port}/", args.seconds)
    finally:
        server.shutdown()
    print({"channels": args.channels, "rate": args.rate, **result})


if __name__ == "__main__":
    main()
