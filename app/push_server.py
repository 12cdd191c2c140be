"""The push server: the same app on Dash's FastAPI backend, under uvicorn, with server-push's websocket callbacks.

`uvicorn app.push_server:server --port 8051` (settings from environment variables, PUSH_PORT for the port), or
`python -m app.push_server`, which runs uvicorn itself on HOST:PUSH_PORT. `make run` (python -m app) starts it
next to the Flask app, so one command opens everything; see README "Server push".
"""

from __future__ import annotations

import sys

from . import create_app
from .settings import Settings, SettingsError
from .strategies.server_push import PushSettings

try:
    _settings = Settings.load()
    _push = PushSettings.load(_settings)
except SettingsError as err:  # uvicorn prints this one line and stops
    raise SystemExit(f"tickless: error: {err}") from None

app = create_app(_settings, backend="fastapi")
server = app.server


def main() -> int:
    """Serve the push server with uvicorn on HOST:PUSH_PORT (one process: every socket on one event loop)."""
    import uvicorn

    print(f"Tickless push server: open http://{_settings.host}:{_push.port}/strategy/server-push", flush=True)
    uvicorn.run(server, host=_settings.host, port=_push.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
