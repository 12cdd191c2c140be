"""Shared pytest setup: Chrome flags for dash_duo on a closed network, a free-port helper, and `require`:
a missing browser, venv or tool skips a test on a developer's machine but fails it when CI=true (or 1)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import chrome  # noqa: E402  (the repository root is on sys.path only from here)
from benchmarks.ports import free_port  # noqa: E402, F401  (the one free-port helper; tests import it from here)

BROWSER_WINDOW = (1280, 900)
CHROME_FLAGS = chrome.flags(
    headless=False, foreground=True, window=BROWSER_WINDOW
)  # dash_duo adds --headless


def pytest_setup_options():
    """dash[testing] hook: the selenium Options used to start Chromium (benchmarks.chrome builds them)."""
    return chrome.options(headless=False, foreground=True, window=BROWSER_WINDOW, binary=str(chromium_path()))


def find_component(node, component_id):
    """The component with this id in a Dash layout tree (the JSON of `/_dash-layout`), or None."""
    if isinstance(node, list):
        return next((hit for child in node if (hit := find_component(child, component_id))), None)
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        return find_component(node.get("props", {}).get("children"), component_id)
    return None


def in_ci() -> bool:
    """True when the CI environment variable is "true" or "1" (any case), as CI services set it."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1")


def require(available: bool, what: str, how: str) -> None:
    """Skip the calling test when `what` is missing, or fail it under CI: a CI run must not pass by skipping."""
    if available:
        return
    message = f"{what} is missing: {how}"
    if in_ci():
        pytest.fail(
            f"{message} (CI={os.environ['CI']}: a missing tool fails the run, never skips it)", pytrace=False
        )
    pytest.skip(message)


def chromium_path() -> Path:
    """The Chromium binary the browser tests start (DASH_TEST_CHROMEPATH, else benchmarks.chrome.CHROMIUM)."""
    return Path(os.environ.get("DASH_TEST_CHROMEPATH") or chrome.CHROMIUM)


def require_browser(binary: Path | None = None) -> None:
    """Chromium and ChromeDriver (from PATH, as selenium 4.2 finds it) must be installed."""
    binary = binary if binary is not None else chromium_path()
    found = binary.is_file() and shutil.which("chromedriver") is not None
    require(found, f"Chromium ({binary}) or chromedriver on PATH", "run `make browser`")


def pytest_runtest_setup(item) -> None:
    """Browser tests (marked `browser`, or using dash_duo) need Chromium: skipped without it, failed under CI."""
    if item.get_closest_marker("browser") or "dash_duo" in getattr(item, "fixturenames", ()):
        require_browser()
