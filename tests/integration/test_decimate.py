"""Browser test of the decimated (min/max envelope) render path: ids test_dec0xx."""

from __future__ import annotations

import math

import numpy as np

from app import create_app, data, ids
from tests.integration.helpers import js, snapshot, start, stream_idle, wait_until

from .test_live import SETTINGS

G = ids.panel("clientside-raf", "graph")
NS = "window.dash_clientside.tickless"


def test_dec001_envelope_shows_the_same_min_and_max_as_the_data(dash_duo):
    start(dash_duo, create_app(SETTINGS))
    dash_duo.driver.get(dash_duo.server_url + "/?window=20000&decimate=on&bridge=0")
    drawn_as_envelope = lambda: (  # noqa: E731 (the view is decimated from configure on; wait for its figure)
        ((snapshot(dash_duo, G) or {}).get("decimated") or {}).get("bucket", 0) > 1
        and snapshot(dash_duo, G)["points"] > 0
    )
    wait_until(drawn_as_envelope, 20, "decimated and drawn")
    columns = js(dash_duo, f"{NS}.decimated.columns({NS}.stream.findGraphDiv('{G}'))")
    bucket = snapshot(dash_duo, G)["decimated"]["bucket"]
    assert 20000 / bucket <= columns, "no more buckets than pixel columns"
    x1 = js(dash_duo, f"{NS}.stream.findGraphDiv('{G}')._fullLayout.xaxis.range[1]")
    wait_until(
        lambda: js(dash_duo, f"{NS}.stream.findGraphDiv('{G}')._fullLayout.xaxis.range[1]") > x1 + 0.3, 10
    )
    dash_duo.find_element(f"#{ids.PLAY}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Play")
    wait_until(lambda: stream_idle(dash_duo, G), 10, "the last envelope drawn")
    snap = snapshot(dash_duo, G)
    head = snap["sentEnd"]
    drawn = js(dash_duo, f"{NS}.stream.findGraphDiv('{G}').data.map(t => [Array.from(t.x), Array.from(t.y)])")
    values = data.dataset(SETTINGS.channels, SETTINGS.rate, SETTINGS.seconds, SETTINGS.seed)
    start_sample = (head - 20000) // bucket * bucket  # the leftmost bucket may start before the window
    for ch, (xs, ys) in enumerate(drawn):
        assert len(ys) <= 2 * (20000 // bucket + 2), "about two points per pixel column"
        window = values[ch][np.arange(start_sample, head) % SETTINGS.length]
        assert min(ys) == float(window.min()) and max(ys) == float(window.max())
        assert xs == sorted(xs), "points in time order"
        assert round(xs[-1] * SETTINGS.rate) < head
    assert snap["points"] < 3 * 2 * (20000 // bucket + 2)
    assert dash_duo.get_logs() == []


def test_dec002_envelope_follows_the_graph_width(dash_duo):
    # one bucket per pixel column at the width the graph has now: after a narrower and a wider window, the
    # envelope is rebuilt for the plot's new width (the graph is responsive) and still shows the data's extremes
    start(dash_duo, create_app(SETTINGS))
    driver = dash_duo.driver
    driver.set_window_size(1400, 900)
    driver.get(dash_duo.server_url + "/?window=20000&decimate=auto&bridge=0")
    columns = lambda: js(dash_duo, f"{NS}.decimated.columns({NS}.stream.findGraphDiv('{G}'))")  # noqa: E731

    def fits() -> bool:
        snap = snapshot(dash_duo, G) or {}
        bucket = (snap.get("decimated") or {}).get("bucket", 0)
        cols = columns()
        if bucket != math.ceil(20000 / cols):
            return False
        # about two points per bucket in every trace on screen (a min and a max)
        lengths = js(dash_duo, f"{NS}.stream.findGraphDiv('{G}').data.map(t => t.y.length)")
        return all(20000 // bucket <= n <= 2 * (20000 // bucket + 2) for n in lengths)

    wait_until(fits, 20, "decimated for the first width")
    first = columns()
    for width in (800, 1600):
        driver.set_window_size(width, 900)
        wait_until(
            lambda was=first: abs(columns() - was) > 100, 10, f"the graph resized with a {width} px window"
        )
        wait_until(fits, 10, f"the envelope rebuilt for {columns()} columns")
        first = columns()
    dash_duo.find_element(f"#{ids.PLAY}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Play")
    wait_until(lambda: stream_idle(dash_duo, G), 10, "the last envelope drawn")
    snap = snapshot(dash_duo, G)
    head, bucket = snap["sentEnd"], snap["decimated"]["bucket"]
    drawn = js(dash_duo, f"{NS}.stream.findGraphDiv('{G}').data.map(t => Array.from(t.y))")
    values = data.dataset(SETTINGS.channels, SETTINGS.rate, SETTINGS.seconds, SETTINGS.seed)
    start_sample = (head - 20000) // bucket * bucket
    for ch, ys in enumerate(drawn):
        window = values[ch][np.arange(start_sample, head) % SETTINGS.length]
        assert min(ys) == float(window.min()) and max(ys) == float(window.max())
    assert dash_duo.get_logs() == []
