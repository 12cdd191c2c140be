"""Stateless helpers for the server strategies: read the view and clock a request carries, slice and draw."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

from .. import contract, datafile, untrusted
from ..settings import Settings
from ..tabdata import TabData
from . import look

THEMES = tuple(contract.THEMES)

log = logging.getLogger("tickless")

# The one figure layout every strategy draws with (JS gets it through the config store; the benchmark's bare
# ceiling pages too). Two plotly fast paths, measured with the browser benchmark's A/B on the live chart
# (plotly ms per frame, 10k window, 1 channel: 18.0 -> 14.2 with the types, -> ~10 with both):
# - the axis types are given, so plotly never guesses them from the data (autotype);
# - ticklabeloverflow "allow": plotly's default ("hide past div") measures every tick label's box on every
#   draw (a forced layout each, uncached: ~20 a frame), and the y labels again whenever an x label crosses the
#   plot's edge (every few frames when a 1 s window slides under 0.1 s ticks).
BASE_LAYOUT: dict = {
    "margin": {"l": 50, "r": 20, "t": 10, "b": 40},
    "xaxis": {
        "title": {"text": "time (s)"},
        "autorange": True,
        "type": "linear",
        "ticklabeloverflow": "allow",
    },
    "yaxis": {"autorange": False, "type": "linear", "ticklabeloverflow": "allow"},
    "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    "showlegend": True,
    "uirevision": "tickless",
}


@dataclass(frozen=True)
class View:
    """What a panel shows: points per trace, which channels, which trace type."""

    window: int
    channels: tuple[int, ...]
    trace: str
    layout: str = contract.VIEW_LAYOUTS[0]  # the viewer's: overlaid or stacked (app/strategies/look.py)
    yscale: str = "fixed"
    theme: str = "light"
    font: int = contract.FONT_SIZES[0]  # the chart font for the page's screen (a wall display: larger)

    @property
    def signature(self) -> str:
        """A short string that changes whenever the figure must be rebuilt."""
        look = f"|{self.layout}|{self.yscale}|{self.theme}|{self.font}" if self.looks_different else ""
        return f"{self.window}|{','.join(map(str, self.channels))}|{self.trace}{look}"

    @property
    def looks_different(self) -> bool:
        """Is anything of the viewer's look other than the default (overlaid, fixed, light, laptop font)?"""
        return (self.layout, self.yscale, self.theme, self.font) != (
            contract.VIEW_LAYOUTS[0],
            "fixed",
            "light",
            contract.FONT_SIZES[0],
        )

    def drawn(self, sid: str) -> int:
        """Points per trace this strategy's reply carries: the window, capped so one reply stays bounded."""
        return contract.drawn_per_trace(sid, self.window, len(self.channels))


def read_view(raw, n_channels: int) -> View | None:
    """Validate a view store's data (it comes from the browser, so it may be forged); None if unusable."""
    if not isinstance(raw, dict):
        if raw is not None:
            log.warning("view: expected an object, got %s", untrusted.show(raw))
        return None
    problems = []
    try:
        window = untrusted.integer(raw.get("window"), "view 'window'", *contract.WINDOW)
    except untrusted.Rejected as exc:
        problems.append(str(exc))
    try:
        channels = untrusted.items(raw.get("channels"), "view 'channels'", n_channels, "channel indices")
        channels = [
            untrusted.integer(c, f"view 'channels[{i}]'", 0, n_channels - 1) for i, c in enumerate(channels)
        ]
        if len(set(channels)) != len(channels):
            raise untrusted.Rejected("invalid view 'channels': a channel is listed twice")
    except untrusted.Rejected as exc:
        problems.append(str(exc))
    try:
        trace = untrusted.text(raw.get("trace"), "view 'trace'", contract.MAX_TEXT, contract.TRACE_TYPES)
    except untrusted.Rejected as exc:
        problems.append(str(exc))
    look = {}
    for key, choices in (("layout", contract.VIEW_LAYOUTS), ("yscale", contract.Y_SCALES), ("theme", THEMES)):
        if raw.get(key) is not None:  # absent: the default look (a client that does not send it)
            try:
                look[key] = untrusted.text(raw.get(key), f"view '{key}'", contract.MAX_TEXT, choices)
            except untrusted.Rejected as exc:
                problems.append(str(exc))
    if raw.get("font") is not None:
        try:
            font = untrusted.integer(
                raw.get("font"), "view 'font'", min(contract.FONT_SIZES), max(contract.FONT_SIZES)
            )
            if font not in contract.FONT_SIZES:
                raise untrusted.Rejected(
                    f"invalid view 'font' {font}: expected one of {', '.join(map(str, contract.FONT_SIZES))}"
                )
            look["font"] = font
        except untrusted.Rejected as exc:
            problems.append(str(exc))
    if problems:
        log.warning("view: ignored: %s", "; ".join(problems))
        return None
    return View(window, tuple(sorted(channels)), trace, **look)


