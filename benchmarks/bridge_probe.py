"""Probes for `make bench-bridge BRIDGE_ARGS="--probe NAME"`: one part of a bridge call replaced, to see its cost.

A probe runs the same bench with one part of the bridge callback replaced, in the measuring process and in the
gunicorn worker (benchmarks/noop_wsgi.py builds the app through bench_bridge.add_noop, which installs the probe
named by TICKLESS_BRIDGE_PROBE). The difference from a run without a probe, in the same lock slot, is what
that part costs. A probe's results never give the goal's figure (bench_bridge leaves `goal` out).

    reply     the callback's body replaced by its first reply: what is left is Dash's dispatch of the
              callback's shape (its inputs, states and outputs), the request and the reply
    no-stats  the window's statistics (min, max, mean, RMS) replaced by constants (and the default window's
              table of them bypassed); the shared FFT lookup, validation, tab state and the reply kept
"""

from __future__ import annotations

import os
from collections.abc import Callable

PROBE_ENV = "TICKLESS_BRIDGE_PROBE"
PROBES = ("reply", "no-stats")


def install(name: str | None) -> Callable[[], None]:
    """Replace the part `name` names (None: nothing); returns the function that puts it back."""
    if not name:
        return lambda: None
    from app import bridge, bridge_analysis, contract, summary

    if name == "reply":
        real, first = bridge.receive, []

        def receive(*args, **kwargs):
            if not first:
                first.append(real(*args, **kwargs))
            return first[0]

        bridge.receive = receive
        return lambda: setattr(bridge, "receive", real)
    if name == "no-stats":
        real = summary.window_stats

        def window_stats(values, blocks, head, window, channels, rate, dominant_of=None, cells=None):
            n = min(window, head)
            fft_n = min(n, contract.FFT_MAX_SAMPLES)
            every = dominant_of(summary.grid_end(head, fft_n), fft_n, n > fft_n) if dominant_of else None
            return [
                {
                    "channel": c,
                    "n": n,
                    "min": 0.0,
                    "max": 1.0,
                    "mean": 0.5,
                    "rms": 0.5,
                    "dominant_hz": every[c] if every is not None else 0.0,
                }
                for c in channels
            ]

        summary.window_stats = window_stats
        real_rows = bridge_analysis.table_rows
        bridge_analysis.table_rows = lambda *args: None  # the default window's table holds real statistics

        def undo() -> None:
            summary.window_stats = real
            bridge_analysis.table_rows = real_rows

        return undo
    raise ValueError(f"unknown bridge probe {name!r}; expected one of {', '.join(PROBES)}")


def from_env() -> Callable[[], None]:
    """Install the probe TICKLESS_BRIDGE_PROBE names (the gunicorn worker's way to be told)."""
    return install(os.environ.get(PROBE_ENV) or None)
