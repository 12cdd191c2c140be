"""What a browser tab of an unknown Dash app sends after load, read from its layout and dependencies (stdlib only).

The planner of the generic load mode (the locust user is loadtest/any_dash.py). It replays three kinds of
server callbacks: the initial calls the renderer makes when the page loads, every callback driven by an enabled
`dcc.Interval` (at that Interval's period), and, one level deep, the server callbacks whose inputs those
replies change. Every callback it does not run in steady state is listed in `Plan.skipped` with the reason
(clientside, fed only by user input such as a slider, a disabled Interval, a pattern-matching output, ...),
so the report can say what was found and what was not exercised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .dash_protocol import INTERVAL_TYPE, Callback, iter_components, prop_key, stringify_id


@dataclass(frozen=True)
class Interval:
    """A dcc.Interval as the layout ships it."""

    id: Any
    period_ms: float
    disabled: bool
    max_intervals: int
    n_intervals: int

    @property
    def key(self) -> str:
        """The `id.n_intervals` key that triggers its callbacks."""
        return prop_key(self.id, "n_intervals")


@dataclass(frozen=True)
class Timer:
    """A server callback fired every `interval.period_ms`, as the Interval's tick would fire it."""

    interval: Interval
    callback: Callback


@dataclass
class Plan:
    """The server traffic one tab generates: initial calls, timers, the callbacks their replies feed (chained),
    and every callback left out of the steady state with the reason (`skips`, or `skipped` as lines)."""

    initial: list[Callback] = field(default_factory=list)
    timers: list[Timer] = field(default_factory=list)
    skips: list[tuple[str, str]] = field(default_factory=list)
    chained: list[Callback] = field(default_factory=list)

    @property
    def skipped(self) -> list[str]:
        """Each callback left out of the steady state as a "label: reason" line."""
        return [f"{label}: {reason}" for label, reason in self.skips]

    def summary(self) -> dict:
        """What was found, as written into the results: initial calls, timers with their period and outputs,
        chained callbacks, and what was skipped and why."""
        return {
            "initial": [cb.label for cb in self.initial],
            "timers": [
                {
                    "callback": t.callback.label,
                    "interval": t.interval.key,
                    "period_ms": t.interval.period_ms,
                    "outputs": sorted(t.callback.output_keys),
                }
                for t in self.timers
            ],
            "chained": [cb.label for cb in self.chained],
            "skipped": [{"callback": label, "reason": reason} for label, reason in self.skips],
        }


def intervals(layout: Any) -> list[Interval]:
    """Every dcc.Interval in the layout with the props that shape its ticks (dcc defaults where unset)."""
    found = []
    for comp in iter_components(layout):
        props = comp["props"]
        if (comp["type"], comp["namespace"]) != INTERVAL_TYPE or props.get("id") is None:
            continue
        found.append(
            Interval(
                id=props["id"],
                period_ms=float(props.get("interval", 1000)),
                disabled=bool(props.get("disabled", False)),
                max_intervals=int(props.get("max_intervals", -1)),
                n_intervals=int(props.get("n_intervals", 0)),
            )
        )
    return found


def initial_order(callbacks: Sequence[Callback], ids: Iterable[Any]) -> list[Callback]:
    """Server callbacks the renderer calls at page load, producers before the callbacks their outputs feed.

    A callback is called initially unless prevent_initial_call is set, when at least one of its input
    components exists in the layout. Clientside callbacks run in the browser and are not replayed.
    """
    present = {stringify_id(cid) for cid in ids}

    def called(cb: Callback) -> bool:
        """Whether one of its (non-pattern) input components is in the layout."""
        return any(stringify_id(p.id) in present for p in cb.inputs if not p.wildcards)

    todo = [
        cb for cb in callbacks if not cb.clientside and not cb.prevent_initial_call and not cb.unsupported
    ]
    todo = [cb for cb in todo if called(cb)]
    ordered: list[Callback] = []
    while todo:
        pending = set().union(*(cb.output_keys for cb in todo))
        ready = [cb for cb in todo if not (cb.input_keys & (pending - cb.output_keys))] or todo[:1]
        ordered.extend(ready)
        todo = [cb for cb in todo if cb not in ready]
    return ordered


def followers(callbacks: Sequence[Callback], updated: Iterable[str]) -> list[tuple[Callback, list[str]]]:
    """Server callbacks whose inputs a reply just changed, each with the changed `id.prop` keys that fire it."""
    updated = set(updated)
    out = []
    for cb in callbacks:
        hit = sorted(cb.input_keys & updated)
        if hit and not cb.clientside and not cb.unsupported:
            out.append((cb, hit))
    return out


def _inputs(cb: Callback) -> str:
    return ", ".join(sorted(cb.input_keys)) or "pattern-matching inputs"


def plan(layout: Any, callbacks: Sequence[Callback], ids: Sequence[Any]) -> Plan:
    """The initial calls and Interval timers of one tab of this app, with everything skipped and why."""
    result = Plan(initial=initial_order(callbacks, ids))
    by_key = {iv.key: iv for iv in intervals(layout)}
    reasons: dict[int, str] = {}
    for cb in callbacks:
        for key in sorted(cb.input_keys & set(by_key)):
            iv = by_key[key]
            if cb.clientside:
                reasons.setdefault(cb.index, "clientside (runs in the browser, no request)")
            elif cb.unsupported:
                reasons.setdefault(cb.index, cb.unsupported)
            elif iv.disabled:
                reasons.setdefault(cb.index, f"its Interval {iv.key} is disabled at load")
            elif iv.max_intervals == 0:
                reasons.setdefault(cb.index, f"its Interval {iv.key} has max_intervals=0")
            else:
                result.timers.append(Timer(iv, cb))
    timed = {t.callback.index for t in result.timers}
    fed = set().union(*(t.callback.output_keys for t in result.timers))
    result.chained = [
        cb for cb, _ in followers(callbacks, fed) if cb.index not in timed and cb.index not in reasons
    ]
    steady = timed | {cb.index for cb in result.chained}
    initial = {cb.index for cb in result.initial}
    for cb in callbacks:
        if cb.index in steady or cb.index in reasons:
            continue
        if cb.clientside:
            reasons[cb.index] = "clientside (runs in the browser, no request)"
        elif cb.unsupported:
            reasons[cb.index] = cb.unsupported
        elif cb.index in initial:
            reasons[cb.index] = (
                f"called once at page load; runs again only on user input ({_inputs(cb)}), which is not simulated"
            )
        else:
            reasons[cb.index] = (
                f"never called: no initial call, and its inputs ({_inputs(cb)}) change only on user input"
            )
    result.skips = [(cb.label, reasons[cb.index]) for cb in callbacks if cb.index in reasons]
    return result
