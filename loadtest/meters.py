"""CPU and memory meters for a load step: the server's process tree, this process, and everyone else.

Only psutil (which locust installs), so the stepper can measure wherever locust runs.
"""

from __future__ import annotations

import gc
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


class GcMeter:
    """This process's own garbage-collection pauses since the last reset: the load client's, not the server's.

    locust keeps every simulated tab in one Python process. With ~1,000 tabs it tracks a few hundred thousand
    objects, and one full collection of them stops every tab for 100-230 ms: each request in flight then waits
    on the client, and locust would count the wait as the server's latency. Every pause is recorded
    (`gc.callbacks`) so a step's record shows whether it happened; `freeze()` moves what the tabs built so far
    out of the collector's reach (`gc.freeze`). Measured (README, load-20261204-1616/1623): the 10 s windows saw
    at most one full collection (118 ms once, otherwise no pause over 8 ms), and freezing did not move the limits.
    """

    def __init__(self) -> None:
        self._started = 0.0
        self.reset()
        gc.callbacks.append(self._on_gc)

    def close(self) -> None:
        """Stop recording (the callback is removed)."""
        if self._on_gc in gc.callbacks:
            gc.callbacks.remove(self._on_gc)

    def reset(self) -> None:
        self.counts = [0, 0, 0]
        self.max_ms = 0.0
        self.total_ms = 0.0

    def _on_gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        ms = (time.perf_counter() - self._started) * 1000
        self.counts[min(2, int(info.get("generation", 0)))] += 1
        self.max_ms = max(self.max_ms, ms)
        self.total_ms += ms

    def summary(self) -> dict:
        """Collections by generation, the longest pause and their sum, in ms, since the last reset."""
        return {
            "collections": list(self.counts),
            "max_ms": round(self.max_ms, 1),
            "total_ms": round(self.total_ms, 1),
            "frozen": gc.get_freeze_count(),
        }

    @staticmethod
    def freeze() -> float:
        """Collect everything once (outside any measurement), then freeze what survives; the ms it took."""
        start = time.perf_counter()
        gc.unfreeze()  # tabs stopped since the last freeze are garbage now: let this collection free them
        gc.collect()
        gc.freeze()
        return (time.perf_counter() - start) * 1000
