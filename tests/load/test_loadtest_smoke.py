"""Smoke tests of the load benchmark: every locust user class against a live gunicorn on 127.0.0.1 for a few
seconds (zero failures), the generic mode through loadtest/run.py, and the payload builder against what the
real renderer sends (captured from headless Chromium). The benchmark itself is not a test (`make loadtest`).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time

import pytest
from flask import request

from app import create_app, ids
from app.settings import Settings
from benchmarks import launcher, ports
from loadtest import dash_protocol as dp
from loadtest import run, tickless
from tests.conftest import require
from tests.integration.helpers import js, wait_until

ROOT = launcher.ROOT
LOCUST = ROOT / ".venv-load" / "bin" / "locust"
TICKLESS_ENV = {"TICKLESS_SECONDS": "20", "TICKLESS_CHANNELS": "3", "DEBUG": "false"}
TICKLESS_USERS = [
    "ClientsideRafUser",
    "ClientsideIntervalUser",
    "ComponentUser",
    "ServerExtendUser",
    "ServerPatchUser",
    "ServerFigureUser",
]


def require_locust() -> None:
    """locust lives in its own venv (.venv-load): skipped without it, failed under CI=true."""
    require(LOCUST.exists(), f"locust ({LOCUST})", "run `make setup-load`")


@pytest.fixture()
def gunicorn(tmp_path):
    """Start `app.wsgi:server` (or another WSGI target) under gunicorn on a free 127.0.0.1 port; stop it after."""
    servers = []

    def serve(target: str = "app.wsgi:server", env: dict | None = None, workers: int = 2):
        log = tmp_path / f"gunicorn-{len(servers)}.log"
        servers.append(launcher.Gunicorn(log, workers=workers, target=target, env=env))
        servers[-1].start(60)
        return servers[-1].url, servers[-1].pid

    yield serve
    for srv in servers:
        srv.stop()


def locust(tmp_path, url: str, pid: int, users: list[str], steps: str, *extra: str) -> tuple[int, list[dict]]:
    """Run the stepped locust from .venv-load for a few seconds; its exit code and step-log records."""
    log = tmp_path / "steps.jsonl"
    cmd = [str(LOCUST), "-f", "loadtest/locustfile.py,loadtest/steps.py", "--headless", "--host", url]
    cmd += ["--steps", steps, "--step-seconds", "3", "--settle-seconds", "1", "--warmup-max-seconds", "20"]
    cmd += ["--server-pid", str(pid), "--step-log", str(log), "--csv", str(tmp_path / "locust"), "-t", "40s"]
    cmd += [
        "--p95-limit-ms",
        "10000",
        "--loglevel",
        "WARNING",
        "--only-summary",
        *extra,
        *users,
    ]  # errors, not speed
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=90)
    assert log.exists(), done.stderr[-2000:]
    return done.returncode, [json.loads(line) for line in log.read_text().splitlines()]


def test_load001_every_tickless_user_class_runs_without_failures(gunicorn, tmp_path):
    require_locust()
    url, pid = gunicorn(env=TICKLESS_ENV)
    code, records = locust(tmp_path, url, pid, TICKLESS_USERS, "10", "--client-gc", "freeze")
    (step,) = [r for r in records if r["type"] == "step"]
    assert code == 0 and step["ok"], step
    assert step["failures"] == 0 and step["ramp"]["failures"] == 0, step["errors"] + step["ramp"]["errors"]
    assert step["ramp"]["page"]["requests"] == 10  # every tab loaded the page once
    for name in ["tick server-extend", "tick server-patch", "tick server-figure", "bridge"]:
        assert step["by_name"][f"POST {name}"]["requests"] > 0, name
    assert step["server"]["cpu_percent"] > 0 and step["server"]["rss_mb"] > 50
    # the load client's own collector: the ramp's tabs frozen before the window, its pauses in the window recorded
    gc_rec = step["client"]["gc"]
    assert gc_rec["frozen"] > 10_000 and gc_rec["freeze_ms"] is not None and gc_rec["freeze_ms"] >= 0, gc_rec
    assert len(gc_rec["collections"]) == 3 and gc_rec["max_ms"] <= gc_rec["total_ms"] + 0.1, gc_rec
    with open(tmp_path / "locust_stats.csv", newline="") as fh:  # locust's own view agrees
        rows = list(csv.DictReader(fh))
    assert rows and all(row["Failure Count"] == "0" for row in rows)


def test_load002_generic_mode_replays_an_unknown_app(gunicorn, tmp_path):
    require_locust()
    url, pid = gunicorn("tests.load.sample_app:server", workers=1)
    argv = ["--target", url, "--server-pid", str(pid), "--steps", "2", "--step-seconds", "2", "--quick"]
    argv += ["--quiet-cpu", "1000", "--p95-limit-ms", "10000"]  # a smoke test checks errors, not speed
    assert run.main([*argv, "--results-dir", str(tmp_path)]) == 0
    assert not list(tmp_path.glob("load-*")), "a foreign app's run never writes Tickless's results"
    path = next(tmp_path.glob("anydash-*.json"))
    doc = json.loads(path.read_text())
    (result,) = doc["results"]
    (step,) = result["steps"]
    assert step["ok"] and step["failures"] == 0 and step["ramp"]["failures"] == 0
    names = ["interval chart0.figure +2", "interval count.children +1", "chained echo.children"]
    for name in [*names, "interval sum.children"]:
        assert step["by_name"][f"POST {name}"]["requests"] > 0, name
    assert not any("level-out" in name or "greet" in name for name in step["by_name"])  # user input only
    assert 1.5 <= step["measure_s"] <= 2.5  # the window asked for, not a tick more
    plan = result["done"]["notes"]["plan"]
    assert plan["initial"][0] == "chart0.figure +2" and plan["chained"] == ["echo.children"]
    assert {s["callback"] for s in plan["skipped"]} >= {"level-out.children", "greet.children", "cs.children"}
    # its own metadata: the app as it describes itself, the load client's versions, no gunicorn of ours
    assert doc["kind"] == "load-target" and doc["server"]["started_by_run"] is False
    assert doc["app"]["dash_renderer"] and doc["app"]["plan"]["skipped"] == plan["skipped"]
    assert "versions" not in doc and doc["client"]["locust"]
    assert path.with_suffix(".csv").exists()


def _structure(body: dict) -> dict:
    """What must match between the renderer's body and ours: keys in order, ids, properties, value shapes."""

    def entry(e):
        if isinstance(e, list):
            return [entry(x) for x in e]
        value = e.get("value", "<absent>")
        shape = sorted(value) if isinstance(value, dict) else type(value).__name__
        if isinstance(value, str) and value.startswith("{"):
            shape = sorted(json.loads(value))  # the bridge sample: a JSON object in a string
        return {"id": e["id"], "property": e["property"], "value": shape}

    out = {"keys": list(body), "output": body["output"], "outputs": body["outputs"]}
    out["changedPropIds"], out["parsed"] = body["changedPropIds"], body["parsedChangedPropsIds"]
    out["inputs"] = [entry(e) for e in body["inputs"]]
    out["state"] = [entry(e) for e in body.get("state", [])]
    return out


