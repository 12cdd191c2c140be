"""The one gunicorn launcher of `make bench`, `make loadtest` and `make soak`: processes in their own sessions.

    from benchmarks.launcher import Gunicorn, dataset_env
    with Gunicorn(log_path, workers=2, env=dataset_env(channels=4, rate=10_000, seconds=60)) as server:
        server.url, server.pid, server.worker_pids(), server.cpu_seconds(), server.rss_mb()

`Gunicorn` binds 127.0.0.1 on a free port (benchmarks/ports.py), waits until every worker answers, and
stops the whole session (SIGTERM, then SIGKILL). `start`/`stop` do the same for any other process a run owns
(locust). `tree_cpu_seconds`/`tree_rss_mb` measure a process and its children.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil

from .ports import free_port, wait_http

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")  # the one in the venv that runs the harness
APP = "app.wsgi:server"


def dataset_env(channels: int | None = None, rate: int | None = None, seconds: float | None = None) -> dict:
    """Environment of a Tickless server with this dataset (unset values keep the app's defaults), no debug."""
    env = {"DEBUG": "false"}
    if channels is not None:
        env["TICKLESS_CHANNELS"] = str(channels)
    if rate is not None:
        env["TICKLESS_RATE"] = str(rate)
    if seconds is not None:
        env["TICKLESS_SECONDS"] = f"{seconds:g}"
    return env


def gunicorn_command(
    port: int,
    workers: int = 2,
    worker_class: str = "sync",
    threads: int = 0,
    target: str = APP,
    gunicorn: Path = GUNICORN,
) -> list[str]:
    """The production server command line, bound to 127.0.0.1 only."""
    cmd = [str(gunicorn), "--workers", str(workers), "--worker-class", worker_class]
    if threads:
        cmd += ["--threads", str(threads)]
    return [*cmd, "--bind", f"127.0.0.1:{port}", "--backlog", "4096", "--timeout", "120", target]


def start(cmd: list[str], log_path: Path, env: dict | None = None, nice: int = 0) -> subprocess.Popen:
    """Start a process in its own session (so it and its children stop together), logging to a file.

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


def _tree(pid: int | None) -> list[psutil.Process]:
    if not pid:
        return []
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def tree_cpu_seconds(pid: int | None) -> float:
    """CPU time (user + system) used so far by a process and all its children."""
    total = 0.0
    for p in _tree(pid):
        with contextlib.suppress(psutil.Error):
            t = p.cpu_times()
            total += t.user + t.system
    return total


def tree_rss_mb(pid: int | None) -> float:
    """Resident memory of a process and all its children, in MB."""
    total = 0
    for p in _tree(pid):
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total / 2**20


class _Served:
    """What a server started in its own session offers: its pid, CPU and memory (with its children), stop, and
    use as a context manager (`start()` is the subclass's)."""

    proc: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        """The server's (gunicorn's master's) pid; None when not running."""
        return self.proc.pid if self.proc is not None else None

    def cpu_seconds(self) -> float:
        """CPU time used so far by the process and its children (gunicorn's workers)."""
        return tree_cpu_seconds(self.pid)

    def rss_mb(self) -> float:
        """Resident memory of the process and its children, in MB."""
        return tree_rss_mb(self.pid)

    def stop(self, grace: float = 10.0) -> None:
        """Stop it and everything it started (the whole session)."""
        stop(self.proc, grace)
        self.proc = None

    def start(self, timeout: float = 120.0):
        raise NotImplementedError

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Gunicorn(_Served):
    """gunicorn serving a WSGI target (the Tickless app by default) on a free 127.0.0.1 port, in its own session."""

    def __init__(
        self,
        log_path: Path,
        *,
        workers: int = 2,
        worker_class: str = "sync",
        threads: int = 0,
        target: str = APP,
        env: dict | None = None,
        nice: int = 0,
        port: int | None = None,
        gunicorn: Path = GUNICORN,
        ready_path: str = "/_dash-layout",
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DEBUG": "false", **(env or {})}
        self.cmd = gunicorn_command(self.port, workers, worker_class, threads, target, gunicorn)
        self.log_path, self.nice, self.ready_path = log_path, nice, ready_path
        self.workers, self.worker_class, self.threads = workers, worker_class, threads
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 120.0) -> Gunicorn:
        """Start gunicorn and wait until the app answers `ready_path` (the layout: every worker built the app)."""
        self.proc = start(self.cmd, self.log_path, self.env, self.nice)
        try:
            wait_http(self.url + self.ready_path, timeout, self.proc)
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"gunicorn: {exc}; see {self.log_path}") from None
        return self

    def worker_pids(self) -> list[int]:
        """The workers' pids (the master's children), e.g. to kill one."""
        return [p.pid for p in _tree(self.pid)[1:]]


class PushServer(_Served):
    """The push server (`python -m app.push_server`: the same app on Dash's FastAPI backend under uvicorn, for
    server-push) on a free 127.0.0.1 port, in its own session; the same interface as `Gunicorn`."""

    def __init__(self, log_path: Path, *, env: dict | None = None, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DEBUG": "false",
            **(env or {}),
            "HOST": "127.0.0.1",
            "PUSH_PORT": str(self.port),
        }
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 120.0) -> PushServer:
        """Start it and wait until it answers the layout."""
        self.proc = start([sys.executable, "-m", "app.push_server"], self.log_path, self.env)
        try:
            wait_http(self.url + "/_dash-layout", timeout, self.proc)
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"push server: {exc}; see {self.log_path}") from None
        return self
