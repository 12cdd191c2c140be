"""Headless Chromium for the browser benchmark: start it, open a strategy page, measure one cell or a bare page."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psutil
from selenium import webdriver
from selenium.common.exceptions import JavascriptException, TimeoutException, WebDriverException

from app import contract, ids

from . import chrome

PAGE_JS = Path(__file__).with_name("bench_page.js")
BARE_JS = Path(__file__).with_name("bench_bare.js")
LATE_JS = Path(__file__).with_name("bench_late.js")  # why latency samples were late (both kinds of page)
FACTS_JS = Path(__file__).with_name("bench_facts.js")  # waitReady, graphSize, webgl, idleRaf
SPANS_JS = Path(__file__).resolve().parent.parent / "assets" / "js" / "42_spans.js"  # the app's span recorder
# the engine's envelope, for a ceiling drawing a page's data
DECIMATE_JS = SPANS_JS.with_name("35_decimate.js")
EARLY_FAIL_S = 20.0  # a page with nothing at all on screen after this long has failed to draw
READY_MARGIN_S = 30.0  # the script timeout of a cell's ready wait: its deadline plus this
CHROMIUM = chrome.CHROMIUM
WINDOW_SIZE = (1280, 900)
EXTRA_FLAGS = [
    "--enable-precise-memory-info",  # unrounded performance.memory
    "--js-flags=--expose-gc",  # window.gc() for heap readings after a forced GC
    "--disable-features=BackForwardCache",  # else earlier cells' pages stay alive in the renderer's heap
]
CHROME_FLAGS = chrome.flags(foreground=True, window=WINDOW_SIZE, extra=EXTRA_FLAGS)
SOFTWARE_GL = contract.SOFTWARE_RENDERERS


class CellError(RuntimeError):
    """A cell could not be measured; the message says why (the run goes on)."""


@dataclass
class Cell:
    """One point of the matrix: a strategy page with a view."""

    strategy: str
    window: int
    channels: int
    trace: str
    decimate: str | None = None
    drawn: int | None = (
        None  # points per trace the page draws, when fewer than the window (a server reply's cap)
    )

    @property
    def graph_id(self) -> str:
        """The strategy's graph component id."""
        return ids.panel(self.strategy, "graph")

    def label(self) -> str:
        """A short human label for progress lines and tables."""
        dec = f" dec={self.decimate}" if self.decimate else ""
        return f"{self.strategy} w={human(self.window)} ch={self.channels} {self.trace}{dec}"

    def path(self, speed: float, extra: dict | None = None) -> str:
        """The page URL path + query for this cell (`extra`: more URL parameters, e.g. bridge, interval)."""
        query = {
            "window": self.window,
            "channels": ",".join(f"ch{i + 1}" for i in range(self.channels)),
            "trace": self.trace,
            "speed": f"{speed:g}",
        }
        if self.decimate:
            query["decimate"] = self.decimate
        query.update(extra or {})
        return f"/strategy/{self.strategy}?" + urlencode(query, safe=",")


def human(n: int) -> str:
    """1000 → 1k, 1000000 → 1M."""
    for div, suffix in ((1_000_000, "M"), (1000, "k")):
        if n >= div and n % div == 0:
            return f"{n // div}{suffix}"
    return str(n)


def software_gl(renderer: str) -> bool:
    """Does this WebGL renderer string describe software rendering (or no WebGL at all)?"""
    return not renderer or any(word in renderer.lower() for word in SOFTWARE_GL)


