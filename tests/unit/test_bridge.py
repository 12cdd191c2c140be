"""Unit tests of the bridge callback as a plain function, and over Dash's own protocol with forged payloads."""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest
from dash import no_update
from dash.exceptions import PreventUpdate

from app import analytics, bridge, bridge_analysis, create_app, data, ids, tabdata
from app.settings import Settings

S = Settings(channels=3, rate=1000, seconds=10, window=500, seed=5)
NAMES = data.channel_names(S.channels)


def sample(**changes) -> str:
    body = {
        "v": 1,
        "seq": 3,
        "t": 1.7e12,
        "head": 4000,
        "window": 1000,
        "channels": [0, 2],
        "playing": True,
        "speed": 1,
        "fps": 58.5,
        "clicks": [],
        "events": {},
    }
    body.update(changes)
    return json.dumps(body)


def call(trigger, attr=None, stored=None, thresholds=(None, None, None), state=None):
    return bridge.receive(S, NAMES, trigger, attr, stored, list(thresholds), state)


def test_valid_sample_gives_numpy_stats_for_the_window_as_numbers():
    result, rejected, state = call(ids.BRIDGE_SAMPLE, attr=sample())
    values = data.dataset(S.channels, S.rate, S.seconds, S.seed)
    rows = result["rows"]
    assert [(r["channel"], r["name"]) for r in rows] == [(0, "ch1"), (2, "ch3")]
    window = values[2][3000:4000].astype(np.float64)
    got = [rows[1][k] for k in ("min", "max", "mean", "rms")]
    assert got == pytest.approx(
        [window.min(), window.max(), window.mean(), np.sqrt(np.mean(window**2))], rel=1e-12
    )
    assert result["alerts"] == [] and result["clicks"] == [] and result["seq"] == 3 and result["notes"] == []
    assert (result["start"], result["head"]) == (3.0, 4.0) and rejected is bridge.no_update
    assert json.loads(json.dumps(result, allow_nan=False)) == result, "plain JSON numbers and strings only"


def test_nothing_sampled_yet_is_not_an_error():
    with pytest.raises(PreventUpdate):
        call(ids.BRIDGE_SAMPLE, attr="")


@pytest.mark.parametrize(
    "raw",
    ["{", "[]", "x" * 20000, sample(head=-5), sample(v=2), sample(window=True), sample(channels=[9]), "null"],
)
def test_bad_payloads_get_a_message_and_a_log_line_not_an_exception(raw, caplog):
    with caplog.at_level(logging.WARNING, logger="tickless"):
        result, rejected, state = call(ids.BRIDGE_SAMPLE, attr=raw, state={"alerts": [1]})
    assert result is bridge.no_update, "the last good analytics stay"
    assert rejected["problems"] and all(isinstance(p, str) for p in rejected["problems"])
    assert state == {"alerts": [1]}, "the tab's state is kept"
    assert any("bridge:" in r.message for r in caplog.records)


def test_thresholds_apply_only_on_the_button_and_alerts_are_kept_newest_first():
    values = data.dataset(S.channels, S.rate, S.seconds, S.seed)
    level = float(np.percentile(values[0][3000:4000], 90))
    idx, win = analytics.window_slice(values, 4000, 1000)
    expected = analytics.threshold_crossings(idx, win, {0: level}, S.rate, NAMES)
    assert expected, "the chosen level is crossed in this window"
    # typed but not applied: a sample does not use it
    *_, state = call(ids.BRIDGE_SAMPLE, attr=sample(), thresholds=(level, None, None))
    assert not state.get("alerts")
    # applied: the latest sample is re-analysed with it
    result, _, state = call(ids.BRIDGE_APPLY, attr=sample(), thresholds=(level, None, None), state=state)
    assert [a["t"] for a in state["alerts"]] == [a["t"] for a in expected]
    assert result["alerts"] == state["alerts"] and result["thresholds"] == [["ch1", level]]
    # the next overlapping sample does not list the same crossing twice
    *_, state2 = call(ids.BRIDGE_SAMPLE, attr=sample(head=4100), state=state)
    assert len({a["t"] for a in state2["alerts"]}) == len(state2["alerts"])


