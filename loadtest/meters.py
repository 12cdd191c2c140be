"""CPU and memory meters for a load step: the server's process tree, this process, and everyone else.

Only psutil (which locust installs), so the stepper can measure wherever locust runs.
"""

from __future__ import annotations

import time

import psutil


class ProcessMeter:
    """CPU seconds and RSS of a process and all its children (gunicorn's master and workers)."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid) if pid else None

    def _procs(self) -> list:
        if self.root is None:
            return []
        try:
            return [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def sample(self) -> tuple[dict[int, float], float]:
        """CPU seconds per pid and total RSS in MB, now."""
        cpu, rss = {}, 0
        for proc in self._procs():
            try:
                times = proc.cpu_times()
                cpu[proc.pid] = times.user + times.system
                rss += proc.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return cpu, rss / 2**20


def machine_busy() -> float:
    """CPU seconds every core of this machine has spent busy (not idle, not waiting on I/O) since boot."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def cpu_percent(before: dict[int, float], after: dict[int, float], seconds: float) -> float:
    """CPU use between two samples in % of one core (processes born in between count from zero)."""
    used = sum(t - before.get(pid, 0.0) for pid, t in after.items())
    return round(100 * used / seconds, 1) if seconds > 0 else 0.0


class NoiseMeter:
    """CPU used by processes that are neither the server nor this locust, since the last reading."""

    def __init__(self, server: ProcessMeter, me: psutil.Process) -> None:
        self.server, self.me = server, me
        self.last = self._now()

    def _now(self) -> tuple[float, float, float, float]:
        return (
            time.monotonic(),
            machine_busy(),
            sum(self.server.sample()[0].values()),
            sum(self.me.cpu_times()[:2]),
        )

    def other(self) -> float:
        """% of one core other processes used since the previous call."""
        now = self._now()
        (t0, m0, s0, o0), self.last = self.last, now
        seconds = now[0] - t0
        return (
            max(0.0, 100 * ((now[1] - m0) - (now[2] - s0) - (now[3] - o0)) / seconds) if seconds > 0 else 0.0
        )
