"""The values a Tickless tab's JavaScript puts into Dash props, rebuilt in Python (no Dash needed).

The load client cannot run the page's JS, so it sets what the JS would set: the replay clock
(`shell-clock.data`, assets/js/50_stream.js `clockState`), a panel's view store (assets/js/60_controls.js
`configure`) and the bridge sample (assets/js/75_bridge.js, schema in app/bridge_schema.py). Ids, strategy
lists, defaults, the payload version and the playhead formula come from the app's contract (app/contract.py,
app/ids.py: standard library only, so the load venv imports them without Dash).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from app import contract, ids

SERVER = contract.SERVER
CLIENTSIDE = contract.CLIENTSIDE
STRATEGIES = contract.STRATEGY_IDS
CLOCK = f"{ids.CLOCK_STORE}.data"
CONFIG = f"{ids.CONFIG_STORE}.data"
DATA = f"{ids.DATA_STORE}.data"
BRIDGE_SAMPLE = f"{ids.BRIDGE_SAMPLE}.data-bridge"
BRIDGE_ACCEPTED = f"{ids.BRIDGE_RESULT}.{ids.BRIDGE_RESULT_ATTR}"  # only an accepted sample sets data-result
DISPLAY_HZ = 60  # what a requestAnimationFrame loop paints at on a common display
panel = ids.panel


def tick_key(strategy: str) -> str:
    """The prop whose change fires a server strategy's tick: the panel's request store, which the page's tick
    gate (assets/js/62_gate.js) writes on an Interval tick only when the panel has no request in flight."""
    return f"{panel(strategy, 'request')}.data"


def view_key(strategy: str) -> str:
    """The view store prop a strategy's callback reads."""
    return f"{panel(strategy, 'view')}.data"


def tick_requires(strategy: str) -> tuple[str, ...]:
    """Props every successful (200) tick reply of a server strategy must carry."""
    if strategy == "server-figure":
        return (f"{panel(strategy, 'graph')}.figure",)
    return (f"{panel(strategy, 'cursor')}.data",)


def page_fetches(values: Mapping[str, Any], first_visit: bool) -> list[tuple[str, str, int | None]]:
    """What a Tickless page's JS GETs before it draws, as (url, name, decoded bytes): the dataset, which the
    store names by URL (app/dataroute.py), on a first visit only. Its response is immutable, so a returning
    visitor's browser reads it from its cache without a request (tests/integration/test_binary.py checks
    that in Chromium). An app whose store carries the samples inline needs nothing more."""
    store = values.get(DATA)
    if not first_visit or not isinstance(store, Mapping) or not isinstance(store.get("url"), str):
        return []
    size = store.get("bytes")
    return [(store["url"], "data", size if isinstance(size, int) else None)]


def tab_defaults(values: Mapping[str, Any]) -> dict:
    """Window, channel indices, sample rate and periods a fresh tab uses, from the layout's two stores."""
    return contract.tab_defaults(values.get(CONFIG) or {}, values.get(DATA) or {})


def clock(now_ms: float, pos: float, speed: float = 1, playing: bool = True) -> dict:
    """The clock anchor a tab publishes: playhead `pos` (samples) at epoch-ms `now_ms`."""
    return {"pos": pos, "t": now_ms, "speed": speed, "playing": playing}


def view(
    seq: int,
    window: int,
    channels: list[int],
    trace: str = contract.DEFAULTS["trace"],
    decimate: str | None = None,
) -> dict:
    """A panel's view store value (what to draw), as the configure callback writes it.

    `decimate` is sent only when the app's config has a default for it (apps before it had no such field).
    """
    out = {"seq": seq, "window": window, "channels": list(channels), "trace": trace}
    if decimate is not None:
        out["decimate"] = decimate
    # the viewer's options at their page defaults (54_viewer.js viewOptions: the first layout, y scale fixed; a
    # laptop's screen and light theme)
    out.update(layout=contract.VIEW_LAYOUTS[0], yscale="fixed", theme="light", font=contract.FONT_SIZES[0])
    # who draws the channel key (46_view.js legendOf): the engine's HTML key, on every page but the inspector
    out["legend"] = "html"
    return out


def head(anchor: Mapping[str, Any], rate: int, now_ms: float) -> int:
    """End (exclusive) of the samples due at `now_ms` on this clock (contract.due_end, as the page computes it)."""
    return contract.due_end(
        anchor["pos"], anchor["t"], anchor["speed"], bool(anchor.get("playing")), rate, now_ms
    )


def bridge_sample(
    seq: int, now_ms: float, at: int, window: int, channels: list[int], fps: float, speed: float = 1
) -> str:
    """One bridge sample (contract.BRIDGE_VERSION) as the data-bridge attribute carries it: compact JSON text."""
    sample = {
        "seq": seq,
        "v": contract.BRIDGE_VERSION,
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
    """Frames/s a strategy delivers by design: rAF (and the LiveChart's own rAF loop) at the display rate,
    Interval designs one per tick."""
    if strategy in contract.EVERY_FRAME:
        return float(display_hz)
    return min(float(display_hz), 1000.0 / interval_ms)
