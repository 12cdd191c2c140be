"""The dataset as a cacheable binary (app/dataroute.py): the layout names it, the route serves it, forged
requests get a clear 404/405 and never a 500."""

from __future__ import annotations

import gzip
import hashlib
import json
import time

import brotli
import numpy as np
import pytest

from app import create_app, data, dataroute, ids
from app.settings import Settings
from tests.conftest import find_component

SMALL = Settings(channels=3, rate=1000, seconds=20, window=500, seed=4)


@pytest.fixture(scope="module")
def client():
    return create_app(SMALL).server.test_client()


@pytest.fixture(scope="module")
def store(client) -> dict:
    return find_component(client.get("/_dash-layout").get_json(), ids.DATA_STORE)["props"]["data"]


def values() -> np.ndarray:
    return data.dataset(SMALL.channels, SMALL.rate, SMALL.seconds, SMALL.seed)


def test_the_layout_names_the_data_by_its_hash_and_carries_no_samples(client, store):
    raw = np.ascontiguousarray(values(), dtype="<f4").tobytes()
    sha = hashlib.sha256(raw).hexdigest()
    assert store["version"] == 2 and store["encoding"] == "float32le"
    assert store["sha"] == sha and store["url"] == f"/tickless/data/{sha}.f32"
    assert (store["bytes"], store["length"], store["rate"]) == (len(raw), values().shape[1], SMALL.rate)
    assert store["names"] == data.channel_names(SMALL.channels)
    layout = client.get("/_dash-layout").get_data()
    assert len(layout) < 100_000, "the layout carries the URL and the shape, not 240 kB of samples"


def test_the_body_is_the_raw_little_endian_float32_samples_with_immutable_caching(client, store):
    resp = client.get(store["url"])
    assert resp.status_code == 200 and resp.mimetype == "application/octet-stream"
    got = np.frombuffer(resp.data, dtype="<f4").reshape(SMALL.channels, -1)
    assert np.array_equal(got, values())
    assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert resp.headers["ETag"] == f'"{store["sha"]}"'
    assert int(resp.headers["Content-Length"]) == store["bytes"] and "Content-Encoding" not in resp.headers
    assert resp.headers["Vary"] == "Accept-Encoding"


@pytest.mark.parametrize(("offered", "coding"), [("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br", "br")])
def test_compressed_on_the_wire_when_the_browser_accepts_it(client, store, offered, coding):
    resp = client.get(store["url"], headers={"Accept-Encoding": offered})
    assert resp.headers["Content-Encoding"] == coding
    body = brotli.decompress(resp.data) if coding == "br" else gzip.decompress(resp.data)
    assert body == np.ascontiguousarray(values(), dtype="<f4").tobytes()
    assert len(resp.data) <= dataroute.MIN_SAVING * store["bytes"]
    assert resp.headers["ETag"].startswith(f'"{store["sha"]}')


def test_a_coding_refused_with_q0_is_not_used(client, store):
    resp = client.get(store["url"], headers={"Accept-Encoding": "br;q=0, gzip;q=0"})
    assert "Content-Encoding" not in resp.headers and len(resp.data) == store["bytes"]


@pytest.mark.parametrize(
    "tag",
    ['"{sha}"', 'W/"{sha}"', '"{sha}-br"', '"other", "{sha}-gzip"', "*"],
)
def test_revalidation_with_a_matching_etag_gets_304_and_no_body(client, store, tag):
    resp = client.get(store["url"], headers={"If-None-Match": tag.format(sha=store["sha"])})
    assert resp.status_code == 304 and resp.data == b""
    assert resp.headers["ETag"] == f'"{store["sha"]}"'
    assert resp.headers["Cache-Control"].endswith("immutable")


def test_a_stale_etag_gets_the_body(client, store):
    resp = client.get(store["url"], headers={"If-None-Match": '"' + "0" * 64 + '"'})
    assert resp.status_code == 200 and len(resp.data) == store["bytes"]


def test_a_range_request_gets_the_whole_body_and_says_ranges_are_not_served(client, store):
    resp = client.get(store["url"], headers={"Range": "bytes=0-99"})
    assert resp.status_code == 200 and len(resp.data) == store["bytes"]
    assert resp.headers["Accept-Ranges"] == "none"


