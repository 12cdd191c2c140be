"""`gunicorn benchmarks.noop_wsgi:server`: the production app (app.wsgi) plus the no-op yardstick callback.

Same settings, middleware, guard and compression as app.wsgi; `make bench-bridge` measures the bridge against
the no-op callback on this server (benchmarks/bench_bridge.py). The production app does not carry it.
"""

from __future__ import annotations

from app.wsgi import app

from .bench_bridge import add_noop

server = add_noop(app).server
