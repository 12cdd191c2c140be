"""WSGI entry point for production: `gunicorn app.wsgi:server` (settings from environment variables)."""

from __future__ import annotations

from . import create_app
from .settings import Settings, SettingsError

try:
    _settings = Settings.load()
except SettingsError as err:  # gunicorn prints this one line and stops
    raise SystemExit(f"tickless: error: {err}") from None

app = create_app(_settings)
if _settings.debug:
    app.enable_dev_tools(debug=True)
server = app.server
