"""Unit tests of the app factory: the layout ships the dataset once, compressed, with no server callbacks."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from app import create_app, data, ids
from app.settings import Settings
from tests.conftest import ROOT, find_component

SMALL = Settings(channels=2, rate=1000, seconds=5, window=500)


@pytest.fixture(scope="module")
def client():
    return create_app(SMALL).server.test_client()


def test_layout_names_the_dataset_by_its_hash_instead_of_carrying_it(client):
    layout = client.get("/_dash-layout").get_json()
    store = find_component(layout, ids.DATA_STORE)
    payload = store["props"]["data"]
    values = data.dataset(2, 1000, 5, SMALL.seed)
    assert payload["version"] == 2 and payload["url"].endswith(f"/{payload['sha']}.f32")
    assert (payload["rate"], payload["length"], payload["bytes"]) == (1000, values.shape[1], values.nbytes)
    assert store["props"]["storage_type"] == "memory"
    body = client.get(payload["url"]).data  # the samples: app/dataroute.py, tests/unit/test_dataroute.py
    assert np.array_equal(np.frombuffer(body, dtype="<f4").reshape(values.shape), values)
    assert "channels" not in payload and len(json.dumps(payload)) < 1000, "the layout carries no samples"


def test_only_server_strategies_and_the_bridge_have_server_callbacks(client):
    deps = client.get("/_dash-dependencies").get_json()
    server = [d for d in deps if not d.get("clientside_function")]
    assert sorted(d["inputs"][0]["id"] for d in server) == [
        "bridge-sample",
        "server-extend-request",  # written by the tick gate (clientside) on the panel's Interval tick
        "server-figure-request",
        "server-patch-request",
    ]
    clientside = [d for d in deps if d.get("clientside_function")]
    assert {d["clientside_function"]["namespace"] for d in clientside} == {"tickless"}


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_layout_is_compressed(client, encoding):
    resp = client.get("/_dash-layout", headers={"Accept-Encoding": encoding})
    assert resp.headers["Content-Encoding"] == encoding
    plain = client.get("/_dash-layout")
    assert int(resp.headers["Content-Length"]) < 0.8 * len(plain.data)


def test_assets_are_served_in_order(client):
    html = client.get("/").get_data(as_text=True)
    names = sorted(p.name for p in (ROOT / "assets" / "js").glob("*.js"))
    assert len(names) >= 8
    positions = [html.index(f"assets/js/{n}") for n in names]
    assert positions == sorted(positions)


def _figure_tick(client, view: dict, clock: dict):
    """POST the body the renderer sends when server-figure's view changes (read from /_dash-dependencies)."""
    graph, request, view_id = (ids.panel("server-figure", part) for part in ("graph", "request", "view"))
    (dep,) = [d for d in client.get("/_dash-dependencies").get_json() if d["output"] == f"{graph}.figure"]
    values = {f"{request}.data": 3, f"{view_id}.data": view, f"{ids.CLOCK_STORE}.data": clock}
    values[f"{ids.DATA_STORE}.data"] = None  # the page's dataset store: None is the server's own data
    body = {
        "output": dep["output"],
        "outputs": {"id": graph, "property": "figure"},
        "inputs": [{**p, "value": values[f"{p['id']}.{p['property']}"]} for p in dep["inputs"]],
        "changedPropIds": [f"{view_id}.data"],
        "parsedChangedPropsIds": [f"{view_id}.data"],
        "state": [{**p, "value": values[f"{p['id']}.{p['property']}"]} for p in dep["state"]],
    }
    return client.post("/_dash-update-component", json=body)


def _column(value) -> np.ndarray:
    """A figure column as the JSON encoder wrote it: a list, or a typed-array spec {dtype, bdata}."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value)


def test_two_apps_in_one_process_do_not_share_callbacks():
    """Each app's callbacks answer with that app's settings, whichever app was built or asked first."""
    first = Settings(channels=2, rate=1000, seconds=5, window=500, seed=1)
    second = Settings(channels=3, rate=500, seconds=5, window=500, seed=2)
    apps = {first: create_app(first), second: create_app(second)}
    assert len(apps[first].callback_map) == len(apps[second].callback_map) > 10
    clock = {"pos": 1200, "t": 0, "speed": 1, "playing": False}  # paused: the playhead is exact
    view = {"seq": 1, "window": 500, "channels": [0, 1], "trace": "scatter"}
    for settings in [second, first, second]:  # interleaved: no first-come state
        resp = _figure_tick(apps[settings].server.test_client(), view, clock)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        traces = resp.get_json()["response"][ids.panel("server-figure", "graph")]["figure"]["data"]
        idx = np.arange(1201 - 500, 1201)
        values = data.dataset(settings.channels, settings.rate, settings.seconds, settings.seed)
        for channel, trace in zip(view["channels"], traces, strict=True):
            assert _column(trace["x"]).tolist() == pytest.approx((idx / settings.rate).tolist())
            expected = values[channel][idx % settings.length]  # float32, written as its shortest repr
            assert np.array_equal(_column(trace["y"]).astype(expected.dtype), expected)
    # a third channel exists only in the second app: the first rejects that view (no update), the second draws it
    three = {**view, "channels": [0, 1, 2]}
    assert _figure_tick(apps[first].server.test_client(), three, clock).status_code == 204
    resp = _figure_tick(apps[second].server.test_client(), three, clock)
    traces = resp.get_json()["response"][ids.panel("server-figure", "graph")]["figure"]["data"]
    assert [t["name"] for t in traces] == data.channel_names(3)


def test_the_layout_is_compressed_once_per_encoding_and_callbacks_never_reuse_it(monkeypatch):
    import flask_compress.flask_compress as fc

    calls = []
    real = fc._compress_data
    monkeypatch.setattr(fc, "_compress_data", lambda *a: calls.append(a[2]) or real(*a))
    client = create_app(SMALL).server.test_client()
    first = client.get("/_dash-layout", headers={"Accept-Encoding": "br"})
    again = [client.get("/_dash-layout", headers={"Accept-Encoding": "br"}) for _ in range(3)]
    assert calls == ["br"] and all(r.data == first.data for r in again)
    gz = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and calls == ["br", "gzip"]
    plain = client.get("/_dash-layout").get_json()
    assert json.loads(__import__("brotli").decompress(first.data)) == plain
    # any other compressed response is made afresh each time
    for _ in range(2):
        assert client.get("/", headers={"Accept-Encoding": "br"}).headers["Content-Encoding"] == "br"
    assert calls == ["br", "gzip", "br", "br"]


def test_replies_under_one_packet_go_out_uncompressed_larger_ones_compressed():
    from flask import Flask

    from app import compress

    server = Flask(__name__)
    compress.setup(server)

    @server.route("/sized/<int:n>")
    def sized(n):
        return "x" * n

    client = server.test_client()
    small = client.get(f"/sized/{compress.MIN_SIZE - 1}", headers={"Accept-Encoding": "br"})
    large = client.get(f"/sized/{compress.MIN_SIZE}", headers={"Accept-Encoding": "br"})
    assert "Content-Encoding" not in small.headers and len(small.data) == compress.MIN_SIZE - 1
    assert large.headers["Content-Encoding"] == "br" and len(large.data) < 100
    assert 1000 <= compress.MIN_SIZE <= 1460, "at most one TCP segment's payload"
