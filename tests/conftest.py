"""Shared pytest setup: Chrome flags for dash_duo on a closed network, and a free-port helper."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import chrome  # noqa: E402  (the repository root is on sys.path only from here)

CHROME_FLAGS = [*chrome.CLOSED_NETWORK, *chrome.FOREGROUND, "--window-size=1280,900"]


def pytest_setup_options():
    """dash[testing] hook: the selenium Options used to start Chromium."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    return options


def free_port() -> int:
    """A TCP port nobody is listening on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
