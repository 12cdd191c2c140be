"""What a browser benchmark run measures: the matrix of cells, the rules that skip some, and the machine."""

from __future__ import annotations

import math
import os
import platform
import subprocess
from importlib import metadata

import psutil

from app import contract
from app.strategies import STRATEGIES

from .bench_browser import Cell, human
from .launcher import ROOT

KINDS = {s.id: s.kind for s in STRATEGIES}
OWN_CANVAS = {s.id for s in STRATEGIES if not s.plotly}  # draw their own canvas: no plotly trace type
# software WebGL draws 10k points at ≈ 4 fps and 100k at ≈ 0.5 fps; beyond that a frame takes seconds
SOFT_GL_MAX_POINTS = 100_000


def router_knows_decimate() -> bool:
    """Does the URL router accept a `decimate` parameter (the contract's URL parameters name it)?"""
    return "decimate" in contract.URL_PARAMS


def server_drawn(strategy: str, window: int, channels: int) -> int:
    """Points per trace a server strategy's reply draws (contract.drawn_per_trace, as the app caps it)."""
    return contract.drawn_per_trace(strategy, window, channels)


def dataset_seconds(windows: list[int], rate: int) -> float:
    """Dataset length so the largest window holds distinct samples (1.2 windows), at least 20 s."""
    return float(max(20, math.ceil(1.2 * max(windows) / rate)))


def skip_reason(
    kind: str, strategy: str, window: int, channels: int, trace: str, *, soft_gl: bool, drawn: int
) -> str | None:
    """Why a cell is left out of the default run (None: run it). `drawn`: points per trace on screen."""
    if strategy in OWN_CANVAS and trace != contract.TRACE_TYPES[0]:
        return (
            f"{strategy} draws its own canvas, not plotly traces: the trace type does not apply "
            f"(its {contract.TRACE_TYPES[0]} cells measure it)"
        )
    if trace == "scattergl" and soft_gl and drawn * channels > SOFT_GL_MAX_POINTS:
        return f"software WebGL: {human(drawn * channels)} points would take seconds per frame"
    if kind == "server" and server_drawn(strategy, window, channels) < window:
        return (
            f"{strategy} replies carry at most {human(contract.SERVER_MAX_POINTS[strategy])} points in all: only "
            f"the newest {human(server_drawn(strategy, window, channels))} of {human(window)} per trace would be drawn"
        )
    return None


def decimated(mode: str | None, window: int, columns: int) -> bool:
    """Will the engine draw this window as an envelope? (35_decimate.js shouldDecimate: auto = window > columns)."""
    return mode == "on" or (mode == "auto" and window > columns)


def plan(args, soft_gl: bool, columns: int, decimate_ok: bool) -> list[tuple[Cell, str | None]]:
    """Every cell of the matrix, in run order, with its skip reason (None: run it).

    Decimate modes that give the same render path as an earlier mode of the same cell (e.g. off and auto
    when the window fits the plot's pixel columns) are skipped as duplicates.
    """
    cells = []
    for trace in args.traces:
        for channels in args.channels:
            for window in args.windows:
                for sid in args.strategies:
                    modes = args.decimate if (decimate_ok and KINDS[sid] == "clientside") else [None]
                    paths: dict[bool, str] = {}
                    for mode in modes:
                        shown = server_drawn(sid, window, channels) if KINDS[sid] == "server" else window
                        cell = Cell(sid, window, channels, trace, mode, shown if shown < window else None)
                        envelope = decimated(mode, window, columns)
                        drawn = min(shown, 2 * columns) if envelope else shown
                        reason = skip_reason(
                            KINDS[sid], sid, window, channels, trace, soft_gl=soft_gl, drawn=drawn
                        )
                        if reason is None and mode is not None and envelope in paths:
                            reason = f"same render path as decimate={paths[envelope]} at this window"
                        paths.setdefault(envelope, mode or "")
                        cells.append((cell, None if args.no_skip else reason))
    return cells


def machine() -> dict:
    """Machine, versions and source revision, for the record."""
    cpu = ""
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()

    def git(*cmd: str) -> str:
        try:
            return subprocess.run(
                ["git", *cmd], cwd=ROOT, capture_output=True, text=True, timeout=10
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    versions = {}
    for pkg in ("dash", "plotly", "selenium", "numpy", "gunicorn", "flask-compress", "orjson"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average": list(os.getloadavg()),
        "python": platform.python_version(),
        "versions": versions,
        "git_commit": git("rev-parse", "HEAD"),
        "git_dirty": bool(git("status", "--porcelain")),
    }