def test_bad_thresholds_are_named_when_applied():
    result, _, state = call(ids.BRIDGE_APPLY, attr=sample(), thresholds=("abc", float("inf"), 2))
    assert "invalid threshold for ch1 'abc': expected a finite number" in str(result["notes"])
    assert "invalid threshold for ch2 inf" in str(result["notes"])
    assert state["thresholds"] == {"2": 2.0}


def test_clicks_arrive_once_newest_first_and_the_store_transport_works():
    clicks = [
        {"channel": 1, "x": 3.5, "y": 0.25, "t": 1.7e12},
        {"channel": 0, "x": 3.6, "y": -1.0, "t": 1.7e12},
    ]
    payload = json.loads(sample(clicks=clicks))
    result, _, state = call(ids.BRIDGE_STORE, stored=payload, attr="ignored")
    assert [(c["name"], c["t"], c["value"]) for c in result["clicks"]] == [
        ("ch1", 3.6, -1.0),
        ("ch2", 3.5, 0.25),
    ]
    # Apply re-analyses the same sample without listing its clicks again
    result, _, state = call(ids.BRIDGE_APPLY, stored=payload, state=state)
    assert len(result["clicks"]) == 2


def test_apply_re_analyses_the_newer_sample_of_the_two_transports_by_seq():
    """No transport radio as State: the sampler's seq runs on across transports, so the newer sample is the one
    the tab sent last; a forged or missing seq loses to a real one, and nothing there raises."""
    div, store = sample(seq=7, head=4000), json.loads(sample(seq=9, head=5000))
    assert bridge.newer_sample(div, store) is store and bridge.newer_sample(sample(seq=10), store) != store
    assert bridge.newer_sample(div, None) is div and bridge.newer_sample("", store) is store
    for forged in ({"seq": "9"}, {"seq": True}, ["x"], 12, "{not json", "💥" * 20_000, {"seq": 1.5}):
        assert bridge.newer_sample(div, forged) is div, forged
        assert bridge.newer_sample(forged, store) is store, forged
    result, _, _ = call(ids.BRIDGE_APPLY, attr=div, stored=store)
    assert result["seq"] == 9 and result["head"] == 5.0
    result, _, _ = call(ids.BRIDGE_APPLY, attr=sample(seq=11, head=6000), stored=store)
    assert result["seq"] == 11 and result["head"] == 6.0


def test_the_sample_callback_takes_no_transport_radio_and_names_what_fired(client):
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["inputs"][0]["id"] == ids.BRIDGE_SAMPLE)
    assert [s["id"] for s in dep["state"]] == [ids.BRIDGE_STATE, ids.DATA_STORE]
    body = {
        "output": dep["output"],
        "outputs": [
            {"id": o.split(".")[0], "property": o.split(".")[1]}
            for o in dep["output"].strip(".").split("...")
        ],
        "inputs": [
            {
                **i,
                "value": {ids.BRIDGE_SAMPLE: "ignored", ids.BRIDGE_STORE: json.loads(sample(seq=4))}.get(
                    i["id"]
                ),
            }
            for i in dep["inputs"]
        ],
        "state": [{**s, "value": None} for s in dep["state"]],
        "changedPropIds": [f"{ids.BRIDGE_STORE}.data"],
    }
    out = client.post("/_dash-update-component", json=body).get_json()["response"]
    assert json.loads(out[ids.BRIDGE_RESULT][ids.BRIDGE_RESULT_ATTR])["seq"] == 4, (
        "the store fired: its sample, not the div's text"
    )


@pytest.fixture(scope="module")
def client():
    return create_app(S).server.test_client()


