"""Component ids, defined once and prefixed by feature; Python and JS both take them from here."""

# app shell
URL = "shell-url"
DATA_STORE = "shell-data"  # memory: the dataset, shipped once
DATASET = "shell-dataset"  # memory: what the page decoded (key, rate, length, names), for the controls
CONFIG_STORE = "shell-config"  # memory: limits, defaults, strategies, base layout for JS
CLOCK_STORE = "shell-clock"  # memory: the tab's replay clock anchor, read by server strategies
ROUTE_STORE = "shell-route"  # memory: the page and panels the URL asks for
PREFS_STORE = "shell-prefs"  # local: the user's preferred settings across visits
SESSION_STORE = "shell-session"  # session: this tab's playhead, kept across reloads
NAV = "shell-nav"
DATA_TITLE = "shell-data-title"  # what is playing: the file (or the built-in signal), channels, length, rate

# your own data and the viewer (app/dataview.py, assets/js/52_upload.js, 54_viewer.js)
UPLOAD = "data-upload"  # dcc.Upload: the file is read by the page and posted to contract.UPLOAD_PATH
UPLOAD_RATE = "data-upload-rate"  # Hz for a file without its own rate (empty: the file's)
UPLOAD_STATUS = "data-upload-status"  # progress, then what loaded or why not (written by 52_upload.js)
VIEW_LAYOUT = "view-layout"  # overlaid | stacked
VIEW_YSCALE = "view-yscale"  # auto | fixed
VIEW_PNG = "view-png"  # download the window on screen as PNG
VIEW_CSV = "view-csv"  # ... and as CSV of the exact samples
VIEW_KEYS = "view-keys"  # the keyboard help
MESSAGE = "shell-message"

# shared controls
PLAY = "ctl-play"
SPEED = "ctl-speed"
WINDOW = "ctl-window"
CHANNELS = "ctl-channels"
TRACE = "ctl-trace"
RENDERER = "ctl-renderer"  # which trace type the page chose by default, and why (GPU or software WebGL)
DECIMATE = "ctl-decimate"
INTERVAL = "ctl-interval"
SHARE = "ctl-share"
CONTROL_MESSAGE = "ctl-message"

# per-strategy panels: f"{strategy}-{part}"
PANEL_PARTS = (
    "panel",
    "graph",
    "hud",  # the HUD's node: the engine builds its items and writes their numbers (49_hud.js)
    "key",  # the channel key the engine writes beside a plotly graph drawn without plotly's legend (47_key.js)
    "view",
    "tick",
    "request",  # server panels: what the tick gate lets through (the Input of the panel's Python callback)
    "cursor",
    "behind",  # server panels: how far the newest drawn sample is behind the clock (written by 62_gate.js)
    "fps",
    "points",
    "latency",
    "requests",
    "bytes",
    "tab-requests",
    "follow",
    "data",  # server-push: the Stores the push server's batches land in (push_lane; set_props over the websocket)
    "control",  # server-push: what the tab asks for and has applied (read by the server with get_prop)
    "prod",  # server-push: written by the tab's watchdog to ask for a new stream (wakes the websocket)
    "dropped",  # server-push HUD: samples the tab never received (queue drops + source gaps)
    "link",  # server-push HUD: the socket's state (live, waiting, reconnected), written by 67_push.js
)


def panel(strategy: str, part: str) -> str:
    """The id of one part of a strategy's panel, e.g. panel("server-extend", "graph")."""
    if part not in PANEL_PARTS:
        raise ValueError(f"unknown panel part {part!r}")
    return f"{strategy}-{part}"


# the sampled bridge (JS state → hidden div / store → Python)
BRIDGE_SAMPLE = "bridge-sample"  # hidden div; its data-bridge attribute carries the sample
BRIDGE_STORE = "bridge-store"  # memory store; the set_props transport
BRIDGE_STATE = "bridge-state"  # memory store: applied thresholds, alerts, clicks (kept by the tab)
# hidden div: Python's reply as JSON in two attributes, observed by 76_bridge_view.js (no chained callback)
BRIDGE_RESULT = "bridge-result"
BRIDGE_RESULT_ATTR = "data-result"  # the analytics of the last accepted sample, numbers only
BRIDGE_REJECTED_ATTR = "data-rejected"  # why the last sample was rejected
BRIDGE_PERIOD = "bridge-period"
BRIDGE_VIA = "bridge-via"
BRIDGE_APPLY = "bridge-apply"
BRIDGE_STATUS = "bridge-status"
BRIDGE_LINK = "bridge-link"  # "server unreachable", "reachable again": written by 44_link.js, not Dash
BRIDGE_ANALYTICS = "bridge-analytics"
BRIDGE_ALERTS = "bridge-alerts"
BRIDGE_CLICKS = "bridge-clicks"

# the event inspector, animation replay, and zoom-to-freeze
INSPECTOR = "inspector"
INSPECTOR_STATUS = "inspector-status"
INSPECTOR_TABLE = "inspector-table"  # an empty container; the page builds the event table into it (plain DOM)
REPLAY_GRAPH = "replay-graph"
REPLAY_RECORD = "replay-record"
REPLAY_STATE = "replay-state"
REPLAY_PLAY = "replay-play"
REPLAY_PAUSE = "replay-pause"
ZOOM_STORE = "shell-zoom"  # memory: ids of graphs whose x axis the user zoomed (auto-scroll frozen)


def push_lane(sid: str, lane: int) -> str:
    """The id of one of a push panel's data Stores (contract.PUSH_LANES of them), e.g. "server-push-data-0"."""
    return f"{panel(sid, 'data')}-{int(lane)}"
