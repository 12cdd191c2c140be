"""The upload route (app/upload.py): a file's bytes in, the dataset store's value out (published under its content
hash, the same path as the server's own data), or one message; bounded cost, never a 500."""

from __future__ import annotations

import numpy as np
import pytest

from app import contract, create_app, upload
from app.settings import Settings

URL = contract.UPLOAD_PATH


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    import os

    os.environ["TICKLESS_DATA_SPOOL"] = str(tmp_path_factory.mktemp("spool"))
    app = create_app(Settings(channels=2, rate=1000, seconds=5))
    yield app.server.test_client()
    os.environ.pop("TICKLESS_DATA_SPOOL", None)


def csv_bytes(rows=3000) -> bytes:
    t = np.arange(rows) / 200
    lines = "".join(f"{a:.4f},{b:.5f},{c:.5f}\n" for a, b, c in zip(t, np.sin(t), np.cos(3 * t), strict=True))
    return ("time,left arm,right arm\n" + lines).encode()


def post(client, body: bytes, **params):
    return client.post(URL, query_string=params, data=body, content_type="application/octet-stream")


def test_a_good_file_comes_back_as_a_published_dataset(client):
    resp = post(client, csv_bytes(), name="arms.csv")
    assert resp.status_code == 200, resp.get_json()
    reply = resp.get_json()
    assert reply["names"] == ["left arm", "right arm"] and reply["rate"] == 200 and reply["length"] == 3000
    assert reply["describe"] == "arms.csv: 2 channels × 15 s at 200 Hz"
    assert reply["window"] == 1000 and reply["windowMax"] == 3000
    assert reply["ranges"][0] == pytest.approx([-1, 1], abs=1e-3)
    body = client.get(reply["url"]).data  # the page fetches it like the server's own dataset
    samples = np.frombuffer(body, dtype="<f4").reshape(2, 3000)
    assert samples[1, 100] == pytest.approx(np.cos(3 * 0.5), abs=1e-5)


def test_the_rate_field_overrides_and_is_checked(client):
    no_time = b"a,b\n" + b"1,2\n" * 500
    assert "no sample rate" in post(client, no_time, name="x.csv").get_json()["error"]
    assert post(client, no_time, name="x.csv", rate="250").get_json()["rate"] == 250
    bad = post(client, no_time, name="x.csv", rate="fast")
    assert bad.status_code == 400 and "rate 'fast' is not allowed" in bad.get_json()["error"]


def test_a_bad_file_gets_one_message_naming_the_place(client):
    lines = csv_bytes(50).split(b"\n")
    lines[11] = lines[11].rsplit(b",", 1)[0] + b",zero"
    resp = post(client, b"\n".join(lines), name="arms.csv")
    assert resp.status_code == 422
    assert resp.get_json()["error"] == "arms.csv: line 12, column 3 ('right arm'): 'zero' is not a number"
    wav = post(client, b"RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00", name="cut.wav")
    assert wav.status_code == 422 and "cut.wav: truncated" in wav.get_json()["error"]


def test_size_limits_before_reading(client, monkeypatch):
    monkeypatch.setattr(contract, "UPLOAD_MAX_BYTES", 1000)
    resp = client.post(URL, query_string={"name": "big.csv"}, data=b"x" * 1001)
    assert resp.status_code == 413 and "uploads are at most 1,000 bytes" in resp.get_json()["error"]
    empty = client.post(
        URL, query_string={"name": "e.csv"}, data=b"", environ_overrides={"CONTENT_LENGTH": "0"}
    )
    assert empty.status_code == 400 and "e.csv: the file is empty" in empty.get_json()["error"]


def test_sample_limit_after_parsing(client, monkeypatch):
    monkeypatch.setattr(contract, "UPLOAD_MAX_SAMPLES", 1000)
    resp = post(client, csv_bytes(600), name="arms.csv")
    assert (
        resp.status_code == 413 and "1,200 samples; an upload holds at most 1,000" in resp.get_json()["error"]
    )


def test_a_body_shorter_than_it_says(client):
    resp = client.post(
        URL, query_string={"name": "a.csv"}, data=b"a\n1\n", environ_overrides={"CONTENT_LENGTH": "500"}
    )
    assert resp.status_code == 400 and "cut short (4 of 500 bytes)" in resp.get_json()["error"]


def test_one_parse_at_a_time(client):
    assert upload._parsing.acquire(blocking=False)
    try:
        resp = post(client, csv_bytes(10), name="a.csv")
        assert resp.status_code == 503 and resp.headers["Retry-After"] == "2"
    finally:
        upload._parsing.release()
    assert post(client, csv_bytes(300), name="a.csv").status_code == 200


def test_other_methods_and_names(client):
    for method in (client.get, client.put, client.delete):
        resp = method(URL)
        assert resp.status_code == 405 and resp.headers["Allow"] == "POST"
    assert upload.clean_name("C:\\Users\\me\\rec.wav") == "rec.wav"
    assert upload.clean_name("../../etc/passwd\x00") == "passwd"
    assert upload.clean_name("") == "upload"


def test_callbacks_keep_their_64_kb_cap(client):
    resp = client.post(
        "/_dash-update-component", data=b"{" + b" " * 70_000 + b"}", content_type="application/json"
    )
    assert resp.status_code == 413
