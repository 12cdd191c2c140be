"""The bench-bridge probes (benchmarks/bridge_probe.py) replace the part they name, and only while installed."""

from __future__ import annotations

import json

import pytest

from app import bridge_analysis, create_app, ids, summary
from app.settings import Settings
from benchmarks import bench_bridge, bridge_probe
from loadtest import dash_protocol as dp

S = Settings(channels=2, rate=1000, seconds=10, window=500, seed=3)


@pytest.fixture(scope="module")
def bodies():
    client = bench_bridge.add_noop(create_app(S)).server.test_client()
    made = bench_bridge.Bodies(
        client.get("/").get_data(as_text=True),
        client.get("/_dash-layout").get_json(),
        client.get("/_dash-dependencies").get_json(),
    )
    return client, made


def rows(client, made, head):
    resp = client.post(made.url, data=made.bridge(head, head, 500), headers=dp.JSON_HEADERS)
    assert resp.status_code == 200
    return json.loads(json.loads(resp.data)["response"][ids.BRIDGE_RESULT][ids.BRIDGE_RESULT_ATTR])["rows"]


def test_no_stats_replaces_the_statistics_and_keeps_the_fft_lookup(bodies, monkeypatch):
    client, made = bodies
    real = rows(client, made, 4_000)
    looked = []
    monkeypatch.setattr(bridge_analysis, "dominant_at", lambda *a: looked.append(a[1:]) or (7.0, 8.0))
    undo = bridge_probe.install("no-stats")
    try:
        probed = rows(client, made, 4_100)
    finally:
        undo()
    assert [(r["min"], r["max"], r["mean"]) for r in probed] == [(0.0, 1.0, 0.5)] * 2
    assert [r["dominant_hz"] for r in probed] == [7.0, 8.0] and looked, "the shared FFT is still looked up"
    assert summary.window_stats.__module__ == "app.summary"
    again = rows(client, made, 4_200)  # a window not seen before: computed, not a cached reply
    assert again[0]["min"] < again[0]["max"] and (again[0]["min"], again[0]["max"]) != (0.0, 1.0), "put back"
    assert real[0]["min"] != 0.0


def test_reply_answers_every_call_with_the_first_reply_until_undone(bodies):
    client, made = bodies
    undo = bridge_probe.install("reply")
    try:
        first, second = rows(client, made, 5_000), rows(client, made, 6_000)
    finally:
        undo()
    assert first == second
    assert rows(client, made, 6_000) != first, "put back: each window analysed"


def test_the_probe_comes_from_the_environment_and_a_wrong_name_is_refused(monkeypatch):
    monkeypatch.setenv(bridge_probe.PROBE_ENV, "no-stats")
    undo = bridge_probe.from_env()
    assert summary.window_stats.__module__ == "benchmarks.bridge_probe"
    undo()
    assert summary.window_stats.__module__ == "app.summary"
    monkeypatch.delenv(bridge_probe.PROBE_ENV)
    bridge_probe.from_env()()  # nothing installed, nothing to put back
    with pytest.raises(ValueError, match="unknown bridge probe"):
        bridge_probe.install("everything")
