"""Unit tests of the load client's pure parts, against the live protocol of the real app (no locust needed)."""

from __future__ import annotations

import json
import time

import pytest
from dash import Patch

from app import contract, create_app, ids
from app.bridge_schema import parse_bridge
from app.settings import Settings
from loadtest import dash_plan, dash_reply, scenarios, tickless
from loadtest import dash_protocol as dp
from loadtest.dash_client import Schedule
from loadtest.run import parse_args
from tests.load import sample_app

S = Settings(channels=3, rate=1000, seconds=10, window=500, seed=5)


@pytest.fixture(scope="module")
def tab():
    """A tab's view of the real app: config, callbacks, initial values and ids, read over Dash's routes."""
    client = create_app(S).server.test_client()
    config = dp.page_config(client.get("/strategy/server-extend").get_data(as_text=True))
    values, order = dp.layout_props(client.get("/_dash-layout").get_json())
    callbacks = dp.parse_dependencies(client.get("/_dash-dependencies").get_json())
    return {"client": client, "config": config, "values": values, "ids": order, "callbacks": callbacks}


def post(tab, cb, values, changed):
    body = dp.build_payload(cb, values, changed, tab["ids"])
    resp = tab["client"].post(dp.update_url(tab["config"]), data=json.dumps(body), headers=dp.JSON_HEADERS)
    return resp.status_code, resp.get_data()


def find(tab, key):
    return next(cb for cb in tab["callbacks"] if not cb.clientside and key in cb.input_keys)


def test_page_config_and_resources(tab):
    assert tab["config"]["end_id"] and dp.update_url(tab["config"]).startswith(
        "/_dash-update-component?endId="
    )
    page = tab["client"].get("/").get_data(as_text=True)
    resources = dp.page_resources(page)
    assert any("dash_renderer" in url for url in resources) and any(
        url.endswith(".css") or ".css?" in url for url in resources
    )
    with pytest.raises(dp.ProtocolError):
        dp.page_config("<html>no config</html>")


def test_tab_defaults_come_from_the_layout(tab):
    d = tickless.tab_defaults(tab["values"])
    assert d["window"] == S.window and d["channels"] == [0, 1, 2] and d["rate"] == S.rate
    assert d["interval_ms"] == contract.DEFAULTS["interval"] and d["bridge_ms"] == contract.DEFAULTS["bridge"]
    assert d["trace"] == contract.DEFAULTS["trace"] and d["decimate"] == contract.DEFAULTS["decimate"]


def test_parse_output_and_ids():
    assert dp.parse_output("a.b") == [dp.Prop("a", "b")]
    assert dp.parse_output("..a.b...c-d.data-x..") == [dp.Prop("a", "b"), dp.Prop("c-d", "data-x")]
    (pattern,) = dp.parse_output('{"index":["ALL"],"type":"t"}.value')
    assert pattern.wildcards == {"ALL"} and pattern.id == {"index": ["ALL"], "type": "t"}
    assert dp.stringify_id({"type": "t", "index": 2}) == '{"index":2,"type":"t"}'
    assert dp.matches({"index": ["ALL"], "type": "t"}, {"type": "t", "index": 5})
    assert not dp.matches({"index": ["ALL"], "type": "t"}, {"type": "u", "index": 5})


def test_a_callback_without_outputs_is_parsed_and_sent_without_outputs():
    # Dash ≥ 2.17 names a no-output callback by a hash; the renderer sends no `outputs` for it
    dep = {"output": "3f2a9c", "no_output": True, "inputs": [{"id": "a", "property": "b"}], "state": []}
    (cb,) = dp.parse_dependencies([dep])
    assert cb.outputs == () and cb.label == "(no output)" and cb.unsupported is None
    body = dp.build_payload(cb, {"a.b": 1}, ["a.b"])
    assert list(body) == ["output", "inputs", "changedPropIds", "parsedChangedPropsIds"]
    assert body["output"] == "3f2a9c" and body["inputs"] == [{"id": "a", "property": "b", "value": 1}]


