"""Encode samples for LiveChart's `data` and `extend` props: base64url text of little-endian float32 bytes.

base64url (not standard base64) because Dash's JSON encoder escapes every `/` as `\\u002f`, which would grow the
text by about a quarter on the wire. numpy arrays are encoded without a Python loop; plain sequences work too.
"""

from __future__ import annotations

import base64
import sys
from array import array
from collections.abc import Sequence
from typing import Any


def _float32_bytes(samples: Any) -> bytes:
    """Little-endian float32 bytes of a 1-D numpy array or a sequence of numbers (None becomes NaN)."""
    if hasattr(samples, "astype") and hasattr(samples, "tobytes"):
        return samples.astype("<f4", copy=False).tobytes()
    values = array("f", (float("nan") if v is None else float(v) for v in samples))
    if sys.byteorder == "big":
        values.byteswap()
    return values.tobytes()


def encode_channel(samples: Any) -> str:
    """One channel as LiveChart reads it: base64url text of its little-endian float32 bytes."""
    return base64.urlsafe_b64encode(_float32_bytes(samples)).decode("ascii")


def extend_payload(channels: Sequence[Any]) -> list[str]:
    """A value for LiveChart's `extend` prop: the new samples of every channel (rows of a 2-D array or a list)."""
    return [encode_channel(row) for row in channels]


def to_data(channels: Sequence[Any], rate: float, names: Sequence[str] | None = None) -> dict:
    """A value for LiveChart's `data` prop: every channel encoded, with the sample rate (Hz) and channel names."""
    encoded = extend_payload(channels)
    labels = list(names) if names is not None else [f"ch{i}" for i in range(len(encoded))]
    if len(labels) != len(encoded):
        raise ValueError(f"to_data: {len(labels)} names for {len(encoded)} channels")
    if not rate > 0:
        raise ValueError(f"to_data: rate must be positive, got {rate!r}")
    return {"names": labels, "rate": float(rate), "channels": encoded}
