"""Start and stop the processes a load run owns: gunicorn on 127.0.0.1 and locust, each in its own session."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
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


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    """Poll `url` until it answers 200; raise RuntimeError on timeout or if `proc` exits first."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 (loopback URL built here)
                if resp.status == 200:
                    return
                last = f"HTTP {resp.status}"
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:g} s ({last})")


def gunicorn_command(gunicorn: Path, port: int, workers: int, worker_class: str, threads: int) -> list[str]:
    """The production server command line, bound to 127.0.0.1 only."""
    cmd = [str(gunicorn), "--workers", str(workers), "--worker-class", worker_class]
    if threads:
        cmd += ["--threads", str(threads)]
    return [*cmd, "--bind", f"127.0.0.1:{port}", "--backlog", "4096", "--timeout", "120", "app.wsgi:server"]


def start(cmd: list[str], log_path: Path, env: dict | None = None, nice: int = 0) -> subprocess.Popen:
    """Start a process in its own session (so it and its children can be stopped together), logging to a file.

    `nice` below 0 raises its priority (root only), so background jobs on a shared machine disturb it less.
    """
    log = open(log_path, "ab")  # noqa: SIM115 (closed by stop())
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=(lambda: os.nice(nice)) if nice else None,  # noqa: PLW1509 (no threads started yet)
    )
    proc.log_file = log  # type: ignore[attr-defined]
    return proc


def stop(proc: subprocess.Popen | None, grace: float = 10.0) -> None:
    """SIGTERM the process's session, wait `grace` seconds, then SIGKILL what is left of it."""
    if proc is None:
        return
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(grace)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # children a graceful exit left behind, if any
    if proc.poll() is None:
        proc.wait(5)
    log = getattr(proc, "log_file", None)
    if log is not None:
        log.close()
