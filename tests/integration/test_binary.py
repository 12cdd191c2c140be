"""The dataset as a cacheable binary, in headless Chromium: ids test_bin0xx.

The page fetches the samples from their content-hashed URL (app/dataroute.py, assets/js/12_datafetch.js), draws
them, and a reload reads them from the browser's HTTP cache: bytes counted by the page's own resource timing
entries, requests by the server.
"""

from __future__ import annotations

import threading

import numpy as np
from flask import request

from app import create_app, data, ids
from app.settings import Settings
from tests.integration.helpers import js, snapshot, start, wait_until

SETTINGS = Settings(channels=3, rate=1000, seconds=60, window=500, seed=12)  # 720 kB of float32
RAW = SETTINGS.channels * SETTINGS.length * 4
G = ids.panel("clientside-raf", "graph")
RESOURCES = """return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
    .map(e => ({name: e.name, transfer: e.transferSize, decoded: e.decodedBodySize}));"""


def _serve(dash_duo):
    """The app with a server-side count of dataset GETs, opened in Chromium; returns (counter, store value)."""
    app = create_app(SETTINGS)
    gets = {"n": 0}
    lock = threading.Lock()

    def count():
        if request.path.startswith("/tickless/data/"):
            with lock:
                gets["n"] += 1

    app.server.before_request_funcs.setdefault(None, []).insert(0, count)
    start(dash_duo, app)
    return gets


def _drawn(dash_duo) -> None:
    wait_until(lambda: (snapshot(dash_duo, G) or {}).get("points", 0) > 0, 30, "the chart draws")


def _entries(dash_duo) -> list[dict]:
    return dash_duo.driver.execute_script(RESOURCES)


def _data_entry(entries: list[dict]) -> dict:
    (entry,) = [e for e in entries if "/tickless/data/" in e["name"]]
    return entry


def test_bin001_the_page_draws_from_the_binary_and_a_reload_reads_it_from_the_cache(dash_duo):
    gets = _serve(dash_duo)
    _drawn(dash_duo)
    server = data.dataset(SETTINGS.channels, SETTINGS.rate, SETTINGS.seconds, SETTINGS.seed)
    rng = np.random.default_rng(1)
    for ch in range(SETTINGS.channels):
        for i in [0, SETTINGS.length - 1, *rng.integers(0, SETTINGS.length, 10)]:
            got = js(dash_duo, f"window.dash_clientside.tickless.stream.sample({ch}, {int(i)})")
            assert got == float(server[ch, i]), (ch, int(i))
    first = _entries(dash_duo)
    entry = _data_entry(first)
    assert entry["decoded"] == RAW, "the raw float32 samples, nothing else"
    assert 0 < entry["transfer"] <= 1.05 * RAW, entry
    layout = [e for e in first if e["name"].endswith("/_dash-layout")]
    assert layout and layout[0]["transfer"] < 100_000, "the layout carries the URL, not the samples"
    assert gets["n"] == 1

    dash_duo.driver.refresh()
    _drawn(dash_duo)
    again = _entries(dash_duo)
    entry = _data_entry(again)
    assert entry["transfer"] == 0 and entry["decoded"] == RAW, f"read from the HTTP cache: {entry}"
    assert gets["n"] == 1, "a returning visit does not ask the server for the data"
    total = sum(e["transfer"] for e in again)
    assert total <= 100_000, (
        f"a returning visit transfers {total:,} bytes: {sorted(again, key=lambda e: -e['transfer'])[:5]}"
    )
    assert js(dash_duo, "window.dash_clientside.tickless.stream.sample(1, 123)") == float(server[1, 123])
    assert dash_duo.get_logs() == []


def test_bin002_data_the_server_does_not_hold_gets_a_message_not_a_blank_chart(dash_duo):
    _serve(dash_duo)
    _drawn(dash_duo)
    # the store now names data this server does not hold (as after a server restart with other data)
    dash_duo.driver.execute_script(
        f"""window.dash_clientside.set_props('{ids.DATA_STORE}', {{data: {{version: 2, encoding: 'float32le',
          url: '/tickless/data/{"0" * 64}.f32', sha: '{"0" * 64}', bytes: 12, rate: 1000, length: 1,
          names: ['a', 'b', 'c']}}}});"""
    )
    wait_until(
        lambda: "reload the page" in dash_duo.find_element(f"#{ids.CONTROL_MESSAGE}").text,
        20,
        "the message says the data is gone",
    )
    before = snapshot(dash_duo, G)["position"]
    wait_until(lambda: snapshot(dash_duo, G)["position"] > before, 10, "the chart keeps playing what it has")
    logs = dash_duo.get_logs()
    assert all("404" in e["message"] for e in logs), logs  # the browser's own line for the refused GET
