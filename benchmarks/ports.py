"""Ports and addresses of every benchmark, load and soak run: a free 127.0.0.1 port, loopback checks, readiness.

stdlib only, so the locust venv (.venv-load) and the app venv (.venv) can both import it.
"""

from __future__ import annotations

import ipaddress
import socket
import subprocess
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

LOOPBACK_NAMES = {"localhost"}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_loopback(url: str) -> bool:
    """Whether a URL points at this machine (127.0.0.0/8, ::1 or localhost)."""
    host = urlsplit(url).hostname or ""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def wait_http(
    url: str, timeout: float, proc: subprocess.Popen | None = None, request_timeout: float = 30.0
) -> None:
    """Poll `url` until it answers 200; raise RuntimeError on timeout or if `proc` exits first."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=request_timeout) as resp:  # noqa: S310 (loopback URL)
                resp.read()
                if resp.status == 200:
                    return
                last = f"HTTP {resp.status}"
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:g} s ({last})")
