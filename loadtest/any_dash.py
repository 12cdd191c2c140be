"""The load mode for any Dash app (`make loadtest TARGET=http://127.0.0.1:PORT`): one locust user, AnyDashUser.

It knows nothing about the app: each tab loads the page like the renderer, asks the planner
(loadtest/dash_plan.py) what a tab of this app sends, makes the initial calls, then fires every enabled
`dcc.Interval`'s server callbacks at that Interval's period and, one level deep, the server callbacks their
replies feed. Every reply is validated (loadtest/dash_reply.py). What the plan found and skipped (with the
reason) goes into the step log's notes, so the app's report can say so.

    .venv-load/bin/locust -f loadtest/any_dash.py,loadtest/steps.py --host http://127.0.0.1:PORT AnyDashUser
    .venv-load/bin/python loadtest/any_dash.py http://127.0.0.1:PORT     # one tab, for debugging
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

if __package__ in (None, ""):  # locust loads this file by path: make the `loadtest` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loadtest import dash_plan  # noqa: E402
from loadtest.dash_client import NOTES  # noqa: E402
from loadtest.tab import DashTab, run_due  # noqa: E402

log = logging.getLogger("tickless.anydash")


class AnyDashUser(DashTab):
    """Any Dash app: initial calls at load, then every enabled dcc.Interval's server callbacks at its period.

    Replies that change inputs of other server callbacks fire those once (one level). Clientside callbacks,
    pattern-matching (MATCH/ALLSMALLER) and background callbacks, Intervals disabled at load and callbacks fed
    by user input are not exercised; the plan's summary (in the run's notes) lists each with the reason.
    """

    tasks = [run_due]

    def begin(self) -> None:
        """Make the initial calls, then start one timer per Interval that drives a server callback."""
        plan = dash_plan.plan(self.dash.layout, self.dash.callbacks, self.dash.ids)
        if "plan" not in NOTES:
            NOTES["plan"] = plan.summary()
            for line in plan.skipped:
                log.warning("not exercised: %s", line)
        for i, cb in enumerate(plan.initial):
            updates = self.dash.call(cb, [], name=f"page initial {cb.label}")
            for chained, hit in dash_plan.followers(self.dash.callbacks, updates or {}):
                if chained not in plan.initial[i + 1 :]:  # a later initial call reads the new value anyway
                    self.dash.call(chained, hit, name=f"page chained {chained.label}")
        by_interval: dict[str, list] = {}
        for timer in plan.timers:
            by_interval.setdefault(timer.interval.key, []).append(timer)
        for timers in by_interval.values():
            self.schedule.every(timers[0].interval.period_ms / 1000, lambda ts=timers: self.fire(ts))

    def fire(self, timers: list) -> None:
        """One Interval tick: its callbacks, then the server callbacks their replies feed (one level)."""
        interval = timers[0].interval
        n = int(self.dash.values.get(interval.key) or interval.n_intervals) + 1
        if 0 <= interval.max_intervals < n:
            return
        self.dash.values[interval.key] = n
        for timer in timers:
            updates = self.dash.call(timer.callback, [interval.key], name=f"interval {timer.callback.label}")
            for cb, hit in dash_plan.followers(self.dash.callbacks, updates or {}):
                self.dash.call(cb, hit, name=f"chained {cb.label}")


if __name__ == "__main__":
    from locust import run_single_user

    if len(sys.argv) != 2:
        sys.exit("usage: any_dash.py http://127.0.0.1:PORT")
    AnyDashUser.host = sys.argv[1]
    del sys.argv[1:]
    run_single_user(AnyDashUser, include_length=True, include_time=True)
