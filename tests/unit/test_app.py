"""Unit tests of the app factory: the layout ships the dataset once, compressed, with no server callbacks."""

from __future__ import annotations

import json

import pytest

from app import create_app, data, ids
from app.settings import Settings
from tests.conftest import ROOT

SMALL = Settings(channels=2, rate=1000, seconds=5, window=500)


@pytest.fixture(scope="module")
def client():
    return create_app(SMALL).server.test_client()


def _find(node, component_id):
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        children = node.get("props", {}).get("children")
        for child in children if isinstance(children, list) else [children]:
            found = _find(child, component_id)
            if found:
                return found
    return None


def test_layout_ships_the_dataset_once_as_base64url(client):
    layout = client.get("/_dash-layout").get_json()
    store = _find(layout, ids.DATA_STORE)
    payload = store["props"]["data"]
    assert payload == data.payload(2, 1000, 5, SMALL.seed)
    assert store["props"]["storage_type"] == "memory"
    text = json.dumps(layout)
    assert text.count(payload["channels"][0]) == 1
    assert "\\u002f" not in text.lower(), "base64url needs no escaping on the wire"


def test_only_server_strategies_and_the_bridge_have_server_callbacks(client):
    deps = client.get("/_dash-dependencies").get_json()
    server = [d for d in deps if not d.get("clientside_function")]
    assert sorted(d["inputs"][0]["id"] for d in server) == [
        "bridge-sample",
        "server-extend-tick",
        "server-figure-tick",
        "server-patch-tick",
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


def test_two_apps_in_one_process_do_not_share_callbacks():
    a, b = create_app(SMALL), create_app(SMALL)
    assert len(a.callback_map) == len(b.callback_map) > 10
    assert a.callback_map.keys() == b.callback_map.keys()


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