@pytest.mark.parametrize(
    ("raw", "state"),
    [
        ("{}", None),
        ('{"v":1,"head":"x"}', None),
        ("💥" * 5000, None),
        (None, None),
        (12, None),
        (["a"], None),
        (sample(), {"thresholds": {"0": "abc"}}),
        (sample(), {"clicks": [{"x": 1}], "alerts": "x"}),
        (sample(), {"thresholds": {"²": None}, "alerts": [{"channel": 0}]}),
        (sample(), [1, 2]),
    ],
)
def test_forged_bridge_requests_never_500(client, raw, state):
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["inputs"][0]["id"] == ids.BRIDGE_SAMPLE)
    body = {
        "output": dep["output"],
        "outputs": [
            {"id": o.split(".")[0], "property": o.split(".")[1]}
            for o in dep["output"].strip(".").split("...")
        ],
        "inputs": [{**i, "value": raw if i["id"] == ids.BRIDGE_SAMPLE else None} for i in dep["inputs"]],
        "state": [
            {**s, "value": state if s["id"] == ids.BRIDGE_STATE else None}
            if isinstance(s["id"], str)
            else {**s, "value": []}
            for s in dep["state"]
        ],
        "changedPropIds": [f"{ids.BRIDGE_SAMPLE}.data-bridge"],
    }
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code in (200, 204)


@pytest.mark.parametrize(
    ("forged", "named"),
    [
        ({"thresholds": {"0": "abc"}}, "malformed threshold"),
        ({"thresholds": {"²": 1.0, "9": 1.0, "1": float("nan")}}, "dropped 3 malformed threshold"),
        ({"thresholds": ["0"]}, "'thresholds' is not an object"),
        ({"clicks": [{"x": 1}], "alerts": [{"channel": 0, "t": "x"}]}, "malformed clicks entry"),
        ({"clicks": "abc"}, "'clicks' is not a list"),
        ({"alerts": [{"channel": True, "t": 1.0, "value": 1.0, "threshold": 1.0}]}, "malformed alerts"),
        ({"secret": 1}, "unknown key(s) secret"),
        ("<script>", "tab state store is not an object"),
    ],
)
def test_a_forged_tab_state_is_rebuilt_and_named_not_trusted(forged, named, caplog):
    with caplog.at_level(logging.WARNING, logger="tickless"):
        result, _, state = call(ids.BRIDGE_SAMPLE, attr=sample(), state=forged)
    assert result["rows"], "the sample is still analysed"
    assert named in str(result["notes"])
    assert any(named in r.message for r in caplog.records)
    assert set(state) <= {"thresholds", "alerts", "clicks"}
    assert all(isinstance(v, float) for v in (state.get("thresholds") or {}).values())


def test_a_well_formed_state_keeps_its_entries_and_names_come_from_the_server():
    state = {
        "thresholds": {"1": 2.5},
        "alerts": [{"channel": 1, "name": "<b>forged</b>", "t": 3.2, "value": 2.6, "threshold": 2.5}],
        "clicks": [{"channel": 2, "name": "x", "t": 3.1, "value": 4}],
    }
    result, _, state = call(ids.BRIDGE_SAMPLE, attr=sample(), state=state)
    assert result["thresholds"] == [["ch2", 2.5]] and result["notes"] == [], "no problem reported"
    assert any(a["t"] == 3.2 and a["name"] == "ch2" for a in state["alerts"])
    assert [(c["name"], c["t"], c["value"]) for c in result["clicks"]] == [("ch3", 3.1, 4.0)]


def test_the_same_window_is_analysed_once_per_worker_and_a_new_one_again(monkeypatch):
    calls = []
    real = bridge_analysis.summary.window_stats
    monkeypatch.setattr(
        bridge_analysis.summary, "window_stats", lambda *a, **k: calls.append(a[2:4]) or real(*a, **k)
    )
    bridge_analysis.window_analytics.cache_clear()
    first, _, _ = call(ids.BRIDGE_SAMPLE, attr=sample(head=7000, seq=1))
    again, _, _ = call(ids.BRIDGE_SAMPLE, attr=sample(head=7000, seq=2, fps=30))  # same window, fps changed
    later, _, _ = call(ids.BRIDGE_SAMPLE, attr=sample(head=8000, seq=3))
    assert calls == [(7000, 1000), (8000, 1000)]
    assert again["rows"] == first["rows"] and later["rows"] != first["rows"]
    assert again["seq"] == 2, "the reply is still this sample's"


