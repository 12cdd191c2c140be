"""Unit tests of the built-in dataset: determinism, shape, and the base64url float32 encoding."""

from __future__ import annotations

import base64

import numpy as np

from app import data


def test_generator_is_deterministic_and_seeded():
    a = data.generate(3, 500, 4, seed=1)
    b = data.generate(3, 500, 4, seed=1)
    c = data.generate(3, 500, 4, seed=2)
    assert a.shape == (3, 2000) and a.dtype == np.dtype("<f4")
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_generator_channels_differ_and_have_signal():
    d = data.generate(4, 1000, 10)
    assert np.all(np.isfinite(d))
    stds = d.std(axis=1)
    assert np.all(stds > 0.3)
    assert len({round(float(m), 3) for m in d.mean(axis=1)}) == 4
    # a burst shows up as a short stretch well above the channel's typical high-frequency energy
    hf = np.abs(np.diff(d[0]))
    assert hf.max() > 5 * np.median(hf)


def test_encoding_round_trip_is_exact():
    values = data.generate(2, 1000, 3)
    for row in values:
        text = data.encode_channel(row)
        assert "+" not in text and "/" not in text
        raw = base64.urlsafe_b64decode(text)
        assert len(raw) == row.size * 4
        assert np.array_equal(np.frombuffer(raw, dtype="<f4"), row)
        assert np.array_equal(data.decode_channel(text), row)


def test_encoding_is_little_endian_float32():
    text = data.encode_channel(np.array([1.0, -2.5], dtype=np.float64))
    assert base64.urlsafe_b64decode(text) == np.array([1.0, -2.5], dtype="<f4").tobytes()


def test_payload_shape_and_cache():
    p = data.payload(2, 100, 5, 3)
    assert p is data.payload(2, 100, 5, 3), "built once per process"
    assert p["version"] == data.PAYLOAD_VERSION and p["encoding"] == data.ENCODING
    assert p["rate"] == 100 and p["length"] == 500 and p["names"] == ["ch1", "ch2"]
    assert all(isinstance(c, str) for c in p["channels"])
    assert np.array_equal(data.decode_channel(p["channels"][1]), data.dataset(2, 100, 5, 3)[1])


def test_server_copy_is_read_only():
    d = data.dataset(1, 100, 2)
    assert not d.flags.writeable


def test_wire_sizes_are_consistent():
    sizes = data.wire_sizes(1, 1000, 2)
    assert sizes["raw_float32"] == 8000
    assert sizes["base64url"] == 4 * -(-8000 // 3)
    assert 0 < sizes["brotli4"] < sizes["base64url"] and 0 < sizes["gzip6"] < sizes["base64url"]
