"""Headless Chromium flags shared by the browser tests, the benchmark harness and the report's screenshots."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"

# as root on a closed network: no sandbox, no GPU, nothing that phones home
CLOSED_NETWORK = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
]

# keep timers and requestAnimationFrame at full rate, as in a foreground tab
FOREGROUND = [
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
