"""A real push server for browser tests: `python -m app.push_server` (uvicorn, FastAPI backend) on a free port,
started, stopped and restarted on the same port like a deployment would."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


class PushServer:
    """One push server process; `restart()` stops it and starts a new one on the same port."""

    def __init__(self, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "HOST": "127.0.0.1",
            "PUSH_PORT": str(self.port),
            "TICKLESS_CHANNELS": "3",
            "TICKLESS_SECONDS": "20",
            **(env or {}),
        }
        self.proc: subprocess.Popen | None = None
        self.log = Path(f"/tmp/tickless-push-{self.port}.log")

    def start(self, timeout: float = 60) -> PushServer:
        """Start the process and wait until it serves the page."""
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "app.push_server"], cwd=ROOT, env=self.env, stdout=out, stderr=out
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the push server exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/_tickless/alive", timeout=2) as reply:
                    if reply.status == 204:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the push server did not answer in {timeout} s")

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL) and wait for it."""
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        self.proc = None

    def restart(self, down_s: float = 0.0) -> None:
        """Stop, stay down `down_s` seconds, start again on the same port."""
        self.stop()
        time.sleep(down_s)
        self.start()
