"""The contract between the server, the page, the load client and the benchmarks, defined once.

Limits, enum values, defaults, payload field names and caps, and the two formulas both sides compute (the
playhead and the y padding) live here and nowhere else. The app builds from this module, the page receives
it once in its config store (`browser()`), and `loadtest/` and `benchmarks/` import it. It imports nothing
but the standard library and `app.ids`, so the load client's venv (no Dash) can import it too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from . import ids

# --- strategies -----------------------------------------------------------------------------------------
CLIENTSIDE = ("clientside-raf", "clientside-interval", "component")
SERVER = ("server-extend", "server-patch", "server-figure")
PUSH = ("server-push",)  # a live source pushed over Dash's websocket callbacks (the FastAPI push server only)
STRATEGY_IDS = CLIENTSIDE + SERVER + PUSH
EVERY_FRAME = ("clientside-raf", "component")  # paint on every animation frame (the display's rate)
LANDING = "clientside-raf"
COMPARE_DEFAULT = ("server-extend", "clientside-raf")

# --- enums ----------------------------------------------------------------------------------------------
TRACE_TYPES = ("scatter", "scattergl")
DECIMATE_MODES = (
    "auto",
    "on",
    "off",
)  # clientside min/max envelope: auto = when the window outgrows the plot
BRIDGE_VIA = ("div", "store")
# WebGL renderer names that mean software rendering (no GPU): scattergl is no faster than SVG there, far slower
SOFTWARE_RENDERERS = ("swiftshader", "llvmpipe", "softpipe", "software")
SPEEDS = (0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50)
URL_PARAMS = ("window", "speed", "channels", "trace", "interval", "bridge", "decimate", "s")

# --- limits (inclusive) ---------------------------------------------------------------------------------
WINDOW = (100, 1_000_000)  # points per trace on screen
SPEED = (0.1, 50.0)  # replay speed
INTERVAL = (20, 5000)  # ms between server ticks
BRIDGE_PERIOD = (50, 10_000)  # ms between bridge samples; 0 turns the bridge off
COMPARE = (2, 4)  # strategies side by side
CHANNELS = (1, 16)  # channels in a dataset
MAX_INT = 2**53 - 1  # the largest integer a JavaScript number holds exactly: playheads, counters, epoch ms
MAX_TEXT = 200  # characters of any free-text value a callback reads (ids, names, modes)

# --- defaults -------------------------------------------------------------------------------------------
DEFAULTS: dict[str, Any] = {
    "window": 2000,  # Settings.window overrides it
    "speed": 1,
    "trace": "scatter",
    "interval": 100,
    "bridge": 1000,
    "decimate": "auto",
}
HUD_PERIOD_MS = 500  # the engine rewrites the HUD numbers (and saves the playhead) at most this often

# --- the bridge payload (v1) ----------------------------------------------------------------------------
BRIDGE_VERSION = 1
BRIDGE_REQUIRED = ("v", "seq", "t", "head", "window", "channels", "playing", "speed", "fps", "clicks")
BRIDGE_OPTIONAL = ("events",)
CLICK_KEYS = ("channel", "x", "y", "t")
MAX_PAYLOAD_BYTES = 16_384  # UTF-8 bytes of the JSON text, checked before parsing
MAX_CLICKS = 20  # clicks in one sample, and clicked points the tab keeps
MAX_EVENTS = 64  # event kinds counted in one sample
MAX_EVENT_NAME = 64  # characters in one event name
MAX_FPS = 1000.0  # no display paints faster; a bigger figure is forged
ALERT_LIMIT = 50  # alerts the tab keeps, newest first

# --- bounded cost per request ---------------------------------------------------------------------------
# Every server callback's work is bounded by these, whatever the request says (README: "Bad input").
# Points (all traces) one server reply may carry; a wider window draws its newest part, with a message. A Patch
# carries Python lists (its trim costs ~0.8 ms per 1,000 points), a figure or extendData numpy arrays (~0.05 ms).
SERVER_MAX_POINTS = {"server-extend": 200_000, "server-figure": 200_000, "server-patch": 40_000}
ENVELOPE_COLUMNS = 1_000  # min/max buckets per trace when a server reply must summarise a wide window
BLOCK = 1_000  # samples per precomputed block summary (min, max, sum, sum of squares)
FFT_MAX_SAMPLES = 16_384  # the dominant frequency is found on the newest this many samples of the window
FFT_DECIMATE = 4  # ... averaged in groups of this many when the window is wider (an FFT of 4,096 points)
CROSSING_SCAN_SAMPLES = 1_000_000  # threshold crossings: samples read per call, shared by the channels
MAX_REQUEST_BYTES = 64 * 1024  # body of one request; larger is refused with 413 before it is parsed
MAX_JSON_DEPTH = 32  # nesting of a request body; deeper is refused with 400 before Dash reads it
# A server panel sends a tick only when it has no request in flight (assets/js/62_gate.js); a request the page
# has not heard back from in this long stops holding the panel (the renderer drops a superseded reply).
GATE_GIVE_UP_MS = 10_000
# The page's link to the server (assets/js/44_link.js): a callback request with no answer (or 502/503/504) marks
# the server unreachable; server panels and the bridge hold their requests and one probe, GET LINK_PATH (a 204,
# app/link.py), asks whether it is back after a back-off from LINK_BASE_MS doubling to LINK_CAP_MS (jittered to
# half of each step at least). The cap is under the default bridge period (1 s), so the bridge resumes within
# two of its sample periods of the server answering again: at most 0.75 s to notice, at most 1 s to its next sample.
LINK_PATH = "/_tickless/alive"
LINK_BASE_MS = 250
LINK_CAP_MS = 750

# --- server push (app/push.py, assets/js/67_push.js) ----------------------------------------------------------
# The push server sends one message per period with every sample queued since the last (coalesced), while the
# tab has fewer than PUSH_MAX_IN_FLIGHT messages it has not acknowledged; it asks for the tab's acknowledgement
# (the push control store, read with get_prop) every PUSH_ACK_MS. A tab that does not answer (stalled, hidden)
# gets nothing more: its queue keeps the newest PUSH_QUEUE_SAMPLES samples per channel and counts the rest as
# dropped. With no data to send, a keepalive goes out every PUSH_KEEPALIVE_MS; a tab that hears nothing for
# PUSH_WATCHDOG_MS asks for a new stream, backing off from there to PUSH_BACKOFF_CAP_MS.
PUSH_VERSION = 1
PUSH_PERIOD_MS = 50
PUSH_ACK_MS = 200
PUSH_IDLE_MS = 1_000  # how often a stream that the tab does not want (another page, paused) looks again
PUSH_MAX_IN_FLIGHT = 8
PUSH_QUEUE_SAMPLES = 50_000
PUSH_MAX_BATCH = 10_000  # samples per channel in one message (a backlog goes out in several)
PUSH_KEEPALIVE_MS = 1_000
PUSH_WATCHDOG_MS = 3_000
PUSH_BACKOFF_CAP_MS = 30_000
PUSH_PLAYOUT_MAX_MS = 2_000  # the tab delays drawing by the network's jitter, never by more than this
# Dash applies the set_props that reach a tab together as one update: the same Store set twice keeps only the
# last value. Message `seq` lands in data lane `seq % PUSH_LANES`, so back-to-back messages are never lost that way.
PUSH_LANES = 4
# Dash's websocket inactivity timeout on the push server (Dash's default; TICKLESS_PUSH_INACTIVITY_MS, 0: never):
# a socket with nothing but heartbeats for this long is closed (code 4001) and not reopened until the tab sends
# again (its watchdog does). A stream the tab wants nothing from ends after half of it, within PUSH_IDLE_END_MS.
PUSH_INACTIVITY_MS = 300_000
PUSH_INACTIVITY_LIMITS = (1_000, 86_400_000)
PUSH_IDLE_END_MS = (5_000, 60_000)
PUSH_PORT_OFFSET = 1  # the push server listens on PORT + 1 unless PUSH_PORT says otherwise
PUSH_FIELDS = ("v", "run", "seq", "start", "n", "rate", "t", "dt", "ch", "y", "dropped", "lost")

# --- shared formulas ------------------------------------------------------------------------------------
Y_PAD = 0.05  # fraction of the data's span added above and below a fixed y range
Y_PAD_FLAT = 0.5  # padding when the data is flat


def y_range(lo: float, hi: float) -> list[float]:
    """A fixed y range for data spanning [lo, hi], padded as every strategy pads it."""
    if not lo <= hi:
        return [0.0, 1.0]
    pad = (hi - lo) * Y_PAD or Y_PAD_FLAT
    return [lo - pad, hi + pad]


def due_end(pos: float, t: float, speed: float, playing: bool, rate: int, now_ms: float) -> int:
    """End (exclusive) of the samples due at `now_ms` on a clock anchored at playhead `pos`, epoch ms `t`.

    The same formula as assets/js/20_clock.js `dueEnd`: the playhead advances `rate * speed` samples per
    second while playing. The caller validates the anchor (app/untrusted.py) before calling.
    """
    if playing:
        pos = pos + max(0.0, now_ms - t) * rate * speed / 1000
    return int(math.floor(pos)) + 1


def drawn_per_trace(sid: str, window: int, channels: int) -> int:
    """Points per trace a server strategy's reply carries: the window, capped so one reply stays bounded."""
    return min(window, max(1, SERVER_MAX_POINTS[sid] // max(1, channels)))


def strategy_mode(sid: str) -> str:
    """How the page drives a strategy's graph: "server" (Dash callbacks), the clientside path's name ("raf",
    "interval"), "component" (the LiveChart draws itself from the tab's arrays and clock) or "push" (batches a
    live source pushes over the websocket, drawn by the engine's frame)."""
    if sid in SERVER:
        return "server"
    if sid in PUSH:
        return "push"
    return sid.removeprefix("clientside-")


def browser(window: int, names: list[str], ranges: list[list[float]]) -> dict:
    """The contract as the page's config store carries it: limits, enums, defaults, ids and caps."""
    return {
        "ids": {
            "clock": ids.CLOCK_STORE,
            "url": ids.URL,
            "zoom": ids.ZOOM_STORE,
            "replay": ids.REPLAY_GRAPH,
            "session": ids.SESSION_STORE,
            "inspector": ids.INSPECTOR,  # the prefix of the inspector table's cell ids (80_inspector.js)
            "inspectorStatus": ids.INSPECTOR_STATUS,
            "inspectorTable": ids.INSPECTOR_TABLE,
            "link": ids.BRIDGE_LINK,  # the line saying whether the server is reachable (44_link.js writes it)
            "bridgeState": ids.BRIDGE_STATE,  # one bridge call in flight: its outputs name this store
            # where the sampler (75_bridge.js) puts a sample: the hidden div's data-bridge or the store, as
            # the transport radio says
            "bridgeSample": ids.BRIDGE_SAMPLE,
            "bridgeStore": ids.BRIDGE_STORE,
            "bridgeVia": ids.BRIDGE_VIA,
            # where Python's reply lands (the hidden div's two attributes) and the containers the view fills
            "bridgeResult": ids.BRIDGE_RESULT,
            "bridgeResultAttr": ids.BRIDGE_RESULT_ATTR,
            "bridgeRejectedAttr": ids.BRIDGE_REJECTED_ATTR,
            "bridgeAnalytics": ids.BRIDGE_ANALYTICS,
            "bridgeAlerts": ids.BRIDGE_ALERTS,
            "bridgeClicks": ids.BRIDGE_CLICKS,
            "bridgeStatus": ids.BRIDGE_STATUS,
        },
        "landing": LANDING,
        "compareDefault": list(COMPARE_DEFAULT),
        "params": list(URL_PARAMS),
        "traces": list(TRACE_TYPES),
        # the page's default trace: scattergl where WebGL runs on a GPU, else DEFAULTS["trace"] (46_view.js)
        "softwareRenderers": list(SOFTWARE_RENDERERS),
        "decimate": list(DECIMATE_MODES),
        "limits": {
            "window": list(WINDOW),
            "speed": list(SPEED),
            "interval": list(INTERVAL),
            "bridge": list(BRIDGE_PERIOD),
            "compare": list(COMPARE),
        },
        "defaults": {**DEFAULTS, "window": window, "channels": list(names)},
        "speeds": list(SPEEDS),
        "fontSizes": list(FONT_SIZES),  # the charts' font per screen size (54_viewer.js keeps the same list)
        "bridge": {"version": BRIDGE_VERSION, "maxClicks": MAX_CLICKS},
        "gate": {"giveUpMs": GATE_GIVE_UP_MS},
        "push": {
            "version": PUSH_VERSION,
            "ackMs": PUSH_ACK_MS,
            "watchdogMs": PUSH_WATCHDOG_MS,
            "backoffCapMs": PUSH_BACKOFF_CAP_MS,
            "playoutMaxMs": PUSH_PLAYOUT_MAX_MS,
            "queue": PUSH_QUEUE_SAMPLES,
            "portOffset": PUSH_PORT_OFFSET,
        },
        "link": {"path": LINK_PATH, "baseMs": LINK_BASE_MS, "capMs": LINK_CAP_MS},
        "yPad": [Y_PAD, Y_PAD_FLAT],
        "names": list(names),
        "ranges": ranges,
    }


def tab_defaults(config: Mapping[str, Any], data: Mapping[str, Any]) -> dict:
    """Window, channel indices, sample rate and periods a fresh tab uses, from the layout's two stores."""
    defaults = {**DEFAULTS, **(config.get("defaults") or {})}
    names = data.get("names") or config.get("names") or []
    return {
        "window": int(defaults["window"]),
        "channels": list(range(len(names))),
        "rate": int(data.get("rate", 1000)),
        "interval_ms": int(defaults["interval"]),
        "trace": str(defaults["trace"]),
        "decimate": defaults.get("decimate"),
        "bridge_ms": int(defaults["bridge"]),
    }


# --- dataset limits shared with the tools ---------------------------------------------------------------
RATE = (1, 1_000_000)  # samples per second of a dataset (TICKLESS_RATE, the benchmarks' --rate)

# --- your own data (app/datafile/, the upload route) ----------------------------------------------------
DATA_MAX_SAMPLES = 64_000_000  # channels x samples of a loaded file: 256 MB of float32
DATA_MAX_HEADER_BYTES = 65_536  # a CSV header row, an NPY header
MAX_NAME = 64  # characters in one channel name
DATA_MAX_NAN_RUN = 1_000  # missing values in a row drawn as a gap; a longer run is refused
DATA_RATE_TOLERANCE = 1e-3  # a rate from timestamps is rounded to whole Hz when within this fraction
DATA_WINDOW_SECONDS = 5  # a loaded file's default window, in seconds of its data
UPLOAD_PATH = "/_tickless/upload"  # POST the file's bytes; the reply is the dataset (binary) or a message
UPLOAD_MAX_BYTES = 64 * 1024 * 1024  # a larger upload is refused with 413 before a byte is parsed
UPLOAD_FORMATS = (".csv", ".tsv", ".txt", ".npy", ".npz", ".wav", ".parquet")
UPLOAD_MAX_SAMPLES = 16_000_000  # channels x samples of an upload: 64 MB of float32 per worker and spool file
VIEW_LAYOUTS = ("overlaid", "stacked")  # channels on one y axis, or one row per channel sharing x
Y_SCALES = ("auto", "fixed")  # per channel: follow the window on screen, or the channel's whole range
# the chart colours of each theme (the page follows the OS's prefers-color-scheme; 54_viewer.js and the server
# panels, app/strategies/look.py, draw with these)
THEMES = {
    "light": {"paper": "#ffffff", "plot": "#ffffff", "font": "#1f2430", "grid": "#e3e6ec", "zero": "#c9ced8"},
    "dark": {"paper": "#15181e", "plot": "#15181e", "font": "#d8dee9", "grid": "#2c313c", "zero": "#3b4252"},
}
STACK_GAP = 0.03  # fraction of the plot height between stacked rows
# the charts' font (px) on a laptop, on a large screen (>= 1800 px wide) and on a wall display (>= 2400 px): the
# page picks one for its screen (54_viewer.js look) and sends it in each server panel's view (look.py draws it)
FONT_SIZES = (12, 15, 20)
