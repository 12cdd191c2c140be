"""Browser tests of the live chart (clientside-raf) in headless Chromium: ids test_live0xx."""

from __future__ import annotations

import pytest

from app import create_app, data, ids
from app.settings import Settings
from tests.integration.helpers import (
    js,
    page_update_requests,
    snapshot,
    start,
    trace_columns,
    wait_frames,
    wait_until,
)

SETTINGS = Settings(channels=3, rate=1000, seconds=30, window=500, seed=11)
G = ids.LIVE_GRAPH


@pytest.fixture
def live(dash_duo):
    """The app on a small dataset, opened in Chromium, with the first figure drawn."""
    counter = start(dash_duo, create_app(SETTINGS))
    wait_until(lambda: (snapshot(dash_duo, G) or {}).get("points", 0) > 0, 15, "first figure")
    return counter


def test_live000_smoke(dash_duo, live):
    dash_duo.driver.save_screenshot("/tmp/live.png")
    print(js(dash_duo, "document.getElementById('live-speed').outerHTML"))
    print(snapshot(dash_duo, G))
    print(trace_columns(dash_duo, G))
    wait_frames(dash_duo, 60)
    print(snapshot(dash_duo, G))
    print(dash_duo.get_logs())
