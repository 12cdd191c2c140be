"""The values a Tickless tab's JavaScript puts into Dash props, rebuilt in Python (standard library only).

The load client cannot run the page's JS, so it sets what the JS would set: the replay clock
(`shell-clock.data`, assets/js/50_stream.js `clockState`), a panel's view store (assets/js/60_controls.js
`configure`) and the bridge sample (assets/js/75_bridge.js, schema in app/bridge_schema.py). Ids and defaults
are read from the app's own layout wherever it carries them; tests/load checks these names against app/ids.py.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

SERVER = ("server-extend", "server-patch", "server-figure")
CLIENTSIDE = ("clientside-raf", "clientside-interval")
STRATEGIES = CLIENTSIDE + SERVER
CLOCK = "shell-clock.data"
CONFIG = "shell-config.data"
DATA = "shell-data.data"
BRIDGE_SAMPLE = "bridge-sample.data-bridge"
BRIDGE_PERIOD = "bridge-period.value"
BRIDGE_ACCEPTED = "bridge-analytics.children"  # only an accepted sample updates the analytics table
DISPLAY_HZ = 60  # what a requestAnimationFrame loop paints at on a common display
BRIDGE_VERSION = 1


def panel(strategy: str, part: str) -> str:
    """A panel's component id, as app/ids.py `panel()` builds it."""
    return f"{strategy}-{part}"


def tick_key(strategy: str) -> str:
    """The Interval prop whose change fires a strategy's tick."""
    return f"{panel(strategy, 'tick')}.n_intervals"


def view_key(strategy: str) -> str:
    """The view store prop a strategy's callback reads."""
    return f"{panel(strategy, 'view')}.data"


def tick_requires(strategy: str) -> tuple[str, ...]:
    """Props every successful (200) tick reply of a server strategy must carry."""
    if strategy == "server-figure":
        return (f"{panel(strategy, 'graph')}.figure",)
    return (f"{panel(strategy, 'cursor')}.data",)


def tab_defaults(values: Mapping[str, Any]) -> dict:
    """Window, channel indices, sample rate and periods a fresh tab uses, from the layout's stores."""
    config = values.get(CONFIG) or {}
    data = values.get(DATA) or {}
    defaults = config.get("defaults") or {}
    names = data.get("names") or config.get("names") or []
    return {
        "window": int(defaults.get("window", 2000)),
        "channels": list(range(len(names))),
        "rate": int(data.get("rate", 1000)),
        "interval_ms": int(defaults.get("interval", 100)),
        "trace": str(defaults.get("trace", "scatter")),
        "decimate": defaults.get("decimate"),
        "bridge_ms": int(defaults.get("bridge", values.get(BRIDGE_PERIOD) or 1000)),
    }


def clock(now_ms: float, pos: float, speed: float = 1, playing: bool = True) -> dict:
    """The clock anchor a tab publishes: playhead `pos` (samples) at epoch-ms `now_ms`."""
    return {"pos": pos, "t": now_ms, "speed": speed, "playing": playing}


def view(
    seq: int, window: int, channels: list[int], trace: str = "scatter", decimate: str | None = None
) -> dict:
    """A panel's view store value (what to draw), as the configure callback writes it.

    `decimate` is sent only when the app's config has a default for it (apps before it had no such field).
    """
    out = {"seq": seq, "window": window, "channels": list(channels), "trace": trace}
    if decimate is not None:
        out["decimate"] = decimate
    return out


def head(anchor: Mapping[str, Any], rate: int, now_ms: float) -> int:
    """End (exclusive) of the samples due at `now_ms` on this clock (assets/js/20_clock.js `dueEnd`)."""
    pos = anchor["pos"]
    if anchor.get("playing"):
        pos += max(0.0, now_ms - anchor["t"]) * rate * anchor["speed"] / 1000
    return int(math.floor(pos)) + 1


def bridge_sample(
    seq: int, now_ms: float, at: int, window: int, channels: list[int], fps: float, speed: float = 1
) -> str:
    """One bridge sample (schema v1) as the data-bridge attribute carries it: compact JSON text."""
    sample = {
        "seq": seq,
        "v": BRIDGE_VERSION,
        "t": int(now_ms),
        "head": at,
        "window": window,
        "channels": list(channels),
        "playing": True,
        "speed": speed,
        "fps": round(fps, 1),
        "clicks": [],
        "events": {},
    }
    return json.dumps(sample, separators=(",", ":"))


def frames_per_second(strategy: str, interval_ms: float, display_hz: float = DISPLAY_HZ) -> float:
    """Frames/s a strategy delivers by design: rAF at the display rate, Interval designs one per tick."""
    if strategy == "clientside-raf":
        return float(display_hz)
    return min(float(display_hz), 1000.0 / interval_ms)
