"""Component ids, defined once and prefixed by feature; Python and JS both take them from here."""

# app shell
URL = "shell-url"
DATA_STORE = "shell-data"

# live chart (clientside-raf on the landing page)
LIVE_GRAPH = "live-graph"
LIVE_PLAY = "live-play"
LIVE_SPEED = "live-speed"
LIVE_WINDOW = "live-window"
LIVE_CHANNELS = "live-channels"
LIVE_TRACE = "live-trace"
LIVE_MESSAGE = "live-message"
LIVE_HUD_TICK = "live-hud-tick"
LIVE_HUD_FPS = "live-hud-fps"
LIVE_HUD_POINTS = "live-hud-points"
LIVE_HUD_LATENCY = "live-hud-latency"
LIVE_HUD_REQUESTS = "live-hud-requests"