def test_windows_that_end_in_one_grid_cell_share_one_fft_per_worker():
    """Paused tabs' windows are exact, so two of them in one grid cell are two windows; their FFT is shared."""
    bridge_analysis.window_analytics.cache_clear()
    bridge_analysis.slice_dominant.cache_clear()
    first, _, _ = call(
        ids.BRIDGE_SAMPLE, attr=sample(head=7000, seq=1, playing=False)
    )  # window 1000: grid 50
    near, _, _ = call(ids.BRIDGE_SAMPLE, attr=sample(head=7049, seq=2, playing=False))
    info = bridge_analysis.slice_dominant.cache_info()
    assert (info.misses, info.hits) == (1, 1), "two windows, one slice [6000, 7000)"
    assert [r["dominant_hz"] for r in near["rows"]] == [r["dominant_hz"] for r in first["rows"]]
    assert near["rows"] != first["rows"], "the statistics are each window's own"
    assert (near["start"], near["head"], near["playhead"]) == (6.049, 7.049, 7.049), (
        "paused: the exact window"
    )
    call(ids.BRIDGE_SAMPLE, attr=sample(head=7050, seq=3, playing=False))
    assert bridge_analysis.slice_dominant.cache_info().misses == 2, "the next grid point: a new slice"


def test_a_playing_tab_gets_the_window_ending_on_the_grid_point_before_its_playhead(monkeypatch):
    """While playing, the analytics are of the window ending at the last grid point (1/20 of the window): tabs
    playing the same data then ask for the same windows, each computed once per worker; the numbers are
    numpy's on the window the reply names."""
    calls = []
    real = bridge_analysis.summary.window_stats
    monkeypatch.setattr(
        bridge_analysis.summary, "window_stats", lambda *a, **k: calls.append(a[2:4]) or real(*a, **k)
    )
    bridge_analysis.window_analytics.cache_clear()
    one, _, _ = call(ids.BRIDGE_SAMPLE, attr=sample(head=7049, seq=1))  # window 1000: grid of 50 samples
    other, _, _ = call(ids.BRIDGE_SAMPLE, attr=sample(head=7001, seq=2))  # another tab, same grid cell
    assert calls == [(7000, 1000)], "one window computed, the second tab's a lookup"
    assert (one["start"], one["head"], one["playhead"]) == (6.0, 7.0, 7.049)
    assert other["playhead"] == 7.001 and other["rows"] == one["rows"]
    values = data.dataset(S.channels, S.rate, S.seconds, S.seed)
    window = values[2][6000:7000].astype(np.float64)
    got = [one["rows"][1][k] for k in ("min", "max", "mean", "rms")]
    assert got == pytest.approx(
        [window.min(), window.max(), window.mean(), np.sqrt(np.mean(window**2))], rel=1e-12
    )
    early, _, _ = call(ids.BRIDGE_SAMPLE, attr=sample(head=999, seq=3))  # before the first whole window
    assert (early["start"], early["head"]) == (0.0, 0.999), "no grid before a whole window: exact"


