"""locust users that replay what one browser tab of Tickless sends: one class per strategy.

Run through `make loadtest` (loadtest/run.py), or by hand from the repository root with the load venv:

    .venv-load/bin/locust -f loadtest/locustfile.py --host http://127.0.0.1:8050 ServerExtendUser
    .venv-load/bin/python loadtest/locustfile.py ServerExtendUser http://127.0.0.1:8050   # one user, debug

Every tab loads the page once (`page …` requests and one `PAGE page load` event), then makes only its
steady-state calls: server strategies one tick per Interval period plus the bridge sample; clientside
strategies only the bridge sample (none when it is off). Timing follows each tab's own timers; a tab waits
for a reply before its next call (see README: a closed model, so an overloaded server sees fewer requests).
Any other Dash app has its own user, loadtest/any_dash.py.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from locust import events
from locust.exception import StopUser

if __package__ in (None, ""):  # locust loads this file by path: make the `loadtest` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loadtest import tickless  # noqa: E402
from loadtest.dash_client import NOTES  # noqa: E402
from loadtest.tab import DashTab, option, run_due  # noqa: E402


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
        "--display-hz", type=float, default=tickless.DISPLAY_HZ, help="display rate rAF paints at"
    )


class TicklessTab(DashTab):
    """A Tickless tab on one strategy's page: its clock and view, and the sampled bridge.

    A subclass names its `strategy`; its page is that strategy's own (/strategy/<name>) and its one task runs
    whatever timer is due."""

    abstract = True
    strategy = ""
    tasks = [run_due]

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if cls.strategy:
            cls.path = f"/strategy/{cls.strategy}"

    def page_fetches(self, dash) -> list[tuple[str, str, int | None]]:
        """The dataset's binary on a first visit (a returning visitor's browser has it cached)."""
        return tickless.page_fetches(dash.values, dash.first_visit)

    def begin(self) -> None:
        """Publish the clock and view as the page's JS does, then start the bridge and the strategy's timers."""
        self.defaults = tickless.tab_defaults(self.dash.values)
        self.clock = tickless.clock(time.time() * 1000, pos=self.defaults["window"])
        self.dash.values[tickless.CLOCK] = self.clock
        self.seq = 0
        bridge_ms = option(self.environment, "bridge_ms", -1)
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
        interval = option(self.environment, "tick_ms", 0) or self.defaults["interval_ms"]
        hz = option(self.environment, "display_hz", tickless.DISPLAY_HZ)
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
        interval = option(self.environment, "tick_ms", 0) or d["interval_ms"]
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


class ClientsideIntervalUser(TicklessTab):
    """clientside-interval: page and data once; a clientside Interval draws; only bridge samples reach the server."""

    strategy = "clientside-interval"


class ComponentUser(TicklessTab):
    """component: page and data once; the LiveChart draws every frame in the browser; only bridge samples reach the server."""

    strategy = "component"


class ServerExtendUser(ServerTab):
    """server-extend: one tick per Interval period, each answered with extendData (new samples only)."""

    strategy = "server-extend"


class ServerPatchUser(ServerTab):
    """server-patch: one tick per Interval period, each answered with a Patch that appends and trims."""

    strategy = "server-patch"


class ServerFigureUser(ServerTab):
    """server-figure: one tick per Interval period, each answered with the whole figure."""

    strategy = "server-figure"


USERS = {
    cls.__name__: cls
    for cls in (
        ClientsideRafUser,
        ClientsideIntervalUser,
        ServerExtendUser,
        ServerPatchUser,
        ServerFigureUser,
        ComponentUser,
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