@pytest.mark.parametrize("sid", tickless.SERVER)
def test_built_ticks_drive_each_server_strategy(tab, sid):
    cb = find(tab, tickless.tick_key(sid))
    values = dict(tab["values"])
    values[tickless.CLOCK] = tickless.clock(time.time() * 1000 - 500, pos=S.window)
    values[tickless.view_key(sid)] = tickless.view(1, S.window, [0, 2])
    status, content = post(tab, cb, values, [tickless.view_key(sid)])
    first = dash_reply.check_response(cb, status, content)
    assert status == 200 and f"{ids.panel(sid, 'graph')}.figure" in first
    values.update(first)
    values[tickless.tick_key(sid)] = 1
    # samples come due: the same clock, anchored 100 ms further back (no waiting in a test)
    values[tickless.CLOCK] = tickless.clock(time.time() * 1000 - 600, pos=S.window)
    status, content = post(tab, cb, values, [tickless.tick_key(sid)])
    updates = dash_reply.check_response(cb, status, content, tickless.tick_requires(sid))
    if sid == "server-extend":
        assert f"{ids.panel(sid, 'graph')}.extendData" in updates
    if sid == "server-patch":
        assert dash_reply.is_patch(updates[f"{ids.panel(sid, 'graph')}.figure"])


def test_built_bridge_sample_is_accepted(tab):
    sample = tickless.bridge_sample(1, time.time() * 1000, 3000, S.window, [0, 1, 2], 60)
    parsed, problems = parse_bridge(sample, n_channels=S.channels, rate=S.rate, length=S.length)
    assert parsed is not None and problems == []
    cb = find(tab, tickless.BRIDGE_SAMPLE)
    values = {**tab["values"], tickless.BRIDGE_SAMPLE: sample}
    body = dp.build_payload(cb, values, [tickless.BRIDGE_SAMPLE], tab["ids"])
    assert all(isinstance(entry, dict) for entry in body["state"])  # no pattern state: Apply gathers levels
    status, content = post(tab, cb, values, [tickless.BRIDGE_SAMPLE])
    assert tickless.BRIDGE_ACCEPTED in dash_reply.check_response(
        cb, status, content, (tickless.BRIDGE_ACCEPTED,)
    )


def test_check_response_rejects_what_the_renderer_would(tab):
    cb = find(tab, tickless.tick_key("server-extend"))
    assert dash_reply.check_response(cb, 204, b"") == {}
    bad = [
        (500, b"Internal Server Error"),
        (200, b"<html>"),
        (200, json.dumps({"multi": True, "response": {"other": {"children": 1}}}).encode()),
        (200, json.dumps({"multi": True, "response": {}}).encode()),
    ]
    for status, content in bad:
        with pytest.raises(dp.ProtocolError):
            dash_reply.check_response(cb, status, content)
    ok = json.dumps({"multi": True, "response": {"server-extend-graph": {"extendData": []}}}).encode()
    with pytest.raises(dp.ProtocolError, match="lacks"):
        dash_reply.check_response(cb, 200, ok, tickless.tick_requires("server-extend"))


def test_apply_patch_matches_dash_patch():
    patch = Patch()
    patch["data"][0]["x"].extend([3, 4])
    patch["layout"]["title"] = "t"
    patch["data"].append({"x": []})
    del patch["layout"]["old"]
    out = dash_reply.apply_patch({"data": [{"x": [1, 2]}], "layout": {"old": 1}}, patch.to_plotly_json())
    assert out == {"data": [{"x": [1, 2, 3, 4]}, {"x": []}], "layout": {"title": "t"}}


def test_plan_of_an_unknown_app():
    client = sample_app.create_app().server.test_client()
    layout = client.get("/_dash-layout").get_json()
    _, order = dp.layout_props(layout)
    callbacks = dp.parse_dependencies(client.get("/_dash-dependencies").get_json())
    plan = dash_plan.plan(layout, callbacks, order)
    initial = ["chart0.figure +2", "level-out.children", "count.children +1", "greet.children"]
    assert [cb.label for cb in plan.initial] == initial
    timers = ["chart0.figure +2", "count.children +1", "sum.children"]
    assert sorted(t.callback.label for t in plan.timers) == timers
    assert {t.interval.period_ms for t in plan.timers} == {sample_app.TICK_MS}
    summary = plan.summary()
    charts = next(t for t in summary["timers"] if t["callback"] == "chart0.figure +2")
    assert charts["outputs"] == ["chart0.figure", "chart1.figure", "chart2.figure"]
    assert charts["interval"] == "tick.n_intervals" and charts["period_ms"] == sample_app.TICK_MS
    assert summary["chained"] == ["echo.children"]  # fed by count's total.data: exercised, not skipped
    skipped = {s["callback"]: s["reason"] for s in summary["skipped"]}
    assert "user input (level.value)" in skipped["level-out.children"]  # the slider: nobody moves it
    assert "user input (name.value)" in skipped["greet.children"]
    assert "disabled at load" in skipped["never.children"] and "clientside" in skipped["cs.children"]
    assert "pattern-matching output" in " | ".join(plan.skipped)
    assert len(skipped) == 5 and not set(skipped) & set(timers + summary["chained"])
    values, _ = dp.layout_props(layout)
    total = next(t.callback for t in plan.timers if t.callback.label == "sum.children")
    body = dp.build_payload(total, {**values, "tick.n_intervals": 1}, ["tick.n_intervals"], order)
    (inputs,) = [entry for entry in body["state"] if isinstance(entry, list)]
    assert [e["id"]["index"] for e in inputs] == list(range(sample_app.N_INPUTS))  # ALL, in layout order
    (chained,) = dash_plan.followers(callbacks, {"total.data": 3, "count.children": "x"})
    assert chained[0].label == "echo.children" and chained[1] == ["total.data"]