def read_cursor_end(cursor, key: str = "end") -> int | None:
    """A cursor's sample index (the end or start of what the graph holds), or None if absent or forged."""
    if not isinstance(cursor, dict):
        return None
    try:
        return untrusted.integer(cursor.get(key), f"cursor '{key}'", 0, contract.MAX_INT)
    except untrusted.Rejected as exc:
        if cursor.get(key) is not None:
            log.warning("cursor: ignored: %s", exc)
        return None


def head_now(clock, rate: int, now_ms: float | None = None) -> int | None:
    """End (exclusive) of the samples due now on the tab's clock; None if the clock data is unusable.

    The clock store holds the anchor of the browser's replay clock in epoch milliseconds, so the
    server derives the playhead from the request alone (any worker can answer any tick).
    """
    if not isinstance(clock, dict):
        return None
    try:
        pos = untrusted.number(clock.get("pos"), "clock 'pos'", 0, contract.MAX_INT)
        t = untrusted.number(clock.get("t"), "clock 't'", 0, contract.MAX_INT)
        speed = untrusted.number(clock.get("speed"), "clock 'speed'", *contract.SPEED)
        playing = untrusted.flag(clock.get("playing"), "clock 'playing'")
    except untrusted.Rejected as exc:
        log.warning("clock: ignored: %s", exc)
        return None
    now_ms = time.time() * 1000 if now_ms is None else now_ms
    head = contract.due_end(pos, t, speed, playing, rate, now_ms)
    if head > contract.MAX_INT:
        log.warning("clock: ignored: the playhead %s is beyond %s", head, contract.MAX_INT)
        return None
    return head


def dataset(settings: Settings) -> np.ndarray:
    """The server's read-only copy of the dataset these settings describe (the --data file, or the signal)."""
    return datafile.current(settings).values


def names(settings: Settings) -> list[str]:
    """The dataset's channel names, in order."""
    return list(datafile.current(settings).names)


def x_of(idx, rate: int, t0: float | None = None):
    """x of sample indices: seconds from the data's start, or epoch milliseconds (a plotly date axis) when the
    data has timestamps (`t0`, epoch seconds of sample 0), computed as the page does (30_frames timeAxis)."""
    return idx / rate if t0 is None else t0 * 1000 + idx / (rate / 1000)


def columns(values: np.ndarray, channels, start: int, end: int, rate: int, t0: float | None = None):
    """x (seconds, or epoch ms with `t0`) and one y array per channel for samples [start, end) of the looped
    data."""
    idx = np.arange(start, end, dtype=np.int64)
    x = x_of(idx, rate, t0)
    wrapped = idx % values.shape[1]
    return x, [values[c].take(wrapped) for c in channels]


def y_range(data: TabData, channels) -> list[float]:
    """A fixed y range covering the chosen channels' whole data, padded as the contract says."""
    if not channels:
        return contract.y_range(0.5, 0.5)
    ranges = data.ranges
    return contract.y_range(min(ranges[c][0] for c in channels), max(ranges[c][1] for c in channels))


def figure(data: TabData, view: View, sid: str, start: int, end: int, **layout) -> dict:
    """The whole figure for samples [start, end) of a view of the tab's data, in the shared layout."""
    x, ys = columns(data.values, view.channels, start, end, data.rate, data.start)
    traces = [
        {"type": view.trace, "mode": "lines", "name": data.names[c], "x": x, "y": y, "line": {"width": 1}}
        for c, y in zip(view.channels, ys, strict=True)
    ]
    base = {**BASE_LAYOUT, "yaxis": {**BASE_LAYOUT["yaxis"], "range": y_range(data, view.channels)}}
    if data.start is not None:  # timestamps: a date axis of wall-clock times (UTC), x in epoch ms
        base["xaxis"] = {**base["xaxis"], "type": "date", "title": {"text": "time (UTC)"}}
    for key, value in layout.items():
        base[key] = {**base.get(key, {}), **value} if isinstance(value, dict) else value
    notes = [capped_note(view, sid)] if view.drawn(sid) < view.window else []
    if data.note:
        notes.append({**_NOTE, "text": data.note, "y": 1 if not notes else 0.92})
    if notes:
        base["annotations"] = notes
    look.style(base, traces, view, data.ranges)
    return {"data": traces, "layout": base}


def signature(view: View, data: TabData) -> str:
    """A cursor's signature: the view's, and which data it draws (an upload changes it)."""
    return f"{view.signature}|{data.key[:16]}"


_NOTE = {
    "xref": "paper",
    "yref": "paper",
    "x": 0,
    "y": 1,
    "xanchor": "left",
    "yanchor": "top",
    "showarrow": False,
    "font": {"color": "#b00020", "size": 11},
    "bgcolor": "rgba(255,255,255,0.8)",
}


def capped_note(view: View, sid: str) -> dict:
    """The message a server panel shows when its window is wider than one reply may carry."""
    text = (
        f"{sid} replies carry at most {contract.SERVER_MAX_POINTS[sid]:,} points: drawing the newest "
        f"{view.drawn(sid):,} of {view.window:,} per trace (clientside strategies draw the whole window)"
    )
    return {**_NOTE, "text": text}
