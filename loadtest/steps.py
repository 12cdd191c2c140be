"""Stepped load for locust: raise users step by step, measure each step's steady state, stop at the first failure.

Load it next to the locustfile (`-f loadtest/locustfile.py,loadtest/steps.py`). Each step adds users until
the target is running and every tab has loaded its page, lets the new tabs settle, then resets locust's
statistics and measures for `--step-seconds`: so page loads never mix into the steady-state figures, and
page-load figures are reported per step on their own. After the first failing step, it bisects between the
last passing and the first failing user count (loadtest/bracket.py) until the bracket is within
`--bisect-within` (10%) or `--bisect-max-probes` probes were measured; each probe is a step record with
`"phase": "bisect"`, and the last record carries the bracket. Server CPU and RSS come from psutil on the process
tree of `--server-pid` (gunicorn's master and workers); locust's own CPU decides whether a step was
client-bound. One JSON line per event goes to `--step-log`. Works standalone and on a `--master`.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
from locust import LoadTestShape, events
from locust.runners import MasterRunner
from locust.stats import StatsEntry

if __package__ in (None, ""):  # locust loads this file by path: make the `loadtest` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loadtest import bracket  # noqa: E402
from loadtest.dash_client import NOTES, PAGE, PAGE_EVENT  # noqa: E402
from loadtest.meters import GcMeter, NoiseMeter, ProcessMeter, cpu_percent, machine_busy  # noqa: E402

log = logging.getLogger("tickless.steps")
PROGRESS_EVERY_S = 5.0
TICK_SLACK_S = 0.25  # locust calls the shape once a second: a window ends at the tick that completes it
TOTALS = {"requests": 0, "failures": 0}  # over the whole run, page loads included (stats are reset per step)


@events.init_command_line_parser.add_listener
def _options(parser) -> None:
    """Options of the stepped load."""
    group = parser.add_argument_group("Tickless steps")
    group.add_argument("--steps", default="10,25,50,100,200,400,800", help="user counts, ascending")
    group.add_argument("--step-seconds", type=float, default=15.0, help="measurement window per step")
    group.add_argument("--settle-seconds", type=float, default=2.0, help="pause after the last page load")
    group.add_argument(
        "--drain-seconds",
        type=float,
        default=10.0,
        help="more pause before measuring after a failed step (the overloaded server's queue drains first)",
    )
    group.add_argument(
        "--warmup-max-seconds", type=float, default=120.0, help="cap on adding users + page loads"
    )
    group.add_argument("--ramp-rate", type=float, default=50.0, help="users started per second")
    group.add_argument(
        "--client-gc",
        choices=("freeze", "default"),
        default="default",
        help="default: Python's collector as it is; freeze: after each ramp, collect once and gc.freeze() the "
        "tabs built so far (meters.GcMeter), so the load client's full collections cannot stall every tab inside "
        "a measurement. Measured (README): the windows saw at most one full collection, freezing moved nothing, "
        "so it is not the default. The pauses are recorded either way (client.gc of each step)",
    )
    group.add_argument("--p95-limit-ms", type=float, default=100.0, help="a step passes below this p95")
    group.add_argument("--max-failure-ratio", type=float, default=0.01, help="a step passes at or below this")
    group.add_argument(
        "--client-cpu-limit", type=float, default=85.0, help="locust CPU %% marking client-bound"
    )
    group.add_argument(
        "--noise-cpu-limit", type=float, default=25.0, help="other processes' CPU %% marking noise"
    )
    group.add_argument(
        "--noisy-retries", type=int, default=2, help="re-measure a failing noisy step this often"
    )
    group.add_argument(
        "--quiet-wait-seconds", type=float, default=60.0, help="wait for quiet before a re-measure"
    )
    group.add_argument(
        "--bisect-within", type=float, default=bracket.WITHIN, help="bisect until fail/pass ≤ 1 + this"
    )
    group.add_argument(
        "--bisect-max-probes", type=int, default=bracket.MAX_PROBES, help="bisection steps at most (0: off)"
    )
    group.add_argument("--server-pid", type=int, default=0, help="gunicorn master pid (0: not measured)")
    group.add_argument("--step-log", default="", help="JSON lines file for progress and step results")
    group.add_argument("--scenario", default="", help="label written into every record")


def _ms(entry: StatsEntry, q: float) -> float | None:
    return round(entry.get_response_time_percentile(q), 1) if entry.num_requests else None


def _summary(entry: StatsEntry, seconds: float) -> dict:
    n = entry.num_requests
    return {
        "requests": n,
        "failures": entry.num_failures,
        "rps": round(n / seconds, 2) if seconds else None,
        "bytes_per_s": round(entry.total_content_length / seconds, 1) if seconds else None,
        "avg_bytes": round(entry.total_content_length / n, 1) if n else None,
        "avg_ms": round(entry.avg_response_time, 1) if n else None,
        "p50_ms": _ms(entry, 0.50),
        "p95_ms": _ms(entry, 0.95),
        "p99_ms": _ms(entry, 0.99),
        "max_ms": round(entry.max_response_time, 1) if n else None,
    }


def _is_page(name: str, method: str) -> bool:
    return method == PAGE_EVENT[0] or name.startswith(PAGE)


def merged(stats, keep: Callable[[str, str], bool]) -> StatsEntry:
    """One statistics entry summing every entry whose (name, method) `keep` accepts."""
    total = StatsEntry(stats, "merged", "", use_response_times_cache=False)
    for (name, method), entry in stats.entries.items():
        if keep(name, method):
            total.extend(entry)
    return total


class SteppedLoad(LoadTestShape):
    """Steps of users from `--steps`; each step measured after its page loads; stops at the first failure."""

    use_common_options = True  # --run-time stays a hard cap on the whole run

    def tick(self):
        """Called every second by locust: returns (users, spawn rate), or None to end the test."""
        if not hasattr(self, "stepper"):
            self.stepper = Stepper(self.runner)
        return self.stepper.tick()


class Stepper:
    """The state machine behind SteppedLoad: ramp → settle → measure, step after step."""

    def __init__(self, runner) -> None:
        self.runner = runner
        self.opts = runner.environment.parsed_options
        self.steps = [int(s) for s in str(self.opts.steps).split(",") if s.strip()]
        self.server = ProcessMeter(self.opts.server_pid)
        self.me = psutil.Process()
        self.index, self.phase, self.loads_before = 0, "ramp", 0
        self.search = bracket.Search(self.steps, self.opts.bisect_within, self.opts.bisect_max_probes)
        self.target = self.loads_needed = self.search.target
        self.last_reasons, self.last_client_bound, self.going_down = "", False, False
        # the step before failed: its queue of requests drains before this one measures
        self.after_fail = False
        self.phase_start = self.last_progress = self.ramp_started = time.monotonic()
        self.warmup_timeout = False
        self.retries = 0
        self.ramp_cpu0, _ = self.server.sample()  # server CPU over each ramp: what the page loads cost
        self.steady_cpu_rate = 0.0  # the last step's server CPU, in core-seconds per second
        self.noise = NoiseMeter(self.server, self.me)
        self.gc, self.gc_freeze_ms = GcMeter(), None
        self.emit({"type": "start", "steps": self.steps, "options": self._options()})

    def _options(self) -> dict:
        names = ("tick_ms", "bridge_ms", "page_load", "step_seconds", "p95_limit_ms", "ramp_rate", "host")
        names += ("client_gc",)
        names += ("bisect_within", "bisect_max_probes")
        return {name: getattr(self.opts, name, None) for name in names}

    def emit(self, record: dict) -> None:
        """Write one record to the step log (and the locust log)."""
        record = {"scenario": self.opts.scenario, "time": round(time.time(), 3), **record}
        if self.opts.step_log:
            with open(self.opts.step_log, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(record) + "\n")
        log.info("%s", json.dumps(record)[:300])

    def loads(self) -> int:
        """Page loads finished since the start (successful or not)."""
        entry = self.runner.stats.entries.get((PAGE_EVENT[1], PAGE_EVENT[0]))
        return self.loads_before + (entry.num_requests if entry else 0)

    def tick(self):
        """Advance the state machine by one second."""
        now = time.monotonic()
        target = self.target
        if self.phase == "ramp":
            running = self.runner.user_count  # locust stops users at the ramp rate too: wait for the count
            there = running <= target if self.going_down else running >= target
            ready = there and self.loads() >= self.loads_needed
            self.warmup_timeout = now - self.phase_start > self.opts.warmup_max_seconds
            if ready or self.warmup_timeout:
                if getattr(self.opts, "client_gc", "default") == "freeze":
                    # before the settle pause: the tabs' requests stalled by this one collection finish before
                    # the statistics are reset
                    self.gc_freeze_ms = round(self.gc.freeze(), 1)
                self.phase, self.phase_start = "settle", time.monotonic()
            elif now - self.last_progress >= PROGRESS_EVERY_S:
                self.last_progress = now
                self.emit(
                    {
                        "type": "progress",
                        "users": target,
                        "running": self.runner.user_count,
                        "loaded": self.loads(),
                    }
                )
        elif self.phase == "settle" and now - self.phase_start >= self.settle_seconds():
            self.begin_measure(now)
        elif self.phase == "measure":
            self.rss = max(self.rss, self.server.sample()[1])
            if now - self.phase_start >= self.opts.step_seconds - TICK_SLACK_S:
                outcome = self.finish_step(now)
                if outcome != "retry":
                    nxt = self.next_target(outcome)
                    if nxt is None:
                        return None
                    self.loads_needed = self.loads() + max(0, nxt - self.runner.user_count)
                    self.going_down = nxt < self.runner.user_count
                    self.after_fail = outcome == "fail"
                    self.target, self.phase, self.phase_start, self.retries = nxt, "ramp", now, 0
                    target = nxt
        elif self.phase == "quiet":
            other = self.noise.other()
            if other < self.opts.noise_cpu_limit or now - self.phase_start > self.opts.quiet_wait_seconds:
                self.phase, self.phase_start = "settle", now
            elif now - self.last_progress >= PROGRESS_EVERY_S:
                self.last_progress = now
                self.emit({"type": "progress", "users": target, "quiet_wait": round(other, 1)})
        return target, self.opts.ramp_rate

    def settle_seconds(self) -> float:
        """The pause before a step measures: after a failed step also the drain time, so a probe measures its own
        load, not the previous step's backlog (an overloaded server holds ~p95 of queued work when users leave)."""
        return self.opts.settle_seconds + (self.opts.drain_seconds if self.after_fail else 0.0)

    def _carry(self) -> None:
        stats = self.runner.stats
        TOTALS["requests"] += stats.total.num_requests
        TOTALS["failures"] += stats.total.num_failures
        entry = stats.entries.get((PAGE_EVENT[1], PAGE_EVENT[0]))
        self.loads_before += entry.num_requests if entry else 0

    def begin_measure(self, now: float) -> None:
        """Record the ramp's page loads, reset statistics, and take the CPU baselines."""
        stats = self.runner.stats
        page = stats.entries.get((PAGE_EVENT[1], PAGE_EVENT[0]))
        ramp_cpu = cpu_percent(self.ramp_cpu0, self.server.sample()[0], 1.0) / 100  # core-seconds
        loads = page.num_requests if page else 0
        steady = self.steady_cpu_rate * (now - self.ramp_started)  # the tabs already running, meanwhile
        ramp = {
            "seconds": round(now - self.ramp_started, 1),
            "page": _summary(page, 0) if page else None,
            "requests": stats.total.num_requests,
            "failures": stats.total.num_failures,
            "errors": self.errors(),
            "server_cpu_s": round(ramp_cpu, 3) if self.server.root else None,
            # ≈ server CPU per page load: the ramp's CPU less the earlier tabs' steady rate, over the loads (an
            # upper estimate: the new tabs' own first steady calls are in it too)
            "server_cpu_ms_per_load": round(1000 * max(0.0, ramp_cpu - steady) / loads, 2)
            if loads and self.server.root
            else None,
        }
        if self.retries:  # a re-measure: the page loads were in the first attempt's ramp
            ramp = {**self.ramp, "before_retry": {k: ramp[k] for k in ("requests", "failures", "errors")}}
        self.ramp = ramp
        self._carry()
        stats.reset_all()
        self.server_cpu0, self.rss = self.server.sample()
        self.client_cpu0 = sum(self.me.cpu_times()[:2])
        self.gc.reset()
        self.machine0 = machine_busy()
        # the window is timed from the reset; it ends at the shape tick that completes --step-seconds
        self.phase, self.phase_start, self.measure_start = "measure", now, time.monotonic()

    def errors(self) -> list[str]:
        """The most frequent failure messages so far (since the last reset)."""
        errs = sorted(self.runner.stats.errors.values(), key=lambda e: -e.occurrences)
        return [f"{e.occurrences}× {e.method} {e.name}: {e.error}"[:300] for e in errs[:5]]

    def client_cpu(self, seconds: float) -> float:
        """locust's CPU over the window in % of one core; on a master, the busiest worker counts too."""
        own = 100 * (sum(self.me.cpu_times()[:2]) - self.client_cpu0) / seconds
        workers = [w.cpu_usage for w in getattr(self.runner, "clients", {}).values()]
        return round(max([own, *workers]), 1)

    def finish_step(self, now: float) -> str:
        """Write the step's record; "pass", "fail", or "retry" to measure it again (noisy machine)."""
        seconds = time.monotonic() - self.measure_start
        stats, opts = self.runner.stats, self.opts
        steady = _summary(merged(stats, lambda n, m: not _is_page(n, m)), seconds)
        by_name = {
            f"{m} {n}": _summary(e, seconds)
            for (n, m), e in sorted(stats.entries.items())
            if not _is_page(n, m)
        }
        cpu, _ = self.server.sample()
        own = 100 * (sum(self.me.cpu_times()[:2]) - self.client_cpu0) / seconds
        client = self.client_cpu(seconds)
        server_cpu = cpu_percent(self.server_cpu0, cpu, seconds)
        machine = 100 * (machine_busy() - self.machine0) / seconds
        other = max(0.0, machine - own - (server_cpu if self.server.root else 0.0))
        failure_ratio = steady["failures"] / steady["requests"] if steady["requests"] else 0.0
        reasons = []
        if steady["p95_ms"] is not None and steady["p95_ms"] >= opts.p95_limit_ms:
            reasons.append(f"p95 {steady['p95_ms']:g} ms ≥ {opts.p95_limit_ms:g} ms")
        if failure_ratio > opts.max_failure_ratio:
            reasons.append(f"failures {failure_ratio:.1%} > {opts.max_failure_ratio:.1%}")
        if self.warmup_timeout:
            reasons.append(f"users or page loads not done within {opts.warmup_max_seconds:g} s")
        if client > opts.client_cpu_limit:
            reasons.append(f"client-bound: locust at {client:g}% CPU")
        record = {
            "type": "step",
            "step": self.index,
            "phase": self.search.stage,
            "users": self.target,
            "running": self.runner.user_count,
            "measure_s": round(seconds, 2),
            **steady,
            "failure_ratio": round(failure_ratio, 5),
            "by_name": by_name,
            "ramp": self.ramp,
            "server": {
                "cpu_percent": cpu_percent(self.server_cpu0, cpu, seconds),
                "rss_mb": round(self.rss, 1),
            }
            if self.server.root
            else None,
            "client": {
                "cpu_percent": client,
                "bound": client > opts.client_cpu_limit,
                # the load client's own collector during the window (a pause stalls every tab's request) and
                # the one collection + freeze after the ramp (None: --client-gc default)
                "gc": {**self.gc.summary(), "freeze_ms": self.gc_freeze_ms},
            },
            "machine": {
                "cores": psutil.cpu_count(),
                "cpu_percent": round(machine, 1),
                "other_cpu_percent": round(other, 1),  # processes neither the server's nor locust's
                "noisy": other > opts.noise_cpu_limit,
            },
            "errors": self.errors(),
            "ok": not reasons,
            "reasons": reasons,
        }
        if reasons and record["machine"]["noisy"] and self.retries < opts.noisy_retries:
            self.retries += 1  # other processes took the CPU: wait for quiet, then measure this step again
            self.emit({**record, "superseded": True})
            self.noise.other()
            self.phase, self.phase_start = "quiet", now
            return "retry"
        self.emit(record)
        self.ramp_started = now
        self.ramp_cpu0 = cpu
        self.steady_cpu_rate = (
            (record["server"] or {}).get("cpu_percent", 0.0) / 100 if record["server"] else 0.0
        )
        self.last_client_bound = record["client"]["bound"]
        self.last_reasons = "; ".join(reasons)
        return "fail" if reasons else "pass"

    def next_target(self, outcome: str) -> int | None:
        """The next user count: the next step while steps pass, then bisection probes; None when done."""
        nxt = self.search.after(outcome, self.last_reasons, self.last_client_bound)
        self.index += 1
        if nxt is None:
            self.done(self.search.reason, bracket=self.search.bracket, probes=self.search.probes)
        return nxt

    def done(self, reason: str, **extra) -> None:
        """The last record of the run."""
        self.emit(
            {
                "type": "done",
                "reason": reason,
                **extra,
                "notes": NOTES,
                "master": isinstance(self.runner, MasterRunner),
            }
        )


@events.quitting.add_listener
def _exit_code(environment, **_kwargs) -> None:
    """Exit 1 when any request of the run failed (page loads included), else 0."""
    stats = environment.stats
    failures = TOTALS["failures"] + (stats.total.num_failures if stats else 0)
    environment.process_exit_code = 1 if failures else 0