@pytest.mark.browser
def test_load003_builder_matches_the_real_renderer(dash_duo):
    app = create_app(Settings(channels=3, seconds=10))
    captured = []

    @app.server.before_request
    def _capture():
        if request.path == "/_dash-update-component":
            captured.append({"url": request.full_path.rstrip("?"), "body": request.get_json()})

    dash_duo.start_server(app, port=ports.free_port())
    dash_duo.wait_for_page(f"{dash_duo.server_url}/strategy/server-extend")
    tick = tickless.tick_key("server-extend")
    bridge_of = lambda c: c["body"]["changedPropIds"] == [tickless.BRIDGE_SAMPLE]  # noqa: E731
    # a steady-state tick: one sent after the first figure's reply, so it carries the cursor as State
    steady = lambda c: c["body"]["changedPropIds"] == [tick] and all("value" in e for e in c["body"]["state"])  # noqa: E731
    wait_until(lambda: any(steady(c) for c in captured), 15, "a tick carrying the cursor")
    wait_until(lambda: any(bridge_of(c) for c in captured), 10, "a bridge sample")
    real_tick = next(c for c in captured if steady(c))
    real_bridge = next(c for c in captured if bridge_of(c))

    # the same tab, rebuilt by the load client from the same page's config, layout and dependencies
    config = json.loads(js(dash_duo, "document.getElementById('_dash-config').textContent"))
    client = app.server.test_client()
    values, order = dp.layout_props(client.get("/_dash-layout").get_json())
    callbacks = dp.parse_dependencies(client.get("/_dash-dependencies").get_json())
    find = lambda key: next(cb for cb in callbacks if not cb.clientside and key in cb.input_keys)  # noqa: E731
    d = tickless.tab_defaults(values)
    values[tickless.CLOCK] = tickless.clock(time.time() * 1000, pos=d["window"])
    values[tickless.view_key("server-extend")] = tickless.view(
        3, d["window"], d["channels"], d["trace"], d["decimate"]
    )
    values[f"{ids.panel('server-extend', 'cursor')}.data"] = {"sig": "2000|0,1,2|scatter", "end": 2032}
    values[tick] = 2
    ours_tick = dp.build_payload(find(tick), values, [tick], order)
    values[tickless.BRIDGE_SAMPLE] = tickless.bridge_sample(
        1, time.time() * 1000, 3000, d["window"], [0, 1, 2], 60
    )
    ours_bridge = dp.build_payload(find(tickless.BRIDGE_SAMPLE), values, [tickless.BRIDGE_SAMPLE], order)

    assert real_tick["url"] == dp.update_url(config)
    assert _structure(ours_tick) == _structure(real_tick["body"])
    assert _structure(ours_bridge) == _structure(real_bridge["body"])
    assert dash_duo.get_logs() == []


if (
    __name__ == "__main__"
):  # pragma: no cover - handy while developing: python -m tests.load.test_loadtest_smoke
    sys.exit(pytest.main([__file__, "-q"]))


def test_load004_the_run_measures_a_first_and_a_returning_visits_page_load(tmp_path, monkeypatch):
    """Before its scenarios a Tickless run loads the page as a first and as a returning visit against a real
    gunicorn: the dataset's binary and the assets only the first time, the returning one under 100 kB."""
    monkeypatch.setenv("TICKLESS_SECONDS", "20")  # 4 channels x 20 s at 1 kHz: 320 kB of float32
    args = run.parse_args(["--page-loads", "2", "--results-dir", str(tmp_path)])
    loads = run.measure_page_loads(args, tmp_path)
    first, returning = loads["first"], loads["returning"]
    assert first["failures"] == returning["failures"] == 0, loads
    raw = 4 * 20_000 * 4  # float32 bytes of the dataset
    assert raw / 2 < first["parts"]["page data"] <= 1.05 * raw, "the binary, compressed where it helps"
    assert "page data" not in returning["parts"] and returning["bytes"] <= 100_000
    assert first["requests"] > returning["requests"] == 3
    assert first["server_cpu_ms"] > 0 and returning["server_cpu_ms"] >= 0