def test_schedule_keeps_the_grid_and_skips_missed_beats(monkeypatch):
    now = [100.0]
    monkeypatch.setattr("loadtest.dash_client.time.monotonic", lambda: now[0])
    fired = []
    sched = Schedule()
    sched.every(0.1, lambda: fired.append(now[0]), first_in=0.1)
    assert sched.wait() == pytest.approx(0.1)
    now[0] = 100.1
    sched.run_due()
    now[0] = 100.45  # a slow reply: beats at .2, .3 and .4 were missed
    sched.run_due()
    assert fired == [100.1, 100.45] and sched.wait() == pytest.approx(0.05)


def test_scenarios_and_headline():
    built = scenarios.build(list(tickless.STRATEGIES), True, {}, 60)
    n = len(tickless.STRATEGIES)  # a headline each, then 2 more settings each (tick or bridge period)
    assert len(built) == 3 * n
    assert all(s.headline for s in built[:n]) and not any(s.headline for s in built[n:])
    base = next(s for s in built if s.name == "server-extend tick 100 ms")
    raf = next(s for s in built if s.name == "clientside-raf bridge 1000 ms")
    assert base.fps == 10 and base.requests_per_frame == pytest.approx(1.1)
    assert raf.fps == 60 and raf.requests_per_frame == pytest.approx(1 / 60)
    component = next(s for s in built if s.name == "component bridge off")
    assert component.user == "ComponentUser" and component.fps == 60 and component.requests_per_frame == 0
    steps = [{"users": 10, "ok": True, "client": {}}, {"users": 25, "ok": False, "client": {"bound": False}}]
    held = scenarios.max_users(steps)
    assert (held["users"], held["fails_at"], held["lower_bound"], held["client_bound"]) == (
        10,
        25,
        False,
        False,
    )
    results = [
        {"scenario": base.to_json(), "steps": steps, "held": scenarios.max_users(steps)},
        {"scenario": raf.to_json(), "steps": steps[:1], "held": scenarios.max_users(steps[:1])},
    ]
    rows = {r["scenario"]: r for r in scenarios.headline(results)["rows"]}
    assert rows[raf.name]["ratio_to_baseline"] == 1 and rows[raf.name]["lower_bound"] is True


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--target", "http://10.0.0.5:8050"], "not a loopback address"),
        (["--steps", "50,10"], "ascending"),
        (["--steps", "10,x"], "ascending integers"),
        (["--strategies", "server-nope"], "server-nope"),
        (["--budget-minutes", "500"], "budget"),
        (["--page-loads", "-1"], "page-loads"),
    ],
)
def test_run_flags_are_checked(argv, message, capsys):
    with pytest.raises(SystemExit):
        parse_args(argv)
    assert message in capsys.readouterr().err


def test_browser_fps_reads_both_formats(tmp_path):
    assert scenarios.browser_fps(tmp_path) == {}
    cells = [
        {"strategy": "clientside-raf", "window": 2000, "channels": 4, "status": "ok", "fps": 40.0},
        {"strategy": "clientside-raf", "window": 2000, "channels": 4, "status": "ok", "fps": 50.0},
        {"strategy": "clientside-raf", "window": 100000, "channels": 4, "status": "ok", "fps": 5.0},
        {"strategy": "server-extend", "window": 2000, "channels": 4, "status": "error", "fps": 1.0},
    ]
    (tmp_path / "browser-1.json").write_text(json.dumps({"cells": cells}))
    assert scenarios.browser_fps(tmp_path) == {"clientside-raf": 45.0}
    (tmp_path / "browser-2.json").write_text(json.dumps({"strategies": {"server-extend": {"fps": 9.5}}}))
    assert scenarios.browser_fps(tmp_path) == {"server-extend": 9.5}
    built = scenarios.build(["server-extend"], False, {"server-extend": 9.5}, 60)
    assert built[0].fps == 9.5 and built[0].fps_source == "browser benchmark"
