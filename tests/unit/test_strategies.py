"""Unit tests of the server strategies as plain functions, and of their callbacks over Dash's own protocol."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
from dash.exceptions import PreventUpdate

from app import contract, create_app, data, ids, tabdata
from app.settings import Settings
from app.strategies import STRATEGIES, common, server_extend, server_figure, server_patch

S = Settings(channels=3, rate=1000, seconds=10, window=500, seed=5)
VIEW = {"window": 500, "channels": [0, 2], "trace": "scatter", "seq": 1}


def clock(pos=1000.0, playing=True, speed=1.0, t=None):
    return {"pos": pos, "t": time.time() * 1000 if t is None else t, "speed": speed, "playing": playing}


def values():
    return data.dataset(S.channels, S.rate, S.seconds, S.seed)


def expected(channel, start, end):
    """The looped dataset's samples [start, end) of a channel."""
    return values()[channel][np.arange(start, end) % S.length].tolist()


def test_registry_lists_seven_strategies():
    assert [s.id for s in STRATEGIES] == [
        "clientside-raf",
        "clientside-interval",
        "component",
        "server-extend",
        "server-patch",
        "server-figure",
        "server-push",
    ]
    assert all(s.how and s.cost for s in STRATEGIES)
    assert [s.id for s in STRATEGIES if not s.plotly] == ["component"]


def test_strategy_modes_come_from_the_contract():
    assert [contract.strategy_mode(s.id) for s in STRATEGIES] == [
        "raf",
        "interval",
        "component",
        "server",
        "server",
        "server",
        "push",
    ]
    assert {s.id for s in STRATEGIES if s.kind == "clientside"} == set(contract.CLIENTSIDE)
    assert {s.id for s in STRATEGIES if s.kind == "push"} == set(contract.PUSH)


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "x",
        [],
        {},
        {**VIEW, "window": 99},
        {**VIEW, "window": True},
        {**VIEW, "window": "500"},
        {**VIEW, "channels": [0, 0]},
        {**VIEW, "channels": [3]},
        {**VIEW, "channels": "0"},
        {**VIEW, "trace": "bar"},
    ],
)
def test_read_view_rejects_forged_views(raw):
    assert common.read_view(raw, 3) is None


def test_read_view_accepts_and_sorts():
    v = common.read_view({**VIEW, "channels": [2, 0]}, 3)
    assert v == common.View(500, (0, 2), "scatter")
    assert v.signature == "500|0,2|scatter"


def test_head_now_follows_the_clock():
    assert common.head_now(clock(pos=1000.5, t=0), 1000, now_ms=2000) == 3001
    assert common.head_now(clock(pos=10, speed=2, t=0), 1000, now_ms=500) == 1011
    assert common.head_now(clock(pos=10, playing=False, t=0), 1000, now_ms=99_999) == 11
    for bad in [None, {}, clock(pos=-1), clock(speed=0), clock(speed=float("nan")), {**clock(), "t": "x"}]:
        assert common.head_now(bad, 1000) is None


def test_columns_wrap_around_the_data():
    x, ys = common.columns(values(), [1], S.length - 2, S.length + 2, S.rate)
    assert np.allclose(x, np.arange(S.length - 2, S.length + 2) / S.rate)
    assert ys[0].tolist() == values()[1][[-2, -1, 0, 1]].tolist()


def test_extend_first_call_draws_the_window_then_extends_only_new_samples():
    c = clock(pos=2000, t=0)
    view_id = ids.panel(server_extend.SID, "view")
    ext, fig, cursor = server_extend.tick(S, 1, VIEW, None, c, view_id)
    head = cursor["end"]
    assert ext is server_extend.no_update
    assert [t["name"] for t in fig["data"]] == ["ch1", "ch3"]
    assert len(fig["data"][0]["x"]) == 500
    assert fig["data"][1]["y"].tolist() == expected(2, head - 500, head)
    # the next tick appends exactly the samples between the cursor and the new head
    later = {**cursor, "end": head - 37}
    ext, fig, cursor2 = server_extend.tick(S, 2, VIEW, later, c, ids.panel(server_extend.SID, "request"))
    update, indices, window = ext
    assert fig is server_extend.no_update and indices == [0, 1] and window == 500
    assert len(update["x"][0]) == cursor2["end"] - (head - 37) >= 37
    assert update["y"][0].tolist() == expected(0, head - 37, cursor2["end"])


