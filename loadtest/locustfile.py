"""locust users that replay what one browser tab sends: one class per Tickless strategy, and any Dash app.

Run through `make loadtest` (loadtest/run.py), or by hand from the repository root with the load venv:

    .venv-load/bin/locust -f loadtest/locustfile.py --host http://127.0.0.1:8050 ServerExtendUser
    .venv-load/bin/python loadtest/locustfile.py ServerExtendUser http://127.0.0.1:8050   # one user, debug

Every tab loads the page once (`page …` requests and one `PAGE page load` event), then makes only its
steady-state calls: server strategies one tick per Interval period plus the bridge sample; clientside
strategies only the bridge sample (none when it is off). Timing follows each tab's own timers; a tab waits
for a reply before its next call (see README: a closed model, so an overloaded server sees fewer requests).
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from locust import FastHttpUser, events
from locust.exception import StopUser

if __package__ in (None, ""):  # locust loads this file by path: make the `loadtest` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loadtest import dash_plan, tickless  # noqa: E402
from loadtest.dash_client import NOTES, DashClient, Schedule  # noqa: E402

log = logging.getLogger("tickless.load")


@events.init_command_line_parser.add_listener
def _options(parser) -> None:
    """Options of the tabs (locust passes them to workers too)."""
    group = parser.add_argument_group("Tickless tabs")
    group.add_argument(
        "--tick-ms", type=int, default=0, help="Interval period of server strategies (0: app default)"
    )
    group.add_argument(
        "--bridge-ms", type=int, default=-1, help="bridge sample period (0: off, -1: app default)"
    )
    group.add_argument(
        "--page-load",
        choices=("returning", "first"),
        default="returning",
        help="returning: page, layout, dependencies (static files cached); first: also every file the page links",
    )
    group.add_argument(
        "--display-hz", type=float, default=tickless.DISPLAY_HZ, help="display rate rAF paints at"
    )


def _option(environment, name: str, default):
    return getattr(environment.parsed_options, name, default) if environment.parsed_options else default


class DashTab(FastHttpUser):
    """A browser tab: loads the page once, then runs its timers (subclasses say which)."""

    abstract = True
    network_timeout = 30.0
    connection_timeout = 10.0
    path = "/"

    def on_start(self) -> None:
        """Load the page like the renderer, then set up this tab's timers."""
        first = _option(self.environment, "page_load", "returning") == "first"
        self.dash = DashClient(self.client, self.environment.events.request.fire, first_visit=first)
        self.schedule = Schedule()
        if self.dash.load_page(self.path):
            self.begin()

    def begin(self) -> None:
        """Set up the timers of this kind of tab."""
        raise NotImplementedError

    def wait_time(self) -> float:
        """Sleep until this tab's next timer is due."""
        return self.schedule.wait()


def run_due(user: DashTab) -> None:
    """The only task: run whichever of the tab's timers is due."""
    user.schedule.run_due()


class TicklessTab(DashTab):
    """A Tickless tab on one strategy's page: its clock and view, and the sampled bridge."""

    abstract = True
    strategy = ""

    def begin(self) -> None:
        """Publish the clock and view as the page's JS does, then start the bridge and the strategy's timers."""
        self.defaults = tickless.tab_defaults(self.dash.values)
        self.clock = tickless.clock(time.time() * 1000, pos=self.defaults["window"])
        self.dash.values[tickless.CLOCK] = self.clock
        self.seq = 0
        bridge_ms = _option(self.environment, "bridge_ms", -1)
        bridge_ms = self.defaults["bridge_ms"] if bridge_ms < 0 else bridge_ms
        self.bridge_cb = self.dash.find(tickless.BRIDGE_SAMPLE)
        if bridge_ms > 0 and self.bridge_cb is None:
            NOTES["bridge"] = "this app has no bridge callback: no bridge requests were made"
        elif bridge_ms > 0:
            self.schedule.every(bridge_ms / 1000, self.bridge)
        self.start_strategy()

    def start_strategy(self) -> None:
        """Timers of the strategy itself (none for clientside strategies)."""

    def frames_per_second(self) -> float:
        """What this strategy paints per second (reported in the bridge sample)."""
        interval = _option(self.environment, "tick_ms", 0) or self.defaults["interval_ms"]
        hz = _option(self.environment, "display_hz", tickless.DISPLAY_HZ)
        return tickless.frames_per_second(self.strategy, interval, hz)

    def bridge(self) -> None:
        """One bridge sample, as the sampler sends it while playing (the playhead moved, so it changed)."""
        now = time.time() * 1000
        self.seq += 1
        d = self.defaults
        at = tickless.head(self.clock, d["rate"], now)
        sample = tickless.bridge_sample(
            self.seq, now, at, d["window"], d["channels"], self.frames_per_second()
        )
        self.dash.values[tickless.BRIDGE_SAMPLE] = sample
        self.dash.call(
            self.bridge_cb, [tickless.BRIDGE_SAMPLE], name="bridge", require=(tickless.BRIDGE_ACCEPTED,)
        )


