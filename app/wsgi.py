"""WSGI entry point for production: `gunicorn app.wsgi:server` (settings from environment variables)."""

from __future__ import annotations

import sys

from . import bridge_analysis, create_app, tabdata
from .settings import Settings, SettingsError

try:
    _settings = Settings.load()
except SettingsError as err:  # gunicorn prints this one line and stops
    raise SystemExit(f"tickless: error: {err}") from None

app = create_app(_settings)
# each worker builds the bridge's summaries of its own data before it takes a request, not inside the first ones
bridge_analysis.warm(tabdata.own(_settings), _settings.window)
_debug, _warning = _settings.dev_tools()  # HOST names the interface gunicorn binds (`make serve` passes both)
if _warning:
    print(_warning, file=sys.stderr, flush=True)
if _debug:
    app.enable_dev_tools(debug=True)
server = app.server