@pytest.mark.parametrize(
    "name",
    [
        "0" * 64 + ".f32",  # well formed, but not this server's data
        "abc.f32",
        "A" * 64 + ".f32",  # upper-case hex is not how the hash is written
        "{sha}.bin",
        "{sha}.f32/extra",
        "{sha}",
        "../../etc/passwd",
        "%00" * 10,
        "é" * 64 + ".f32",
        "x" * 4000,
    ],
)
def test_bad_or_unknown_names_get_404_with_a_reason(client, store, name):
    resp = client.get("/tickless/data/" + name.format(sha=store["sha"]))
    assert resp.status_code == 404 and resp.mimetype == "text/plain"
    text = resp.get_data(as_text=True)
    assert "dataset" in text.lower() and len(text) < 300
    assert resp.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_other_methods_get_405(client, store, method):
    resp = client.open(store["url"], method=method, data=b"x" * 1000)
    assert resp.status_code == 405 and "GET" in resp.headers["Allow"]


def test_head_gets_the_headers_only(client, store):
    resp = client.head(store["url"])
    assert resp.status_code == 200 and resp.data == b""
    assert int(resp.headers["Content-Length"]) == store["bytes"]


def test_bad_requests_cost_little(client, store):
    client.get("/tickless/data/" + "0" * 64 + ".f32")
    start = time.process_time()
    for i in range(200):
        client.get(f"/tickless/data/{i:064x}.f32")
        client.get(store["url"], headers={"If-None-Match": f'"{store["sha"]}"', "Range": "bytes=0-"})
    assert (time.process_time() - start) / 400 < 0.01, "a 404 or a 304 costs well under 10 ms"


def test_publish_is_idempotent_bounded_and_keeps_pinned_data():
    pinned = dataroute.publish(np.arange(8, dtype=np.float32).reshape(2, 4), pin=True)
    shas = [
        dataroute.publish(np.full((1, 5), i, dtype=np.float32)) for i in range(dataroute.MAX_DATASETS + 3)
    ]
    last = dataroute.MAX_DATASETS + 2
    assert dataroute.publish(np.full((1, 5), last, dtype=np.float32)) == shas[-1], "same bytes, same hash"
    assert dataroute.lookup(pinned) is not None, "an app's own data is never dropped"
    assert dataroute.lookup(shas[-1]) is not None
    assert dataroute.lookup(shas[1]) is None, "the least recently published goes first"
    with pytest.raises(dataroute.DataRouteError):
        dataroute.as_float32(np.zeros(5))
    with pytest.raises(dataroute.DataRouteError):
        dataroute.as_float32(np.zeros((2, 0)))


def test_a_worker_serves_data_another_worker_spooled_and_never_an_altered_file(tmp_path):
    array = np.random.default_rng(1).normal(size=(2, 300)).astype(np.float32)
    sha = dataroute.publish(array, spool=tmp_path)
    assert (tmp_path / f"{sha}.f32").read_bytes() == array.tobytes()
    with dataroute._registry_lock:
        del dataroute._entries[sha]  # as another worker sees it: not in its memory
    entry = dataroute.lookup(sha, tmp_path)
    assert entry is not None and bytes(entry.raw) == array.tobytes()
    with dataroute._registry_lock:
        del dataroute._entries[sha]
    (tmp_path / f"{sha}.f32").write_bytes(array.tobytes()[:-4] + b"\x00\x00\x80\x7f")
    assert dataroute.lookup(sha, tmp_path) is None, "bytes that do not hash to the name are not served"


def test_store_for_takes_a_dataset_object():
    class Data:
        values = np.ones((2, 10), dtype=np.float32)
        rate = 50
        names = ("a", "b")
        start = 1.7e9
        source = "x.csv"

    payload = dataroute.store_for(Data(), "/app/")
    assert payload["url"].startswith("/app/tickless/data/") and payload["bytes"] == 80
    assert (payload["start"], payload["source"], payload["names"]) == (1.7e9, "x.csv", ["a", "b"])
    assert json.loads(json.dumps(payload)) == payload


def test_versioned_assets_are_cached_for_good_and_others_are_not(client):
    page = client.get("/").get_data(as_text=True)
    asset = page.split('src="/assets/js/')[1].split('"')[0]
    assert "?m=" in asset
    resp = client.get("/assets/js/" + asset.replace("&amp;", "&"))
    assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    plain = client.get("/assets/js/" + asset.split("?")[0])
    assert "immutable" not in plain.headers.get("Cache-Control", ""), "no version in the URL: not for good"
    assert "immutable" not in client.get("/_dash-layout").headers.get("Cache-Control", "")
