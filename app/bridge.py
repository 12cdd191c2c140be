"""The sampled bridge: JS state → hidden div data-* (or a dcc.Store via set_props) → Python analytics.

The browser samples its JS globals every N ms (clientside, assets/js/75_bridge.js) and only when something
changed; Python validates each sample (app/bridge_schema.py) and computes analytics for the window on
screen from the server's own copy of the data (app/analytics.py). Alerts and clicks live in the tab's
memory stores and travel back as State, so the server keeps nothing between calls. The reply comes back the
way the sample went: as JSON in a hidden div's data-* attributes, which the page observes and renders
(assets/js/76_bridge_view.js).
"""

from __future__ import annotations

import json
import logging
import time

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from plotly.io.json import to_json_plotly

from . import contract, ids, tabdata, untrusted
from .bridge_analysis import analyse, analysed_head
from .bridge_schema import parse_bridge
from .bridge_state import clean_state
from .settings import Settings
from .strategies import common

log = logging.getLogger("tickless")

THRESHOLD = "bridge-threshold"  # pattern-matching id type, one input per channel
LEVELS = "bridge-levels"  # store: the levels the Apply button took from the boxes (bridgeApply, clientside)
THRESHOLD_RANGE = (-1e300, 1e300)  # any level a float64 comparison handles


def layout(settings: Settings) -> html.Details:
    """The bridge section: transport and period, thresholds, analytics, alerts, clicks and status."""
    names = common.names(settings)
    thresholds = [
        html.Label(
            [
                name,
                dcc.Input(
                    id={"type": THRESHOLD, "index": i},
                    type="number",
                    debounce=True,
                    className="num-input",
                    placeholder="none",
                ),
            ]
        )
        for i, name in enumerate(names)
    ]
    return html.Details(
        [
            html.Summary("Bridge: sampled browser state → Python analytics"),
            html.Div(
                [
                    html.Label(
                        [
                            "Sample every (ms, 0 = off)",
                            dcc.Input(
                                id=ids.BRIDGE_PERIOD,
                                type="number",
                                value=None,  # the router fills it (see controls.layout on dcc.Input)
                                debounce=True,
                                className="num-input",
                            ),
                        ]
                    ),
                    html.Label(
                        [
                            "Transport",
                            dcc.RadioItems(
                                options=[
                                    {"label": "hidden div data-*", "value": "div"},
                                    {"label": "dcc.Store + set_props", "value": "store"},
                                ],
                                value="div",
                                id=ids.BRIDGE_VIA,
                                inline=True,
                            ),
                        ]
                    ),
                ],
                className="controls",
            ),
            html.Div(
                [
                    html.Span(
                        "Alert thresholds",
                        className="control-label",
                        title="an alert fires when a channel rises from below a level to or above it",
                    ),
                    *thresholds,
                    html.Button("Apply thresholds", id=ids.BRIDGE_APPLY, n_clicks=0),
                ],
                className="controls",
            ),
            html.Div(id=ids.BRIDGE_LINK, className="bridge-link", role="status"),
            html.Div(id=ids.BRIDGE_STATUS, className="bridge-status", role="status"),
            html.Div(id=ids.BRIDGE_ANALYTICS, className="bridge-table"),  # filled by 76_bridge_view.js
            html.Div(
                [
                    html.Div(
                        [html.H3("Alerts: upward crossings, newest first"), html.Ul(id=ids.BRIDGE_ALERTS)]
                    ),
                    html.Div([html.H3("Clicked points"), html.Ul(id=ids.BRIDGE_CLICKS)]),
                ],
                className="bridge-lists",
            ),
            html.Div(id=ids.BRIDGE_SAMPLE, style={"display": "none"}, **{"data-bridge": ""}),
            dcc.Store(id=ids.BRIDGE_STORE, storage_type="memory"),
            dcc.Store(id=ids.BRIDGE_STATE, storage_type="memory"),
            dcc.Store(id=LEVELS, storage_type="memory"),
            html.Div(
                id=ids.BRIDGE_RESULT,
                style={"display": "none"},
                **{ids.BRIDGE_RESULT_ATTR: "", ids.BRIDGE_REJECTED_ATTR: ""},
            ),
        ],
        open=True,
        className="bridge",
    )


def applied_levels(levels):
    """The boxes' values from the Apply store ({n, levels: [...]}); anything else goes to read_thresholds as is,
    which names what is wrong with it."""
    return levels.get("levels") if isinstance(levels, dict) else levels


