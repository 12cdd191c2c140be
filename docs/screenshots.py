"""`make screenshots`: a PNG of every page for the README, taken in headless Chromium (docs/screenshots/).

The app runs in this process (Dash's Flask server on a free 127.0.0.1 port), a second one serves a generated
file through `--data`, and Chromium opens each page at a laptop's size (1280 x 900; one at a wall display's,
2560 x 1440), waits until every chart on it has drawn, and saves the viewport. The dark shot asks Chromium for
`prefers-color-scheme: dark`, as an OS in dark mode does. tests/integration/test_screenshots.py runs the same
code into a temporary folder and checks each PNG shows its chart.

    .venv/bin/python -m docs.screenshots [--out DIR] [--only live,dark]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app import create_app, ids  # noqa: E402
from app.settings import Settings  # noqa: E402
from benchmarks import chrome  # noqa: E402
from benchmarks.ports import free_port  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
LAPTOP = (1280, 900)
WALL = (2560, 1440)
SETTINGS = Settings(channels=4, rate=1000, seconds=60)

DRAWN = """
const plots = Array.from(document.querySelectorAll('.js-plotly-plot'))
  .filter((gd) => gd.offsetParent !== null && gd.id !== arguments[0]);
return plots.length > 0 && plots.every((gd) => gd.data && gd.data.length
  && gd.data.every((t) => t.x && t.x.length > 1));
"""


@dataclass
class Shot:
    name: str
    path: str
    what: str
    app: str = "builtin"  # or "file": the generated recording served with --data
    size: tuple[int, int] = LAPTOP
    dark: bool = False
    chart: bool = True  # has a chart that must have drawn
    before: Callable | None = field(default=None, repr=False)  # (driver) -> None, after the page drew


def _click(selector: str) -> Callable:
    def act(driver) -> None:
        driver.find_element("css selector", selector).click()

    return act


SHOTS = (
    Shot("live", "/?bridge=0", "the live chart (clientside-raf), the controls and the data bar"),
    Shot(
        "stacked",
        "/?bridge=0",
        "channels stacked, one row per channel, y scale auto",
        before=lambda d: (
            _click(f"#{ids.VIEW_LAYOUT} input[value=stacked]")(d),
            _click(f"#{ids.VIEW_YSCALE} input[value=auto]")(d),
        ),
    ),
    Shot("dark", "/?bridge=0", "the same page with the OS in dark mode", dark=True),
    Shot("compare", "/compare?s=server-extend,clientside-raf&bridge=0", "two strategies side by side"),
    Shot("strategy", "/strategy/server-extend?bridge=0", "one server strategy with its tick gate line"),
    Shot(
        "bridge", "/?bridge=1000", "the bridge's analytics under the chart", before=_click(".bridge summary")
    ),
    Shot("inspector", "/inspector?bridge=0", "every plotly event, counted live", chart=False),
    Shot("your-data", "/?bridge=0", "a recording served with --data: its names, rate and times", app="file"),
    Shot("wall", "/?bridge=0", "the live chart on a wall display (2560 x 1440)", size=WALL),
)


def demo_file(folder: Path) -> Path:
    """A deterministic recording: 3 named channels at 250 Hz with ISO timestamps (what --data reads)."""
    rate, rows = 250, 250 * 120
    t = np.arange(rows) / rate
    rng = np.random.default_rng(16)
    pressure = 101.3 + 0.4 * np.sin(2 * np.pi * 0.2 * t) + rng.normal(0, 0.02, rows)
    flow = 2.0 + np.sin(2 * np.pi * 1.1 * t) ** 3 + rng.normal(0, 0.05, rows)
    temperature = 36.6 + 0.002 * t + 0.05 * np.sin(2 * np.pi * 0.05 * t)
    start = np.datetime64("2026-03-01T08:00:00", "ms")
    stamps = (start + (t * 1000).astype("timedelta64[ms]")).astype(str)
    path = folder / "ward-monitor.csv"
    with open(path, "w") as f:
        f.write("timestamp,pressure (kPa),flow (L/s),temperature (C)\n")
        for row in zip(stamps, pressure, flow, temperature, strict=True):
            f.write(f"{row[0]}Z,{row[1]:.4f},{row[2]:.4f},{row[3]:.4f}\n")
    return path


class Server:
    """An app served by werkzeug in a thread on a free 127.0.0.1 port."""

    def __init__(self, app):
        from werkzeug.serving import make_server

        self.port = free_port()
        self.httpd = make_server("127.0.0.1", self.port, app.server, threaded=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.thread.join(5)


def wait(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.1)
    raise TimeoutError(f"screenshots: timed out after {timeout:g} s waiting for {what}")


def _capture(driver, size: tuple[int, int]) -> bytes:
    """The page from its top, as tall as its content up to 1.8 viewports (the chart below the controls)."""
    import base64

    height = driver.execute_script("return document.documentElement.scrollHeight")
    clip = {"x": 0, "y": 0, "width": size[0], "height": min(int(height), int(size[1] * 1.8)), "scale": 1}
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    return base64.b64decode(shot["data"])


def take(shots=SHOTS, out: Path = OUT, log=print) -> list[Path]:
    """Take each shot into `out`; returns the PNG paths (in the order of `shots`)."""
    import logging

    from selenium import webdriver

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log lines

    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="tickless-shots-"))
    servers: dict[str, Server] = {}
    driver = webdriver.Chrome(options=chrome.options(headless=True, foreground=True, window=LAPTOP))
    written = []
    try:
        for shot in shots:
            if shot.app not in servers:
                settings = (
                    SETTINGS
                    if shot.app == "builtin"
                    else Settings.load({"data": str(demo_file(tmp))}, env={})
                )
                servers[shot.app] = Server(create_app(settings))
            driver.set_window_size(*shot.size)
            scheme = "dark" if shot.dark else "light"
            driver.execute_cdp_cmd(
                "Emulation.setEmulatedMedia",
                {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
            )
            driver.get(servers[shot.app].url + shot.path)
            if shot.chart:
                wait(lambda: driver.execute_script(DRAWN, ids.REPLAY_GRAPH), 30, f"the charts of {shot.name}")
            else:
                wait(lambda: "events subscribed" in driver.page_source, 30, f"the {shot.name} page")
            if shot.before:
                shot.before(driver)
                time.sleep(0.5)
                if shot.chart:
                    wait(lambda: driver.execute_script(DRAWN, ids.REPLAY_GRAPH), 30, f"{shot.name} redrawn")
            time.sleep(1.5)  # a second and a half of streaming on screen
            path = out / f"{shot.name}.png"
            path.write_bytes(_capture(driver, shot.size))
            written.append(path)
            log(f"screenshots: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} ({shot.what})")
    finally:
        driver.quit()
        for server in servers.values():
            server.stop()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m docs.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder for the PNGs (default {OUT})")
    parser.add_argument(
        "--only", default="", help="comma-separated shot names: " + ", ".join(s.name for s in SHOTS)
    )
    args = parser.parse_args(argv)
    wanted = [n for n in args.only.split(",") if n]
    unknown = sorted(set(wanted) - {s.name for s in SHOTS})
    if unknown:
        print(f"screenshots: error: unknown shot {', '.join(unknown)}", file=sys.stderr)
        return 2
    take([s for s in SHOTS if not wanted or s.name in wanted], args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
