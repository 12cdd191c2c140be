"""A browser tab of any Dash app as a locust user: loads the page once, then runs its timers.

The base of the Tickless tabs (loadtest/locustfile.py) and of the tab of any other Dash app
(loadtest/any_dash.py). A tab waits for each reply before its next call (a closed model).
"""

from __future__ import annotations

import sys
from pathlib import Path

from locust import FastHttpUser, events

if __package__ in (None, ""):  # locust loads files by path: make the `loadtest` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loadtest.dash_client import DashClient, Schedule  # noqa: E402


@events.init_command_line_parser.add_listener
def _options(parser) -> None:
    """Options every tab reads (locust passes them to workers too)."""
    group = parser.add_argument_group("Dash tabs")
    group.add_argument(
        "--page-load",
        choices=("returning", "first"),
        default="returning",
        help="returning: page, layout, dependencies (static files cached); first: also every file the page links",
    )


def option(environment, name: str, default):
    return getattr(environment.parsed_options, name, default) if environment.parsed_options else default


class DashTab(FastHttpUser):
    """A browser tab: loads the page once, then runs its timers (subclasses say which)."""

    abstract = True
    network_timeout = 30.0
    connection_timeout = 10.0
    path = "/"

    def on_start(self) -> None:
        """Load the page like the renderer, then set up this tab's timers."""
        first = option(self.environment, "page_load", "returning") == "first"
        self.dash = DashClient(self.client, self.environment.events.request.fire, first_visit=first)
        self.schedule = Schedule()
        if self.dash.load_page(self.path, self.page_fetches):
            self.begin()

    def page_fetches(self, dash: DashClient) -> list[tuple[str, str, int | None]]:
        """What the page's own JS GETs before it is usable, as (url, name, decoded bytes); none by default."""
        return []

    def begin(self) -> None:
        """Set up the timers of this kind of tab."""
        raise NotImplementedError

    def wait_time(self) -> float:
        """Sleep until this tab's next timer is due."""
        return self.schedule.wait()


def run_due(user: DashTab) -> None:
    """The only task: run whichever of the tab's timers is due."""
    user.schedule.run_due()