@pytest.mark.parametrize(
    ("levels", "applied", "named"),
    [
        ({"n": 1, "levels": [0.5, None, 2]}, {"0": 0.5, "2": 2.0}, None),
        ({"n": 2, "levels": ["abc", None, None]}, {}, "threshold for ch1"),
        ({"n": 3, "levels": 7}, {}, "not a list"),
        ("forged", {}, "not a list"),
        ({"n": 4}, {}, None),
    ],
)
def test_the_apply_store_is_one_input_and_forged_levels_are_named(client, levels, applied, named):
    """Apply writes the boxes into one store (clientside); Python reads it as an Input, never trusts it."""
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["inputs"][0]["id"] == ids.BRIDGE_SAMPLE)
    assert all(isinstance(s["id"], str) for s in dep["state"]), "no pattern-matching State on a sample's call"
    values = {ids.BRIDGE_SAMPLE: sample(), bridge.LEVELS: levels}
    body = {
        "output": dep["output"],
        "outputs": [
            {"id": o.split(".")[0], "property": o.split(".")[1]}
            for o in dep["output"].strip(".").split("...")
        ],
        "inputs": [{**i, "value": values.get(i["id"])} for i in dep["inputs"]],
        "state": [{**s, "value": None} for s in dep["state"]],
        "changedPropIds": [f"{bridge.LEVELS}.data"],
    }
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 200
    out = resp.get_json()["response"]
    assert out[ids.BRIDGE_STATE]["data"]["thresholds"] == applied
    notes = " ".join(json.loads(out[ids.BRIDGE_RESULT][ids.BRIDGE_RESULT_ATTR])["notes"])
    assert (named in notes) if named else notes == ""


def test_an_apply_is_taken_by_the_first_call_that_sees_its_click_count():
    """The renderer drops the reply of a call superseded by the next sample, and an Apply can reach the server
    in the same call as a sample (ctx.triggered_id then names the sample): the thresholds must still apply."""
    levels = {"n": 1, "levels": [0.5, None, None]}

    def via_sample(state, levels=levels, head=4000):
        return bridge.receive(
            S,
            NAMES,
            ids.BRIDGE_SAMPLE,
            sample(head=head),
            None,
            bridge.applied_levels(levels),
            state,
            None,
            bridge.apply_mark(levels),
        )

    result, _, state = via_sample(None)
    assert state["thresholds"] == {"0": 0.5} and state["applied"] == 1
    assert result["thresholds"] == [["ch1", 0.5]]
    alerts = state["alerts"]
    # the same count again: not applied again, so the alerts are kept (not cleared as a new Apply would)
    _, _, again = via_sample(state, head=4100)
    assert again["thresholds"] == {"0": 0.5} and again["applied"] == 1
    assert {a["t"] for a in alerts} <= {a["t"] for a in again["alerts"]}
    # a new count applies the new levels; a forged count is named and the levels are applied again
    _, _, newer = via_sample(again, levels={"n": 2, "levels": [None, 0.25, None]})
    assert newer["thresholds"] == {"1": 0.25} and newer["applied"] == 2 and newer["alerts"] != alerts
    result, _, forged = via_sample({**newer, "applied": "x"}, levels={"n": 2, "levels": [None, 0.25, None]})
    assert forged["applied"] == 2 and "'applied' is not a click count" in " ".join(result["notes"])
    assert bridge.apply_mark({"n": -1}) is None and bridge.apply_mark({"n": True}) is None
    assert bridge.apply_mark("forged") is None and bridge.apply_mark({"n": 2**60}) is None


def test_the_default_window_of_the_servers_own_data_takes_its_dominant_frequencies_from_the_table():
    """At the server's default window (S.window) on its own data, a window no tab asked for yet costs no FFT: the
    grid slices' dominant frequencies come from a table built once per worker. Any other window, or another
    dataset (a forged store falls back to the own data with a note), never makes the worker build a table."""
    for cached in (
        bridge_analysis.window_analytics,
        bridge_analysis.slice_dominant,
        bridge_analysis.slice_table,
    ):
        cached.cache_clear()
    result, _, _ = call(ids.BRIDGE_SAMPLE, attr=sample(head=4010, window=S.window, seq=1))
    assert bridge_analysis.slice_table.cache_info().misses == 1, "built at the first default-window call"
    assert bridge_analysis.slice_dominant.cache_info().misses == 0, "no FFT in the request"
    assert (result["start"], result["head"]) == (3.5, 4.0), "grid of 25 samples"
    values = data.dataset(S.channels, S.rate, S.seconds, S.seed)
    want = analytics.channel_stats(values[[0, 2], 3500:4000], S.rate, channels=[0, 2])
    assert [r["dominant_hz"] for r in result["rows"]] == [r["dominant_hz"] for r in want]
    assert [r["max"] for r in result["rows"]] == [r["max"] for r in want]
    call(ids.BRIDGE_SAMPLE, attr=sample(head=9000, window=S.window, seq=2))
    assert bridge_analysis.slice_table.cache_info().misses == 1, "built once"
    call(ids.BRIDGE_SAMPLE, attr=sample(head=9000, window=700, seq=3))
    assert bridge_analysis.slice_dominant.cache_info().misses == 1, "another window: its slice's FFT"
    bridge.receive(
        S, NAMES, ids.BRIDGE_SAMPLE, sample(head=6000, window=S.window), None, [], None, {"sha": "0" * 64}
    )
    info = bridge_analysis.slice_table.cache_info()
    assert (info.misses, info.currsize) == (1, 1), "no table for data that is not the server's own"


