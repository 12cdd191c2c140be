"""Unit tests of the bridge payload validation: every rule, table-driven, one readable line per problem."""

from __future__ import annotations

import json

import pytest

from app.bridge_schema import (
    MAX_CLICKS,
    MAX_EVENTS,
    MAX_PAYLOAD_BYTES,
    BridgeSample,
    Click,
    parse_bridge,
    to_json,
)

N_CHANNELS, RATE, LENGTH = 4, 1000, 300_000
DROP = object()  # a field value meaning "leave this field out"
# head 5000, window 2000: samples 3000..4999 are on screen, 3.0 to 5.0 s; clicks may lie in 2.0 to 6.0 s
CLICK = {"channel": 1, "x": 4.2, "y": 0.5, "t": 1_700_000_000_000}


def payload(**changes) -> dict:
    """A valid v1 payload with some fields changed (or dropped with DROP)."""
    base = {
        "v": 1,
        "seq": 12,
        "t": 1_700_000_000_123.5,
        "head": 5000,
        "window": 2000,
        "channels": [0, 1, 3],
        "playing": True,
        "speed": 1,
        "fps": 59.8,
        "clicks": [dict(CLICK)],
        "events": {"plotly_click": 3, "plotly_relayout": 1},
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not DROP}


def raw(**changes) -> str:
    """The same payload as the JSON text a data-* attribute holds."""
    return json.dumps(payload(**changes), ensure_ascii=False)


def with_field(name: str, json_value: str) -> str:
    """A valid payload's JSON text with one field's value replaced by raw JSON text (NaN, huge numbers, ...)."""
    body = payload()
    body[name] = "__here__"
    return json.dumps(body).replace('"__here__"', json_value)


def parse(value):
    return parse_bridge(value, n_channels=N_CHANNELS, rate=RATE, length=LENGTH)


def assert_readable(problems: list[str]) -> None:
    for message in problems:
        assert "\n" not in message and "\r" not in message and "Traceback" not in message
        assert len(message) < 400, message


@pytest.mark.parametrize("value", [None, "", "   \n", {}])
def test_nothing_sampled_yet_is_not_an_error(value):
    assert parse(value) == (None, [])


def test_valid_payload_round_trips():
    sample, problems = parse(raw())
    assert problems == []
    assert sample == BridgeSample(
        seq=12,
        t=1_700_000_000_123.5,
        head=5000,
        window=2000,
        channels=(0, 1, 3),
        playing=True,
        speed=1.0,
        fps=59.8,
        clicks=(Click(channel=1, x=4.2, y=0.5, t=1_700_000_000_000.0),),
        events=(("plotly_click", 3), ("plotly_relayout", 1)),
    )
    assert isinstance(sample.speed, float) and sample.start == 3000
    assert sample.event_counts == {"plotly_click": 3, "plotly_relayout": 1}
    assert parse(to_json(sample)) == (sample, [])
    assert parse(json.loads(to_json(sample))) == (sample, [])  # the dcc.Store form


def test_minimal_payload_without_events_and_empty_lists():
    sample, problems = parse(raw(events=DROP, clicks=[], channels=[], head=0, window=100, fps=0))
    assert problems == []
    assert sample.channels == () and sample.clicks == () and sample.events == () and sample.start == 0


def test_click_within_tolerance_is_kept_silently():
    clicks = [{**CLICK, "x": 2.5}, {**CLICK, "x": 5.9}]  # sampled after the window moved on
    sample, problems = parse(raw(clicks=clicks))
    assert problems == [] and [c.x for c in sample.clicks] == [2.5, 5.9]


