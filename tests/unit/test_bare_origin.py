"""The bare ceiling pages' origin: a blank page and registered datasets, nothing else (benchmarks/bare_origin.py)."""

from __future__ import annotations

import urllib.error
import urllib.request

import numpy as np
import pytest

from app import contract
from benchmarks.bare_origin import BareOrigin
from benchmarks.bench_ceiling import data_source


def _get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as res:
            return res.status, res.read(), res.headers.get("Content-Type", "")
    except urllib.error.HTTPError as err:
        return err.code, b"", ""


def test_serves_the_blank_page_and_registered_datasets_channel_after_channel():
    array = np.arange(12, dtype=np.float32).reshape(3, 4) * 0.5
    with BareOrigin() as origin:
        assert origin.url.startswith("http://127.0.0.1:") and origin.url.endswith("/")
        status, body, kind = _get(origin.url)
        assert status == 200 and kind.startswith("text/html") and b"<body></body>" in body
        url = origin.add("bench", array)
        assert url == origin.url + "data/bench.f32"
        status, body, kind = _get(url)
        assert status == 200 and kind == "application/octet-stream"
        got = np.frombuffer(body, dtype="<f4")
        assert got.tolist() == array.ravel().tolist()  # channel 0's samples, then channel 1's, ...


def test_anything_not_registered_is_a_404():
    with BareOrigin() as origin:
        origin.add("bench", np.zeros((1, 2), dtype=np.float32))
        for path in ("data/other.f32", "data/bench.f64", "data/bench.f32/x", "data/../data/bench.f32?x", "x"):
            assert _get(origin.url + path)[0] == 404, path


@pytest.mark.parametrize("name", ["", "Bench", "../x", "a/b", "x" * 65])
def test_a_bad_dataset_name_is_refused(name):
    with BareOrigin() as origin, pytest.raises(ValueError, match="bad dataset name"):
        origin.add(name, np.zeros((1, 2), dtype=np.float32))


def test_a_dataset_must_be_channels_by_samples():
    with BareOrigin() as origin, pytest.raises(ValueError, match="channels × samples"):
        origin.add("flat", np.zeros(4, dtype=np.float32))


def test_url_before_start_says_so():
    with pytest.raises(RuntimeError, match="not started"):
        _ = BareOrigin().url


def test_data_source_gives_the_shown_channels_y_range_as_the_app_pads_it():
    array = np.array([[0.0, 1.0, 2.0], [5.0, -3.0, 4.0], [100.0, 100.0, 100.0]], dtype=np.float32)
    src = data_source("http://127.0.0.1:1/data/x.f32", array, traces=2)
    assert src == {
        "url": "http://127.0.0.1:1/data/x.f32",
        "traces": 2,
        "length": 3,
        "yRange": contract.y_range(-3.0, 5.0),  # channel 2 is not shown: its 100s do not widen the range
    }
