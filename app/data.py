"""The built-in dataset: a deterministic multi-channel signal, encoded once per process for the browser."""

from __future__ import annotations

import base64
from functools import lru_cache

import numpy as np

PAYLOAD_VERSION = 1
ENCODING = "base64url-float32le"
DTYPE = np.dtype("<f4")


def channel_names(channels: int) -> list[str]:
    """Human names for the channels, in order."""
    return [f"ch{i + 1}" for i in range(channels)]


def generate(channels: int, rate: int, seconds: float, seed: int = 7) -> np.ndarray:
    """Return a (channels, samples) float32 array: mixed sines, noise, bursts and a drifting baseline.

    The same arguments always give the same samples, so the browser's copy can be checked against it.
    """
    length = int(round(rate * seconds))
    t = np.arange(length, dtype=np.float64) / rate
    out = np.empty((channels, length), dtype=DTYPE)
    for ch in range(channels):
        rng = np.random.default_rng([seed, ch])
        f1, f2 = 0.5 + 0.37 * ch, 3.1 + 1.7 * ch
        signal = 1.0 * np.sin(2 * np.pi * f1 * t + rng.uniform(0, 2 * np.pi))
        signal += 0.35 * np.sin(2 * np.pi * f2 * t + rng.uniform(0, 2 * np.pi))
        if rate > 100:
            signal += 0.08 * np.sin(2 * np.pi * 50.0 * t)  # mains hum
        signal += rng.normal(0.0, 0.06, length)
        # bursts: short Gaussian-windowed tones at random times, about one every 4 s
        n_bursts = max(1, int(seconds / 4))
        for start in rng.uniform(0, seconds, n_bursts):
            width = rng.uniform(0.05, 0.3)
            lo, hi = np.searchsorted(t, [start - 3 * width, start + 3 * width])
            seg = t[lo:hi]
            tone = min(rate / 4, rng.uniform(15, 40))
            signal[lo:hi] += (
                1.5 * np.exp(-0.5 * ((seg - start) / width) ** 2) * np.sin(2 * np.pi * tone * seg)
            )
        # drifting baseline: a slow random walk, smoothed by its own integration
        steps = rng.normal(0.0, 1.0, max(2, int(seconds) + 2))
        walk = np.cumsum(steps) * 0.15
        signal += np.interp(t, np.arange(walk.size, dtype=np.float64), walk) + 2.5 * ch
        out[ch] = signal
    return out


def encode_channel(samples: np.ndarray) -> str:
    """Encode one channel as base64url text of its little-endian float32 bytes."""
    return base64.urlsafe_b64encode(np.ascontiguousarray(samples, dtype=DTYPE).tobytes()).decode("ascii")


def decode_channel(text: str) -> np.ndarray:
    """Inverse of encode_channel (used by tests and tools)."""
    return np.frombuffer(base64.urlsafe_b64decode(text.encode("ascii")), dtype=DTYPE)


@lru_cache(maxsize=4)
def dataset(channels: int, rate: int, seconds: float, seed: int = 7) -> np.ndarray:
    """The server's own copy of the dataset, built once per process and read-only."""
    data = generate(channels, rate, seconds, seed)
    data.setflags(write=False)
    return data


@lru_cache(maxsize=4)
def payload(channels: int, rate: int, seconds: float, seed: int = 7) -> dict:
    """The dcc.Store payload shipped to the browser once: base64url float32 per channel plus metadata."""
    data = dataset(channels, rate, seconds, seed)
    return {
        "version": PAYLOAD_VERSION,
        "encoding": ENCODING,
        "rate": rate,
        "length": int(data.shape[1]),
        "names": channel_names(channels),
        "channels": [encode_channel(row) for row in data],
    }


def wire_sizes(channels: int, rate: int, seconds: float, seed: int = 7) -> dict[str, int]:
    """Byte sizes of the default dataset: raw float32, base64url text, and gzip/brotli of that text."""
    import gzip

    import brotli

    body = "".join(payload(channels, rate, seconds, seed)["channels"]).encode("ascii")
    return {
        "raw_float32": int(dataset(channels, rate, seconds, seed).nbytes),
        "base64url": len(body),
        "gzip6": len(gzip.compress(body, 6)),
        "brotli4": len(brotli.compress(body, quality=4)),
    }