REJECTED = [
    # (case id, raw value, text the message must contain)
    ("int", 42, "bridge payload"),
    ("list-object", [1, 2], "bridge payload"),
    ("bytes", b'{"v": 1}', "bridge payload"),
    ("oversized-ascii", "x" * (MAX_PAYLOAD_BYTES + 1), "bridge payload is too large"),
    (
        "oversized-utf8-bytes",
        '{"v": 1, "pad": "' + "é" * 9000 + '"}',
        "too large: 18019 bytes",
    ),  # 9019 characters
    ("oversized-dict", payload(pad="x" * MAX_PAYLOAD_BYTES), "bridge payload is too large"),
    ("invalid-json", '{"v": 1, "seq": ', "bridge payload is not valid JSON"),
    ("single-quotes", "{'v': 1}", "bridge payload is not valid JSON"),
    ("deeply-nested", "[" * 5000 + "]" * 5000, "bridge payload is nested too deeply"),
    ("nested-in-field", with_field("head", "[" * 5000 + "]" * 5000), "bridge payload is nested too deeply"),
    ("json-string", '"hello"', "bridge payload must be a JSON object"),
    ("json-array", "[1, 2, 3]", "bridge payload must be a JSON object"),
    ("json-null", "null", "bridge payload must be a JSON object"),
    ("huge-int-digits", with_field("head", "9" * 5000), "bridge payload is not valid JSON"),
    ("missing-version", raw(v=DROP), "'v'"),
    ("version-2", raw(v=2), "'v'"),
    ("version-string", raw(v="1"), "'v'"),
    ("version-bool", raw(v=True), "'v'"),
    ("missing-head", raw(head=DROP), "'head'"),
    ("missing-clicks", raw(clicks=DROP), "'clicks'"),
    ("seq-negative", raw(seq=-1), "'seq'"),
    ("seq-bool", raw(seq=True), "'seq'"),
    ("seq-fraction", raw(seq=1.5), "'seq'"),
    ("t-string", raw(t="now"), "'t'"),
    ("t-nan", with_field("t", "NaN"), "'t'"),
    ("head-negative", raw(head=-5), "'head'"),
    ("head-bool", raw(head=True), "'head'"),
    ("head-string", raw(head="5000"), "'head'"),
    ("head-beyond-js-integers", raw(head=2**60), "'head'"),
    ("head-nested-junk", raw(head=[[[[[[["deep"]]]]]]]), "'head'"),
    ("head-unicode-junk", raw(head="\u202e\U0001f4a9\x00\n\u2028 ünïcödé"), "'head'"),
    ("head-lone-surrogate", with_field("head", '"\ud800"'), "'head'"),
    ("window-too-small", raw(window=99), "'window'"),
    ("window-too-large", raw(window=1_000_001), "'window'"),
    ("window-float", raw(window=2000.0), "'window'"),
    ("window-null", raw(window=None), "'window'"),
    ("channels-duplicated", raw(channels=[0, 1, 1]), "'channels'"),
    ("channels-out-of-range", raw(channels=[0, 4]), "'channels[1]'"),
    ("channels-negative", raw(channels=[-1]), "'channels[0]'"),
    ("channels-bool", raw(channels=[True]), "'channels[0]'"),
    ("channels-string", raw(channels="0,1"), "'channels'"),
    ("playing-int", raw(playing=1), "'playing'"),
    ("playing-string", raw(playing="true"), "'playing'"),
    ("speed-zero", raw(speed=0), "'speed'"),
    ("speed-too-fast", raw(speed=51), "'speed'"),
    ("speed-infinity", with_field("speed", "Infinity"), "'speed'"),
    ("speed-overflows-to-inf", with_field("speed", "1e999"), "'speed'"),
    ("fps-negative", raw(fps=-1), "'fps'"),
    ("fps-nan", with_field("fps", "NaN"), "'fps'"),
    ("fps-nan-in-dict", payload(fps=float("nan")), "'fps'"),
    ("fps-forged", raw(fps=1e9), "'fps'"),
    ("clicks-object", raw(clicks={"0": CLICK}), "'clicks'"),
]


@pytest.mark.parametrize(("value", "expected"), [c[1:] for c in REJECTED], ids=[c[0] for c in REJECTED])
def test_rejected_payloads_name_the_field(value, expected):
    sample, problems = parse(value)
    assert sample is None
    assert problems and expected in problems[0], problems
    assert_readable(problems)


def test_bad_value_is_shown_truncated():
    sample, problems = parse(raw(head="A" * 1000))
    assert sample is None
    assert "'head' 'AAAA" in problems[0] and "A" * 41 not in problems[0]
    assert "expected an integer from 0 to" in problems[0]


def test_every_fatal_problem_is_reported():
    sample, problems = parse(raw(head=-1, speed=0, playing=None, seq=DROP))
    assert sample is None
    assert [p.split("'")[1] for p in problems] == ["seq", "head", "playing", "speed"]


