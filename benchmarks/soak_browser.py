"""The soak's browser (benchmarks/soak.py): one Chromium with one window per tab of TABS, the recorder
benchmarks/soak_page.js installed in each before the page's scripts, and what the soak asks of a window (its
snapshot, its memory, its console, its fetches, minimising it)."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from app import ids

from . import chrome
from .soak_memory import FLAGS, page_memory

PAGE_JS = Path(__file__).with_name("soak_page.js")
TABS = {
    "clientside": ("clientside-raf", "clientside-interval", "component"),
    "server": ("server-extend", "server-patch", "server-figure"),
}


def graphs(tab: str) -> list[str]:
    return [ids.panel(s, "graph") for s in TABS[tab]]


def now_ms() -> int:
    return int(time.time() * 1000)


class Browser:
    """One Chromium, one window per tab, the soak recorder installed in each before the page's scripts."""

    def __init__(self, base: str) -> None:
        from selenium import webdriver

        opts = chrome.options(foreground=True, extra=FLAGS)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(options=opts)
        self.driver.set_script_timeout(30)
        self.handles: dict[str, str] = {}
        self.logs: dict[str, list[dict]] = {}
        for i, tab in enumerate(TABS):
            if i:
                self.driver.switch_to.new_window("window")
            self.handles[tab] = self.driver.current_window_handle
            self.driver.execute_cdp_cmd(
                "Page.addScriptToEvaluateOnNewDocument", {"source": PAGE_JS.read_text()}
            )
            self.driver.get(f"{base}/compare?s={','.join(TABS[tab])}&bridge=1000")
            self.logs[tab] = []

    def use(self, tab: str) -> None:
        self.driver.switch_to.window(self.handles[tab])

    def snapshot(self, tab: str) -> dict | None:
        self.use(tab)
        return self.driver.execute_script("return window.__soak.snapshot(arguments[0]);", graphs(tab))

    def memory(self, tab: str) -> dict:
        """JS heap after a forced GC, the nodes and listeners the page holds, the renderer's counters
        (benchmarks/soak_memory.py `page_memory`)."""
        self.use(tab)
        return page_memory(self.driver.execute_cdp_cmd)

    def collect_logs(self, tab: str) -> list[dict]:
        self.use(tab)
        self.logs[tab] += self.driver.get_log("browser")
        return self.logs[tab]

    def fetches(self, tab: str) -> list[dict]:
        self.use(tab)
        return self.driver.execute_script("return window.__soak.fetches;")

    def window_state(self, tab: str, state: str) -> None:
        self.use(tab)
        wid = self.driver.execute_cdp_cmd("Browser.getWindowForTarget", {})["windowId"]
        self.driver.execute_cdp_cmd(
            "Browser.setWindowBounds", {"windowId": wid, "bounds": {"windowState": state}}
        )

    def quit(self) -> None:
        with contextlib.suppress(Exception):
            self.driver.quit()


def wait_for(predicate, timeout: float, poll: float = 0.1):
    """Poll until truthy; the value, or None after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            value = predicate()
            if value:
                return value
        time.sleep(poll)
    return None
