"""Unit tests of the app factory: the layout ships the dataset once, compressed, with no server callbacks."""

from __future__ import annotations

import json

import pytest

from app import create_app, data, ids
from app.settings import Settings

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


def test_every_callback_is_clientside(client):
    deps = client.get("/_dash-dependencies").get_json()
    assert deps, "the live page has callbacks"
    assert all(d.get("clientside_function") for d in deps)
    assert {d["clientside_function"]["namespace"] for d in deps} == {"tickless"}


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_layout_is_compressed(client, encoding):
    resp = client.get("/_dash-layout", headers={"Accept-Encoding": encoding})
    assert resp.headers["Content-Encoding"] == encoding
    plain = client.get("/_dash-layout")
    assert int(resp.headers["Content-Length"]) < 0.8 * len(plain.data)


def test_assets_are_served_in_order(client):
    html = client.get("/").get_data(as_text=True)
    names = [
        "00_namespace.js",
        "10_codec.js",
        "20_clock.js",
        "30_frames.js",
        "40_metrics.js",
        "50_stream.js",
        "60_live.js",
    ]
    positions = [html.index(f"assets/js/{n}") for n in names]
    assert positions == sorted(positions)


def test_two_apps_in_one_process_do_not_share_callbacks():
    a, b = create_app(SMALL), create_app(SMALL)
    assert len(a.callback_map) == len(b.callback_map) == 2