class ServerTab(TicklessTab):
    """A server strategy: the first view draws a whole figure, then every Interval tick asks Python for a frame."""

    abstract = True

    def start_strategy(self) -> None:
        """Send the first view (a whole figure, part of the page load), then tick at the Interval period."""
        sid = self.strategy
        self.cb = self.dash.find(tickless.tick_key(sid))
        if self.cb is None:
            raise StopUser(f"no server callback listens to {tickless.tick_key(sid)}")
        d = self.defaults
        self.dash.values[tickless.view_key(sid)] = tickless.view(
            1, d["window"], d["channels"], d["trace"], d["decimate"]
        )
        self.dash.call(self.cb, [tickless.view_key(sid)], name=f"page first figure {sid}")
        self.n = 0
        interval = _option(self.environment, "tick_ms", 0) or d["interval_ms"]
        self.schedule.every(interval / 1000, self.tick)

    def tick(self) -> None:
        """One Interval tick let through the gate (the request count + 1), with the last reply's cursor as State.

        A tab waits for each reply before its next call (closed model), as the page's tick gate makes a
        browser tab do: a tick that comes due while a request is in flight is skipped, not queued.
        """
        self.n += 1
        key = tickless.tick_key(self.strategy)
        self.dash.values[key] = self.n
        self.dash.call(
            self.cb, [key], name=f"tick {self.strategy}", require=tickless.tick_requires(self.strategy)
        )


class ClientsideRafUser(TicklessTab):
    """clientside-raf: page and data once; JS draws every frame; only bridge samples reach the server."""

    strategy = "clientside-raf"
    path = f"/strategy/{strategy}"
    tasks = [run_due]


class ClientsideIntervalUser(TicklessTab):
    """clientside-interval: page and data once; a clientside Interval draws; only bridge samples reach the server."""

    strategy = "clientside-interval"
    path = f"/strategy/{strategy}"
    tasks = [run_due]


class ComponentUser(TicklessTab):
    """component: page and data once; the LiveChart draws every frame in the browser; only bridge samples reach the server."""

    strategy = "component"
    path = f"/strategy/{strategy}"
    tasks = [run_due]


class ServerExtendUser(ServerTab):
    """server-extend: one tick per Interval period, each answered with extendData (new samples only)."""

    strategy = "server-extend"
    path = f"/strategy/{strategy}"
    tasks = [run_due]


class ServerPatchUser(ServerTab):
    """server-patch: one tick per Interval period, each answered with a Patch that appends and trims."""

    strategy = "server-patch"
    path = f"/strategy/{strategy}"
    tasks = [run_due]


class ServerFigureUser(ServerTab):
    """server-figure: one tick per Interval period, each answered with the whole figure."""

    strategy = "server-figure"
    path = f"/strategy/{strategy}"
    tasks = [run_due]


class AnyDashUser(DashTab):
    """Any Dash app: initial calls at load, then every enabled dcc.Interval's server callbacks at its period.

    Replies that change inputs of other server callbacks fire those once (one level). Clientside callbacks,
    pattern-matching (MATCH/ALLSMALLER) and background callbacks, Intervals disabled at load and callbacks fed
    by user input are not exercised; the list of what was skipped is in the run's notes.
    """

    tasks = [run_due]

    def begin(self) -> None:
        """Make the initial calls, then start one timer per Interval that drives a server callback."""
        plan = dash_plan.plan(self.dash.layout, self.dash.callbacks, self.dash.ids)
        if "plan" not in NOTES:
            NOTES["plan"] = {
                "initial": [cb.label for cb in plan.initial],
                "timers": [f"{t.callback.label} every {t.interval.period_ms:g} ms" for t in plan.timers],
                "skipped": plan.skipped,
            }
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


USERS = {
    cls.__name__: cls
    for cls in (
        ClientsideRafUser,
        ClientsideIntervalUser,
        ServerExtendUser,
        ServerPatchUser,
        ServerFigureUser,
        AnyDashUser,
    )
}

if __name__ == "__main__":
    from locust import run_single_user

    if len(sys.argv) != 3 or sys.argv[1] not in USERS:
        sys.exit(f"usage: locustfile.py {{{'|'.join(USERS)}}} http://127.0.0.1:PORT")
    user = USERS[sys.argv[1]]
    user.host = sys.argv[2]
    del sys.argv[1:]
    run_single_user(user, include_length=True, include_time=True)
