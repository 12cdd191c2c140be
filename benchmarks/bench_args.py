"""The browser benchmark's command line: the full and quick matrices, and flags checked against the contract."""

from __future__ import annotations

import argparse
from pathlib import Path

from app import contract

from .bench_plan import KINDS
from .launcher import ROOT

DESCRIPTION = (
    "Browser benchmark: what every Tickless strategy delivers on screen, in headless Chromium, with ceilings."
)
RESULTS = ROOT / "benchmarks" / "results"
FULL = {"windows": "1000,10000,100000,1000000", "channels": "1,4", "traces": ",".join(contract.TRACE_TYPES)}
FULL.update(strategies=",".join(KINDS), duration=5.0, warmup=2.0, budget=32.0, ready=90.0, pairs=3)
QUICK = {
    "windows": "10000,100000",
    "channels": "1",
    "traces": "scatter",
    "strategies": "clientside-raf,server-extend,server-push",
}
QUICK.update(duration=3.0, warmup=1.5, budget=3.0, ready=30.0, pairs=1)


def _ints(text: str, name: str) -> list[int]:
    try:
        values = [int(v.replace("_", "")) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid --{name} {text!r}: expected integers like 1000,10000"
        ) from None
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"invalid --{name} {text!r}: expected positive integers")
    return values


def _num(value: float) -> str:
    """1000000 → "1,000,000", 0.1 → "0.1"."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _some_of(values: tuple[str, ...]) -> str:
    """("a", "b", "c") → "a, b and/or c"."""
    return f"{', '.join(values[:-1])} and/or {values[-1]}" if len(values) > 1 else values[0]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line flags; a bad value exits with one line naming it."""
    p = argparse.ArgumentParser(
        prog="benchmarks.bench",
        description=DESCRIPTION,
        formatter_class=argparse.RawTextHelpFormatter,
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="a short run: clientside-raf, server-extend and server-push × 10k,100k × 1 channel",
    )
    p.add_argument("--strategies", help=f"comma-separated ids (default: all: {FULL['strategies']})")
    p.add_argument("--windows", help=f"points per trace (default {FULL['windows']})")
    p.add_argument("--channels", help=f"channel counts (default {FULL['channels']})")
    p.add_argument("--traces", help=f"trace types (default {FULL['traces']})")
    p.add_argument(
        "--decimate",
        default="auto,off",
        help="decimate modes for clientside cells, when the router knows them",
    )
    p.add_argument("--duration", type=float, help="seconds measured per cell (default 5; quick 3)")
    p.add_argument(
        "--warmup", type=float, help="seconds after the first paint before measuring (default 2; quick 1.5)"
    )
    p.add_argument(
        "--repeat", type=int, default=1, help="measurements per cell; figures are medians (default 1)"
    )
    p.add_argument(
        "--pairs",
        type=int,
        help="goal cells (clientside-raf, scatter; the default page): cell + matched ceiling pairs, alternating\n"
        "order, figures are medians (default 3; quick 1)",
    )
    p.add_argument(
        "--ceiling-data",
        choices=("page", "synthetic"),
        default="page",
        help="what a goal cell's adjacent ceiling draws: the page's own dataset, decimated as the engine does\n"
        "(page, the default: the same picture), or a smooth synthetic line (synthetic, runs before 12-05)",
    )
    p.add_argument("--rate", type=int, default=10_000, help="dataset sample rate, Hz (default 10000)")
    p.add_argument("--speed", type=float, default=1.0, help="replay speed (default 1)")
    p.add_argument(
        "--bridge", type=int, help="bridge period (ms) on every page (default: the app's; 0 = off)"
    )
    p.add_argument(
        "--interval", type=int, help="Interval period (ms) of Interval-driven strategies (default: the app's)"
    )
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    p.add_argument("--budget-minutes", type=float, help="start no cell after this (default 32; quick 3)")
    p.add_argument("--ready-timeout", type=float, help="seconds a page may take to draw its first window")
    p.add_argument("--no-skip", action="store_true", help="run the cells the skip rules would leave out")
    p.add_argument("--no-ceilings", action="store_true", help="skip the bare-page ceilings")
    p.add_argument(
        "--no-landing",
        action="store_true",
        help="skip the default page (/ on the default dataset) and its matched ceiling",
    )
    p.add_argument("--out", type=Path, default=RESULTS, help="results directory (default benchmarks/results)")
    args = p.parse_args(argv)
    preset = QUICK if args.quick else FULL
    try:
        args.strategies = [
            s.strip() for s in (args.strategies or preset["strategies"]).split(",") if s.strip()
        ]
        args.windows = _ints(args.windows or preset["windows"], "windows")
        args.channels = _ints(args.channels or preset["channels"], "channels")
    except argparse.ArgumentTypeError as err:
        p.error(str(err))
    args.traces = [t.strip() for t in (args.traces or preset["traces"]).split(",") if t.strip()]
    args.decimate = [d.strip() for d in args.decimate.split(",") if d.strip()]
    unknown = [s for s in args.strategies if s not in KINDS]
    if unknown or not args.strategies:
        p.error(f"invalid --strategies {','.join(unknown) or '(empty)'}: choose from {','.join(KINDS)}")
    if not args.traces or any(t not in contract.TRACE_TYPES for t in args.traces):
        p.error(f"invalid --traces {','.join(args.traces)!r}: use {_some_of(contract.TRACE_TYPES)}")
    if any(d not in contract.DECIMATE_MODES for d in args.decimate):
        p.error(f"invalid --decimate {','.join(args.decimate)!r}: use {_some_of(contract.DECIMATE_MODES)}")
    for name, (lo, hi) in (("windows", contract.WINDOW), ("channels", contract.CHANNELS)):
        outside = [v for v in getattr(args, name) if not lo <= v <= hi]
        if outside:
            p.error(f"invalid --{name}: {outside[0]:,} is outside the app's limits {lo:,} to {hi:,}")
    for name in ("duration", "warmup"):
        setattr(args, name, preset[name] if getattr(args, name) is None else getattr(args, name))
    args.pairs = preset["pairs"] if args.pairs is None else args.pairs
    if args.duration <= 0 or args.warmup < 0 or args.repeat < 1 or not 1 <= args.pairs <= 9:
        p.error(
            "invalid --duration/--warmup/--repeat/--pairs: expected duration > 0, warmup ≥ 0, repeat ≥ 1,"
            " pairs 1 to 9"
        )
    ranges = (
        ("rate", contract.RATE, " Hz"),
        ("speed", contract.SPEED, ""),
        ("interval", contract.INTERVAL, " ms"),
        ("bridge", contract.BRIDGE_PERIOD, " ms, or 0 (off)"),
    )
    for name, (lo, hi), unit in ranges:
        value = getattr(args, name)
        if value is not None and not lo <= value <= hi and not (name == "bridge" and value == 0):
            p.error(f"invalid --{name} {_num(value)}: expected {_num(lo)} to {_num(hi)}{unit}")
    args.extra = {k: v for k, v in (("bridge", args.bridge), ("interval", args.interval)) if v is not None}
    args.budget_minutes = args.budget_minutes or preset["budget"]
    args.ready_timeout = args.ready_timeout or preset["ready"]
    return args
