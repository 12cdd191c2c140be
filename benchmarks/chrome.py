"""The one headless Chromium options builder of the browser tests, the benchmarks, the soak run and the report.

    from benchmarks import chrome
    options = chrome.options(foreground=True, window=(1280, 900), extra=["--js-flags=--expose-gc"])
    driver = selenium.webdriver.Chrome(options=options)

`flags(...)` gives the same flags as a list (dash_duo adds --headless itself, so tests pass headless=False).
"""

from __future__ import annotations

from collections.abc import Iterable

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


def flags(
    *,
    headless: bool = True,
    foreground: bool = False,
    window: tuple[int, int] | None = (1280, 900),
    extra: Iterable[str] = (),
) -> list[str]:
    """Command-line flags: headless (new mode), closed network, optionally foreground timers and a window size."""
    out = ["--headless=new"] if headless else []
    out += CLOSED_NETWORK
    if foreground:
        out += FOREGROUND
    if window is not None:
        out.append(f"--window-size={window[0]},{window[1]}")
    return out + list(extra)


def options(
    *,
    headless: bool = True,
    foreground: bool = False,
    window: tuple[int, int] | None = (1280, 900),
    extra: Iterable[str] = (),
    binary: str = CHROMIUM,
):
    """selenium ChromeOptions for /usr/bin/chromium with `flags(...)`."""
    from selenium.webdriver.chrome.options import Options

    opts = Options()
    opts.binary_location = binary
    for flag in flags(headless=headless, foreground=foreground, window=window, extra=extra):
        opts.add_argument(flag)
    return opts