def test_extend_prevents_update_while_paused_or_when_nothing_is_new():
    tick_id = ids.panel(server_extend.SID, "request")
    paused = clock(pos=2000, playing=False)
    cursor = {"sig": common.signature(common.read_view(VIEW, 3), tabdata.own(S)), "end": 1000}
    with pytest.raises(PreventUpdate):
        server_extend.tick(S, 3, VIEW, cursor, paused, tick_id)
    with pytest.raises(PreventUpdate):
        server_extend.tick(
            S, 3, VIEW, {**cursor, "end": 2001}, clock(pos=2000, t=time.time() * 1000 + 5000), tick_id
        )
    with pytest.raises(PreventUpdate):
        server_extend.tick(S, 3, {"window": -1}, cursor, clock(), tick_id)


def test_extend_rebuilds_when_the_cursor_is_stale_or_forged():
    tick_id = ids.panel(server_extend.SID, "request")
    for cursor in [{"sig": "other", "end": 5}, {"sig": "500|0,2|scatter", "end": "5"}, "junk"]:
        ext, fig, _ = server_extend.tick(S, 4, VIEW, cursor, clock(), tick_id)
        assert ext is server_extend.no_update and fig["data"]


def test_patch_appends_then_trims_in_bulk_and_moves_the_x_range():
    tick_id = ids.panel(server_patch.SID, "request")
    c = clock(pos=5000, t=0)
    fig, cursor = server_patch.tick(S, 1, VIEW, None, c, ids.panel(server_patch.SID, "view"))
    assert fig["layout"]["xaxis"]["autorange"] is False
    head = cursor["end"]
    small = {**cursor, "end": head - 20}
    patch, after = server_patch.tick(S, 2, VIEW, small, c, tick_id)
    ops = patch.to_plotly_json()["operations"]
    assert {op["operation"] for op in ops} == {"Extend", "Assign"}
    assert after["start"] == cursor["start"]
    big = {**cursor, "start": head - 500 - server_patch.slack(500) - 10, "end": head - 20}
    patch, after = server_patch.tick(S, 3, VIEW, big, c, tick_id)
    ops = patch.to_plotly_json()["operations"]
    assert {op["operation"] for op in ops} == {"Assign"}
    x_assign = next(op for op in ops if op["location"] == ["data", 0, "x"])
    assert len(x_assign["params"]["value"]) == 500 and after["start"] == after["end"] - 500


def test_figure_redraws_the_window_and_skips_paused_ticks():
    c = clock(pos=3000, t=0)
    fig = server_figure.tick(S, 1, VIEW, c, ids.panel(server_figure.SID, "request"))
    assert len(fig["data"]) == 2 and len(fig["data"][0]["x"]) == 500
    assert fig["layout"]["yaxis"]["range"] == common.y_range(tabdata.own(S), (0, 2))
    with pytest.raises(PreventUpdate):
        server_figure.tick(S, 2, VIEW, {**c, "playing": False}, ids.panel(server_figure.SID, "request"))
    # a view change redraws even while paused
    fig = server_figure.tick(S, 2, VIEW, {**c, "playing": False}, ids.panel(server_figure.SID, "view"))
    assert fig["data"]


@pytest.fixture(scope="module")
def client():
    return create_app(S).server.test_client()


def _request(client, sid, n, view, cursor, clock_data):
    """A /_dash-update-component POST exactly as the renderer builds it for a tick the gate let through."""
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if ids.panel(sid, "request") in json.dumps(d["inputs"]))
    values = {ids.panel(sid, "request"): n, ids.panel(sid, "view"): view, ids.panel(sid, "cursor"): cursor}
    values[ids.CLOCK_STORE] = clock_data
    body = {
        "output": dep["output"],
        "outputs": [
            {"id": o.split(".")[0], "property": o.split(".")[1]}
            for o in dep["output"].strip(".").split("...")
        ],
        "inputs": [{**i, "value": values.get(i["id"])} for i in dep["inputs"]],
        "state": [{**s, "value": values.get(s["id"])} for s in dep["state"]],
        "changedPropIds": [f"{ids.panel(sid, 'request')}.data"],
    }
    if len(body["outputs"]) == 1:
        body["outputs"] = body["outputs"][0]
    return client.post("/_dash-update-component", json=body)


@pytest.mark.parametrize("sid", ["server-extend", "server-patch", "server-figure"])
def test_tick_over_the_wire(client, sid):
    resp = _request(client, sid, 5, VIEW, None, clock())
    assert resp.status_code == 200
    body = resp.get_json()["response"]
    assert body[ids.panel(sid, "graph")]["figure"]["data"][0]["name"] == "ch1"