def test_a_playing_tabs_window_at_the_default_window_is_a_row_of_the_workers_table():
    """At the default window, with no threshold, a playing tab's window (on the grid) is a row of a table built once
    per worker: the same rows window_analytics computes, with no per-window work and nothing added to its cache.
    Thresholds (crossings to scan), a paused tab (its exact window) and the first window still compute."""
    for cached in (bridge_analysis.window_analytics, bridge_analysis.window_table):
        cached.cache_clear()
    own = tabdata.own(S)
    compute = bridge_analysis.window_analytics.__wrapped__
    for seq, (head, grid) in enumerate([(4010, 4000), (10 * 10_000 + 110, 10 * 10_000 + 100)]):
        result, _, _ = call(ids.BRIDGE_SAMPLE, attr=sample(head=head, window=S.window, seq=seq))
        assert result["rows"] == list(compute(own, grid, S.window, (0, 2), (), True)[0]), head
        assert result["head"] == grid / S.rate and result["scan"] == S.window
    assert bridge_analysis.window_analytics.cache_info().currsize == 0, "no window computed in a request"
    assert bridge_analysis.window_table.cache_info().misses == 1, "one table, built once"
    assert len(bridge_analysis.window_table(own, S.window)) == 10_000 // 25, "every grid point of the data"
    call(ids.BRIDGE_SAMPLE, attr=sample(head=4010, window=S.window, playing=False, seq=5))
    call(ids.BRIDGE_SAMPLE, attr=sample(head=300, window=S.window, seq=6))
    call(ids.BRIDGE_SAMPLE, attr=sample(head=4010, window=S.window, seq=7), state={"thresholds": {"0": 0.5}})
    assert bridge_analysis.window_analytics.cache_info().misses == 3, (
        "paused, early, with a threshold: computed"
    )


def test_no_window_table_where_it_would_cost_per_window_numpy_or_hold_too_many_rows(monkeypatch):
    own = tabdata.own(S)
    assert bridge_analysis.window_table(own, 510) is None, "510 is not whole grid steps of 25"
    assert bridge_analysis.window_table(own, 20_000) is None, "longer than the data"
    monkeypatch.setattr(bridge_analysis, "ROWS_LIMIT", 3 * 400 - 1)
    assert bridge_analysis.window_table.__wrapped__(own, 500) is None, (
        "3 channels x 400 windows over the limit"
    )


def test_the_reply_is_json_for_the_result_div_as_dash_encodes_its_own():
    """The result and the rejection go to the hidden div's attributes as JSON text that the page's JSON.parse
    reads: NaN and infinities as null, numpy numbers as numbers; no_update passes through untouched."""
    text = bridge.encode({"a": float("nan"), "b": np.float32(1.5), "c": [1, float("inf")], "n": "x"})
    assert json.loads(text) == {"a": None, "b": 1.5, "c": [1, None], "n": "x"}
    assert bridge.encode(no_update) is no_update
    result, _, _ = call(ids.BRIDGE_SAMPLE, attr=sample(seq=3))
    assert json.loads(bridge.encode(result)) == json.loads(json.dumps(result))
