"""Smoke test of PushUser (loadtest/push_user.py): a few seconds of locust tabs speaking the renderer's websocket
protocol to a real push server (uvicorn) on 127.0.0.1: messages arrive, none fails, no sample is dropped."""

from __future__ import annotations

import csv
import os
import subprocess

from benchmarks import launcher
from tests.integration.push_server import PushServer
from tests.load.test_loadtest_smoke import LOCUST, require_locust

ROOT = launcher.ROOT


def test_push_user_streams_without_failures(tmp_path):
    require_locust()
    server = PushServer().start()
    try:
        cmd = [str(LOCUST), "-f", "loadtest/push_user.py", "--headless", "--host", server.url]
        cmd += ["-u", "3", "-r", "3", "-t", "8s", "--csv", str(tmp_path / "push"), "--only-summary"]
        cmd += ["--loglevel", "WARNING", "--stop-timeout", "2"]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=90)
    finally:
        server.stop()
    with open(tmp_path / "push_stats.csv") as f:
        rows = {r["Name"]: r for r in csv.DictReader(f)}
    assert "message" in rows, done.stderr[-2000:]
    assert int(rows["message"]["Request Count"]) > 3 * 8 * 5, "each tab gets ~20 messages a second"
    assert int(rows["Aggregated"]["Failure Count"]) == 0, done.stderr[-2000:]
    assert "dropped" not in rows
