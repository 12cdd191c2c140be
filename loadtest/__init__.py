"""Load benchmarks: a Dash renderer-protocol client for locust, one user class per strategy, a stepped runner.

`dash_protocol`, `dash_reply`, `dash_plan`, `tickless`, `scenarios`, `results` and `server` need only the
standard library, so the main venv (which cannot hold locust) imports and tests them; `run` adds psutil (in
both venvs); `dash_client`, `locustfile`, `steps` and `meters` run inside locust's own venv (.venv-load).
"""