@pytest.mark.parametrize("sid", ["server-extend", "server-patch", "server-figure"])
@pytest.mark.parametrize(
    ("view", "clock_data"),
    [({"window": "all"}, clock()), (VIEW, {"pos": "NaN"}), ("<script>", None), (VIEW, clock(speed=1e9))],
)
def test_forged_ticks_get_no_update_not_500(client, sid, view, clock_data):
    resp = _request(client, sid, 5, view, None, clock_data)
    assert resp.status_code == 204


@pytest.mark.parametrize("module", [server_extend, server_patch])
def test_same_tick_and_settings_give_the_same_batch_in_any_order(monkeypatch, module):
    """Stateless: the batch depends only on what the request carries (and the server's clock)."""
    monkeypatch.setattr(common.time, "time", lambda: 1_800_000_000.0)
    c = clock(pos=4000, t=1_800_000_000_000 - 2500)  # 2.5 s after the anchor
    sig = common.signature(common.read_view(VIEW, 3), tabdata.own(S))
    cursors = [{"sig": sig, "start": 6000, "end": end} for end in (6400, 6450, 6499, 6300)]
    tick_id = ids.panel(module.SID, "request")

    def run(cursor):
        out = module.tick(S, 7, VIEW, cursor, c, tick_id)
        body = out[0] if module is server_extend else out[0].to_plotly_json()
        return json.dumps(body, default=lambda a: np.asarray(a).tolist())

    first = [run(cur) for cur in cursors]
    again = [run(cur) for cur in reversed(cursors)][::-1]
    assert first == again
    assert len(set(first)) == len(cursors), "different cursors give different batches"


@pytest.mark.parametrize("sid", ["server-extend", "server-patch", "server-figure"])
def test_ticks_reach_python_only_through_the_gate(client, sid):
    """The Interval feeds the clientside gate; the Python callback listens to the request store, not the Interval."""
    deps = client.get("/_dash-dependencies").get_json()
    tick, request = f"{ids.panel(sid, 'tick')}.n_intervals", f"{ids.panel(sid, 'request')}.data"
    listeners = [d for d in deps if tick in {f"{i['id']}.{i['property']}" for i in d["inputs"]}]
    assert len(listeners) == 1
    (gate,) = listeners
    assert gate["clientside_function"] == {"namespace": "tickless", "function_name": "gateTick"}
    assert gate["output"] == request
    (server,) = [d for d in deps if request in {f"{i['id']}.{i['property']}" for i in d["inputs"]}]
    assert server["clientside_function"] is None and ids.panel(sid, "graph") in server["output"]


@pytest.mark.parametrize("lag", [37, 480, 499, 500, 5000])
def test_extend_resends_from_a_stale_cursor_without_duplicates_or_gaps(lag):
    """A reply that never landed leaves the old cursor: the next tick sends from there, bounded by the window."""
    c = clock(pos=9000)
    _, _, cursor = server_extend.tick(S, 1, VIEW, None, c, ids.panel(server_extend.SID, "view"))
    head = cursor["end"]
    stale = {**cursor, "end": head - lag}  # the graph holds samples up to head - lag (exclusive)
    (update, _, window), _, after = server_extend.tick(
        S, 2, VIEW, stale, c, ids.panel(server_extend.SID, "request")
    )
    x = np.asarray(update["x"][0])
    new_head = after["end"]
    assert new_head >= head and len(x) == min(new_head - (head - lag), window)
    assert np.allclose(np.diff(x), 1 / S.rate), "consecutive samples, no duplicate"
    if lag < window:
        assert round(x[0] * S.rate) == head - lag, "continues exactly where the graph ends"
    assert round(x[-1] * S.rate) == new_head - 1


@pytest.mark.parametrize("lag", [20, 600, 5000])
def test_patch_resends_from_a_stale_cursor_without_duplicates(lag):
    c = clock(pos=9000)
    _, cursor = server_patch.tick(S, 1, VIEW, None, c, ids.panel(server_patch.SID, "view"))
    head = cursor["end"]
    stale = {**cursor, "end": head - lag, "start": head - lag - 500}  # what an older reply left
    patch, after = server_patch.tick(S, 2, VIEW, stale, c, ids.panel(server_patch.SID, "request"))
    ops = {tuple(op["location"]): op for op in patch.to_plotly_json()["operations"]}
    x_op = ops[("data", 0, "x")]
    x = np.asarray(x_op["params"]["value"])
    if x_op["operation"] == "Extend":  # appends exactly from the old cursor
        assert lag < 500 and round(x[0] * S.rate) == head - lag
    else:  # too far behind: the arrays are replaced by the newest window
        assert lag >= 500 and len(x) == 500 and after["start"] == after["end"] - 500
    assert np.allclose(np.diff(x), 1 / S.rate) and round(x[-1] * S.rate) == after["end"] - 1