def apply_mark(levels) -> int | None:
    """The Apply store's click count `n` (a non-negative integer), or None when there is none or it is forged."""
    n = levels.get("n") if isinstance(levels, dict) else None
    return n if untrusted.is_int(n) and 0 <= n <= contract.MAX_INT else None


def read_thresholds(values, n_channels: int) -> tuple[dict[int, float], list[str]]:
    """Thresholds typed by the user: channel → level; empty boxes are no threshold, bad ones are named."""
    out, problems = {}, []
    if not isinstance(values, list):
        return out, (
            [] if values is None else [f"thresholds {untrusted.show(values)} are not a list; ignored"]
        )
    if len(values) > n_channels:
        problems.append(f"{len(values):,} thresholds sent for {n_channels} channels; the extra ones ignored")
    for i, value in enumerate(values[:n_channels]):
        if value is None or value == "":
            continue
        try:
            out[i] = untrusted.number(value, f"threshold for ch{i + 1}", *THRESHOLD_RANGE)
        except untrusted.Rejected as exc:
            problems.append(f"{exc}; ignored")
    return out, problems


def register(app: Dash, settings: Settings) -> None:
    """Wire the clientside sampler and the Python callback that validates samples and runs analytics."""
    # no outputs: the period (re)starts the page's sampler (75_bridge.js, a timer of its own, not a
    # dcc.Interval: each tick was a renderer pass and a callback before a sample was taken), which hands a changed
    # sample to Dash with set_props on the hidden div's data-bridge or on the store
    app.clientside_callback(
        ClientsideFunction("tickless", "bridgeConfigure"),
        Input(ids.BRIDGE_PERIOD, "value"),
        State(ids.CONFIG_STORE, "data"),
    )
    # the Apply button gathers the boxes clientside into one store: the sample's callback then carries one small
    # Input instead of every box as pattern-matching State on every call (~0.05 ms of Dash's work per call)
    app.clientside_callback(
        ClientsideFunction("tickless", "bridgeApply"),
        Output(LEVELS, "data"),
        Input(ids.BRIDGE_APPLY, "n_clicks"),
        State({"type": THRESHOLD, "index": ALL}, "value"),
        prevent_initial_call=True,
    )
    names = common.names(settings)

    # the reply goes to the hidden result div's two attributes as JSON, where 76_bridge_view.js observes it and
    # writes the panel: as store outputs rendered by a chained clientside callback, each call cost the renderer
    # a second callback's pipeline (~12 redux dispatches, each running a selector per layout component)
    @app.callback(
        Output(ids.BRIDGE_RESULT, ids.BRIDGE_RESULT_ATTR),
        Output(ids.BRIDGE_RESULT, ids.BRIDGE_REJECTED_ATTR),
        Output(ids.BRIDGE_STATE, "data"),
        Input(ids.BRIDGE_SAMPLE, "data-bridge"),
        Input(ids.BRIDGE_STORE, "data"),
        Input(LEVELS, "data"),
        State(ids.BRIDGE_STATE, "data"),
        State(ids.DATA_STORE, "data"),
        prevent_initial_call=True,
    )
    def bridge_receive(attr, stored, levels, state, dataset):
        # no transport radio as State: a sample's call names its input, and the Apply button re-analyses the
        # newer of the two samples by seq (newer_sample). The first triggered prop's id, as ctx.triggered_id
        # gives it, without the dict of every triggered prop that each read of ctx.triggered_id builds twice
        fired = ctx.triggered[0]["prop_id"].rpartition(".")[0]
        trigger = ids.BRIDGE_APPLY if fired == LEVELS else fired
        mark = apply_mark(levels)
        result, rejection, state = receive(
            settings, names, trigger, attr, stored, applied_levels(levels), state, dataset, mark
        )
        return encode(result), encode(rejection), state


def encode(value):
    """A reply for the result div's attribute: JSON text as Dash encodes its own responses (plotly's encoder:
    NaN and infinities as null, numpy numbers as numbers); no_update passes through."""
    return value if value is no_update else to_json_plotly(value)


