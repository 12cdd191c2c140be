"""The app server a browser benchmark runs against: gunicorn on a free 127.0.0.1 port, stopped afterwards."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """gunicorn serving app.wsgi:server with a dataset given by environment variables, in its own session."""

    def __init__(
        self,
        channels: int,
        rate: int,
        seconds: float,
        workers: int,
        log_path: Path,
        worker_class: str = "sync",
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "TICKLESS_CHANNELS": str(channels),
            "TICKLESS_RATE": str(rate),
            "TICKLESS_SECONDS": f"{seconds:g}",
            "DEBUG": "false",
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.cmd = [
            str(gunicorn),
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "120",
            "app.wsgi:server",
        ]
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self, timeout: float = 90.0) -> None:
        """Start gunicorn and wait until every worker has built the app (the layout answers)."""
        self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed by stop())
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with code {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + "/_dash-layout", timeout=30) as resp:  # noqa: S310
                    resp.read()
                    if resp.status == 200:
                        return
                    last = f"HTTP {resp.status}"
            except (urllib.error.URLError, OSError) as exc:
                last = str(exc)
            time.sleep(0.3)
        raise RuntimeError(f"{self.url} did not answer within {timeout:g} s ({last}); see {self.log_path}")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by gunicorn and its workers."""
        if self.proc is None:
            return 0.0
        total = 0.0
        try:
            procs = [psutil.Process(self.proc.pid)]
            procs += procs[0].children(recursive=True)
        except psutil.Error:
            return 0.0
        for p in procs:
            with contextlib.suppress(psutil.Error):
                t = p.cpu_times()
                total += t.user + t.system
        return total

    def rss_mb(self) -> float:
        """Resident memory of gunicorn and its workers, in MB."""
        if self.proc is None:
            return 0.0
        try:
            procs = [psutil.Process(self.proc.pid)]
            procs += procs[0].children(recursive=True)
        except psutil.Error:
            return 0.0
        total = 0
        for p in procs:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        return total / 2**20

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM gunicorn's session, then SIGKILL whatever is left after `grace` seconds."""
        proc = self.proc
        if proc is not None:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(grace)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            if proc.poll() is None:
                proc.wait(5)
            self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> AppServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