class Browser:
    """One headless Chromium driven by selenium (chromedriver from PATH; nothing is downloaded)."""

    def __init__(self, script_timeout: float = 120.0) -> None:
        self.script_timeout = script_timeout
        self.page_js = PAGE_JS.read_text()
        self.bare_js = BARE_JS.read_text()
        self.late_js = LATE_JS.read_text()
        self.facts_js = FACTS_JS.read_text()
        self.spans_js = SPANS_JS.read_text()
        self.decimate_js = DECIMATE_JS.read_text()
        # where bare pages load: about:blank, or a BareOrigin's blank page (same origin as the data it serves)
        self.bare_url = "about:blank"
        self.driver: webdriver.Chrome | None = None

    def start(self) -> None:
        """Launch Chromium with the benchmark flags."""
        options = chrome.options(foreground=True, window=WINDOW_SIZE, extra=EXTRA_FLAGS)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(options=options)
        self.driver.set_script_timeout(self.script_timeout)
        self.driver.set_page_load_timeout(90)

    def stop(self) -> None:
        """Quit Chromium (and chromedriver)."""
        if self.driver is not None:
            with contextlib.suppress(WebDriverException):
                self.driver.quit()
            self.driver = None

    def restart(self) -> None:
        """A fresh browser after a cell broke the old one."""
        self.stop()
        self.start()

    def cpu_seconds(self) -> float:
        """CPU time used so far by chromedriver, Chromium and every Chromium child process."""
        service = getattr(self.driver, "service", None)
        proc = getattr(service, "process", None)
        if proc is None:
            return 0.0
        total = 0.0
        try:
            procs = [psutil.Process(proc.pid)]
            procs += procs[0].children(recursive=True)
        except psutil.Error:
            return 0.0
        for p in procs:
            with contextlib.suppress(psutil.Error):
                t = p.cpu_times()
                total += t.user + t.system + t.children_user + t.children_system
        return total

    def info(self) -> dict[str, Any]:
        """Browser and driver versions, the WebGL renderer and the idle rAF rate (on about:blank)."""
        d = self.driver
        d.get("about:blank")
        d.execute_script(self.page_js)
        d.execute_script(self.facts_js)
        renderer = d.execute_script("return window.__ticklessBench.webgl()")
        idle = d.execute_async_script(
            "window.__ticklessBench.idleRaf(arguments[0]).then(arguments[arguments.length - 1])", 1500
        )
        caps = d.capabilities
        return {
            "browser": caps.get("browserName"),
            "browser_version": caps.get("browserVersion"),
            "chromedriver": (caps.get("chrome") or {}).get("chromedriverVersion", "").split(" ")[0],
            "user_agent": d.execute_script("return navigator.userAgent"),
            "webgl_renderer": renderer,
            "software_webgl": software_gl(renderer),
            "idle_raf_hz": round(idle, 1),
            "window_size": list(WINDOW_SIZE),
            "flags": CHROME_FLAGS,
        }

    def console(self) -> list[dict]:
        """Browser console entries since the last call."""
        with contextlib.suppress(WebDriverException):
            return self.driver.get_log("browser")
        return []

    def open_cell(self, base_url: str, cell: Cell, speed: float, extra: dict | None, ready_s: float) -> dict:
        """Open a cell's page and wait until its graph shows the window and paints; returns load facts.

        Raises CellError when the strategy does not draw: nothing at all after EARLY_FAIL_S seconds, or not
        the whole window with a painted frame after `ready_s` seconds.
        """
        d = self.driver
        self.console()  # drop entries from the previous page
        t0 = time.monotonic()
        d.get(base_url + cell.path(speed, extra))
        d.execute_script(self.late_js)
        d.execute_script(self.page_js)
        d.execute_script(self.facts_js)
        # the wait may outlast the browser's script timeout (a live source fills a 1M window in 100 s): selenium
        # would end it before the page's own deadline, and the cell would read as a timeout, not as not drawn
        d.set_script_timeout(max(self.script_timeout, ready_s + READY_MARGIN_S))
        try:
            ready = d.execute_async_script(
                "window.__ticklessBench.waitReady(...arguments).then(arguments[arguments.length - 1])",
                cell.graph_id,
                (cell.drawn or cell.window) * cell.channels,
                ready_s * 1000,
                min(ready_s, EARLY_FAIL_S) * 1000,
                ids.MESSAGE,
            )
        finally:
            d.set_script_timeout(self.script_timeout)
        if not ready["ok"]:
            said = f"; page says: {ready['message']}" if ready.get("message") else ""
            raise CellError(
                f"not drawn after {ready['elapsed'] / 1000:.0f} s: {ready['points'] or 0:,} points on screen, "
                f"{ready['painted']} frames painted, {ready['requests']} callback requests "
                f"({ready['bytes'] / 2**20:.1f} MB){said}"
            )
        return {
            "ready_ms": ready["ms"],
            "open_s": time.monotonic() - t0,
            "message": ready.get("message") or "",
            "graph_size": d.execute_script(
                "return window.__ticklessBench.graphSize(arguments[0])", cell.graph_id
            ),
        }

    def measure(self, graph_id: str, warmup_s: float, duration_s: float, cpu_probes: list) -> dict:
        """Warm up, then record for `duration_s` seconds; returns the page's figures and CPU use."""
        d = self.driver
        time.sleep(warmup_s)
        start = d.execute_script("return window.__ticklessBench.start(arguments[0])", graph_id)
        cpu0 = [probe() for probe in cpu_probes]
        sys0 = _system_cpu()
        wall0 = time.monotonic()
        time.sleep(duration_s)
        result = d.execute_script("return window.__ticklessBench.stop()")
        wall = time.monotonic() - wall0
        if result is None:
            raise CellError("the page was reloaded during the measurement (recorder lost)")
        result["start"] = start
        result["cpu_pct"] = [
            round(100 * (probe() - c) / wall, 1) for probe, c in zip(cpu_probes, cpu0, strict=True)
        ]
        result["system_cpu_pct"] = round(100 * (_system_cpu() - sys0) / wall, 1)
        return result

    def bare(self, kind: str, options: dict) -> dict:
        """Run a bare-page loop (kind "react" or "extend") on `bare_url` with plotly.js injected."""
        d = self.driver
        if not d.execute_script(
            "return Boolean(window.Plotly && window.__ticklessBench && window.__ticklessBench.bareReact)"
        ):
            d.get(self.bare_url)  # once per browser: later loops reuse the page (each purges the last plot)
            d.execute_script(plotly_source())
            # the app's span recorder (and envelope), in the namespace they attach to, so bare loops report a
            # breakdown too and can decimate a page's dataset as the engine does
            d.execute_script("window.dash_clientside = {tickless: {}};")
            d.execute_script(self.spans_js)
            d.execute_script(self.decimate_js)
            d.execute_script(self.late_js)
            d.execute_script(self.page_js)
            d.execute_script(self.bare_js)
        fn = {"react": "bareReact", "extend": "bareExtend"}[kind]
        return d.execute_async_script(
            f"window.__ticklessBench.{fn}(arguments[0]).then(arguments[arguments.length - 1],"
            " (e) => arguments[arguments.length - 1]({error: String(e)}))",
            options,
        )

    def recover(self, exc: Exception) -> None:
        """After a measurement raised `exc`: a harness or browser fault (not the strategy failing to draw, a
        CellError) restarts the browser; the app's stores are cleared either way."""
        if not isinstance(exc, CellError):
            self.restart()
        self.clear_storage()

    def clear_storage(self) -> None:
        """Forget the app's local/session stores so every cell starts from its URL alone."""
        with contextlib.suppress(WebDriverException):
            self.driver.execute_script("try { localStorage.clear(); sessionStorage.clear(); } catch (e) {}")


def _system_cpu() -> float:
    """CPU seconds used by the whole machine so far (all processes, all cores)."""
    t = psutil.cpu_times()
    return t.user + t.nice + t.system + getattr(t, "irq", 0) + getattr(t, "softirq", 0)


_PLOTLY: dict[str, str] = {}


def plotly_source() -> str:
    """plotly.min.js from the installed plotly package (what Dash serves), read once."""
    if "src" not in _PLOTLY:
        import plotly

        _PLOTLY["src"] = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()
    return _PLOTLY["src"]


BROKEN = (TimeoutException, JavascriptException, WebDriverException)