def _seq(raw) -> int:
    """The `seq` of a raw sample (the div's JSON text or the store's object), -1 when it has none: a look only,
    bounded by the payload cap (parse_bridge checks the sample itself and names what is wrong)."""
    if isinstance(raw, str) and 0 < len(raw) <= contract.MAX_PAYLOAD_BYTES:
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError):
            return -1
    seq = raw.get("seq") if isinstance(raw, dict) else None
    return seq if untrusted.is_int(seq) else -1


def newer_sample(attr, stored):
    """The sample the Apply button re-analyses: of the div's and the store's, the one the sampler sent last
    (its counter `seq` runs on across transports), the div's when neither says (as the radio's default)."""
    if stored is None or stored == "" or stored == {}:
        return attr
    if attr is None or attr == "":
        return stored
    return stored if _seq(stored) > _seq(attr) else attr


def _nonce() -> int:
    """A fresh number per rejection, so the same problem twice still re-renders the message."""
    return time.monotonic_ns()


def receive(
    settings: Settings,
    names,
    triggered_id,
    attr,
    stored,
    threshold_values,
    state,
    dataset=None,
    mark=None,
):
    """One bridge call: validate and analyse; returns (result, rejection, tab state), numbers only.

    The result (numbers and short notes) goes to the result div's data-result attribute as JSON, where
    assets/js/76_bridge_view.js renders it into the panel, so the server builds no HTML. A rejected sample leaves
    the result alone and sends its problems to data-rejected; bad input gets a message, never an exception.

    ctx.triggered_id says which input fired: a sample on either transport, or the Apply button (which
    takes the thresholds typed so far, clears old alerts and re-analyses the latest sample: the newer of the
    two transports' by seq, `newer_sample`).

    `dataset` is the tab's dataset store: the analytics are of its samples (an upload's, app/tabdata.py), and
    `names` gives way to its channel names; a store the server cannot use is named in the notes.

    `mark` is the Apply store's click count. The state records the count it last applied, so an Apply is taken
    by whichever call first sees a new count: the renderer drops the reply of a call superseded by the next
    sample, and a sample can reach the server in the same call as the Apply with ctx.triggered_id naming the
    sample; either way the thresholds were lost until the user clicked again (CI caught it in test_rel005).
    """
    data = tabdata.resolve(settings, dataset)
    names = list(data.names)
    raw_state = state
    state, state_problems = clean_state(raw_state, data.channels, names)
    applied, threshold_problems = read_thresholds(threshold_values, data.channels)
    apply = triggered_id == ids.BRIDGE_APPLY or (mark is not None and mark != state.get("applied"))
    if apply:
        state = {**state, "thresholds": {str(k): v for k, v in applied.items()}, "alerts": []}
        if mark is not None:
            state["applied"] = mark
        raw = newer_sample(attr, stored)
    else:
        threshold_problems = []  # typed but not applied: not this sample's business
        raw = stored if triggered_id == ids.BRIDGE_STORE else attr
    thresholds = {int(k): v for k, v in (state.get("thresholds") or {}).items()}
    sample, problems = parse_bridge(raw, n_channels=data.channels, rate=data.rate, length=data.length)
    if problems or state_problems:
        log.warning("bridge: %s", "; ".join(problems + state_problems))
    if sample is None:
        if not problems:
            raise PreventUpdate  # nothing sampled yet
        return no_update, {"problems": problems, "seq": _nonce()}, raw_state
    own = data is tabdata.own(settings)  # the server's own data (not an upload, nor a fallback with a note)
    result = analyse(
        data, sample, thresholds, state, new_clicks=not apply, table_window=settings.window if own else None
    )
    state = {**state, "alerts": result.pop("alerts"), "clicks": result.pop("clicks")}
    notes = problems + state_problems + threshold_problems + ([data.note] if data.note else [])
    if result.pop("scanned"):
        notes.append(
            f"alerts checked on the newest {result['scan']:,} samples of each channel with a threshold"
        )
    counts = sample.event_counts
    head = analysed_head(sample, data.rate)
    result.update(
        seq=sample.seq,
        start=max(0, head - sample.window) / data.rate,  # the window analysed (see analysed_head)
        head=head / data.rate,
        playhead=sample.head / data.rate,  # the tab's playhead when it was sampled
        fps=sample.fps,
        thresholds=[[names[c], v] for c, v in sorted(thresholds.items())],
        events=[sum(counts.values()), len(counts)] if counts else None,
        alerts=state["alerts"],
        clicks=state["clicks"],
        notes=notes,
    )
    return result, no_update, state