ACCEPTED_WITH_NOTES = [
    # (case id, raw value, text one message must contain, check on the sample)
    ("unknown-keys", raw(extra=1, debug="x"), "'extra'", lambda s: s.head == 5000),
    (
        "too-many-clicks",
        raw(clicks=[{**CLICK, "y": float(i)} for i in range(MAX_CLICKS + 5)]),
        "'clicks'",
        lambda s: [c.y for c in s.clicks] == [float(i) for i in range(5, MAX_CLICKS + 5)],
    ),
    ("click-outside-window", raw(clicks=[{**CLICK, "x": 100.0}]), "'clicks[0].x'", lambda s: s.clicks == ()),
    ("click-before-time-zero", raw(clicks=[{**CLICK, "x": -0.5}]), "'clicks[0].x'", lambda s: s.clicks == ()),
    (
        "click-x-nan",
        payload(clicks=[{**CLICK, "x": float("nan")}]),
        "'clicks[0].x'",
        lambda s: s.clicks == (),
    ),
    ("click-y-string", raw(clicks=[{**CLICK, "y": "1"}]), "'clicks[0].y'", lambda s: s.clicks == ()),
    (
        "click-channel-range",
        raw(clicks=[{**CLICK, "channel": 9}]),
        "'clicks[0].channel'",
        lambda s: not s.clicks,
    ),
    (
        "click-channel-bool",
        raw(clicks=[{**CLICK, "channel": True}]),
        "'clicks[0].channel'",
        lambda s: not s.clicks,
    ),
    (
        "click-missing-t",
        raw(clicks=[{"channel": 0, "x": 4, "y": 0}]),
        "'clicks[0].t'",
        lambda s: not s.clicks,
    ),
    ("click-not-object", raw(clicks=[CLICK, "click"]), "'clicks[1]'", lambda s: len(s.clicks) == 1),
    (
        "click-extra-key",
        raw(clicks=[{**CLICK, "pointIndex": 3}]),
        "'clicks[0]'",
        lambda s: len(s.clicks) == 1,
    ),
    ("events-not-object", raw(events=[1, 2]), "'events'", lambda s: s.events == ()),
    (
        "events-bad-name",
        raw(events={"click": 1, "plotly_click": 2}),
        "'events'",
        lambda s: s.events == (("plotly_click", 2),),
    ),
    ("events-name-newline", raw(events={"plotly_click\n": 1}), "'events'", lambda s: s.events == ()),
    ("events-name-upper", raw(events={"plotly_Click": 1}), "'events'", lambda s: s.events == ()),
    ("events-negative", raw(events={"plotly_hover": -1}), "'events'", lambda s: s.events == ()),
    ("events-bool", raw(events={"plotly_hover": True}), "'events'", lambda s: s.events == ()),
    ("events-float", raw(events={"plotly_hover": 2.5}), "'events'", lambda s: s.events == ()),
    (
        "events-too-many",
        raw(events={f"plotly_{chr(97 + i // 26)}{chr(97 + i % 26)}": i for i in range(MAX_EVENTS + 6)}),
        "'events'",
        lambda s: len(s.events) == MAX_EVENTS,
    ),
]


@pytest.mark.parametrize(
    ("value", "expected", "check"),
    [c[1:] for c in ACCEPTED_WITH_NOTES],
    ids=[c[0] for c in ACCEPTED_WITH_NOTES],
)
def test_ignorable_problems_drop_the_part_and_say_so(value, expected, check):
    sample, problems = parse(value)
    assert sample is not None, problems
    assert any(expected in message for message in problems), problems
    assert check(sample)
    assert_readable(problems)


def test_many_bad_event_names_give_one_bounded_message():
    events = {f"bad name {i}": i for i in range(MAX_EVENTS)}
    sample, problems = parse(raw(events=events))
    assert (
        sample.events == ()
        and len(problems) == 1
        and "dropped 64 entries of bridge field 'events'" in problems[0]
    )
    assert_readable(problems)


def test_payload_of_exactly_the_cap_is_read():
    body = raw(pad="")
    text = raw(pad="é" * ((MAX_PAYLOAD_BYTES - len(body.encode())) // 2))
    text = text.replace('"pad": "', '"pad": "' + "x" * (MAX_PAYLOAD_BYTES - len(text.encode())))
    assert len(text.encode()) == MAX_PAYLOAD_BYTES
    sample, problems = parse(text)
    assert sample is not None and problems == ["ignored 1 unknown bridge field: 'pad'"]
    sample, problems = parse(text.replace('"pad": "', '"pad": "x'))
    assert sample is None and "too large" in problems[0]


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="n_channels"):
        parse_bridge(raw(), n_channels=0, rate=RATE, length=LENGTH)


QUIET = {"clicks": [], "events": {}}  # a playing tab's usual sample: no click, no event entry
FAST_CASES = [
    {},
    {"events": DROP},
    {"events": None},
    {"events": {"plotly_click": 1}},
    {"clicks": [dict(CLICK)]},
    {"channels": []},
    {"channels": [3, 0]},
    {"speed": 0.1, "fps": 0, "t": 0, "seq": 0, "head": 0, "window": 100},
    {"speed": 50, "fps": 1000.0, "t": 2**53 - 1, "seq": 2**53 - 1, "head": 2**53 - 1, "window": 1_000_000},
    {"extra": 1},
    {"seq": -1},
    {"seq": True},
    {"seq": 1.5},
    {"t": "now"},
    {"t": float("inf")},
    {"head": 2**60},
    {"window": 99},
    {"window": 2000.0},
    {"channels": [0, 1, 1]},
    {"channels": [0, 4]},
    {"channels": [True]},
    {"channels": "0,1"},
    {"playing": 1},
    {"speed": 0},
    {"speed": 51},
    {"fps": -1},
    {"fps": 1e9},
    {"fps": float("nan")},
    {"clicks": {}},
    {"clicks": None},
    {"head": DROP},
    {"v": DROP},
]


@pytest.mark.parametrize("changes", FAST_CASES)
def test_the_fast_path_gives_what_the_full_check_gives(changes, monkeypatch):
    """A well-formed sample takes a shortcut (bridge_schema._well_formed); whatever the payload, the sample and
    the messages are the full check's."""
    text = json.dumps({k: v for k, v in payload(**{**QUIET, **changes}).items() if v is not DROP})
    fast = parse(text)
    monkeypatch.setattr("app.bridge_schema._well_formed", lambda obj, n: None)
    assert fast == parse(text)
    if not changes:
        assert fast[0] is not None and fast[1] == []
