"""The tab's dataset on the server (app/tabdata.py): the server strategies and the bridge read the upload the
page's store names by content hash; a store the server cannot use falls back to its own data and says why."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app import bridge, contract, dataroute, ids, tabdata
from app.settings import Settings
from app.strategies import common, server_extend, server_figure, server_patch

S = Settings(channels=3, rate=1000, seconds=5, seed=7)
VIEW = {"window": 200, "channels": [0, 1], "trace": "scatter"}


def clock(pos=1000):
    return {"pos": pos, "t": 0, "speed": 1, "playing": False}


@pytest.fixture
def upload():
    """An upload as the route publishes it: 2 channels x 4,000 samples at 250 Hz, and the page's store for it."""
    values = np.vstack([np.arange(4000) * 0.5, -np.arange(4000) * 1.0]).astype(np.float32)
    store = dataroute.store_payload(values, 250, ["left", "right"], source="arms.csv")
    return values, store


def test_no_store_or_the_servers_own_is_the_servers_data():
    mine = tabdata.own(S)
    assert tabdata.resolve(S, None) is mine and mine.note == ""
    assert mine.key == dataroute.digest(mine.values) and (mine.channels, mine.rate) == (3, 1000)
    page_store = dataroute.store_payload(mine.values, mine.rate, list(mine.names))
    assert tabdata.resolve(S, page_store) is mine


def test_an_upload_is_shaped_as_its_store_says(upload):
    values, store = upload
    data = tabdata.resolve(S, store)
    assert (data.key, data.rate, data.names, data.note) == (store["sha"], 250, ("left", "right"), "")
    assert np.array_equal(data.values, values) and not data.values.flags.writeable
    assert data.ranges == ((0.0, 1999.5), (-3999.0, 0.0))
    assert tabdata.resolve(S, dict(store)) is data, "kept by content hash, not found again per request"


@pytest.mark.parametrize(
    "change, why",
    [
        ({"sha": "f" * 64}, "does not hold the uploaded data ffffffffffff"),
        ({"sha": "../../etc/passwd"}, "is not a content hash"),
        ({"sha": 12}, "is not a content hash"),
        ({"length": 3999}, "holds 8,000 samples, not 2 x 3,999"),
        ({"names": ["one"]}, "holds 8,000 samples, not 1 x 4,000"),
        ({"names": ["x"] * 17}, "dataset 'names'"),
        ({"names": ["x" * 65, "y"]}, "dataset 'names[0]'"),
        ({"rate": 0}, "dataset 'rate'"),
        ({"length": "4000"}, "dataset 'length'"),
        ({"start": "yesterday"}, "dataset 'start'"),
    ],
)
def test_a_store_the_server_cannot_use_falls_back_and_says_why(upload, change, why):
    _, store = upload
    data = tabdata.resolve(S, {**store, **change})
    assert data.key == tabdata.own(S).key and why in data.note and "showing built-in signal" in data.note


def test_not_an_object_falls_back():
    assert "not an object" in tabdata.resolve(S, [1, 2]).note


def test_a_spooled_upload_is_found_by_a_worker_that_did_not_publish_it(upload, tmp_path):
    values, store = upload
    other = values + 1
    sha = dataroute.publish(other, spool=tmp_path)
    with dataroute._registry_lock:  # another worker: this one never published it
        del dataroute._entries[sha]
    flask = pytest.importorskip("flask")
    app = flask.Flask("t")
    app.config[dataroute.SPOOL_KEY] = str(tmp_path)
    with app.test_request_context():
        data = tabdata.resolve(S, {**store, "sha": sha})
    assert data.note == "" and np.array_equal(data.values, other)


def test_server_panels_draw_the_upload(upload):
    values, store = upload
    head = common.head_now(clock(1000), 250)  # the end (exclusive) of the samples due on the tab's clock
    fig = server_figure.tick(S, 1, VIEW, clock(1000), ids.panel("server-figure", "view"), store)
    assert [t["name"] for t in fig["data"]] == ["left", "right"]
    assert np.array_equal(fig["data"][0]["y"], values[0, head - 200 : head])
    assert fig["data"][0]["x"][0] == pytest.approx((head - 200) / 250), "x in seconds at the upload's rate"
    assert fig["layout"]["yaxis"]["range"] == common.y_range(tabdata.resolve(S, store), (0, 1))
    _, fig, cursor = server_extend.tick(
        S, 1, VIEW, None, clock(5000), ids.panel("server-extend", "view"), store
    )
    end = common.head_now(clock(5000), 250)
    assert np.array_equal(fig["data"][1]["y"], values[1, np.arange(end - 200, end) % 4000]), "it loops"
    assert cursor["sig"] != common.signature(common.read_view(VIEW, 3), tabdata.own(S))
    fig, _ = server_patch.tick(S, 1, VIEW, None, clock(1000), ids.panel("server-patch", "view"), None, store)
    assert np.array_equal(fig["data"][0]["y"], values[0, head - 200 : head])


def test_a_panel_says_when_it_cannot_draw_the_tabs_upload(upload):
    _, store = upload
    fig = server_figure.tick(
        S, 1, VIEW, clock(), ids.panel("server-figure", "view"), {**store, "sha": "0" * 64}
    )
    assert [t["name"] for t in fig["data"]] == ["ch1", "ch2"], "the server's own data, not a 500"
    (note,) = fig["layout"]["annotations"]
    assert "does not hold the uploaded data 000000000000" in note["text"]


def test_the_bridge_analyses_the_upload(upload):
    values, store = upload
    sample = {"v": contract.BRIDGE_VERSION, "seq": 1, "t": 1.7e12, "head": 1000, "window": 200}
    sample.update(channels=[0, 1], playing=True, speed=1, fps=50, clicks=[], events={})

    result, rejected, _ = bridge.receive(
        S, ["ch1", "ch2", "ch3"], ids.BRIDGE_SAMPLE, json.dumps(sample), None, None, None, store
    )
    rows = {r["name"]: r for r in result["rows"]}
    assert set(rows) == {"left", "right"}
    assert rows["left"]["max"] == pytest.approx(float(values[0, 999])) and rows["left"]["n"] == 200
    assert result["head"] == pytest.approx(1000 / 250)
    forged, _, _ = bridge.receive(
        S, [], ids.BRIDGE_SAMPLE, json.dumps(sample), None, None, None, {**store, "sha": "1" * 64}
    )
    assert any("does not hold the uploaded data" in n for n in forged["notes"])
    assert {r["name"] for r in forged["rows"]} == {"ch1", "ch2"}


def test_data_with_timestamps_gets_a_date_axis_on_the_server_panels(upload):
    values, store = upload
    start = 1714557600.0  # 2024-05-01T10:00:00Z
    dated = {**store, "start": start}
    head = common.head_now(clock(1000), 250)
    fig = server_figure.tick(S, 1, VIEW, clock(1000), ids.panel("server-figure", "view"), dated)
    assert (
        fig["layout"]["xaxis"]["type"] == "date" and fig["layout"]["xaxis"]["title"]["text"] == "time (UTC)"
    )
    assert fig["data"][0]["x"][0] == start * 1000 + (head - 200) * 4, "epoch ms, 4 ms a sample at 250 Hz"
    fig, cursor = server_patch.tick(
        S, 1, VIEW, None, clock(1000), ids.panel("server-patch", "view"), None, dated
    )
    assert fig["layout"]["xaxis"]["range"] == [start * 1000 + (head - 200) * 4, start * 1000 + (head - 1) * 4]
    later = {**clock(1100), "playing": True, "t": 1e12}  # playing, anchored long ago: one window due
    patch, _ = server_patch.tick(S, 2, VIEW, cursor, later, ids.panel("server-patch", "request"), None, dated)
    ops = patch.to_plotly_json()["operations"]
    new_x = next(op for op in ops if op["location"] == ["data", 0, "x"])["params"]["value"]
    assert all(x > start * 1000 and (x - start * 1000) % 4 == 0 for x in new_x), "epoch ms of whole samples"
    _, fig, _ = server_extend.tick(S, 1, VIEW, None, clock(1000), ids.panel("server-extend", "view"), store)
    assert fig["layout"]["xaxis"]["type"] == "linear", "no timestamps: seconds"
